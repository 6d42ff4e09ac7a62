"""Cross-article de-duplication, measured on reports written for it (``bench/data/dedup``).

Each corpus holds incidents reported by three outlets (one of the three lowercased and tokenized),
confusable look-alikes (same country, week and type, another town), and background sentences
that mention another incident. Every article's gold lists, for each incident it reports, a quote
from the sentence that reports it.

The articles are ingested into a fresh database exactly as ``warmonitor ingest`` does. Each
(article, incident) pair is then one *report*: the event coded from the quoted sentence (the most
confident fact there of one of ACLED's event types, else the most confident fact). Two reports of
different articles are a gold pair when they are of one incident, a predicted pair when their
events share a canonical event. Printed: events before and after clustering, pairwise precision,
recall and F1, the reports no event was coded for, and the wrong pairs. ``dev.jsonl`` is
development data (looked at while setting the thresholds and mending the stages);
``heldout.jsonl`` was written separately and not looked at.

    python bench/dedup.py [bench/data/dedup/heldout.jsonl] [--db URL]
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from _common import REPO_ROOT, emit_json, say

from warmonitor import api
from warmonitor.model import Article
from warmonitor.settings import Settings

DEFAULT = REPO_ROOT / "bench" / "data" / "dedup" / "dev.jsonl"


def _reports(corpus: list[dict[str, Any]], mentions: list[dict[str, Any]]) -> tuple[dict[tuple[str, str], dict], list]:
    """(article, incident) → the event coded from its quoted sentence; and the reports without one."""
    by_article: dict[str, list[dict[str, Any]]] = {}
    for mention in mentions:
        by_article.setdefault(mention["article_id"], []).append(mention)
    found: dict[tuple[str, str], dict[str, Any]] = {}
    missing = []
    for item in corpus:
        article_id = Article(text=item["text"], published=date.fromisoformat(item["published"])).id
        quotes: dict[str, list[tuple[int, int]]] = {}
        for gold in item["gold"]:
            start = item["text"].index(gold["quote"])
            quotes.setdefault(gold["incident"], []).append((start, start + len(gold["quote"])))
        for incident, spans in quotes.items():
            candidates = [m for m in by_article.get(article_id, [])
                          if m["status"] in {"occurred", "ongoing"}
                          and any(m["span"][0] < end and start < m["span"][1] for start, end in spans)]
            if not candidates:
                missing.append((item["id"], incident))
                continue
            # The incident's own event: one of ACLED's event types where the sentence has one (not
            # the accusation or the flight it also reports), the most confident of those.
            # Ties go to the earliest trigger, then the smallest id: the choice never depends on the
            # order the store lists events in.
            found[(item["id"], incident)] = max(candidates, key=lambda m: (
                m["acled_event_type"] is not None, m["confidence"], -m["span"][0],
                -(m.get("trigger_span") or m["span"])[0], _reverse(m["id"])))
    return found, missing


def _reverse(text: str) -> tuple[int, ...]:
    """A key that sorts strings in reverse, so that max() takes the smallest."""
    return tuple(-ord(character) for character in text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--db", help="database URL (default: a new SQLite file in a temporary folder)")
    args = parser.parse_args()
    corpus = [json.loads(line) for line in args.corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as folder:
        db = args.db or f"sqlite:///{folder}/dedup.sqlite"
        settings = replace(Settings.load(), db=db)
        articles = Path(folder) / "articles.jsonl"
        with articles.open("w", encoding="utf-8") as out:
            for item in corpus:
                out.write(json.dumps({key: item[key] for key in ("title", "source", "url", "published", "text")}) + "\n")
        report = api.ingest([str(articles)], settings)
        mentions = list(api.events(settings, mentions=True))
        canonical = list(api.events(settings))
    reports, missing = _reports(corpus, mentions)
    gold = pred = both = 0
    wrong: list[str] = []
    for (first, second) in itertools.combinations(sorted(reports), 2):
        if first[0] == second[0]:
            continue  # one article's two incidents
        same_incident = first[1] == second[1]
        same_cluster = reports[first]["canonical_id"] == reports[second]["canonical_id"]
        gold += same_incident
        pred += same_cluster
        both += same_incident and same_cluster
        if same_incident != same_cluster:
            kind = "split" if same_incident else "merged"
            wrong.append(f"{kind}: {first} {reports[first]['plover_type']}/{reports[first]['acled_sub_event_type']} "
                         f"{(reports[first]['location'] or {}).get('canonical')} {reports[first]['date']} | {second} "
                         f"{reports[second]['plover_type']}/{reports[second]['acled_sub_event_type']} "
                         f"{(reports[second]['location'] or {}).get('canonical')} {reports[second]['date']}")
    precision = both / pred if pred else None
    recall = both / gold if gold else None
    f1 = 2 * precision * recall / (precision + recall) if precision and recall else None
    incidents = {incident for _, incident in reports}
    say(f"{len(corpus)} articles, {report.events} events stored; {len(canonical)} canonical events after clustering")
    say(f"{len(reports)} reports of {len(incidents)} incidents matched to an event; {len(missing)} without one: {missing}")
    say(f"pairs: gold {gold}, predicted {pred}, both {both}")
    for line in wrong:
        say("  " + line)
    emit_json({"corpus": args.corpus.name, "articles": len(corpus), "events_before": len(mentions),
               "events_after": len(canonical), "reports": len(reports), "reports_without_event": len(missing),
               "gold_pairs": gold, "predicted_pairs": pred, "pairwise_precision": round(precision, 3) if precision else precision,
               "pairwise_recall": round(recall, 3) if recall else recall, "pairwise_f1": round(f1, 3) if f1 else f1})


if __name__ == "__main__":
    main()
