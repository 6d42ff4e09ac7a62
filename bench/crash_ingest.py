"""Crash test: kill `warmonitor ingest` with SIGKILL at random moments, again and again, then check
that nothing was lost, duplicated or left half-written.

Corpus: the project's own sample articles (``warmonitor/data/samples/articles.jsonl``), each also
in the research shape and with its title numbered ``--copies`` times, so a run lasts long enough
to be killed while it reads, analyses, writes and clusters. One ingest runs undisturbed into a
reference database first, timing when it stored its first article and when it ended. Then, into a
second database, ``--kills`` ingests each get SIGKILL after a random delay (seeded): nine in ten
between the reference's first store and its end, one in ten while it starts; after every kill the
database is checked for orphans:

- sentences or events whose article is not stored; events with no canonical event, or pointing at
  one that does not exist; canonical events with no event; a canonical event whose article count
  is not that of its events.

Kills come in cycles: a new database, killed ingests (each resuming the last) until one finishes
or every article is stored, then one ingest to the end, after which the database must hold
exactly the reference's articles and per-article events, with the same canonical events. The last line is one JSON object with the
counts; ``ok`` is true when every check passed.

    .venv/bin/python bench/crash_ingest.py [--kills 50] [--copies 3] [--seed 1] [--workers 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "warmonitor" / "data" / "samples" / "articles.jsonl"

ORPHAN_QUERIES = {
    "sentences_without_article": "SELECT count(*) FROM sentences WHERE article_id NOT IN (SELECT id FROM articles)",
    "events_without_article": "SELECT count(*) FROM events WHERE article_id NOT IN (SELECT id FROM articles)",
    "events_without_cluster": "SELECT count(*) FROM events WHERE cluster_id IS NULL "
                              "OR cluster_id NOT IN (SELECT id FROM clusters)",
    "clusters_without_events": "SELECT count(*) FROM clusters WHERE id NOT IN "
                               "(SELECT cluster_id FROM events WHERE cluster_id IS NOT NULL)",
    "clusters_with_wrong_counts": "SELECT count(*) FROM clusters c WHERE num_articles != "
                                  "(SELECT count(DISTINCT article_id) FROM events e WHERE e.cluster_id = c.id)",
}


def write_corpus(path: Path, copies: int) -> int:
    """The samples, cased and lowercased, each ``copies`` times with a numbered title line."""
    rows = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    count = 0
    with path.open("w", encoding="utf-8") as handle:
        for copy in range(copies):
            for row in rows:
                for text in (row["text"], row["text"].lower()):
                    # A different first line makes each copy its own article (ids hash the text).
                    handle.write(json.dumps({"text": f"Report {copy + 1}.\n\n{text}", "date": row.get("date"),
                                             "source": row.get("source")}) + "\n")
                    count += 1
    return count


def ingest_command(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "warmonitor", "ingest", "--no-progress", str(corpus), "--db", f"sqlite:///{db}"]


def run_ingest(corpus: Path, db: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run an ingest to its end: (seconds until its first article was stored, seconds in all)."""
    started = time.perf_counter()
    process = subprocess.Popen(ingest_command(corpus, db), env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    first_store = None
    while process.poll() is None:
        if first_store is None and db.exists() and _stored(db):
            first_store = time.perf_counter() - started
        time.sleep(0.05)
    if process.returncode != 0:
        raise SystemExit(f"the ingest itself failed (exit {process.returncode}); run it by hand to see why")
    total = time.perf_counter() - started
    return (first_store if first_store is not None else 0.0), total


def _stored(db: Path) -> int:
    try:
        with sqlite3.connect(db) as connection:
            return int(connection.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.Error:
        return 0


def orphans(db: Path) -> dict[str, int]:
    if not db.exists():
        return {}
    with sqlite3.connect(db) as connection:
        try:
            return {name: connection.execute(query).fetchone()[0] for name, query in ORPHAN_QUERIES.items()}
        except sqlite3.OperationalError as error:  # killed before the tables were made
            if "no such table" in str(error):
                return {}
            raise


def contents(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as connection:
        articles = [row[0] for row in connection.execute("SELECT id FROM articles ORDER BY id")]
        events = [row[0] for row in connection.execute("SELECT id FROM events ORDER BY id")]
        clusters = sorted(row[0] for row in connection.execute("SELECT record FROM clusters"))
    return {"articles": articles, "events": events, "clusters": clusters}


def crash_test(kills: int, copies: int, seed: int, workers: int, folder: Path, say: Any = print) -> dict[str, Any]:
    env = {**os.environ, "WARMONITOR_WORKERS": str(workers)}
    corpus = folder / "corpus.jsonl"
    articles = write_corpus(corpus, copies)
    reference_db, crashed_db = folder / "reference.sqlite", folder / "crashed.sqlite"
    start_up, duration = run_ingest(corpus, reference_db, env)
    say(f"reference: {articles} articles in {duration:.1f}s, the first stored after {start_up:.1f}s")
    chance = random.Random(seed)
    expected = contents(reference_db)
    bad_states: list[dict[str, Any]] = []
    finished_before_kill = killed = cycles = lost = extra = duplicates = mismatched = 0
    while killed < kills:
        # A cycle: a new database, killed ingests until one finishes or all is stored, then one
        # ingest to the end, and the result compared with the reference.
        crashed_db = folder / f"crashed-{cycles}.sqlite"
        cycles += 1
        while killed < kills:
            process = subprocess.Popen(ingest_command(corpus, crashed_db), env=env, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True)
            # Mostly while articles are analysed and written; a tenth of the kills while it starts.
            delay = chance.uniform(0.0, start_up) if chance.random() < 0.1 else chance.uniform(start_up, duration)
            try:
                process.wait(timeout=delay)
                finished_before_kill += 1
                break
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # the ingest and any worker processes it started
                process.wait()
            killed += 1
            found = {name: count for name, count in orphans(crashed_db).items() if count}
            if found:
                bad_states.append({"kill": killed, "delay_s": round(delay, 2), **found})
            stored = len(contents(crashed_db)["articles"]) if crashed_db.exists() and orphans(crashed_db) else 0
            say(f"kill {killed}/{kills} (cycle {cycles}) after {delay:.1f}s: {stored}/{articles} articles stored, "
                f"orphans: {found or 'none'}")
            if stored == articles:
                break
        run_ingest(corpus, crashed_db, env)
        final = contents(crashed_db)
        lost += len(set(expected["articles"]) - set(final["articles"]))
        extra += len(set(final["articles"]) - set(expected["articles"]))
        duplicates += len(final["events"]) - len(set(final["events"]))
        mismatched += final["events"] != expected["events"] or final["clusters"] != expected["clusters"]
    figures = {
        "kills": killed,
        "cycles": cycles,
        "runs_finished_before_their_kill": finished_before_kill,
        "articles": articles,
        "states_with_orphans": len(bad_states),
        "lost_articles": lost,
        "unexpected_articles": extra,
        "duplicate_events": duplicates,
        "cycles_not_matching_reference": mismatched,
        "first_bad_states": bad_states[:3],
        "workers": workers,
    }
    figures["ok"] = not (bad_states or lost or extra or duplicates or mismatched)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--copies", type=int, default=3, help="times each sample article appears (longer runs)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="analysis processes of each ingest")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="warmonitor-crash-") as folder:
        figures = crash_test(args.kills, args.copies, args.seed, args.workers, Path(folder),
                             say=lambda message: print(message, file=sys.stderr, flush=True))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
