"""Batch runs on a Dask cluster: files in, partitioned Parquet out; ``load`` stores the result.

``run`` reads the inputs in order and cuts them into partitions of ``partition_size`` records.
Each partition goes to a Dask worker, which analyses it with its own pipeline (built once per
worker process from the settings) and sends back plain values; this process writes them as
``DIR/<table>/part-NNNNN.parquet`` for the tables ``articles``, ``events``, ``mentions`` and
``rejected``, then a marker ``DIR/_done/part-NNNNN.json``. A partition Dask could not finish after
its retries is reported in ``DIR/_failed/`` and the run fails; running it again skips every
partition already done (same records, by content) and redoes the rest.

``load`` reads the tables back in partition order and stores every article and event through the
store's own ``add``, so the database, clusters included, is what ``ingest`` of the same inputs
gives.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any

from warmonitor.errors import BadArticle, PassedOver, WarmonitorError
from warmonitor.model import Article, CodedArticle, StoredSentence
from warmonitor.settings import Settings

log = logging.getLogger(__name__)

TABLES = ("articles", "events", "mentions", "rejected")
_REJECTIONS_SHOWN = 10
FORMAT_VERSION = 1


class BatchError(WarmonitorError):
    """A batch folder that cannot be written or read back."""

    code = "W501"


@dataclass
class BatchReport:
    """What one ``run`` did."""

    out: Path
    workers: int
    partitions: int = 0
    resumed: int = 0  # done by an earlier run, skipped
    articles: int = 0
    events: int = 0
    rejected: int = 0
    failed: dict[str, str] = field(default_factory=dict)  # partition → why Dask gave up on it
    seconds: float = 0.0
    writing_seconds: float = 0.0  # this process's share: turning results into Parquet files
    first_rejections: list[BadArticle] = field(default_factory=list)  # the first few, to say why; all are in rejected/

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


@dataclass
class LoadReport:
    """What one ``load`` did."""

    partitions: int = 0
    articles: int = 0
    duplicates: int = 0  # already in the database
    events: int = 0
    rejected: int = 0
    missing: list[str] = field(default_factory=list)  # partitions never finished (a failed run)


# -------------------------------------------------------------------------------------- partitions


def _partitions(records: Iterable[Article | BadArticle], size: int) -> Iterator[tuple[str, list[Article | BadArticle], str]]:
    """(name, records, key): ``key`` names the partition's content, so a resumed run knows whether
    the partition it finds done holds the same records."""
    iterator = iter(records)
    number = 0
    while chunk := list(islice(iterator, size)):
        digest = hashlib.sha1()
        for record in chunk:
            digest.update((f"bad:{record.origin}:{record.reason}" if isinstance(record, BadArticle)
                           else record.id).encode("utf-8", "surrogatepass"))
        yield f"part-{number:05d}", chunk, digest.hexdigest()
        number += 1


def _done_key(out: Path, name: str) -> str | None:
    marker = out / "_done" / f"{name}.json"
    try:
        return str(json.loads(marker.read_text(encoding="utf-8"))["key"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_atomically(path: Path, write: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    write(partial)
    os.replace(partial, path)


# ------------------------------------------------------------------------------------------- tables


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def partition_tables(items: list[CodedArticle | BadArticle]) -> dict[str, Any]:
    """The four Arrow tables of one analysed partition."""
    import pyarrow as pa

    from warmonitor.record import FLAT_COLUMNS, flatten

    articles: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    mentions: list[dict[str, Any]] = []
    rejected: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item, BadArticle):
            rejected.append({"origin": item.origin, "reason": item.reason, "code": item.code})
            continue
        article = item.article
        articles.append({"id": article.id, "title": article.title, "url": article.url, "source": article.source,
                         "published": _date(article.published), "origin": article.origin, "shape": item.shape,
                         "text": article.text,
                         "sentences": [{"index": s.index, "text": s.text, "start": s.start, "end": s.end}
                                       for s in item.sentences]})
        for record, evidence in zip(item.records, item.evidence, strict=True):
            flat = flatten(record)
            events.append({**{name: _text(flat.get(name)) for name in FLAT_COLUMNS}, "article_id": article.id,
                           "record": json.dumps(record, ensure_ascii=False),
                           "evidence": json.dumps(evidence, ensure_ascii=False)})
            mentions.append({"event_id": record["id"], "article_id": article.id, "source": article.source,
                             "url": article.url, "published": _date(article.published),
                             "sentence": record.get("sentence")})
    sentence = pa.struct([("index", pa.int32()), ("text", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
    schemas = {
        "articles": pa.schema([(n, pa.string()) for n in ("id", "title", "url", "source", "published", "origin",
                                                          "shape", "text")] + [("sentences", pa.list_(sentence))]),
        "events": pa.schema([(n, pa.string()) for n in dict.fromkeys((*FLAT_COLUMNS, "article_id", "record", "evidence"))]),
        "mentions": pa.schema([(n, pa.string()) for n in ("event_id", "article_id", "source", "url", "published",
                                                          "sentence")]),
        "rejected": pa.schema([(n, pa.string()) for n in ("origin", "reason", "code")]),
    }
    rows = {"articles": articles, "events": events, "mentions": mentions, "rejected": rejected}
    return {name: pa.Table.from_pylist(rows[name], schema=schemas[name]) for name in TABLES}


def _text(value: Any) -> str | None:
    # Every flat column is text in the batch tables: their types then never vary between partitions.
    return None if value is None else value if isinstance(value, str) else json.dumps(value)


def _write_partition(out: Path, name: str, key: str, items: list[CodedArticle | BadArticle]) -> dict[str, int]:
    """Write one partition's tables, then its done-marker; the rows written per table."""
    import pyarrow.parquet as pq

    tables = partition_tables(items)
    for table_name, table in tables.items():
        _write_atomically(out / table_name / f"{name}.parquet",
                          lambda path, table=table: pq.write_table(table, path, compression="zstd"))
    counts = {"articles": tables["articles"].num_rows, "events": tables["events"].num_rows,
              "rejected": tables["rejected"].num_rows}
    _write_atomically(out / "_done" / f"{name}.json",
                      lambda path: path.write_text(json.dumps({"key": key, **counts}), encoding="utf-8"))
    (out / "_failed" / f"{name}.json").unlink(missing_ok=True)
    return counts


# ---------------------------------------------------------------------------------------------- run


def run(records: Iterable[Article | BadArticle], out: Path, settings: Settings, workers: int | None = None,
        scheduler: str | None = None, partition_size: int = 200, retries: int = 2) -> BatchReport:
    """Analyse ``records`` on a Dask cluster into ``out``: a new ``LocalCluster`` of ``workers``
    processes (default: the setting ``workers``), or the running scheduler at ``scheduler``."""
    # Dask's own progress lines only when asked for (-v); set before distributed is imported, and
    # inherited by the worker processes it starts.
    os.environ.setdefault("DASK_LOGGING__DISTRIBUTED", "info" if log.isEnabledFor(logging.INFO) else "warning")
    from distributed import Client, LocalCluster, wait

    from warmonitor.workers import code_batch, ctrl_c_ignored

    out.mkdir(parents=True, exist_ok=True)
    manifest = out / "_batch.json"
    if manifest.exists():
        earlier = json.loads(manifest.read_text(encoding="utf-8"))
        if earlier.get("partition_size") != partition_size:
            raise BatchError(f"{out} holds a run cut into partitions of {earlier.get('partition_size')}; "
                             f"use that size to resume it, or another folder")
    manifest.write_text(json.dumps({"format": FORMAT_VERSION, "partition_size": partition_size}), encoding="utf-8")
    started = time.perf_counter()
    count = workers or settings.worker_count
    if scheduler:
        client = Client(scheduler)
        cluster = None
    else:
        # One thread per worker process: spaCy and the classifier are CPU-bound Python. Ctrl-C is
        # this process's to handle (it closes the cluster); workers start ignoring it.
        with ctrl_c_ignored():
            cluster = LocalCluster(n_workers=count, threads_per_worker=1, processes=True, host="127.0.0.1",
                                   dashboard_address="127.0.0.1:0")  # loopback only, any free port
        client = Client(cluster)
    report = BatchReport(out, len(client.scheduler_info().get("workers", {})) or count)
    try:
        # Future → (partition, its content key, the records its reader refused): the refusals
        # stay here and join the partition's analyses when they come back.
        in_flight: dict[Any, tuple[str, str, list[BadArticle]]] = {}
        limit = 2 * max(1, report.workers)

        def finish(name: str, key: str, items: list[CodedArticle | BadArticle]) -> None:
            refused = [item for item in items if isinstance(item, BadArticle)]
            report.first_rejections.extend(refused[:_REJECTIONS_SHOWN - len(report.first_rejections)])
            writing = time.perf_counter()
            written = _write_partition(out, name, key, items)
            report.writing_seconds += time.perf_counter() - writing
            report.articles += written["articles"]
            report.events += written["events"]
            report.rejected += written["rejected"]

        def collect(futures: Iterable[Any]) -> None:
            for future in futures:
                name, key, refused = in_flight.pop(future)
                try:
                    items = future.result()
                except Exception as error:  # Dask gave up after the retries: say so, keep going
                    reason = f"{type(error).__name__}: {error}"
                    report.failed[name] = reason
                    _write_atomically(out / "_failed" / f"{name}.json",
                                      lambda path, reason=reason: path.write_text(json.dumps({"reason": reason})))
                    continue
                finish(name, key, [*items, *refused])

        settings_future = client.scatter(settings, broadcast=True)
        for name, chunk, key in _partitions(records, partition_size):
            report.partitions += 1
            if _done_key(out, name) == key:
                report.resumed += 1
                continue
            articles = [item for item in chunk if not isinstance(item, BadArticle)]
            refused = [item for item in chunk if isinstance(item, BadArticle)]
            if not articles:  # nothing to analyse: only its refusals to write
                finish(name, key, list(refused))
                continue
            # On the worker, code_batch builds the worker process's pipeline once and keeps it.
            future = client.submit(code_batch, articles, settings_future, key=f"warmonitor-{key}", retries=retries,
                                   pure=False)
            in_flight[future] = (name, key, refused)
            while len(in_flight) >= limit:
                done, _ = wait(list(in_flight), return_when="FIRST_COMPLETED")
                collect(done)
        while in_flight:
            done, _ = wait(list(in_flight), return_when="FIRST_COMPLETED")
            collect(done)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    report.seconds = time.perf_counter() - started
    return report


# --------------------------------------------------------------------------------------------- load


def partitions_of(folder: Path) -> tuple[list[str], list[str]]:
    """(finished partition names in order, partitions a run started but never finished)."""
    if not (folder / "_batch.json").exists():
        raise BatchError(f"{folder} is not a batch folder (no _batch.json); make one with `warmonitor batch`")
    done = sorted(path.stem for path in (folder / "_done").glob("part-*.json"))
    failed = sorted(path.stem for path in (folder / "_failed").glob("part-*.json"))
    return done, [name for name in failed if name not in done]


def read_partition(folder: Path, name: str) -> Iterator[CodedArticle | BadArticle]:
    """One partition's articles (with their events) and rejections, as ``run`` wrote them."""
    import pyarrow.parquet as pq

    try:
        articles = pq.read_table(folder / "articles" / f"{name}.parquet").to_pylist()
        events = pq.read_table(folder / "events" / f"{name}.parquet", columns=["article_id", "record", "evidence"]).to_pylist()
        rejected = pq.read_table(folder / "rejected" / f"{name}.parquet").to_pylist()
    except (OSError, ValueError) as error:
        raise BatchError(f"{folder}: partition {name} cannot be read: {error}") from error
    by_article: dict[str, list[dict[str, Any]]] = {}
    for row in events:
        by_article.setdefault(row["article_id"], []).append(row)
    for row in articles:
        article = Article(row["text"], date.fromisoformat(row["published"]) if row["published"] else None,
                          row["title"], row["url"], row["source"], row["origin"])
        coded = by_article.get(row["id"], [])
        yield CodedArticle(article, row["shape"],
                           [StoredSentence(s["index"], s["text"], s["start"], s["end"]) for s in row["sentences"]],
                           [json.loads(event["record"]) for event in coded],
                           [json.loads(event["evidence"]) for event in coded])
    for row in rejected:
        kind = PassedOver if row["code"] == PassedOver.code else BadArticle
        yield kind(row["origin"], row["reason"])


def load(folder: Path, settings: Settings) -> LoadReport:
    """Store every finished partition of a batch folder in the settings' database, in order."""
    from warmonitor.store import open_store

    done, missing = partitions_of(folder)
    report = LoadReport(partitions=len(done), missing=missing)
    with open_store(settings.db) as store:
        for name in done:
            for item in read_partition(folder, name):
                if isinstance(item, PassedOver):
                    continue  # said by the run; ingest does not store these either
                if isinstance(item, BadArticle):
                    store.reject(item)
                    report.rejected += 1
                    continue
                added = store.add(item)
                if added is None:
                    report.duplicates += 1
                else:
                    report.articles += 1
                    report.events += added
    return report
