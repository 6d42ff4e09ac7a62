"""The one data model every stage reads and writes.

An :class:`Article` enters the pipeline; each stage fills more of its :class:`Analysis`
(sentences, actor and place mentions, events). Every coded field keeps a :class:`Span` into the
article's original text so a user can ask why it was coded so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip
EVENT_STATUSES: tuple[str, ...] = ("occurred", "ongoing", "planned", "negated", "hypothetical")
DATE_PRECISIONS: tuple[str, ...] = ("day", "week", "month", "year", "unknown")

Status = Literal["occurred", "ongoing", "planned", "negated", "hypothetical"]
DatePrecision = Literal["day", "week", "month", "year", "unknown"]


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into the article's original text."""

    start: int
    end: int

    def to_list(self) -> list[int]:
        return [self.start, self.end]


@dataclass(slots=True)
class Article:
    """One news article as it arrived, plus the metadata ingest could read."""

    text: str
    published: date | None = None
    title: str | None = None
    url: str | None = None
    source: str | None = None
    origin: str | None = None  # file and line/row it came from, for error reports

    @property
    def id(self) -> str:
        """Content hash: the same article ingested twice gets the same id."""
        digest = hashlib.sha1()
        digest.update(self.text.strip().encode("utf-8", "surrogatepass"))
        digest.update(str(self.published or "").encode())
        return digest.hexdigest()[:16]


@dataclass(slots=True)
class Sentence:
    """A sentence: its readable text and where it sits in the original article."""

    index: int
    text: str  # readable (detokenized) text
    span: Span  # offsets in the original article text
    offsets: list[int]  # offsets[i] = original offset of readable character i
    is_dateline: bool = False

    def original_span(self, start: int, end: int) -> Span:
        """Map a readable-text character range back to the original article."""
        if not self.offsets:
            return Span(self.span.start, self.span.start)
        start = min(max(start, 0), len(self.offsets) - 1)
        last = min(max(end - 1, start), len(self.offsets) - 1)
        return Span(self.offsets[start], self.offsets[last] + 1)


@dataclass(slots=True)
class Actor:
    """Who did something, or to whom: as written and as resolved against the dictionaries."""

    name: str
    canonical: str | None
    country: str | None  # ISO 3166 alpha-3; None for transnational groups
    type: str | None  # government, military, police, rebel, militia, igo, civilians, ...
    span: Span
    rule: str | None = None  # the dictionary entry or model label that resolved it

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "canonical": self.canonical,
            "country": self.country,
            "type": self.type,
            "span": self.span.to_list(),
        }


@dataclass(slots=True)
class Location:
    """A place resolved against the gazetteer."""

    name: str
    canonical: str
    geonames_id: int | None
    lat: float
    lon: float
    country: str | None  # ISO 3166 alpha-2
    admin1: str | None
    precision: str  # exact | near | admin1 | country
    span: Span
    feature: str = "city"  # city | admin1 | country | region
    rule: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "canonical": self.canonical,
            "geonames_id": self.geonames_id,
            "lat": self.lat,
            "lon": self.lon,
            "country": self.country,
            "admin1": self.admin1,
            "precision": self.precision,
            "span": self.span.to_list(),
        }


@dataclass(slots=True)
class Evidence:
    """Why one field was coded: the words and the rule that produced it."""

    field: str
    text: str
    span: Span | None
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "text": self.text,
            "span": self.span.to_list() if self.span else None,
            "rule": self.rule,
        }


@dataclass(slots=True)
class Event:
    """One coded event. ``to_dict`` gives the public JSON record (see README)."""

    article_id: str
    sentence_index: int
    sentence: str
    span: Span
    trigger: str
    trigger_span: Span
    plover_type: str
    cameo_root: str
    acled_event_type: str | None = None
    acled_sub_event_type: str | None = None
    status: Status = "occurred"
    date: date | None = None
    date_precision: DatePrecision = "unknown"
    actor1: Actor | None = None
    actor2: Actor | None = None
    location: Location | None = None
    attribution: str | None = None
    attribution_span: Span | None = None
    fatalities: int | None = None
    confidence: float = 0.5
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def id(self) -> str:
        key = f"{self.article_id}:{self.trigger_span.start}:{self.trigger_span.end}:{self.plover_type}"
        return hashlib.sha1(key.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "article_id": self.article_id,
            "sentence": self.sentence,
            "span": self.span.to_list(),
            "trigger": self.trigger,
            "plover_type": self.plover_type,
            "cameo_root": self.cameo_root,
            "acled_event_type": self.acled_event_type,
            "acled_sub_event_type": self.acled_sub_event_type,
            "status": self.status,
            "date": self.date.isoformat() if self.date else None,
            "date_precision": self.date_precision,
            "actor1": self.actor1.to_dict() if self.actor1 else None,
            "actor2": self.actor2.to_dict() if self.actor2 else None,
            "location": self.location.to_dict() if self.location else None,
            "attribution": self.attribution,
            "fatalities": self.fatalities,
            "confidence": round(self.confidence, 3),
        }

    def explain(self) -> dict[str, Any]:
        """The record plus, for each coded field, the words and rule behind it."""
        record = self.to_dict()
        record["evidence"] = [item.to_dict() for item in self.evidence]
        return record


@dataclass(slots=True)
class ActorMention:
    """An actor found in a sentence, before it is bound to any event."""

    actor: Actor
    sentence_index: int
    start: int  # readable-text offsets within the sentence
    end: int


@dataclass(slots=True)
class PlaceMention:
    """A toponym found in a sentence and resolved to a gazetteer entry."""

    location: Location
    sentence_index: int
    start: int  # readable-text offsets within the sentence
    end: int


@dataclass(slots=True)
class Analysis:
    """Everything the stages learn about one article; the pipeline's unit of work."""

    article: Article
    sentences: list[Sentence] = field(default_factory=list)
    shape: str = "raw"  # raw | tokenized-lowercase
    docs: list[Any] = field(default_factory=list)  # spaCy Doc per sentence
    actors: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    lead_date: tuple[date, str] | None = None
    focus_country: str | None = None  # ISO3 of the country the article is mostly about

    def as_records(self) -> list[dict[str, Any]]:
        return [event.to_dict() for event in self.events]


def events_to_frame(events: list[Event]) -> Any:
    """Events as a pandas DataFrame with nested objects flattened (``actor1.name`` …)."""
    import pandas as pd

    return pd.json_normalize([event.to_dict() for event in events])


__all__ = [
    "DATE_PRECISIONS",
    "EVENT_STATUSES",
    "PLOVER_TYPES",
    "Actor",
    "ActorMention",
    "Analysis",
    "Article",
    "Event",
    "Evidence",
    "Location",
    "PlaceMention",
    "Sentence",
    "Span",
    "events_to_frame",
]  # fmt: skip
