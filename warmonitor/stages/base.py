"""What a stage is: a named step over a batch of analyses that declares the fields it reads and writes.

The pipeline checks the declarations when it is built (every name a real field of the model, every
field read written by an earlier stage), so a misspelt name or a misplaced stage fails at start.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from warmonitor.model import Analysis
    from warmonitor.resources import Resources


@runtime_checkable
class Stage(Protocol):
    """A pipeline step. ``reads``/``writes`` name model fields ("sentences", "events.location")."""

    @property
    def name(self) -> str: ...

    @property
    def reads(self) -> tuple[str, ...]: ...

    @property
    def writes(self) -> tuple[str, ...]: ...

    def __call__(self, batch: Sequence[Analysis], resources: Resources) -> None: ...


@dataclass(frozen=True, slots=True)
class ArticleStage:
    """A stage whose work is per article: its step runs on each analysis of the batch in turn."""

    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    step: Callable[[Analysis, Resources], None]

    def __call__(self, batch: Sequence[Analysis], resources: Resources) -> None:
        for analysis in batch:
            self.step(analysis, resources)


@dataclass(frozen=True, slots=True)
class BatchStage:
    """A stage that gains from seeing the whole batch at once (one spaCy ``pipe`` call for all)."""

    name: str
    reads: tuple[str, ...]
    writes: tuple[str, ...]
    step: Callable[[Sequence[Analysis], Resources], None]

    def __call__(self, batch: Sequence[Analysis], resources: Resources) -> None:
        self.step(batch, resources)
