"""The Python entry points for notebooks and scripts."""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any

from warmonitor.model import Article, Event, events_to_frame
from warmonitor.settings import Settings


@lru_cache(maxsize=4)
def _pipeline(settings: Settings) -> Any:
    from warmonitor.pipeline import Pipeline

    return Pipeline.default(settings)


def extract(text: str, published: date | str | None = None, settings: Settings | None = None,
            **metadata: Any) -> list[Event]:
    """Coded events of one article. ``published`` (a date or YYYY-MM-DD) anchors relative dates.

    ``metadata`` may carry title, url and source. Events convert with ``event.to_dict()``, or all at
    once with :func:`events_frame`.
    """
    from warmonitor.ingest import check, parse_date

    article = check(Article(text=text, published=parse_date(published), origin=metadata.pop("origin", "<text>"),
                            **metadata))
    return _pipeline(settings or Settings.load()).analyze(article).events


def events_frame(events: list[Event]) -> Any:
    """A pandas DataFrame of events, nested objects flattened (``actor1.name``, ``location.lat``…)."""
    return events_to_frame(events)
