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

SHORT_SENTENCE = 10  # words; a shorter sentence is read with the one before ("Seven people were killed.")


def texts_to_classify(analysis: Analysis) -> list[str]:
    """Each sentence's text; a short one with the sentence before it, as the training snippets of
    two sentences are: alone, "Seven people were killed." could be a disaster's toll."""
    texts: list[str] = []
    previous = ""
    for sentence in analysis.sentences:
        short = len(sentence.text.split()) < SHORT_SENTENCE
        texts.append(f"{previous} {sentence.text}" if short and previous else sentence.text)
        previous = sentence.text
    return texts


def run_many(analyses: Sequence[Analysis], resources: Resources) -> None:
    sentences = [sentence for analysis in analyses for sentence in analysis.sentences]
    texts = [text for analysis in analyses for text in texts_to_classify(analysis)]
    for sentence, verdict in zip(sentences, resources.classifier.verdicts(texts), strict=True):
        sentence.verdict = verdict


STAGE = BatchStage("classify", reads=("sentences",), writes=("sentences.verdict",), step=run_many)
