"""Classify stage: the learned detector and typer read every sentence before it is parsed.

Each sentence gets a :class:`~warmonitor.model.Verdict`: how likely it reports a concrete event,
and its likeliest ACLED sub-types or PLOVER types. The parse stage skips the dependency parse of
sentences judged event-free, and the events stage uses the verdict beside its rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from warmonitor.model import Analysis
from warmonitor.resources import Resources
from warmonitor.stages.base import BatchStage


def run_many(analyses: Sequence[Analysis], resources: Resources) -> None:
    sentences = [sentence for analysis in analyses for sentence in analysis.sentences]
    verdicts = resources.classifier.verdicts([sentence.text for sentence in sentences])
    for sentence, verdict in zip(sentences, verdicts, strict=True):
        sentence.verdict = verdict


STAGE = BatchStage("classify", reads=("sentences",), writes=("sentences.verdict",), step=run_many)
