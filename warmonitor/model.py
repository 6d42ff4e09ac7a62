"""The one data model every stage reads and writes.

An :class:`Article` enters the pipeline; each stage fills more of its :class:`Analysis`
(sentences, actor and place mentions, events). Every coded field keeps a :class:`Span` into the
article's original text so a user can ask why it was coded so.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)  # fmt: skip


class Status(StrEnum):
    """Whether an event happened: the one status type every stage and output uses."""

    OCCURRED = "occurred"
    ONGOING = "ongoing"
    PLANNED = "planned"  # announced, vowed, forecast
    NEGATED = "negated"  # denied, "did not"
    HYPOTHETICAL = "hypothetical"  # "could", "if", allegations

    @property
    def is_fact(self) -> bool:
        """Reported as having happened (or happening)."""
        return self in {Status.OCCURRED, Status.ONGOING}


class DatePrecision(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


EVENT_STATUSES: tuple[str, ...] = tuple(status.value for status in Status)
DATE_PRECISIONS: tuple[str, ...] = tuple(precision.value for precision in DatePrecision)


class ActorSource(StrEnum):
    """How an actor was found in the text."""

    NAMED = "named"  # an alias in actors.csv
    AGENT = "agent"  # a generic agent in agents.csv ("government forces")
    COUNTRY = "country"  # a country name standing as an actor
    CAPITAL = "capital"  # a capital standing for its government
    PERSON = "person"  # a person the NER found and no dictionary knows
    ORGANISATION = "organisation"  # an organisation the NER found and no dictionary knows, typed by its head word
    IMPLIED = "implied"  # not written; implied by the event ("were arrested" → police)


class CountrySource(StrEnum):
    """Where an actor's country came from. ARTICLE and EVENT_PLACE are guesses, not readings."""

    NONE = "none"  # no country (transnational group, or unknown)
    DICTIONARY = "dictionary"  # the dictionary row
    WRITTEN = "written"  # a nationality or country written before the actor
    TITLE = "title"  # the titled office before a person ("Israeli Defence Minister ...")
    ARTICLE = "article"  # the article's main country
    EVENT_PLACE = "event_place"  # the country where the event happened
    BACKER = "backer"  # "U.S.-backed forces": the written country is the backer's, so left open

    @property
    def guessed(self) -> bool:
        return self in {CountrySource.ARTICLE, CountrySource.EVENT_PLACE}


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


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the learned event classifier says about one sentence: how likely it reports a concrete
    event, and its likeliest classes (ACLED sub-types, or "PLOVER:<type>" for PLOVER-only events)."""

    event_probability: float
    ranked: tuple[tuple[str, float], ...]  # typer classes, most likely first (top 3)
    model: str  # the typer's name, for provenance
    family_probability: float = 0.0  # of the top class's ACLED event type (all its sub-types together)
    violence_probability: float = 0.0  # of any violent act: the classes PLOVER calls ASSAULT, and riots

    @property
    def label(self) -> str:
        return self.ranked[0][0]

    @property
    def label_probability(self) -> float:
        return self.ranked[0][1]

    @property
    def acled_sub_event_type(self) -> str | None:
        return None if self.label.startswith("PLOVER:") else self.label


@dataclass(slots=True)
class Sentence:
    """A sentence: its readable text and where it sits in the original article."""

    index: int
    text: str  # readable (detokenized) text
    span: Span  # offsets in the original article text
    offsets: list[int]  # offsets[i] = original offset of readable character i
    is_dateline: bool = False
    verdict: Verdict | None = None  # the classifier's, when one ran
    paragraph: int = 0  # which paragraph of the article it is in (blank lines, or line breaks in lowercased prose)

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
    found_by: ActorSource = ActorSource.NAMED
    entry: str | None = None  # the dictionary alias or phrase matched, or the title / event word
    country_from: CountrySource = CountrySource.NONE
    country_words: str | None = None  # the words that gave the country, when written

    @property
    def rule(self) -> str:
        """How this actor was found and resolved, in words (generated from the typed fields)."""
        how = {
            ActorSource.NAMED: f"actors.csv: {self.entry} → {self.canonical}",
            ActorSource.AGENT: f"agents.csv: {self.entry}",
            ActorSource.COUNTRY: f"gazetteer country {self.canonical} as actor",
            ActorSource.CAPITAL: f"capital '{self.entry}' for its government",
            ActorSource.PERSON: "spaCy NER PERSON" + (f" with title '{self.entry}'" if self.entry else ""),
            ActorSource.ORGANISATION: f"spaCy NER ORG, head word '{self.entry}'",
            ActorSource.IMPLIED: f"implied by {self.entry}",
        }[self.found_by]
        country = {
            CountrySource.WRITTEN: f"; country {self.country} from '{self.country_words}'",
            CountrySource.ARTICLE: f"; country {self.country} from the article's main country",
            CountrySource.EVENT_PLACE: f"; country {self.country} from where the event happened",
            CountrySource.BACKER: "; backed by another state: country left open",
        }.get(self.country_from, "")
        return how + country

    def to_dict(self) -> dict[str, Any]:
        from warmonitor.record import actor_record

        return actor_record(self)


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
    feature: str = "city"  # city | admin1 | country | region | water
    gazetteer_key: str = ""  # the folded name looked up
    candidates: int = 1  # same-named gazetteer entries it was chosen from
    fallback: bool = False  # True: not written in the event's clause; the article's main place
    # Why this candidate won: (signal, weight) pairs of warmonitor.geo.resolve.Signal values.
    signals: tuple[tuple[str, float], ...] = ()
    admin2: str | None = None  # second-level region (county, district), where the gazetteer knows it

    @property
    def rule(self) -> str:
        """How the place was resolved, in words (generated from the typed fields)."""
        if not self.gazetteer_key:  # a place the text names that the gazetteer lacks
            return f"'{self.name}': " + "; ".join(signal for signal, _ in self.signals)
        strongest = sorted((pair for pair in self.signals if abs(pair[1]) >= 0.05), key=lambda pair: -abs(pair[1]))[:4]
        why = "".join(f", {signal} {weight:+.1f}" for signal, weight in strongest)
        return (f"gazetteer '{self.gazetteer_key}' → {self.canonical} ({self.feature}, {self.country}); "
                f"{self.candidates} candidate(s){why}")

    def to_dict(self) -> dict[str, Any]:
        from warmonitor.record import location_record

        return location_record(self)


@dataclass(slots=True)
class Toponym:
    """A place name found in (or given for) a text, and where it is: the geoparser's result."""

    name: str  # the words as written
    span: Span
    canonical: str
    geonames_id: int | None
    lat: float
    lon: float
    country: str | None  # ISO 3166 alpha-2
    admin1: str | None
    feature: str  # populated place (city), admin1, admin2, country, continent, region, water, airport
    score: float
    reason: str  # the resolution's signals in words
    adjectival: bool = False  # a demonym ("Syrian"): names a country, never an event's place alone
    # A name the gazetteer lacks (a street, a building), given by the caller's span, placed at the
    # article's focus: where the text's other places say it is, at that place's precision.
    at_focus: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "span": self.span.to_list(), "canonical": self.canonical,
                "geonames_id": self.geonames_id, "lat": self.lat, "lon": self.lon, "country": self.country,
                "admin1": self.admin1, "feature": self.feature, "score": round(self.score, 3),
                "reason": self.reason, "adjectival": self.adjectival, "at_focus": self.at_focus}


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
    status: Status = Status.OCCURRED
    date: date | None = None
    date_precision: DatePrecision = DatePrecision.UNKNOWN
    actor1: Actor | None = None
    actor2: Actor | None = None
    actor1_associates: list[Actor] = field(default_factory=list)  # "with the help of", "backed by"
    location: Location | None = None
    attribution: str | None = None
    attribution_span: Span | None = None
    fatalities: int | None = None
    toll_is_vague: bool = False  # "dozens", "hundreds": a count by convention, not a report
    confidence: float = 0.5
    evidence: list[Evidence] = field(default_factory=list)
    # The trigger's token in the sentence's parse and its offset in the readable sentence:
    # later stages start from these instead of searching for the trigger again.
    trigger_token: int = 0
    trigger_offset: int = 0

    @property
    def id(self) -> str:
        key = f"{self.article_id}:{self.trigger_span.start}:{self.trigger_span.end}:{self.plover_type}"
        return hashlib.sha1(key.encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        from warmonitor.record import event_record

        return event_record(self)

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
    shape: str = "raw"  # raw | tokenized-lowercase | lowercase-prose
    docs: list[Any] = field(default_factory=list)  # spaCy Doc per sentence
    actors: list[ActorMention] = field(default_factory=list)
    places: list[PlaceMention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    lead_date: tuple[date, str] | None = None
    focus_country: str | None = None  # ISO3 of the country the article is mostly about

    def as_records(self) -> list[dict[str, Any]]:
        return [event.to_dict() for event in self.events]


@dataclass(frozen=True, slots=True)
class StoredSentence:
    """A sentence as the store keeps it: its index, readable text and span in the article."""

    index: int
    text: str
    start: int
    end: int


@dataclass(slots=True)
class CodedArticle:
    """An analysed article reduced to what the store keeps, in plain values: cheap to send between
    processes and machines, and written to Parquet by batch runs. ``records`` are the events'
    public records (:meth:`Event.to_dict`) and ``evidence`` each event's evidence, in the same order."""

    article: Article
    shape: str
    sentences: list[StoredSentence]
    records: list[dict[str, Any]]
    evidence: list[list[dict[str, Any]]]

    @classmethod
    def of(cls, analysis: Analysis | CodedArticle) -> CodedArticle:
        """The analysis in plain values (an article coded already is returned as it is)."""
        if isinstance(analysis, CodedArticle):
            return analysis
        return cls(
            analysis.article, analysis.shape,
            [StoredSentence(s.index, s.text, s.span.start, s.span.end) for s in analysis.sentences],
            [event.to_dict() for event in analysis.events],
            [[item.to_dict() for item in event.evidence] for event in analysis.events],
        )


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
    "ActorSource",
    "Analysis",
    "Article",
    "CodedArticle",
    "CountrySource",
    "DatePrecision",
    "Event",
    "Evidence",
    "Location",
    "PlaceMention",
    "Sentence",
    "Span",
    "Status",
    "StoredSentence",
    "events_to_frame",
]  # fmt: skip
