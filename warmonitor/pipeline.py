"""The pipeline: the stages in order, checked when built, run over batches of articles.

    ingest → text → parse → actors → events → places → dates → dedup → store

``ingest`` (reading files) and ``store`` (the database) sit outside :class:`Pipeline`, which turns
:class:`~warmonitor.model.Article` records into :class:`~warmonitor.model.Analysis` results. Each
stage (:class:`~warmonitor.stages.base.Stage`) runs on a batch and declares the model fields it
``reads`` and ``writes``. Building a pipeline checks that every declared name is a real field of
the model and that every field read is written by an earlier stage.
"""

from __future__ import annotations

import dataclasses
import logging
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

from warmonitor.errors import BadArticle, PipelineError
from warmonitor.model import Analysis, Article
from warmonitor.resources import Resources
from warmonitor.settings import Settings
from warmonitor.stages import actors, classify, dates, dedup, events, parse, places, text
from warmonitor.stages.base import Stage

log = logging.getLogger(__name__)

DEFAULT_STAGES: tuple[Stage, ...] = (
    text.STAGE, classify.STAGE, parse.STAGE, actors.STAGE, events.STAGE, places.STAGE, dates.STAGE, dedup.STAGE,
)


def _dataclass_in(hint: Any) -> type | None:
    """The model class a field holds, alone, in a list, or optional; None for plain values."""
    if dataclasses.is_dataclass(hint) and isinstance(hint, type):
        return hint
    if typing.get_origin(hint) in {list, typing.Union, types.UnionType}:
        inner = [_dataclass_in(arg) for arg in typing.get_args(hint) if arg is not type(None)]
        return inner[0] if len(inner) == 1 else None
    return None


def _names(cls: type) -> dict[str, Any]:
    """Field name → type hint, plus computed properties (``article.id``)."""
    hints = typing.get_type_hints(cls)
    names: dict[str, Any] = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    names.update({name: None for name, value in vars(cls).items() if isinstance(value, property)})
    return names


@cache
def model_fields() -> frozenset[str]:
    """Every name a stage may declare: the analysis' fields and, one level down, theirs
    ("sentences", "sentences.text", "events.location", "article.published")."""
    found: set[str] = set()
    for name, hint in _names(Analysis).items():
        found.add(name)
        inner = _dataclass_in(hint)
        if inner is not None:
            found.update(f"{name}.{child}" for child in _names(inner))
    return frozenset(found)


def _covered(name: str, available: set[str]) -> bool:
    """A field is available when it, or an object holding it, was written ("events" covers "events.date")."""
    parts = name.split(".")
    return any(".".join(parts[:depth]) in available for depth in range(1, len(parts) + 1))


def validate(stages: Iterable[Stage]) -> None:
    """Refuse stages without declarations, with names the model does not have, or out of order."""
    known = model_fields()
    available = {"article"}  # the article is given; everything else some stage must write
    seen: set[str] = set()
    for stage in stages:
        name = getattr(stage, "name", None)
        if not isinstance(name, str) or not callable(stage):
            raise PipelineError(f"{stage!r} is not a stage: it needs a name and must be callable on a batch")
        if name in seen:
            raise PipelineError(f"two stages are named {name!r}")
        seen.add(name)
        for role in ("reads", "writes"):
            declared = getattr(stage, role, None)
            if not isinstance(declared, tuple) or not all(isinstance(item, str) for item in declared):
                raise PipelineError(f"stage {name!r} must declare {role} as a tuple of field names")
            unknown = [item for item in declared if item not in known]
            if unknown:
                raise PipelineError(f"stage {name!r} {role} {', '.join(map(repr, unknown))}: not a field of the model")
        for field in stage.reads:
            if not _covered(field, available):
                raise PipelineError(f"stage {name!r} reads {field!r}, which no earlier stage writes")
        available.update(stage.writes)


class Pipeline:
    """Article in, coded events out. Build once; it loads spaCy and the gazetteer."""

    def __init__(self, resources: Resources, stages: Sequence[Stage] = DEFAULT_STAGES) -> None:
        self.stages = tuple(stages)
        validate(self.stages)
        self.resources = resources

    @classmethod
    def default(cls, settings: Settings | None = None) -> Pipeline:
        return cls(Resources.load(settings or Settings.load()))

    def replacing(self, *stages: Stage) -> Pipeline:
        """The same pipeline with each given stage in place of the default stage of its name."""
        by_name = {stage.name: stage for stage in stages}
        unknown = set(by_name) - {stage.name for stage in self.stages}
        if unknown:
            raise PipelineError(f"no stage named {', '.join(sorted(unknown))} to replace")
        return Pipeline(self.resources, tuple(by_name.get(stage.name, stage) for stage in self.stages))

    @property
    def nlp(self) -> Any:
        return self.resources.nlp

    def close(self) -> None:
        """Nothing to release (a pool of workers has processes to stop; see ``workers``)."""

    def analyze(self, article: Article) -> Analysis:
        """Run every stage over one article; errors propagate (see ``analyze_many`` for batches)."""
        return self.run_batch([Analysis(article)])[0]

    def run_batch(self, analyses: list[Analysis]) -> list[Analysis]:
        """Every stage, in order, over the whole batch."""
        for stage in self.stages:
            stage(analyses, self.resources)
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
            results = self.run_batch([Analysis(article) for article in batch])
        except Exception as error:
            if policy == "raise":
                raise
            log.debug("batch failed (%s); retrying one by one", error)
        else:
            yield from results
            return
        for article in batch:  # find the article that broke the batch; keep the rest
            try:
                yield self.run_batch([Analysis(article)])[0]
            except Exception as error:
                if policy == "raise":
                    raise
                yield BadArticle(article.origin or article.id, f"pipeline error: {type(error).__name__}: {error}")
