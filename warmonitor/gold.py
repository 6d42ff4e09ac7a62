"""Gold event files and per-field scores: what ``warmonitor evaluate GOLD.jsonl`` reads and prints.

A gold file has one article per line, with every event it reports::

    {"id": "drc-goma", "title": "...", "published": "2024-02-07", "source": "Example Wire",
     "text": "GOMA (Example Wire) - ...",
     "events": [{"sentence": "M23 rebels shelled army positions near Sake",  # words of its sentence
                 "trigger": "shelled", "plover_type": "ASSAULT",
                 "acled_sub_event_type": "Shelling/artillery/missile attack",
                 "actor1": "M23", "actor2": "army",
                 "place": {"name": "Sake", "lat": -1.57, "lon": 29.04},
                 "date": "2024-02-06", "status": "occurred", "fatalities": 4}],
     "non_events": [{"sentence": "more than 7 million people have fled", "kind": "statistics"}]}

``events`` must list every event (a predicted event that matches none is a false positive);
``sentence`` is any run of words of the event's sentence; null fields are not scored. A predicted
event matches a gold one when its sentence contains the gold words (compared without case,
punctuation or accents, so the lowercased shapes match too), preferring the same trigger, then the
same PLOVER type; each predicted event matches at most one gold event.

Per field, precision is right values over predicted events that have a value, recall right values
over gold events that have one. ``place`` is right within 25 km; actors when one name contains the
other (or the canonical name contains the gold words).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from warmonitor.errors import BadArticle, WarmonitorError
from warmonitor.gazetteer import distance_km
from warmonitor.lexicon import fold
from warmonitor.model import PLOVER_TYPES, Actor, Article, Event, Location, Status
from warmonitor.pipeline import Pipeline
from warmonitor.scores import FieldScore
from warmonitor.stages.text import to_research_shape

NEAR_KM = 25.0
FIELDS = ("detection", "plover_type", "acled_sub_event_type", "actor1", "actor2", "place", "date", "status",
          "fatalities")
SHAPES = ("cased", "lowercase")


class GoldError(WarmonitorError):
    """A gold file that does not follow the format, with its line."""

    code = "W303"


@dataclass(frozen=True, slots=True)
class GoldPlace:
    name: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class GoldEvent:
    sentence: str
    trigger: str | None
    plover_type: str
    acled_sub_event_type: str | None
    actor1: str | None
    actor2: str | None
    place: GoldPlace | None
    date: date | None
    status: str | None
    fatalities: int | None


@dataclass(frozen=True, slots=True)
class GoldArticle:
    id: str
    text: str
    published: date | None
    title: str | None
    source: str | None
    events: tuple[GoldEvent, ...]
    non_events: tuple[str, ...]


def _key(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", fold(text))) + " "


def _event(raw: Any, text: str) -> GoldEvent:
    if not isinstance(raw, dict):
        raise GoldError("an event must be an object")
    sentence = raw.get("sentence")
    if not isinstance(sentence, str) or _key(sentence) not in _key(text):
        raise GoldError(f"event sentence {sentence!r} is not in the text")
    if raw.get("plover_type") not in PLOVER_TYPES:
        raise GoldError(f"unknown plover_type {raw.get('plover_type')!r}")
    status = raw.get("status")
    if status is not None and status not in {s.value for s in Status}:
        raise GoldError(f"unknown status {status!r}")
    place = raw.get("place")
    gold_place = None
    if place is not None:
        try:
            gold_place = GoldPlace(str(place["name"]), float(place["lat"]), float(place["lon"]))
        except (KeyError, TypeError, ValueError) as error:
            raise GoldError(f"place needs name, lat and lon: {place!r}") from error
    deaths = raw.get("fatalities")
    if deaths is not None and not isinstance(deaths, int):
        raise GoldError("fatalities must be a whole number or null")
    when = raw.get("date")
    try:
        event_date = date.fromisoformat(when) if when else None
    except ValueError as error:
        raise GoldError(f"date {when!r} is not YYYY-MM-DD") from error
    return GoldEvent(sentence, raw.get("trigger"), raw["plover_type"], raw.get("acled_sub_event_type"),
                     raw.get("actor1"), raw.get("actor2"), gold_place, event_date, status, deaths)


def read_gold(path: Path) -> list[GoldArticle]:
    """Every article of a gold file; a bad line raises :class:`GoldError` naming it."""
    articles: list[GoldArticle] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise GoldError(f"cannot read {path}: {error}") from error
    except UnicodeDecodeError as error:
        raise GoldError(f"{path}: not UTF-8 text (byte {error.start})") from error
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            text = row["text"]
            published = date.fromisoformat(row["published"]) if row.get("published") else None
            events = tuple(_event(raw, text) for raw in row.get("events", []))
            non_events = tuple(str(item["sentence"]) for item in row.get("non_events", []))
            articles.append(GoldArticle(str(row["id"]), text, published, row.get("title"), row.get("source"),
                                        events, non_events))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, GoldError) as error:
            reason = f"missing {error}" if isinstance(error, KeyError) else str(error.args[0] if error.args else error)
            raise GoldError(f"{path}:{number}: {reason}") from error
    return articles


# --- scoring ---------------------------------------------------------------------------------------


@dataclass
class GoldReport:
    shape: str
    articles: int = 0
    fields: dict[str, FieldScore] = field(default_factory=lambda: {name: FieldScore() for name in FIELDS})
    non_event_sentences: int = 0
    false_alarms: int = 0  # predicted events in sentences the gold says report none
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"shape": self.shape, "articles": self.articles,
                "fields": {name: score.as_dict() for name, score in self.fields.items()},
                "non_event_sentences": self.non_event_sentences, "false_alarms": self.false_alarms,
                "errors": self.errors}


def actor_matches(actor: Actor, wanted: str) -> bool:
    gold, name, canonical = _key(wanted), _key(actor.name), _key(actor.canonical or "")
    return gold.strip() != "" and (gold in name or name in gold or gold in canonical)


def place_matches(location: Location, wanted: GoldPlace) -> bool:
    return distance_km(location.lat, location.lon, wanted.lat, wanted.lon) <= NEAR_KM


def _values(event: Event) -> dict[str, Any]:
    return {"plover_type": event.plover_type, "acled_sub_event_type": event.acled_sub_event_type,
            "actor1": event.actor1, "actor2": event.actor2, "place": event.location, "date": event.date,
            "status": event.status, "fatalities": event.fatalities}


def _right(name: str, predicted: Any, gold: Any) -> bool:
    if name in {"actor1", "actor2"}:
        return actor_matches(predicted, gold)
    if name == "place":
        return place_matches(predicted, gold)
    return bool(predicted == gold)


def match(events: list[Event], gold: Iterable[GoldEvent]) -> list[tuple[GoldEvent, Event | None]]:
    """Each gold event with the predicted event it matches, if any (each predicted one used once)."""
    free = list(events)
    pairs: list[tuple[GoldEvent, Event | None]] = []
    for wanted in gold:
        words = _key(wanted.sentence)
        same_sentence = [e for e in free if words in _key(e.sentence)]

        def preference(event: Event, wanted: GoldEvent = wanted) -> tuple[bool, bool]:
            trigger = wanted.trigger is not None and _key(event.trigger) == _key(wanted.trigger)
            return (trigger, event.plover_type == wanted.plover_type)

        chosen: Event | None = max(same_sentence, key=preference) if same_sentence else None
        if chosen is not None:
            free.remove(chosen)
        pairs.append((wanted, chosen))
    return pairs


def _gold_values(wanted: GoldEvent) -> dict[str, Any]:
    return {"plover_type": wanted.plover_type, "acled_sub_event_type": wanted.acled_sub_event_type,
            "actor1": wanted.actor1, "actor2": wanted.actor2, "place": wanted.place, "date": wanted.date,
            "status": wanted.status, "fatalities": wanted.fatalities}


def score_article(report: GoldReport, article: GoldArticle, events: list[Event]) -> None:
    report.articles += 1
    fields = report.fields
    fields["detection"].gold += len(article.events)
    fields["detection"].predicted += len(events)
    pairs = match(events, article.events)
    gold_of = {id(event): wanted for wanted, event in pairs if event is not None}
    for event in events:
        wanted_values = _gold_values(gold_of[id(event)]) if id(event) in gold_of else None
        for name, value in _values(event).items():
            # A matched event's field the gold leaves null is not scored, for precision either.
            unscored = wanted_values is not None and wanted_values[name] is None
            fields[name].predicted += value is not None and not unscored
    for wanted, paired in pairs:
        gold_values = _gold_values(wanted)
        for name, value in gold_values.items():
            fields[name].gold += value is not None
        if paired is None:
            continue
        fields["detection"].right += 1
        predicted = _values(paired)
        for name, value in gold_values.items():
            if value is not None and predicted[name] is not None:
                fields[name].right += _right(name, predicted[name], value)
    for sentence in article.non_events:
        report.non_event_sentences += 1
        words = _key(sentence)
        report.false_alarms += sum(words in _key(event.sentence) for event in events)


def evaluate(pipeline: Pipeline, articles: list[GoldArticle], shape: str = "cased") -> GoldReport:
    """Run the pipeline over the gold articles (``cased`` as written, or ``lowercase``: rendered
    lowercased and tokenized, one sentence per line) and score every field."""
    report = GoldReport(shape)
    inputs = [Article(text=to_research_shape(a.text)[0] if shape == "lowercase" else a.text, published=a.published,
                      title=a.title, source=a.source, origin=a.id) for a in articles]
    for article, result in zip(articles, pipeline.analyze_many(inputs), strict=True):
        if isinstance(result, BadArticle):
            report.errors.append(f"{article.id}: {result.reason}")
            score_article(report, article, [])
        else:
            score_article(report, article, result.events)
    return report


def format_table(reports: list[GoldReport]) -> str:
    lines = []
    for report in reports:
        lines.append(f"{report.shape}: {report.articles} articles, {report.fields['detection'].gold} gold events; "
                     f"{report.false_alarms} events in {report.non_event_sentences} non-event sentences")
        lines.append(f"  {'field':<22}{'precision':>10}{'recall':>8}{'F1':>7}{'gold':>7}{'predicted':>11}")
        for name, score in report.fields.items():
            lines.append(f"  {name:<22}{score.precision:>10.3f}{score.recall:>8.3f}{score.f1:>7.3f}"
                         f"{score.gold:>7}{score.predicted:>11}")
        lines.extend(f"  error {error}" for error in report.errors)
    return "\n".join(lines)
