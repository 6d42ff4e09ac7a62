"""Streams: articles that keep arriving.

* :mod:`warmonitor.streams.watch`: files appearing in a folder, taken once complete;
* :mod:`warmonitor.streams.feeds`: RSS and Atom feeds, each new item's page fetched and its main
  text stored once, remembered in the database across restarts;
* :mod:`warmonitor.streams.fetch`: the polite HTTP client the feeds use.

The application functions :func:`warmonitor.api.watch` and :func:`warmonitor.api.feeds` wire them
to a store and a pipeline; the CLI's ``watch`` and ``feeds`` commands call those.
"""
