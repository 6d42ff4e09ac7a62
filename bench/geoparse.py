"""Geoparsing (``warmonitor.geoparse``) on a file in the GeoWebNews or the LGL XML format, cased
and lowercased.

- ``acc161``: the gold toponym spans are given (``spans=``); over every gold toponym with
  coordinates, the share resolved within 161 km; unresolved spans count as misses. ``auc``
  (Gritta et al.: area under the sorted log errors, lower is better), ``mean_km`` and
  ``median_km`` are over the same toponyms, an unresolved one at the largest error (20,039 km).
- ``acc161_e2e``: from raw text: the share of gold toponyms with coordinates that a predicted
  toponym overlaps and places within 161 km.
- ``toponym_p``, ``toponym_r``, ``toponym_f1``: recognition, exact spans, against every annotated
  toponym (GeoWebNews: all its types, literal or not; LGL: all).
- each again with ``_lower``: the same articles in the research shape (lowercased, tokenized, a
  sentence a line); gold spans are carried into that text and predictions back to the original.
- ``articles_per_s``: geoparsing alone, cased, after loading; ``gazetteer_load_s`` apart.

    .venv/bin/python bench/geoparse.py PATH [--limit N]
    .venv/bin/python bench/geoparse.py ../shared/datasets/geowebnews/GWN.xml
    .venv/bin/python bench/geoparse.py ../shared/datasets/lgl/lgl.xml
"""

from __future__ import annotations

import argparse
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _common import (
    MAX_ERROR_KM,
    PRF,
    GeoDoc,
    Interval,
    emit_json,
    haversine_km,
    load_geo_xml,
    map_span_back,
    match_spans,
    overlap,
    print_table,
    resolution_summary,
    say,
)

DEFAULT_LIMIT = 0  # every article


@dataclass(slots=True)
class ShapeScore:
    """Tallies for one shape (cased or lowercased)."""

    errors_km: list[float] = field(default_factory=list)  # one per gold toponym with coordinates
    e2e_hits: int = 0
    recognition: PRF = field(default_factory=PRF)

    def figures(self, gold_with_coords: int, suffix: str = "") -> dict[str, Any]:
        summary = resolution_summary(self.errors_km)
        rec = self.recognition.to_dict()
        return {
            f"acc161{suffix}": summary["acc161"],
            f"auc{suffix}": summary["auc"],
            f"mean_km{suffix}": summary["mean_km"],
            f"median_km{suffix}": summary["median_km"],
            f"acc161_e2e{suffix}": round(self.e2e_hits / gold_with_coords, 4) if gold_with_coords else None,
            f"toponym_p{suffix}": rec["p"],
            f"toponym_r{suffix}": rec["r"],
            f"toponym_f1{suffix}": rec["f1"],
        }


def research_shape(text: str) -> tuple[str, list[int], list[int]]:
    """The text in research shape, its per-character map back to the original, and the map forward
    (original offset → shaped offset, -1 where a character was dropped)."""
    from warmonitor.stages.text import to_research_shape

    shaped, back = to_research_shape(text)
    forward = [-1] * (len(text) + 1)
    for shaped_index, original in enumerate(back):
        if original >= 0 and forward[original] < 0:
            forward[original] = shaped_index
    return shaped, back, forward


def carry_span(start: int, end: int, forward: list[int]) -> Interval | None:
    """A span of the original as a span of the shaped text."""
    mapped = [forward[i] for i in range(start, end) if forward[i] >= 0]
    return (min(mapped), max(mapped) + 1) if mapped else None


def score_article(doc: GeoDoc, lowercase: bool, score: ShapeScore, found: list[Any] | None = None) -> None:
    """Resolution with gold spans, end-to-end placement and recognition for one article; ``found``
    is the article's geoparse when the caller already has it (the timed cased run)."""
    import warmonitor

    text, back, forward = (doc.text, None, None)
    if lowercase:
        text, back, forward = research_shape(doc.text)
    located = [t for t in doc.toponyms if t.lat is not None and t.lon is not None]
    spans: list[Interval | None] = []
    for toponym in located:
        spans.append(carry_span(toponym.start, toponym.end, forward) if forward is not None else (toponym.start, toponym.end))
    given = [span for span in spans if span is not None]
    resolved = iter(warmonitor.geoparse(text, spans=given) if given else [])
    for toponym, span in zip(located, spans, strict=True):
        result = next(resolved) if span is not None else None
        assert toponym.lat is not None and toponym.lon is not None
        score.errors_km.append(haversine_km(toponym.lat, toponym.lon, result.lat, result.lon)
                               if result is not None else MAX_ERROR_KM)
    predicted: list[tuple[Interval, float, float]] = []
    for toponym_found in found if found is not None else warmonitor.geoparse(text):
        if toponym_found is None:
            continue
        span = (toponym_found.span.start, toponym_found.span.end)
        if back is not None:
            mapped = map_span_back(span[0], span[1], back)
            if mapped is None:
                continue
            span = mapped
        predicted.append((span, toponym_found.lat, toponym_found.lon))
    for toponym in located:
        assert toponym.lat is not None and toponym.lon is not None
        if any(overlap((toponym.start, toponym.end), span) and haversine_km(toponym.lat, toponym.lon, lat, lon) <= 161
               for span, lat, lon in predicted):
            score.e2e_hits += 1
    gold_spans = [(t.start, t.end) for t in doc.toponyms]
    pred_spans = sorted({span for span, _, _ in predicted})
    exact = match_spans(gold_spans, pred_spans, "exact")
    score.recognition.add(len(exact), len(pred_spans) - len(exact), len(gold_spans) - len(exact))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("path", type=Path, help="a GeoWebNews (GWN.xml) or LGL (lgl.xml) format file")
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="articles, every k-th (0 = all)")
    args = parser.parse_args()
    import warmonitor
    from warmonitor.api import _geoparser
    from warmonitor.settings import Settings

    try:
        docs = load_geo_xml(args.path, args.limit or None)
    except (OSError, ET.ParseError, ValueError) as error:
        parser.error(f"cannot read {args.path}: {error}")
    dataset = docs[0].doc_id.split(":")[0] if docs else "empty"
    started = time.perf_counter()
    geoparser = _geoparser(Settings.load())
    load_seconds = time.perf_counter() - started
    warmonitor.geoparse("Warm-up in Paris.")
    say(f"{args.path}: {len(docs)} articles ({dataset} format); geoparser loaded in {load_seconds:.1f}s "
        f"(gazetteer {geoparser.gazetteer.load_seconds:.1f}s)")
    started = time.perf_counter()
    cased = [warmonitor.geoparse(doc.text) for doc in docs]
    articles_per_s = len(docs) / max(time.perf_counter() - started, 1e-9)
    gold_with_coords = sum(1 for d in docs for t in d.toponyms if t.lat is not None and t.lon is not None)
    figures: dict[str, Any] = {"dataset": dataset, "articles": len(docs), "gold_toponyms": sum(len(d.toponyms) for d in docs),
                               "gold_with_coords": gold_with_coords}
    for lowercase in (False, True):
        score = ShapeScore()
        for doc, found in zip(docs, cased, strict=True):
            score_article(doc, lowercase, score, None if lowercase else found)
        figures.update(score.figures(gold_with_coords, "_lower" if lowercase else ""))
    figures["articles_per_s"] = round(articles_per_s, 1)
    figures["gazetteer_load_s"] = round(geoparser.gazetteer.load_seconds, 2)
    say()
    print_table(["shape", "acc@161", "AUC", "mean km", "median km", "acc@161 e2e", "P", "R", "F1"],
                [[shape] + [figures[f"{key}{suffix}"] for key in ("acc161", "auc", "mean_km", "median_km", "acc161_e2e",
                                                                   "toponym_p", "toponym_r", "toponym_f1")]
                 for shape, suffix in (("cased", ""), ("lowercased", "_lower"))])
    say(f"acc@161 with gold spans given, over {gold_with_coords} gold toponyms with coordinates; "
        f"{figures['articles_per_s']} articles/s geoparsing alone")
    emit_json(figures)


if __name__ == "__main__":
    main()
