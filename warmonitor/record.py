"""The public event record, defined once.

One table of fields gives the JSON record (:func:`event_record`, what ``Event.to_dict`` returns),
the flat CSV columns (:data:`FLAT_COLUMNS`) and the columns a store indexes (:data:`STORE_COLUMNS`).
Later releases add fields here; they never rename or remove one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from warmonitor.model import Actor, Event, Location


@dataclass(frozen=True, slots=True)
class Field:
    """One key of the record: how to read it from the typed object, and what it means."""

    key: str
    read: Callable[[Any], Any]
    meaning: str
    # Name of the indexed column a store keeps for this (flattened) value, if any.
    store_column: str | None = None
    # A nested object's own fields (actors, location); None for a plain value.
    nested: tuple[Field, ...] | None = None


def _span(value: Any) -> list[int] | None:
    return value.to_list() if value is not None else None


ACTOR_FIELDS: tuple[Field, ...] = (
    Field("name", lambda a: a.name, "the words as written"),
    Field("canonical", lambda a: a.canonical, "the dictionary's name for the actor"),
    Field("country", lambda a: a.country, "ISO 3166 alpha-3 country; null for transnational groups"),
    Field("type", lambda a: a.type, "government, military, police, rebel, militia, igo, civilians, protesters, ..."),
    Field("span", lambda a: _span(a.span), "[start, end) offsets of the words in the article"),
    Field("country_from", lambda a: a.country_from.value, "where the country came from: dictionary, written, title; "
          "article or event_place (guesses, not readings); backer (left open); none"),
)

LOCATION_FIELDS: tuple[Field, ...] = (
    Field("name", lambda p: p.name, "the place as written"),
    Field("canonical", lambda p: p.canonical, "the gazetteer's name"),
    Field("geonames_id", lambda p: p.geonames_id, "GeoNames id, when the gazetteer has one"),
    Field("lat", lambda p: p.lat, "latitude"),
    Field("lon", lambda p: p.lon, "longitude"),
    Field("country", lambda p: p.country, "ISO 3166 alpha-2 country", store_column="country"),
    Field("admin1", lambda p: p.admin1, "first-level region"),
    Field("admin2", lambda p: p.admin2, "second-level region (county, district), where known"),
    Field("precision", lambda p: p.precision, "exact, near, admin1 or country"),
    Field("span", lambda p: _span(p.span), "[start, end) offsets of the place name in the article"),
)


def _actor_fields(role: str) -> tuple[Field, ...]:
    columns = {"canonical": role, "country": f"{role}_country"}
    return tuple(Field(f.key, f.read, f.meaning, store_column=columns.get(f.key)) for f in ACTOR_FIELDS)


EVENT_FIELDS: tuple[Field, ...] = (
    Field("id", lambda e: e.id, "stable id (hash of article, trigger position and type)"),
    Field("article_id", lambda e: e.article_id, "hash of the article's text and publication date"),
    Field("sentence", lambda e: e.sentence, "the sentence, readable"),
    Field("span", lambda e: _span(e.span), "[start, end) of the sentence in the article as given"),
    Field("trigger", lambda e: e.trigger, "the word that names the event"),
    Field("trigger_span", lambda e: _span(e.trigger_span), "[start, end) of the trigger in the article as given"),
    Field("plover_type", lambda e: e.plover_type, "PLOVER event type", store_column="plover_type"),
    Field("cameo_root", lambda e: e.cameo_root, "two-digit CAMEO root code", store_column="cameo_root"),
    Field("acled_event_type", lambda e: e.acled_event_type, "ACLED event type", store_column="acled_event_type"),
    Field("acled_sub_event_type", lambda e: e.acled_sub_event_type, "ACLED sub-event type"),
    Field("status", lambda e: str(e.status), "occurred, ongoing, planned, negated or hypothetical", store_column="status"),
    Field("date", lambda e: e.date.isoformat() if e.date else None, "ISO date of the event", store_column="date"),
    Field("date_precision", lambda e: str(e.date_precision), "day, week, month, year or unknown"),
    Field("actor1", lambda e: e.actor1, "who acted", nested=_actor_fields("actor1")),
    Field("actor2", lambda e: e.actor2, "on whom", nested=_actor_fields("actor2")),
    Field("actor1_associates", lambda e: [actor_record(a) for a in e.actor1_associates],
          "actors acting with actor1 ('with the help of', 'backed by'), each with actor1's keys"),
    Field("location", lambda e: e.location, "where it happened", nested=LOCATION_FIELDS),
    Field("attribution", lambda e: e.attribution, "who says so"),
    Field("fatalities", lambda e: e.fatalities, "death toll written for this event"),
    Field("confidence", lambda e: round(e.confidence, 3), "0-1"),
)


def _object(value: Any, fields: tuple[Field, ...]) -> dict[str, Any]:
    return {f.key: f.read(value) for f in fields}


def event_record(event: Event) -> dict[str, Any]:
    """The public JSON record of one event."""
    record: dict[str, Any] = {}
    for f in EVENT_FIELDS:
        value = f.read(event)
        record[f.key] = _object(value, f.nested) if f.nested is not None and value is not None else value
    return record


def actor_record(actor: Actor) -> dict[str, Any]:
    return _object(actor, ACTOR_FIELDS)


def location_record(location: Location) -> dict[str, Any]:
    return _object(location, LOCATION_FIELDS)


def _flat_fields() -> list[tuple[str, Field]]:
    flat: list[tuple[str, Field]] = []
    for f in EVENT_FIELDS:
        if f.nested is None:
            flat.append((f.key, f))
        else:
            flat.extend((f"{f.key}.{inner.key}", inner) for inner in f.nested)
    return flat


# Flat column names in record order: "actor1.name", "location.lat", ...
FLAT_COLUMNS: tuple[str, ...] = tuple(name for name, _ in _flat_fields())
# Store column → flat record key ("country" → "location.country").
STORE_COLUMNS: dict[str, str] = {f.store_column: name for name, f in _flat_fields() if f.store_column}


def flatten(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested record → flat columns ("actor1.name", "location.lat"); lists become JSON text."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = json.dumps(value)
        else:
            flat[name] = value
    return flat


def flat_value(record: dict[str, Any], key: str) -> Any:
    """The value of a flat key ("location.country") in a nested record; None where absent."""
    value: Any = record
    for part in key.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
