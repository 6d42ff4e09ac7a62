"""warmonitor: news articles in, geolocated, source-attributed political-conflict events out.

Import is cheap: spaCy, the gazetteer and the database load on first use.

>>> import warmonitor
>>> events = warmonitor.extract(text, published="2017-09-05")   # doctest: +SKIP
>>> [event.to_dict() for event in events]                         # doctest: +SKIP
"""

from __future__ import annotations

from warmonitor.api import events_frame, extract
from warmonitor.model import Actor, Article, Event, Location

__all__ = ["Actor", "Article", "Event", "Location", "events_frame", "extract"]
__version__ = "0.1.0"
