"""Analysis on several CPU cores: worker processes, each with its own pipeline built once.

:class:`PipelinePool` has the ``analyze_many`` of :class:`~warmonitor.pipeline.Pipeline`, so
``api.ingest_records`` and the other callers take either. Articles go to the workers in batches;
results come back in input order as :class:`~warmonitor.model.CodedArticle` (plain values, cheap to
send back) or :class:`~warmonitor.errors.BadArticle`. A worker that dies (out of memory, a crash in
native code) costs nothing but its batch's retry: the pool is rebuilt, the batch is redone article by
article, and only an article that kills a worker twice is refused, with that reason.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from warmonitor.errors import BadArticle
from warmonitor.model import Analysis, Article, CodedArticle
from warmonitor.settings import Settings

log = logging.getLogger(__name__)

Coded = CodedArticle | BadArticle


class Analyzer(Protocol):
    """What ingest needs of a pipeline: articles in, analyses (or refusals) out, in input order."""

    def analyze_many(self, articles: Iterable[Article | BadArticle]) -> Iterator[Analysis | Coded]: ...

    def close(self) -> None: ...


# One pipeline per worker process, built once (by the pool's initializer, or on a Dask worker by
# the first partition) and kept for the process's life, with the settings it was built from.
_worker_pipeline: Analyzer | None = None
_worker_settings: Settings | None = None


def _start_worker(settings: Settings) -> None:
    global _worker_pipeline, _worker_settings
    from warmonitor.pipeline import Pipeline

    pipeline = Pipeline.default(settings)
    pipeline.nlp  # load spaCy now, not inside the first batch  # noqa: B018
    _worker_pipeline, _worker_settings = pipeline, settings


def code_batch(articles: list[Article], settings: Settings | None = None) -> list[Coded]:
    """Analyse a batch with this process's pipeline, the results in plain values. ``settings``
    other than those the pipeline was built from build it again."""
    if _worker_pipeline is None or (settings is not None and settings != _worker_settings):
        _start_worker(settings or Settings.load())
    assert _worker_pipeline is not None
    return [item if isinstance(item, BadArticle) else CodedArticle.of(item)
            for item in _worker_pipeline.analyze_many(articles)]


@contextmanager
def ctrl_c_ignored() -> Iterator[None]:
    """Ctrl-C belongs to the parent, which stops the pool and says so once: worker processes are
    started ignoring it (a disposition they keep), instead of each printing a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@dataclass(slots=True)
class _Pending:
    """A refusal passed through in place, or a batch on its way through a worker."""

    refusal: BadArticle | None = None
    batch: list[Article] | None = None
    future: Future[list[Coded]] | None = None


class PipelinePool:
    """``processes`` worker processes analysing batches of ``batch_size`` articles; at most two
    batches per worker are in flight, so memory stays bounded on any corpus."""

    def __init__(self, settings: Settings, processes: int, batch_size: int = 16,
                 work: Callable[[list[Article]], list[Coded]] = code_batch,
                 start: Callable[[Settings], None] = _start_worker) -> None:
        self.settings = settings
        self.processes = max(1, processes)
        self.batch_size = max(1, batch_size)
        self._work = work  # what a worker does with a batch, and how it starts: tests replace them
        self._start = start
        self._executor: ProcessPoolExecutor | None = None

    def _pool(self) -> ProcessPoolExecutor:
        if self._executor is None:
            # spawn: a worker starts clean, without the parent's threads, locks or open databases.
            self._executor = ProcessPoolExecutor(self.processes, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=self._start, initargs=(self.settings,))
        return self._executor

    def _submit(self, batch: list[Article]) -> Future[list[Coded]]:
        with ctrl_c_ignored():  # workers started now inherit it
            return self._pool().submit(self._work, batch)

    def _restart(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = None

    def analyze_many(self, articles: Iterable[Article | BadArticle]) -> Iterator[Coded]:
        pending: deque[_Pending] = deque()
        in_flight = 0
        batch: list[Article] = []

        def submit(items: list[Article]) -> None:
            nonlocal in_flight
            pending.append(_Pending(batch=items, future=self._submit(items)))
            in_flight += 1

        for item in articles:
            if isinstance(item, BadArticle):
                if batch:
                    submit(batch)
                    batch = []
                pending.append(_Pending(refusal=item))
            else:
                batch.append(item)
                if len(batch) >= self.batch_size:
                    submit(batch)
                    batch = []
            while in_flight >= 2 * self.processes:
                in_flight -= yield from self._yield_first(pending)
        if batch:
            submit(batch)
        while pending:
            in_flight -= yield from self._yield_first(pending)

    def _yield_first(self, pending: deque[_Pending]) -> Generator[Coded, None, int]:
        """Yield the oldest batch's results (waiting for them) with the refusals queued around it;
        return how many batches that took off the queue (0 or 1)."""
        yield from self._refusals(pending)
        if not pending:
            return 0
        entry = pending.popleft()
        assert entry.batch is not None and entry.future is not None
        try:
            results = entry.future.result()
        except BrokenProcessPool:
            results = self._after_crash(entry.batch, pending)
        yield from results
        yield from self._refusals(pending)
        return 1

    @staticmethod
    def _refusals(pending: deque[_Pending]) -> Iterator[BadArticle]:
        """The refusals at the front of the queue, taken off it."""
        while pending and (refusal := pending[0].refusal) is not None:
            pending.popleft()
            yield refusal

    def _after_crash(self, batch: list[Article], pending: deque[_Pending]) -> list[Coded]:
        """A worker died: rebuild the pool, redo this batch one article at a time, and resubmit the
        batches queued behind it (their futures died with the pool)."""
        log.warning("a worker process died; redoing its batch of %d article(s) one by one", len(batch))
        self._restart()
        results: list[Coded] = []
        for article in batch:
            results.append(self._alone(article))
        for entry in pending:
            if entry.batch is not None:
                entry.future = self._submit(entry.batch)
        return results

    def _alone(self, article: Article) -> Coded:
        for attempt in (1, 2):
            try:
                return self._submit([article]).result()[0]
            except BrokenProcessPool:
                self._restart()
                log.warning("worker died on %s (attempt %d)", article.origin or article.id, attempt)
        return BadArticle(article.origin or article.id, "a worker process died twice while analysing it "
                          "(out of memory, or a crash in native code)")

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def __enter__(self) -> PipelinePool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
