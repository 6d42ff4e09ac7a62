"""Two ``warmonitor ingest`` runs started together into one fresh database, with overlapping inputs:
both must succeed and every article must be stored exactly once.

Each round makes a new database and starts two real ``warmonitor ingest`` processes at the same
moment: one over the bundled samples folder (which holds ``articles.jsonl`` and its lowercased
copy), one over ``articles.jsonl`` alone, so every article of that file is offered twice at once.
Then the database is counted: articles, events and canonical events stored (to be the same as one
ingest alone stores), and any article or event id stored twice. Runs on SQLite and, given
``--postgresql URL`` (or ``WARMONITOR_TEST_POSTGRES_URL``), on PostgreSQL, a fresh database per
round.

    python bench/concurrent_ingest.py [--rounds 5] [--postgresql URL]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from _common import REPO_ROOT, emit_json, say

SAMPLES = REPO_ROOT / "warmonitor" / "data" / "samples"
WARMONITOR = [sys.executable, "-m", "warmonitor"]


def _fresh_postgres(server: str) -> str:
    """A new empty database on the server ``server`` names; its URL."""
    name = f"concurrent_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.rsplit("/", 1)[0] + "/" + name


def _counts(url: str) -> dict[str, int]:
    engine = sa.create_engine(url if "://" in url else f"sqlite:///{url}")
    with engine.connect() as connection:
        articles = connection.execute(sa.text("SELECT count(*), count(DISTINCT id) FROM articles")).one()
        events = connection.execute(sa.text("SELECT count(*), count(DISTINCT id) FROM events")).one()
        clusters = connection.execute(sa.text("SELECT count(*) FROM clusters")).scalar_one()
    engine.dispose()
    return {"articles": articles[0], "articles_duplicated": articles[0] - articles[1], "events": events[0],
            "events_duplicated": events[0] - events[1], "canonical_events": clusters}


def one_round(url: str, folder: Path) -> dict[str, Any]:
    env = {**os.environ, "WARMONITOR_DB": url}
    inputs = [[str(SAMPLES)], [str(SAMPLES / "articles.jsonl")]]
    logs = [folder / f"ingest-{index}.log" for index in range(2)]
    processes = []
    for paths, log in zip(inputs, logs, strict=True):
        with log.open("w") as out:
            processes.append(subprocess.Popen([*WARMONITOR, "ingest", *paths, "--db", url], stdout=out,
                                              stderr=subprocess.STDOUT, env=env, cwd=REPO_ROOT))
    codes = [process.wait(timeout=900) for process in processes]
    for code, log in zip(codes, logs, strict=True):
        if code != 0:
            say(f"  an ingest exited {code}:\n{log.read_text()[-2000:]}")
    return {"exit_codes": codes, **_counts(url)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgresql", default=os.environ.get("WARMONITOR_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    engines = ["sqlite"] + (["postgresql"] if args.postgresql else [])
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        # What one ingest of the samples folder alone stores: what every concurrent round must hold.
        alone = f"sqlite:///{folder}/alone.sqlite"
        subprocess.run([*WARMONITOR, "ingest", str(SAMPLES), "--db", alone], check=True, cwd=REPO_ROOT,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=900)
        expected = {key: value for key, value in _counts(alone).items() if key in ("articles", "events", "canonical_events")}
        say(f"one ingest alone: {expected}")
        for engine in engines:
            rounds = []
            for index in range(args.rounds):
                url = (f"sqlite:///{folder}/round-{index}.sqlite" if engine == "sqlite"
                       else _fresh_postgres(args.postgresql))
                result = one_round(url, folder)
                say(f"{engine} round {index + 1}: {result}")
                rounds.append(result)
            figures[engine] = {
                "rounds": len(rounds),
                "both_succeeded": sum(r["exit_codes"] == [0, 0] for r in rounds),
                # The same articles, events and canonical events as one ingest alone.
                "stored_as_one_ingest_alone": sum(all(r[key] == value for key, value in expected.items()) for r in rounds),
                "articles_duplicated": sum(r["articles_duplicated"] for r in rounds),
                "events_duplicated": sum(r["events_duplicated"] for r in rounds),
            }
    emit_json({"expected": expected, **figures})


if __name__ == "__main__":
    main()
