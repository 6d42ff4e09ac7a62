"""Scoring against gold: the golden gate over the project's own sample articles.

The gate's expectations (``data/golden/expectations.json``) say, per sample article, which events
must be found (sentence, PLOVER type and expected fields) and which must not ("no event located at
the dateline", "no ASSAULT in this sentence"). Each is checked on the cased article and on its
lowercased, tokenized rendering. ``bench/golden.py`` prints the figures; ``tests/test_evaluate.py``
pins floors on them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warmonitor.ingest import parse_date
from warmonitor.lexicon import fold
from warmonitor.model import Analysis, Article, Event
from warmonitor.pipeline import Pipeline
from warmonitor.stages.text import to_research_shape

DATA = Path(__file__).parent / "data"
SAMPLES = DATA / "samples" / "articles.jsonl"
EXPECTATIONS = DATA / "golden" / "expectations.json"


FIELDS = ("actor1_country", "actor2_country", "location_contains", "date", "status", "attribution_contains")


@dataclass
class Score:
    expected: int = 0
    detected: int = 0  # an event of the expected type in the expected sentence
    complete: int = 0  # ... with every expected field right
    field_right: dict[str, int] = field(default_factory=dict)
    field_total: dict[str, int] = field(default_factory=dict)
    forbidden: int = 0
    violations: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def detection(self) -> float:
        return self.detected / self.expected if self.expected else 1.0

    @property
    def exact(self) -> float:
        return self.complete / self.expected if self.expected else 1.0

    def field_accuracy(self, name: str) -> float:
        total = self.field_total.get(name, 0)
        return self.field_right.get(name, 0) / total if total else 1.0

    def figures(self) -> dict[str, float]:
        figures = {"detection": self.detection, "exact": self.exact}
        figures.update({name: self.field_accuracy(name) for name in FIELDS})
        figures["violations"] = float(self.violations)
        return {key: round(value, 3) for key, value in figures.items()}


def load() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    articles = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    expectations = json.loads(EXPECTATIONS.read_text(encoding="utf-8"))
    return articles, expectations


def _sentence_has(event: Event, needle: str) -> bool:
    wanted = fold(needle)
    texts = [event.sentence] + [e.text for e in event.evidence if e.field == "corroboration"]
    return any(wanted in fold(text) for text in texts)


def _place_is(event: Event, name: str) -> bool:
    if event.location is None:
        return False
    wanted = fold(name)
    return wanted in fold(event.location.canonical) or wanted in fold(event.location.name)


def field_ok(event: Event, name: str, wanted: Any) -> bool:
    if name in {"actor1_country", "actor2_country"}:
        actor = getattr(event, name.split("_")[0])
        return actor is not None and actor.country == wanted
    if name == "location_contains":
        return _place_is(event, wanted)
    if name == "date":
        return event.date is not None and event.date.isoformat() == wanted
    if name == "status":
        return event.status == wanted
    return fold(wanted) in fold(event.attribution or "")


def detected(event: Event, expected: dict[str, Any]) -> bool:
    return _sentence_has(event, expected["sentence_contains"]) and event.plover_type == expected["plover_type"]


def matches(event: Event, expected: dict[str, Any]) -> bool:
    return detected(event, expected) and all(
        field_ok(event, name, expected[name]) for name in FIELDS if name in expected)


def violates(events: list[Event], rule: dict[str, Any]) -> bool:
    if "located_at" in rule:  # no event may be placed there (a dateline, a launch point)
        return any(_place_is(e, rule["located_at"]) for e in events)
    chosen = [e for e in events if _sentence_has(e, rule["sentence_contains"])
              and ("trigger" not in rule or e.trigger.lower() == rule["trigger"])]
    if "forbid_status" in rule and any(e.status in rule["forbid_status"] for e in chosen):
        return True
    return "forbid_plover_types" in rule and any(
        e.plover_type in rule["forbid_plover_types"] and e.status not in {"negated"} for e in chosen)


def score(pipeline: Pipeline, lowercase: bool) -> Score:
    articles, expectations = load()
    result = Score()
    for row in articles:
        text = to_research_shape(row["text"])[0] if lowercase else row["text"]
        analysis: Analysis = pipeline.analyze(Article(text=text, published=parse_date(row["date"]), origin=row["id"]))
        wanted = expectations.get(row["id"], {})
        for expected in wanted.get("must_find", []):
            result.expected += 1
            candidates = [event for event in analysis.events if detected(event, expected)]
            if not candidates:
                result.misses.append(f"{row['id']} NOT DETECTED: {expected['sentence_contains']}")
                continue
            result.detected += 1
            names = [name for name in FIELDS if name in expected]
            best = max(candidates, key=lambda e: sum(field_ok(e, n, expected[n]) for n in names))
            wrong = [n for n in names if not field_ok(best, n, expected[n])]
            result.complete += not wrong
            for name in names:
                result.field_total[name] = result.field_total.get(name, 0) + 1
                result.field_right[name] = result.field_right.get(name, 0) + (name not in wrong)
            if wrong:
                result.misses.append(f"{row['id']} WRONG {wrong}: {expected['sentence_contains']}")
        for rule in wanted.get("must_not_find", []):
            result.forbidden += 1
            if violates(analysis.events, rule):
                result.violations += 1
                result.misses.append(f"{row['id']} VIOLATION: {rule}")
    return result
