"""False political-violence events on news that reports none: Wikinews economy articles and the
non-conflict articles of GeoWebNews.

A political-violence event is one whose ACLED event type is Battles, Explosions/Remote violence,
Violence against civilians or Riots, or whose PLOVER type is ASSAULT, reported as fact (status
``occurred`` or ``ongoing``: "never ordered protesters shot" is coded, as negated, and is no false
alarm). On these articles nearly all of them are false alarms (a basketball "hit", a hurricane
"striking", disease deaths); the figure is events per article, lower is better. ``any_status``
counts them whatever their status.

- ``wikinews_economy``: articles whose only source category is Economy_and_business
  (``wikinews-en.sources.tsv``: ``tosca:economy``), every k-th; the **dev** half (even positions
  in that list) was looked at while developing, the **test** half (odd positions) was not.
- ``gwn_non_conflict``: GeoWebNews articles labelled ``non-conflict`` in
  ``bench/data/geowebnews-topics.tsv`` (the project's own topic labels over the texts in
  ``../shared``). The geoparsing bench uses these articles too; their events were not tuned on.

Each article is also run lowercased and tokenized (``--lowercase``) to check both shapes.

    .venv/bin/python bench/false_events.py [--limit N] [--lowercase]
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from _common import (
    emit_json,
    every_kth,
    load_gwn,
    load_pipeline,
    print_table,
    read_jsonl,
    report_errors,
    run_pipeline,
    say,
    shape_article,
    shared_path,
)

if TYPE_CHECKING:
    from warmonitor.model import Article, Event
    from warmonitor.pipeline import Pipeline

DEFAULT_LIMIT = 200
TOPICS = Path(__file__).parent / "data" / "geowebnews-topics.tsv"


def is_political_violence(event: Event) -> bool:
    from warmonitor.classify.labels import POLITICAL_VIOLENCE

    return event.acled_event_type in POLITICAL_VIOLENCE or event.plover_type == "ASSAULT"


def is_factual(event: Event) -> bool:
    return event.status.is_fact


def wikinews_economy(half: str, limit: int | None) -> list[Article]:
    from warmonitor.ingest import parse_date
    from warmonitor.model import Article

    sources = {}
    with open(shared_path("corpora", "wikinews", "wikinews-en.sources.tsv"), encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if len(row) == 2:
                sources[row[0]] = row[1]
    economy = [r for r in read_jsonl(shared_path("corpora", "wikinews", "wikinews-en.jsonl"))
               if sources.get(r["id"]) == "tosca:economy"]
    chosen = economy[0::2] if half == "dev" else economy[1::2]
    return [Article(text=r["text"], published=parse_date(r["date"]) if r["date"] else None, title=r["title"],
                    origin=r["id"]) for r in every_kth(chosen, limit)]


def gwn_non_conflict(limit: int | None) -> list[Article]:
    from warmonitor.model import Article

    with open(TOPICS, encoding="utf-8") as handle:
        topics = {row["file"]: row["topic"] for row in csv.DictReader(handle, delimiter="\t")}
    docs = [d for d in load_gwn() if topics.get(d.doc_id.removeprefix("gwn:")) == "non-conflict"]
    return [Article(text=d.text, origin=d.doc_id) for d in every_kth(docs, limit)]


def count(pipe: Pipeline, name: str, articles: list[Article], lowercase: bool) -> dict[str, Any]:
    if lowercase:
        articles = [shape_article(article)[0] for article in articles]
    run = run_pipeline(pipe, articles, batch_size=16, label=name)
    report_errors(run.errors)
    any_status: list[Event] = [e for a in run.analyses if a is not None for e in a.events if is_political_violence(e)]
    violent = [e for e in any_status if is_factual(e)]
    all_events = sum(len(a.events) for a in run.analyses if a is not None)
    triggers = Counter(e.trigger.lower() for e in violent)
    say(f"{name}: most frequent political-violence triggers: {', '.join(f'{t} {n}' for t, n in triggers.most_common(12))}")
    return {"articles": len(articles), "political_violence_events": len(violent),
            "per_article": round(len(violent) / len(articles), 3) if articles else None,
            "per_article_any_status": round(len(any_status) / len(articles), 3) if articles else None,
            "events_per_article": round(all_events / len(articles), 3) if articles else None}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="articles per set (0 = all)")
    parser.add_argument("--lowercase", action="store_true", help="also run every article lowercased and tokenized")
    args = parser.parse_args()
    limit = args.limit or None
    pipe = load_pipeline()
    sets = {"wikinews_economy_test": wikinews_economy("test", limit), "wikinews_economy_dev": wikinews_economy("dev", limit)}
    if TOPICS.exists():
        sets["gwn_non_conflict"] = gwn_non_conflict(limit)
    else:
        say(f"no {TOPICS}: GeoWebNews left out")
    figures: dict[str, Any] = {}
    for name, articles in sets.items():
        figures[name] = count(pipe, name, articles, lowercase=False)
        if args.lowercase:
            figures[f"{name}_lowercase"] = count(pipe, f"{name} (lowercase)", articles, lowercase=True)
    print_table(["set", "articles", "PV events", "per article", "all events per article"],
                [[k, v["articles"], v["political_violence_events"], v["per_article"], v["events_per_article"]]
                 for k, v in figures.items()])
    emit_json(figures)


if __name__ == "__main__":
    main()
