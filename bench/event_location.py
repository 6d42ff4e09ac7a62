"""Event-location linking on Halterman's agency sentences (../shared/datasets/event-location).

Every record flags one event verb and, if the sentence names the place of that event, the place too.
For every record the sentence runs through warmonitor (text, parse, actors, places; every sentence
parsed, since the gold names the event verb), and ``warmonitor.stages.places.place_of`` (the
learned linker) picks the place of the marked verb, exactly as the events stage does for a coded
event. The linker is trained on the records other than the adjudicated ones (``warmonitor train
linker``): ``--gold-only`` scores only the adjudicated RELABEL records, which it never saw; without
it, most records are its training data.

Scored as in the dataset's README: a predicted place is right when its span overlaps the gold
LOCATION span; precision over records where warmonitor names a place, recall over records that
have a gold place. Records whose gold place warmonitor never recognised as a toponym are counted
apart, so linking errors and recognition errors can be told apart.

Run: .venv/bin/python bench/event_location.py [--limit N] [--gold-only] [--lowercase]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

from _common import emit_json, every_kth, load_pipeline, say, shared_path

from warmonitor.classify.train_linker import spans
from warmonitor.model import Analysis, Article


def _records(limit: int | None, gold_only: bool) -> list[dict[str, Any]]:
    path = shared_path("datasets", "event-location", "labeled_text.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [row for row in rows if row.get("answer", "accept") == "accept"]
    if gold_only:
        rows = [row for row in rows if row.get("source") == "RELABEL"]
    return every_kth(rows, limit)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--limit", type=int, default=1500, help="records (every k-th); default 1500")
    parser.add_argument("--gold-only", action="store_true", help="only the adjudicated RELABEL records")
    parser.add_argument("--lowercase", action="store_true", help="lowercase the sentences first")
    args = parser.parse_args()

    from warmonitor.classify.train_linker import event_word
    from warmonitor.stages.places import place_of

    # Every sentence is parsed (parse_gate 0): the gold marks the event verb, so whether the event
    # classifier would have let its sentence through is not what this bench measures.
    pipe = load_pipeline(parse_gate=0.0)
    rows = _records(args.limit, args.gold_only)
    say(f"{len(rows)} records")
    started = time.perf_counter()
    predicted = correct = with_gold = unrecognised = errors = 0
    analyses = pipe.analyze_many(Article(text=row["text"].lower() if args.lowercase else row["text"],
                                         origin=str(row.get("_id"))) for row in rows)
    for row, analysis in zip(rows, analyses, strict=True):
        if not isinstance(analysis, Analysis) or not analysis.sentences:
            errors += 1
            continue
        verbs = spans(row, "VERB")
        gold = spans(row, "LOCATION")
        with_gold += bool(gold)
        if not verbs:
            continue
        word = event_word(analysis, verbs[0][0])
        found = place_of(analysis, word[0], word[1], pipe.resources.linker) if word is not None else None
        if gold and not any(m.location.span.start < g_end and g_start < m.location.span.end
                            for m in analysis.places for g_start, g_end in gold):
            unrecognised += 1
        if found is None:
            continue
        predicted += 1
        span = found.mention.location.span
        correct += any(span.start < g_end and g_start < span.end for g_start, g_end in gold)
    seconds = time.perf_counter() - started
    precision = correct / predicted if predicted else 0.0
    recall = correct / with_gold if with_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    linkable = with_gold - unrecognised
    say(f"records {len(rows)}, with a gold place {with_gold}, gold place not recognised as a toponym {unrecognised}")
    say(f"predicted {predicted}, correct {correct}: P {precision:.3f}  R {recall:.3f}  F1 {f1:.3f}")
    say(f"recall where the gold place was recognised: {correct / linkable if linkable else 0.0:.3f}  ({seconds:.1f}s)")
    emit_json({
        "records": len(rows), "with_gold": with_gold, "predicted": predicted, "correct": correct,
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
        "recall_when_recognised": round(correct / linkable, 4) if linkable else None,
        "gold_not_recognised": unrecognised, "errors": errors, "seconds": round(seconds, 1),
        "shape": "lowercased" if args.lowercase else "as written", "adjudicated_only": args.gold_only,
    })


if __name__ == "__main__":
    main()
