"""Event queries: the filters behind ``warmonitor events``, ``export`` and the HTTP API, checked
once here so that every engine receives values it can trust.

:func:`make_query` turns what a user typed into an :class:`EventQuery`, or raises
:class:`~warmonitor.errors.QueryError` naming the filter and what it accepts: a type that is neither
a PLOVER type nor an ACLED event or sub-event type, a country no code or name matches, a limit
below 1, a box whose corners are out of range.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from warmonitor.classify.labels import ACLED_EVENT_TYPES, ACLED_SUB_TYPES
from warmonitor.countries import find_country
from warmonitor.errors import QueryError
from warmonitor.model import EVENT_STATUSES, PLOVER_TYPES

Bbox = tuple[float, float, float, float]  # min lon, min lat, max lon, max lat


@dataclass(frozen=True, slots=True)
class TypeFilter:
    """One --type value, resolved to the column it is a value of."""

    column: str  # plover_type | acled_event_type | acled_sub_event_type
    value: str


@dataclass(frozen=True, slots=True)
class EventQuery:
    since: date | None = None
    until: date | None = None
    country_iso2: str | None = None  # the place's country …
    country_iso3: str | None = None  # … or either actor's
    actor: str | None = None  # part of an actor's name or canonical name, any case; no wildcards
    types: tuple[TypeFilter, ...] = ()  # any of
    statuses: tuple[str, ...] = ()  # any of
    bbox: Bbox | None = None
    min_confidence: float | None = None
    limit: int | None = None
    offset: int = 0
    mentions: bool = False  # per-article events instead of canonical ones
    text: str | None = None  # words its sentences, actors or place hold, any case; no wildcards


ALL_EVENTS = EventQuery()


def _fold(text: str) -> str:
    return " ".join(text.casefold().replace("_", " ").split())


_TYPE_NAMES: dict[str, TypeFilter] = {
    **{_fold(t): TypeFilter("plover_type", t) for t in PLOVER_TYPES},
    **{_fold(t): TypeFilter("acled_event_type", t) for t in ACLED_EVENT_TYPES},
    **{_fold(t): TypeFilter("acled_sub_event_type", t) for t in ACLED_SUB_TYPES},
}


def parse_type(text: str) -> TypeFilter:
    """A PLOVER type ("ASSAULT"), ACLED event type ("Battles") or sub-event type ("Air/drone strike"), any case."""
    found = _TYPE_NAMES.get(_fold(text))
    if found is None:
        close = difflib.get_close_matches(_fold(text), list(_TYPE_NAMES), n=3, cutoff=0.6)
        hint = f"; did you mean {' or '.join(repr(_TYPE_NAMES[c].value) for c in close)}?" if close else ""
        raise QueryError(f"--type {text!r} is neither a PLOVER type ({', '.join(PLOVER_TYPES)}) nor an ACLED event "
                         f"or sub-event type{hint}", field="type")
    return found


def parse_status(text: str) -> str:
    status = text.strip().lower()
    if status not in EVENT_STATUSES:
        raise QueryError(f"--status {text!r} is not one of {', '.join(EVENT_STATUSES)}", field="status")
    return status


def parse_bbox(text: str | Iterable[float]) -> Bbox:
    """``minlon,minlat,maxlon,maxlat``; a box crossing the antimeridian has minlon > maxlon."""
    try:
        values = [float(v) for v in (text.split(",") if isinstance(text, str) else text)]
    except ValueError:
        raise QueryError(f"--bbox {text!r} must be four numbers: minlon,minlat,maxlon,maxlat", field="bbox") from None
    if len(values) != 4:
        raise QueryError(f"--bbox {text!r} must be four numbers: minlon,minlat,maxlon,maxlat", field="bbox")
    min_lon, min_lat, max_lon, max_lat = values
    if not (-180 <= min_lon <= 180 and -180 <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise QueryError(f"--bbox {text!r}: longitudes lie in [-180, 180], latitudes in [-90, 90] with minlat <= maxlat",
                         field="bbox")
    return min_lon, min_lat, max_lon, max_lat


def make_query(since: date | None = None, until: date | None = None, country: str | None = None,
               actor: str | None = None, types: Iterable[str] = (), statuses: Iterable[str] = (),
               bbox: str | Iterable[float] | None = None, min_confidence: float | None = None,
               limit: int | None = None, offset: int = 0, mentions: bool = False, text: str | None = None) -> EventQuery:
    """An :class:`EventQuery` from user-given values; raises QueryError for any that cannot match."""
    iso2 = iso3 = None
    if country is not None:
        found = find_country(country)
        if found is None:
            raise QueryError(f"--country {country!r} is not an ISO 3166 alpha-2 or alpha-3 code or a country name",
                             field="country")
        iso2, iso3 = found.iso2, found.iso3
    if limit is not None and limit < 1:
        raise QueryError(f"--limit must be 1 or more, got {limit}", field="limit")
    if offset < 0:
        raise QueryError(f"offset must be 0 or more, got {offset}", field="offset")
    if min_confidence is not None and not 0.0 <= min_confidence <= 1.0:
        raise QueryError(f"--min-confidence must lie between 0 and 1, got {min_confidence}", field="min_confidence")
    if since and until and since > until:
        raise QueryError(f"--since {since} is after --until {until}", field="since")
    if actor is not None and not actor.strip():
        raise QueryError("--actor needs some letters of an actor's name", field="actor")
    if text is not None and not text.strip():
        raise QueryError("the text searched for needs some letters", field="q")
    return EventQuery(since=since, until=until, country_iso2=iso2, country_iso3=iso3,
                      text=" ".join(text.lower().split()) if text else None,
                      actor=actor.strip().lower() if actor else None,
                      types=tuple(dict.fromkeys(parse_type(t) for t in types)),
                      statuses=tuple(dict.fromkeys(parse_status(s) for s in statuses)),
                      bbox=parse_bbox(bbox) if bbox is not None else None, min_confidence=min_confidence,
                      limit=limit, offset=offset, mentions=mentions)
