"""`warmonitor batch` on a local Dask cluster with 1 and 2 workers against a single-process ingest
of the same real articles: wall time, speed-up, and whether `warmonitor load` of each batch gives
exactly the database the single-process ingest gives (canonical events and per-article events).

Corpus: the real-news mix of ``bench/throughput.py`` (GeoWebNews cased and lowercased, LGL,
IndiaPoliceEvents from ``../shared``), written to a temporary JSONL file that every run reads.
Batch times are wall time of the whole command (cluster start and model loading included);
``analysis_*`` subtract the first partition's wait, which is mostly that start-up.

    .venv/bin/python bench/batch_scaling.py [--articles N] [--partition-size P]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import emit_json, say
from throughput import corpus


def fingerprint(settings: Any, mentions: bool) -> str:
    from warmonitor import api

    digest = hashlib.sha1()
    for record in api.events(settings, mentions=mentions):
        digest.update(json.dumps(record, sort_keys=True).encode())
    return digest.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--partition-size", type=int, default=25)
    args = parser.parse_args()

    from warmonitor import api
    from warmonitor.settings import Settings

    articles, counts = corpus(args.articles)
    figures: dict[str, Any] = {"articles": len(articles), "partition_size": args.partition_size}
    with tempfile.TemporaryDirectory(prefix="warmonitor-batch-") as folder:
        root = Path(folder)
        source = root / "corpus.jsonl"
        with source.open("w", encoding="utf-8") as handle:
            for article in articles:
                handle.write(json.dumps({"text": article.text, "date": str(article.published or "") or None,
                                         "id": article.origin}) + "\n")

        def settings_for(name: str, workers: int = 1) -> Settings:
            return Settings.load(db=f"sqlite:///{root / (name + '.sqlite')}", workers=workers)

        single = settings_for("single")
        started = time.perf_counter()
        report = api.ingest([str(source)], single)
        figures["single_process_s"] = round(time.perf_counter() - started, 1)
        say(f"single process: {report.articles} articles in {figures['single_process_s']}s")
        expected = (fingerprint(single, False), fingerprint(single, True))

        for workers in (1, 2):
            out = root / f"batch{workers}"
            started = time.perf_counter()
            batch = api.batch([str(source)], out, settings_for(f"batch{workers}"), workers=workers,
                              partition_size=args.partition_size)
            figures[f"batch_{workers}_workers_s"] = round(time.perf_counter() - started, 1)
            figures[f"driver_ms_per_article_{workers}"] = round(1000 * batch.writing_seconds / max(1, batch.articles), 2)
            say(f"batch, {workers} worker(s): {batch.articles} articles in {figures[f'batch_{workers}_workers_s']}s, "
                f"{len(batch.failed)} failed partitions")
            started = time.perf_counter()
            loaded = api.load(out, settings_for(f"batch{workers}"))
            figures[f"load_{workers}_s"] = round(time.perf_counter() - started, 1)
            figures[f"load_ms_per_article_{workers}"] = round(1000 * figures[f"load_{workers}_s"] / max(1, loaded.articles), 2)
            got = (fingerprint(settings_for(f"batch{workers}"), False), fingerprint(settings_for(f"batch{workers}"), True))
            figures[f"identical_{workers}_workers"] = got == expected
            figures[f"failed_partitions_{workers}"] = len(batch.failed)
            say(f"load: {loaded.articles} articles, {loaded.events} events; identical to single process: {got == expected}")
    figures["speedup_2_vs_1"] = round(figures["batch_1_workers_s"] / figures["batch_2_workers_s"], 2)
    figures["articles_per_s_2_workers"] = round(len(articles) / figures["batch_2_workers_s"], 1)
    figures["corpus"] = counts
    emit_json(figures)


if __name__ == "__main__":
    main()
