"""The pipeline: the stages in order, checked when built, run per article or per batch.

    ingest → text → parse → actors → events → places → dates → dedup → store

``ingest`` (reading files) and ``store`` (the database) sit outside :class:`Pipeline`, which turns
one :class:`~warmonitor.model.Article` into one :class:`~warmonitor.model.Analysis`. Each stage
module declares the fields it ``READS`` and ``WRITES``; building the pipeline checks that every
field read is written by an earlier stage, so a missing or misplaced stage fails at start.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from warmonitor import actors, dates, dedup, events, parse, places, text
from warmonitor.errors import BadArticle, PipelineError
from warmonitor.model import Analysis, Article
from warmonitor.resources import Resources
from warmonitor.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Stage:
    name: str
    module: ModuleType
    run: Callable[[Analysis, Resources], None]

    @property
    def reads(self) -> tuple[str, ...]:
        return tuple(getattr(self.module, "READS", ()))

    @property
    def writes(self) -> tuple[str, ...]:
        return tuple(getattr(self.module, "WRITES", ()))


DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage("text", text, lambda analysis, resources: text.run(analysis)),
    Stage("parse", parse, parse.run),
    Stage("actors", actors, actors.run),
    Stage("events", events, events.run),
    Stage("places", places, places.run),
    Stage("dates", dates, lambda analysis, resources: dates.run(analysis)),
    Stage("dedup", dedup, lambda analysis, resources: dedup.run(analysis)),
)


def validate(stages: Iterable[Stage]) -> None:
    """Every field a stage reads must be written by an earlier one (``article.*`` is given)."""
    available = {"article.text"}
    for stage in stages:
        for field in stage.reads:
            if field not in available and field.split(".")[0] not in available:
                raise PipelineError(f"stage {stage.name!r} reads {field!r}, which no earlier stage writes")
        available.update(stage.writes)
        available.update(field.split(".")[0] for field in stage.writes)


class Pipeline:
    """Article in, coded events out. Build once; it loads spaCy and the gazetteer."""

    def __init__(self, resources: Resources, stages: tuple[Stage, ...] = DEFAULT_STAGES) -> None:
        validate(stages)
        self.resources = resources
        self.stages = stages

    @classmethod
    def default(cls, settings: Settings | None = None) -> Pipeline:
        return cls(Resources.load(settings or Settings.load()))

    @property
    def nlp(self) -> Any:
        return self.resources.nlp

    def analyze(self, article: Article) -> Analysis:
        """Run every stage over one article; errors propagate (see ``analyze_many`` for batches)."""
        return self._run_batch([Analysis(article)])[0]

    def _run_batch(self, analyses: list[Analysis]) -> list[Analysis]:
        for stage in self.stages:
            if stage.name == "parse":
                parse.run_many(analyses, self.resources)  # one spaCy batch for all articles
                continue
            for analysis in analyses:
                stage.run(analysis, self.resources)
        return analyses

    def analyze_many(self, articles: Iterable[Article | BadArticle], batch_size: int = 16,
                     on_error: str | None = None) -> Iterator[Analysis | BadArticle]:
        """Analyses in input order; a bad article comes back as a BadArticle, never stops the batch
        (unless ``on_error='raise'``, for development)."""
        policy = on_error or self.resources.settings.on_error
        batch: list[Article] = []
        for item in articles:
            if isinstance(item, BadArticle):
                if policy == "raise":
                    raise item
                yield from self._flush(batch, policy)
                batch = []
                yield item
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._flush(batch, policy)
                batch = []
        yield from self._flush(batch, policy)

    def _flush(self, batch: list[Article], policy: str) -> Iterator[Analysis | BadArticle]:
        if not batch:
            return
        # The batch boundary is where one article's failure, whatever it is, must not cost the
        # others: catch broadly here, report the article with its reason, and go on.
        try:
            results = self._run_batch([Analysis(article) for article in batch])
        except Exception as error:
            if policy == "raise":
                raise
            log.debug("batch failed (%s); retrying one by one", error)
        else:
            yield from results
            return
        for article in batch:  # find the article that broke the batch; keep the rest
            try:
                yield self._run_batch([Analysis(article)])[0]
            except Exception as error:
                if policy == "raise":
                    raise
                yield BadArticle(article.origin or article.id, f"pipeline error: {type(error).__name__}: {error}")
