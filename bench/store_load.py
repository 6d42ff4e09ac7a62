"""Load and query a large event database on each engine: p50 and p99 of the filtered queries
behind ``warmonitor events``.

The bundled sample corpus is coded once; its analyses are then stored again and again as new
articles (each copy shifted by days, within ten years, and moved by some kilometres, so copies are
other incidents)
through the store's own ``add``, clustering included, until the database holds ``--events``
events. Then each query (no filter, a country, a type, an actor, a date range, a status, a box, a
confidence floor, several together; newest first, a page of 100 as the API asks) runs repeatedly.

    python bench/store_load.py [--events 100000] [--sqlite PATH] [--postgresql URL]

Without --postgresql, PostgreSQL is measured when WARMONITOR_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from _common import emit_json, load_pipeline, load_sample_articles, say

from warmonitor.model import Analysis, Article
from warmonitor.store import make_query, open_store

QUERIES: dict[str, dict[str, Any]] = {
    "newest": {},
    "country": {"country": "SD"},
    "country_name": {"country": "Nigeria"},
    "plover_type": {"types": ["ASSAULT"]},
    "acled_sub_type": {"types": ["Air/drone strike"]},
    "actor": {"actor": "rapid support"},
    "since_until": {"since": date(2024, 6, 1), "until": date(2024, 6, 30)},
    "status": {"statuses": ["planned"]},
    "bbox": {"bbox": "29,10,35,16"},
    "min_confidence": {"min_confidence": 0.9},
    "combined": {"country": "SD", "types": ["Battles"], "since": date(2024, 1, 1)},
}


def copies(analyses: list[Analysis], wanted: int) -> Any:
    """Analyses of new articles made from the coded samples until ``wanted`` events are made."""
    rng = random.Random(7)
    made = round_ = 0
    while made < wanted:
        round_ += 1
        for analysis in analyses:
            shift = timedelta(days=(round_ * 11) % 3650)
            north, east = rng.uniform(-1.5, 1.5), rng.uniform(-1.5, 1.5)
            article = replace(analysis.article, text=f"{analysis.article.text}\n[copy {round_}]",
                              published=(analysis.article.published or date(2024, 1, 1)) + shift)
            events = []
            for event in analysis.events:
                location = event.location and replace(event.location, lat=max(-89.0, min(89.0, event.location.lat + north)),
                                                      lon=max(-179.0, min(179.0, event.location.lon + east)))
                events.append(replace(event, article_id=article.id, date=event.date and event.date + shift,
                                      location=location, evidence=list(event.evidence)))
            copy = Analysis(article, sentences=analysis.sentences, shape=analysis.shape, events=events)
            made += len(events)
            yield copy
            if made >= wanted:
                return


def fill(store: Any, analyses: list[Analysis], wanted: int) -> tuple[int, float]:
    """Add copies until the store holds ``wanted`` events; (events added, seconds)."""
    have = store.counts()["events"]
    started = time.perf_counter()
    added = 0
    if have < wanted:
        for copy in copies(analyses, wanted - have):
            added += store.add(copy) or 0
            if added and added % 20000 < len(copy.events):
                say(f"  {store.url}: {have + added} events")
    return added, time.perf_counter() - started


def coded_samples() -> list[Analysis]:
    pipeline = load_pipeline()
    analyses = [pipeline.analyze(article) for article in load_sample_articles()]
    return [a for a in analyses if isinstance(a, Analysis) and isinstance(a.article, Article) and a.events]


def measure(url: str, analyses: list[Analysis], wanted: int, repeats: int) -> dict[str, Any]:
    with open_store(url) as store:
        added, load_seconds = fill(store, analyses, wanted)
        counts = store.counts()
        timings: dict[str, list[float]] = {name: [] for name in QUERIES}
        rows: dict[str, int] = {}
        for _ in range(repeats):
            for name, filters in QUERIES.items():
                query = make_query(limit=100, **filters)
                began = time.perf_counter()
                rows[name] = len(list(store.events(query)))
                timings[name].append((time.perf_counter() - began) * 1000)
    every = sorted(t for values in timings.values() for t in values)
    result = {"events": counts["events"], "canonical_events": counts["clusters"], "articles": counts["articles"],
              "loaded_events_per_s": round(added / load_seconds, 1) if added else None,
              "p50_ms": round(statistics.median(every), 2), "p99_ms": round(every[int(0.99 * (len(every) - 1))], 2),
              "per_query_p99_ms": {name: round(sorted(v)[int(0.99 * (len(v) - 1))], 2) for name, v in timings.items()},
              "rows": rows}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--sqlite", help="SQLite file (kept, and reused when it already holds the events)")
    parser.add_argument("--postgresql", default=os.environ.get("WARMONITOR_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    analyses = coded_samples()
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        engines = {"sqlite": f"sqlite:///{args.sqlite or folder + '/load.sqlite'}"}
        if args.postgresql:
            engines["postgresql"] = args.postgresql
        for engine, url in engines.items():
            say(f"{engine}: loading {args.events} events")
            figures[engine] = measure(url, analyses, args.events, args.repeats)
            say(f"{engine}: {figures[engine]}")
    emit_json({"events_wanted": args.events, **figures,
               "p99_ms_max": max(f["p99_ms"] for f in figures.values())})


if __name__ == "__main__":
    main()
