"""Toponym recognition and resolution on GeoWebNews and LGL.

Recognition: warmonitor's place mentions (``analysis.places``, spans in the original text) against
the gold toponyms. Precision/recall/F1 of exact span match, and of overlap match (one-to-one, spans
sharing at least one character). GeoWebNews gold = the literal types of Gritta et al.'s pragmatic
taxonomy: Literal, Literal_Modifier, Mixed, Coercion, Embedded_Literal. A prediction on another
annotated toponym (metonymy, demonym, non-literal modifier, ...) is a false positive in ``p`` and
ignored in ``p_lenient``. LGL gold = every annotated toponym.

Resolution: over gold toponyms with gold coordinates that an overlap-matched prediction recognised,
the great-circle error in km between gold and predicted coordinates: Acc@161 (share within 161 km),
mean and median error, and Gritta et al.'s AUC of log error (lower is better): with errors sorted
ascending, y_i = ln(e_i + 1) / ln(20039), AUC = trapezoid area under y on x evenly spaced in [0, 1].

``--lowercase`` runs each text through ``to_research_shape`` (lowercased, tokenized, a sentence a
line) and maps predicted spans back to the cased text's offsets, so the same gold is used.

    .venv/bin/python bench/geoparse.py [--dataset gwn|lgl|both] [--lowercase] [--limit N]
"""

from __future__ import annotations

import argparse
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
    load_lgl,
    load_pipeline,
    map_span_back,
    match_spans,
    overlap,
    print_table,
    ratio,
    report_errors,
    resolution_summary,
    run_pipeline,
    say,
    shape_article,
)

if TYPE_CHECKING:
    from warmonitor.model import Analysis, Article
    from warmonitor.pipeline import Pipeline

DEFAULT_LIMIT = 200  # per dataset; GWN has 200 articles, LGL 588 (every k-th is taken)


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


def articles_for(docs: list[GeoDoc], lowercase: bool) -> tuple[list[Article], list[list[int] | None]]:
    """The pipeline inputs (cased or research-shaped) and, when shaped, their offset maps."""
    from warmonitor.model import Article

    articles: list[Article] = []
    offset_maps: list[list[int] | None] = []
    for doc in docs:
        article = Article(text=doc.text, published=doc.published, origin=doc.doc_id)
        if lowercase:
            shaped, offsets = shape_article(article)
            articles.append(shaped)
            offset_maps.append(offsets)
        else:
            articles.append(article)
            offset_maps.append(None)
    return articles, offset_maps


def evaluate(pipe: Pipeline, dataset: str, limit: int | None, lowercase: bool) -> dict[str, Any]:
    """Run one dataset in one shape; return its figures."""
    docs = load_gwn(limit) if dataset == "gwn" else load_lgl(limit)
    shape = "lowercased" if lowercase else "cased"
    say(f"{dataset}: {len(docs)} articles, {shape}")
    articles, offset_maps = articles_for(docs, lowercase)
    run = run_pipeline(pipe, articles, label=dataset)
    report_errors(run.errors)
    score = GeoScore()
    scored = 0
    for doc, analysis, offsets in zip(docs, run.analyses, offset_maps, strict=True):
        if analysis is None:
            continue  # a failed article is reported as an error, not scored as all-missed
        scored += 1
        score_doc(doc, dataset, predicted_places(analysis, offsets, score), score)
    recognition = score.exact.to_dict()
    recognition["overlap"] = score.loose.to_dict()
    if dataset == "gwn":
        lenient_fp = score.exact.fp - score.ignored
        recognition["p_lenient"] = ratio(score.exact.tp, score.exact.tp + max(lenient_fp, 0))
    resolution = resolution_summary(score.errors_km)
    resolution["gold_with_coords"] = score.gold_with_coords
    resolution["coverage"] = ratio(len(score.errors_km), score.gold_with_coords)
    figures: dict[str, Any] = {
        "dataset": dataset,
        "shape": shape,
        "recognition": recognition,
        "resolution": resolution,
        "articles": scored,
        "errors": len(run.errors),
        "seconds": round(run.seconds, 1),
        "gold_types": sorted(GWN_LITERAL_TYPES) if dataset == "gwn" else ["all"],
    }
    if lowercase:
        figures["unmapped_predictions"] = score.unmapped
    return figures


def print_summary(results: list[dict[str, Any]]) -> None:
    """One row per dataset: recognition (exact and overlap) and resolution."""
    rows = []
    for fig in results:
        rec, res = fig["recognition"], fig["resolution"]
        label = f"{fig['dataset']} ({fig['shape']})"
        loose = rec["overlap"]
        rows.append(
            [label, rec["p"], rec["r"], rec["f1"], loose["p"], loose["r"], loose["f1"]]
            + [res[key] for key in ("acc161", "mean_km", "median_km", "auc", "n")]
        )
    say()
    print_table(
        ["dataset", "P", "R", "F1", "P~", "R~", "F1~", "acc@161", "mean km", "median km", "AUC", "n"], rows
    )
    say("P/R/F1 = exact span match; P~/R~/F1~ = overlap match; resolution over recognised gold with coords")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--dataset", choices=["gwn", "lgl", "both"], default="both")
    parser.add_argument("--lowercase", action="store_true", help="run on the research shape of each text")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="articles per dataset (0 = all)")
    args = parser.parse_args()
    limit = args.limit or None
    pipe = load_pipeline()
    datasets = ["gwn", "lgl"] if args.dataset == "both" else [args.dataset]
    results = [evaluate(pipe, name, limit, args.lowercase) for name in datasets]
    print_summary(results)
    emit_json(results[0] if len(results) == 1 else {fig["dataset"]: fig for fig in results})


if __name__ == "__main__":
    main()
