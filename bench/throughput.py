"""Ingest throughput on real news: articles/s and words/s through the path `warmonitor ingest` takes,
against spaCy's small English pipeline parsing the same texts with 2 processes, in the same run.

Corpus (all read from ``../shared``; nothing copied): GeoWebNews as written (cased) and in the
research shape (lowercased, tokenized, a sentence a line), LGL local news, and IndiaPoliceEvents
documents (lowercased prose with encoding damage), interleaved; ``--articles`` (default 1,000) are
taken in the proportions 200 : 200 : 300 : 300 with every k-th article of each set.

warmonitor: ``api.ingest_records`` into a fresh SQLite database with the pipeline built once and
warmed on a few articles outside the set (what `warmonitor ingest` does, storing and clustering
included), with ``--workers`` analysis processes (default: the setting ``workers``).
Reference: ``spacy.load(<the pipeline's spaCy model>).pipe(texts, n_process=2)`` over the same texts,
every component on. Tokenizer: the same model's tokenizer alone, one process.
Words are whitespace-separated tokens holding a letter or digit. ``peak_rss_mb`` is the largest sum
of resident memory over this process and its children seen during the warmonitor run (sampled
every 0.2 s), so worker processes count; it counts pages the processes share (libraries) once per
process. ``peak_pss_mb`` is the same with each shared page divided between its processes.

    .venv/bin/python bench/throughput.py [--articles N] [--workers N] [--no-reference]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from _common import count_words, emit_json, every_kth, load_gwn, load_lgl, say, shape_article, shared_path

if TYPE_CHECKING:
    from warmonitor.model import Article

SHARES = {"gwn": 0.2, "gwn_lowercased": 0.2, "lgl": 0.3, "ipe": 0.3}
IPE_DATE = re.compile(r"this story is from (\w+ \d{1,2}, \d{4})", re.IGNORECASE)


def ipe_articles(limit: int) -> list[Article]:
    from datetime import datetime

    from warmonitor.model import Article

    path = shared_path("datasets", "india-police-events", "docs.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = []
    for row in every_kth(rows, limit):
        text = row["doc_text"]
        found = IPE_DATE.search(text[:200])
        published = datetime.strptime(found.group(1), "%B %d, %Y").date() if found else None
        articles.append(Article(text, published, origin=f"ipe:{row['doc_id']}"))
    return articles


def corpus(total: int) -> tuple[list[Article], dict[str, int]]:
    """The interleaved real-news corpus and how many articles came from each set."""
    from warmonitor.model import Article

    counts = {name: round(total * share) for name, share in SHARES.items()}
    counts["ipe"] = total - sum(counts[name] for name in counts if name != "ipe")
    gwn = [Article(doc.text, doc.published, origin=doc.doc_id) for doc in load_gwn()]
    sets = {
        "gwn": every_kth(gwn, counts["gwn"]),
        "gwn_lowercased": [shape_article(article)[0] for article in every_kth(gwn[1:] + gwn[:1], counts["gwn_lowercased"])],
        "lgl": [Article(doc.text, doc.published, origin=doc.doc_id) for doc in load_lgl(counts["lgl"])],
        "ipe": ipe_articles(counts["ipe"]),
    }
    # Round-robin so every batch holds every shape, as a mixed real feed would.
    mixed: list[Article] = []
    longest = max(len(items) for items in sets.values())
    for i in range(longest):
        mixed += [items[i] for items in sets.values() if i < len(items)]
    return mixed, {name: len(items) for name, items in sets.items()}


class PeakMemory:
    """Samples the resident memory of this process plus its children until stopped."""

    def __init__(self, every: float = 0.2) -> None:
        import psutil

        self.process = psutil.Process()
        self.every = every
        self.peak = 0
        self.peak_proportional = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> tuple[int, int]:
        """(resident, proportional) bytes of the process tree: RSS counts a page shared by
        several processes (libraries) in each of them, PSS divides it between them."""
        resident = proportional = 0
        for process in (self.process, *self.process.children(recursive=True)):
            try:
                resident += process.memory_info().rss
                proportional += getattr(process.memory_full_info(), "pss", 0)
            except Exception:  # a worker that exited between listing and reading
                continue
        return resident, proportional

    def _record(self) -> None:
        resident, proportional = self._sample()
        self.peak = max(self.peak, resident)
        self.peak_proportional = max(self.peak_proportional, proportional)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._record()
            self._stop.wait(self.every)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._record()

    @property
    def megabytes(self) -> tuple[float, float]:
        return round(self.peak / 2**20, 1), round(self.peak_proportional / 2**20, 1)


def warmonitor_run(articles: list[Article], workers: int | None) -> tuple[float, Any, tuple[float, float], int]:
    """Seconds, the ingest report, peak MB (RSS and PSS) and worker processes for ingesting
    ``articles`` into a new database."""
    from warmonitor import api
    from warmonitor.model import Article as ArticleType
    from warmonitor.settings import Settings

    with tempfile.TemporaryDirectory(prefix="warmonitor-throughput-") as folder:
        overrides: dict[str, Any] = {"db": f"sqlite:///{Path(folder) / 'bench.sqlite'}"}
        if workers is not None:
            overrides["workers"] = workers
        settings = Settings.load(**overrides)
        with PeakMemory() as memory:
            started = time.perf_counter()
            pipe = api.build_pipeline(settings)
            warm = [ArticleType(f"Police in Lahore said on Monday that {n} people were hurt in a blast at a market.")
                    for n in range(3)]
            api.ingest_records(warm, settings, pipeline=pipe)
            say(f"pipeline built and warmed in {time.perf_counter() - started:.1f}s")
            started = time.perf_counter()
            report = api.ingest_records(articles, settings, pipeline=pipe, progress=True)
            seconds = time.perf_counter() - started
            pipe.close()
        return seconds, report, memory.megabytes, settings.worker_count


def spacy_reference(texts: list[str], model: str) -> tuple[float, float]:
    """Seconds for spaCy's full pipeline with 2 processes, and for its tokenizer alone."""
    import spacy

    nlp = spacy.load(model)
    started = time.perf_counter()
    for _ in nlp.pipe(texts, n_process=2, batch_size=32):
        pass
    parse_seconds = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        nlp.tokenizer(text)
    return parse_seconds, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=1000, help="real articles to ingest (default 1000)")
    parser.add_argument("--workers", type=int, default=None, help="analysis processes (default: the setting)")
    parser.add_argument("--no-reference", action="store_true", help="skip the spaCy reference (quick runs)")
    args = parser.parse_args()

    from warmonitor.settings import Settings

    articles, counts = corpus(args.articles)
    words = sum(count_words(article.text) for article in articles)
    say(f"corpus: {len(articles)} articles ({', '.join(f'{k} {v}' for k, v in counts.items())}), {words} words")
    seconds, report, peak, workers = warmonitor_run(articles, args.workers)
    say(f"warmonitor: {len(articles)} articles in {seconds:.1f}s; stored {report.articles}, "
        f"{report.events} events, {len(report.rejected)} rejected, {report.duplicates} duplicates")
    figures: dict[str, Any] = {
        "articles_per_s": round(len(articles) / seconds, 2),
        "words_per_s": round(words / seconds, 1),
    }
    if not args.no_reference:
        model = Settings.load().spacy_model
        reference_seconds, tokenizer_seconds = spacy_reference([article.text for article in articles], model)
        figures["spacy_sm_articles_per_s"] = round(len(articles) / reference_seconds, 2)
        figures["ratio_vs_spacy"] = round(reference_seconds / seconds, 2)
        figures["tokenizer_words_per_s"] = round(words / tokenizer_seconds, 1)
    figures |= {
        "peak_rss_mb": peak[0],
        "peak_pss_mb": peak[1],
        "articles": len(articles),
        "words": words,
        "words_per_article": round(words / len(articles)),
        "stored": report.articles,
        "events": report.events,
        "rejected": len(report.rejected),
        "seconds": round(seconds, 2),
        "workers": workers,
    }
    say(", ".join(f"{key} {value}" for key, value in figures.items()))
    emit_json(figures)


if __name__ == "__main__":
    main()
