"""Lowercased input must not collapse actor, place or event recognition.

The same articles run twice: cased, and in research shape (``to_research_shape``: lowercased,
tokenized, a sentence a line, apostrophes dropped). Spans found on the research shape are mapped
back to the cased text through the offsets list, so both runs are compared on the same characters.

- Places: recall against GeoWebNews gold (literal types, as in ``geoparse.py``) in both shapes,
  overlap match as the headline (exact match alongside), and lower/cased ratio.
- Actors: the cased run's actor mentions are the reference; one counts as recovered when the
  lowercased run has a mention overlapping it with the same canonical name (surface name,
  case-folded, when either has none).
- Events: the cased run's events are the reference; one counts as recovered when the lowercased
  run has an event of the same PLOVER type whose sentence overlaps the cased event's sentence.
- Matching is one-to-one: each lowercased mention recovers at most one reference mention.

Corpus: GeoWebNews texts (``--limit``) plus warmonitor/data/samples/articles.jsonl when present.

    .venv/bin/python bench/casing.py [--limit N]
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from _common import (
    GWN_LITERAL_TYPES,
    GWN_NONLITERAL_TOPONYM_TYPES,
    PRF,
    GeoDoc,
    Interval,
    emit_json,
    haversine_km,
    load_gwn,
    load_pipeline,
    load_sample_articles,
    map_span_back,
    match_spans,
    overlap,
    print_table,
    ratio,
    report_errors,
    run_pipeline,
    say,
    shape_article,
)

if TYPE_CHECKING:
    from warmonitor.model import Analysis, Article

DEFAULT_LIMIT = 100



# --- the pipeline's place mentions against the gold (shared with the cased/lowercased comparison)

@dataclass(slots=True)
class PredictedPlace:
    """A recognised place: span in the cased original text and resolved coordinates."""

    start: int
    end: int
    lat: float | None
    lon: float | None


@dataclass(slots=True)
class GeoScore:
    """Running recognition and resolution tallies for one dataset and shape."""

    exact: PRF = field(default_factory=PRF)
    loose: PRF = field(default_factory=PRF)
    ignored: int = 0  # predictions on annotated non-literal toponyms (GWN only)
    errors_km: list[float] = field(default_factory=list)
    gold_with_coords: int = 0
    unmapped: int = 0  # lowercased predictions whose span maps to no original character


def counted_gold(doc: GeoDoc, dataset: str) -> list[Any]:
    """The gold toponyms that recognition is scored against."""
    if dataset == "gwn":
        return [t for t in doc.toponyms if t.type in GWN_LITERAL_TYPES]
    return list(doc.toponyms)


def predicted_places(analysis: Analysis, offsets: list[int] | None, score: GeoScore) -> list[PredictedPlace]:
    """Place mentions as cased-text spans, one per span."""
    seen: dict[Interval, PredictedPlace] = {}
    for mention in analysis.places:
        location = mention.location
        span: Interval | None = (location.span.start, location.span.end)
        if offsets is not None:
            span = map_span_back(span[0], span[1], offsets)
            if span is None:
                score.unmapped += 1
                continue
        if span not in seen:
            seen[span] = PredictedPlace(span[0], span[1], location.lat, location.lon)
    return sorted(seen.values(), key=lambda p: (p.start, p.end))


def score_doc(doc: GeoDoc, dataset: str, predictions: list[PredictedPlace], score: GeoScore) -> None:
    """Add one article's recognition and resolution figures to ``score``."""
    gold = counted_gold(doc, dataset)
    gold_spans = [(t.start, t.end) for t in gold]
    pred_spans = [(p.start, p.end) for p in predictions]
    exact = match_spans(gold_spans, pred_spans, "exact")
    loose = match_spans(gold_spans, pred_spans, "overlap")
    score.exact.add(len(exact), len(pred_spans) - len(exact), len(gold_spans) - len(exact))
    score.loose.add(len(loose), len(pred_spans) - len(loose), len(gold_spans) - len(loose))
    if dataset == "gwn":
        matched = {pi for _, pi in loose}
        others = [(t.start, t.end) for t in doc.toponyms if t.type in GWN_NONLITERAL_TOPONYM_TYPES]
        score.ignored += sum(
            1
            for pi, span in enumerate(pred_spans)
            if pi not in matched and any(overlap(span, o) for o in others)
        )
    score.gold_with_coords += sum(1 for t in gold if t.lat is not None and t.lon is not None)
    for gi, pi in loose:
        toponym, place = gold[gi], predictions[pi]
        if toponym.lat is None or toponym.lon is None or place.lat is None or place.lon is None:
            continue
        score.errors_km.append(haversine_km(toponym.lat, toponym.lon, place.lat, place.lon))



@dataclass(slots=True)
class Mention:
    """Something recognised, as a span of the cased text plus the key it must agree on."""

    span: Interval
    key: str


@dataclass(slots=True)
class Recovery:
    """How many reference (cased) mentions the lowercased run recovered, per corpus part."""

    cased: Counter[str] = field(default_factory=Counter)
    lower: Counter[str] = field(default_factory=Counter)
    recovered: Counter[str] = field(default_factory=Counter)

    def add(self, part: str, cased: list[Mention], lower: list[Mention]) -> None:
        self.cased[part] += len(cased)
        self.lower[part] += len(lower)
        used: set[int] = set()
        for ref in cased:  # one-to-one: each lowercased mention recovers at most one reference
            match = next(
                (
                    i
                    for i, m in enumerate(lower)
                    if i not in used and m.key == ref.key and overlap(m.span, ref.span)
                ),
                None,
            )
            if match is not None:
                used.add(match)
                self.recovered[part] += 1

    def total(self, counter: Counter[str]) -> int:
        return sum(counter.values())


def _mapped(span: Interval, offsets: list[int] | None) -> Interval | None:
    return span if offsets is None else map_span_back(span[0], span[1], offsets)


def actor_mentions(analysis: Analysis, offsets: list[int] | None) -> list[Mention]:
    """Actor mentions keyed by canonical name (case-folded surface name when there is none)."""
    out: list[Mention] = []
    for mention in analysis.actors:
        actor = mention.actor
        span = _mapped((actor.span.start, actor.span.end), offsets)
        if span is not None:
            out.append(Mention(span, (actor.canonical or actor.name).casefold()))
    return out


def event_mentions(analysis: Analysis, offsets: list[int] | None) -> list[Mention]:
    """Events keyed by PLOVER type, placed on their sentence's span."""
    out: list[Mention] = []
    sentences = {sentence.index: sentence.span for sentence in analysis.sentences}
    for event in analysis.events:
        sentence_span = sentences.get(event.sentence_index, event.span)
        span = _mapped((sentence_span.start, sentence_span.end), offsets)
        if span is not None:
            out.append(Mention(span, event.plover_type))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="GeoWebNews articles (0 = all)")
    args = parser.parse_args()
    from warmonitor.model import Article

    docs = load_gwn(args.limit or None)
    samples = load_sample_articles()
    say(f"corpus: {len(docs)} GeoWebNews articles + {len(samples)} project samples")
    cased: list[Article] = [Article(text=d.text, published=d.published, origin=d.doc_id) for d in docs]
    cased += samples
    parts = ["gwn"] * len(docs) + ["samples"] * len(samples)
    shaped_pairs = [shape_article(article) for article in cased]
    lowered = [pair[0] for pair in shaped_pairs]

    pipe = load_pipeline()
    run_cased = run_pipeline(pipe, cased, label="cased")
    run_lower = run_pipeline(pipe, lowered, label="lowercased")
    errors = run_cased.errors + run_lower.errors
    report_errors(errors)

    places = {"cased": GeoScore(), "lower": GeoScore()}
    actors, events = Recovery(), Recovery()
    compared = 0
    for index, part in enumerate(parts):
        a_cased, a_lower = run_cased.analyses[index], run_lower.analyses[index]
        if a_cased is None or a_lower is None:
            continue  # counted as an error above; compare only articles both runs analysed
        compared += 1
        offsets = shaped_pairs[index][1]
        if part == "gwn":
            doc = docs[index]
            score_doc(doc, "gwn", predicted_places(a_cased, None, places["cased"]), places["cased"])
            score_doc(doc, "gwn", predicted_places(a_lower, offsets, places["lower"]), places["lower"])
        actors.add(part, actor_mentions(a_cased, None), actor_mentions(a_lower, offsets))
        events.add(part, event_mentions(a_cased, None), event_mentions(a_lower, offsets))

    rec_cased, rec_lower = places["cased"].loose.r, places["lower"].loose.r
    say()
    print_table(
        ["places vs GWN gold", "recall (overlap)", "recall (exact)", "predicted", "gold"],
        [
            [
                shape,
                score.loose.r,
                score.exact.r,
                score.loose.tp + score.loose.fp,
                score.loose.tp + score.loose.fn,
            ]
            for shape, score in places.items()
        ],
    )
    say(f"lower/cased recall ratio: {ratio(rec_lower, rec_cased)}")
    say()
    rows = []
    for name, rec in (("actors", actors), ("events", events)):
        for part in sorted(set(parts)):
            share = ratio(rec.recovered[part], rec.cased[part])
            rows.append([f"{name} / {part}", rec.cased[part], rec.lower[part], rec.recovered[part], share])
    print_table(["reference = cased run", "cased", "lowercased", "recovered", "recovery"], rows)

    figures: dict[str, Any] = {
        "places_recall_cased": round(rec_cased, 4),
        "places_recall_lower": round(rec_lower, 4),
        "places_recall_ratio": ratio(rec_lower, rec_cased),
        "places_recall_exact_cased": round(places["cased"].exact.r, 4),
        "places_recall_exact_lower": round(places["lower"].exact.r, 4),
        "actors_cased": actors.total(actors.cased),
        "actors_lower": actors.total(actors.lower),
        "actors_lower_recovered": actors.total(actors.recovered),
        "actor_recovery": ratio(actors.total(actors.recovered), actors.total(actors.cased)),
        "events_cased": events.total(events.cased),
        "events_lower": events.total(events.lower),
        "events_lower_recovered": events.total(events.recovered),
        "event_recovery": ratio(events.total(events.recovered), events.total(events.cased)),
        "articles": compared,
        "errors": len(errors),
    }
    emit_json(figures)


if __name__ == "__main__":
    main()
