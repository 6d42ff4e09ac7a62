"""HTTP API latency under load: p50 and p99 of filtered ``/api/events`` and ``/api/aggregates``
over a database of at least 100,000 events, on SQLite and on PostgreSQL, while an ingest writes
into the same database beside it. Loopback only; bounded by ``--requests``.

For each engine: the database is filled to ``--events`` events as ``bench/store_load.py`` does
(reused when it already holds them); ``warmonitor serve`` starts on a free loopback port; a
``warmonitor ingest`` of fresh articles starts beside it; ``--clients`` threads then send
``--requests`` requests, cycling through filtered event pages (a page of 100, newest first, with
its total) and aggregates (by day, week, month, country, admin1, type; with and without filters).
On PostgreSQL the tables are vacuumed and analysed first, as autovacuum does after a bulk load.

    python bench/api_load.py [--events 100000] [--sqlite PATH] [--postgresql URL] [--requests 600]

Without --postgresql, PostgreSQL is measured when WARMONITOR_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import sqlalchemy as sa
from _common import REPO_ROOT, emit_json, say
from store_load import coded_samples, fill

from warmonitor.store import open_store

SAMPLES = REPO_ROOT / "warmonitor" / "data" / "samples" / "articles.jsonl"
EVENT_QUERIES: list[dict[str, Any]] = [
    {}, {"country": "SD"}, {"country": "Nigeria"}, {"type": "ASSAULT"}, {"type": "Air/drone strike"},
    {"actor": "rapid support"}, {"since": "2026-01-01", "until": "2026-06-30"}, {"status": "planned"},
    {"bbox": "29,10,35,16"}, {"min_confidence": "0.9"}, {"q": "khartoum"},
    {"country": "SD", "type": "Battles", "since": "2025-01-01"}, {"offset": "500"},
]
AGGREGATE_QUERIES: list[dict[str, Any]] = [
    {"by": by, **filters} for by in ("day", "week", "month", "country", "admin1", "type")
    for filters in ({}, {"country": "SD"}, {"type": "Battles", "since": "2025-01-01"})
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fresh_articles(folder: Path, count: int) -> Path:
    """Sample articles made new (a marker line), for the ingest that writes during the run."""
    lines = [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line.strip()]
    path = folder / "fresh.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            record = dict(lines[index % len(lines)])
            record["text"] = f"{record['text']}\n[api-load {time.time_ns()} {index}]"
            out.write(json.dumps(record) + "\n")
    return path


def _wait_for(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"warmonitor serve exited {process.returncode}")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/api/events?limit=1")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("warmonitor serve did not answer within 120 s")


def _client(port: int, requests: list[tuple[str, str]], timings: dict[str, list[float]], failures: list[str],
            slowest: list[tuple[float, str]], lock: threading.Lock) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for endpoint, path in requests:
        began = time.perf_counter()
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status, path = 0, f"{path} ({error})"
        elapsed = (time.perf_counter() - began) * 1000
        with lock:
            if status == 200:
                timings[endpoint].append(elapsed)
                slowest.append((elapsed, path))
            else:
                failures.append(f"{status} {path}")


def _percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50_ms": None, "p99_ms": None, "requests": 0}
    ordered = sorted(values)
    return {"p50_ms": round(statistics.median(ordered), 2), "p99_ms": round(ordered[int(0.99 * (len(ordered) - 1))], 2),
            "requests": len(ordered)}


def measure(url: str, requests: int, clients: int, folder: Path) -> dict[str, Any]:
    with open_store(url) as store:
        events = store.counts()["events"]
    port = _free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    server = subprocess.Popen([sys.executable, "-m", "warmonitor", "serve", "--db", url, "--port", str(port)],
                              cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ingest = None
    try:
        _wait_for(port, server)
        fresh = _fresh_articles(folder, 400)
        ingest = subprocess.Popen([sys.executable, "-m", "warmonitor", "ingest", str(fresh), "--db", url, "--no-progress"],
                                  cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        time.sleep(8)  # the ingest loads its pipeline, then writes throughout the measurement
        plan: list[tuple[str, str]] = []
        for index in range(requests):
            if index % 2 == 0:
                params = {"limit": 100, **EVENT_QUERIES[(index // 2) % len(EVENT_QUERIES)]}
                plan.append(("events", "/api/events?" + urlencode(params)))
            else:
                plan.append(("aggregates", "/api/aggregates?" + urlencode(AGGREGATE_QUERIES[(index // 2) % len(AGGREGATE_QUERIES)])))
        timings: dict[str, list[float]] = {"events": [], "aggregates": []}
        failures: list[str] = []
        slowest: list[tuple[float, str]] = []
        lock = threading.Lock()
        threads = [threading.Thread(target=_client, args=(port, plan[offset::clients], timings, failures, slowest, lock))
                   for offset in range(clients)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started
        ingest_running = ingest.poll() is None
    finally:
        if ingest is not None and ingest.poll() is None:
            ingest.terminate()
            ingest.wait(timeout=60)
        server.terminate()
        server.wait(timeout=60)
    with open_store(url) as store:
        events_after = store.counts()["events"]
    return {"events_before": events, "events_written_during_run": events_after - events,
            "ingest_still_running_at_end": ingest_running, "seconds": round(seconds, 1),
            "requests_per_s": round(requests / seconds, 1), "failures": len(failures), "failed": failures[:5],
            "slowest": [f"{elapsed:.0f} ms {path}" for elapsed, path in sorted(slowest, reverse=True)[:5]],
            "events_endpoint": _percentiles(timings["events"]), "aggregates_endpoint": _percentiles(timings["aggregates"]),
            **{f"all_{key}": value for key, value in _percentiles(timings["events"] + timings["aggregates"]).items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--sqlite", help="SQLite file (kept, and reused when it already holds the events)")
    parser.add_argument("--postgresql", default=os.environ.get("WARMONITOR_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        engines = {"sqlite": f"sqlite:///{args.sqlite or folder / 'load.sqlite'}"}
        if args.postgresql:
            engines["postgresql"] = args.postgresql
        analyses = None
        for engine, url in engines.items():
            with open_store(url) as store:
                if store.counts()["events"] < args.events:
                    analyses = analyses or coded_samples()
                    say(f"{engine}: filling to {args.events} events")
                    fill(store, analyses, args.events)
            if engine == "postgresql":
                # What autovacuum does some time after a bulk load: the visibility map lets the
                # aggregates read their covering indexes alone.
                vacuum = sa.create_engine(url, isolation_level="AUTOCOMMIT")
                with vacuum.connect() as connection:
                    connection.execute(sa.text("VACUUM ANALYZE clusters"))
                    connection.execute(sa.text("VACUUM ANALYZE events"))
                vacuum.dispose()
            say(f"{engine}: {args.requests} requests from {args.clients} clients while an ingest writes")
            figures[engine] = measure(url, args.requests, args.clients, folder)
            say(f"{engine}: {figures[engine]}")
    emit_json({"events_wanted": args.events, **figures,
               "p99_ms_max": max(f["all_p99_ms"] or 0 for f in figures.values())})


if __name__ == "__main__":
    main()
