"""warmonitor: news articles in, geolocated, source-attributed political-conflict events out.

Import is cheap: spaCy, the gazetteer and the database load on first use.

>>> import warmonitor
>>> events = warmonitor.extract(text, published="2017-09-05")   # doctest: +SKIP
>>> [event.to_dict() for event in events]                         # doctest: +SKIP
"""

from __future__ import annotations

from warmonitor.api import events_frame, extract, geoparse
from warmonitor.model import Actor, Article, Event, Location, Toponym

__all__ = ["Actor", "Article", "Event", "Location", "Toponym", "events_frame", "extract", "geoparse"]
__version__ = "0.1.0"
