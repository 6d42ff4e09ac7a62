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

PASSAGE_SENTENCES = 3  # a paragraph this short is read whole, as the training snippets of 1-3 sentences are
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


def passages_around(analysis: Analysis) -> list[str | None]:
    """Each sentence's passage: its whole paragraph when that is short (a brief, an ACLED-style
    note), else the sentence with its neighbours in the paragraph; None for a paragraph of one."""
    by_paragraph: dict[int, list[str]] = {}
    for sentence in analysis.sentences:
        by_paragraph.setdefault(sentence.paragraph, []).append(sentence.text)
    passages: list[str | None] = []
    position: dict[int, int] = {}
    for sentence in analysis.sentences:
        paragraph = by_paragraph[sentence.paragraph]
        at = position[sentence.paragraph] = position.get(sentence.paragraph, -1) + 1
        if len(paragraph) == 1:
            passages.append(None)
        elif len(paragraph) <= PASSAGE_SENTENCES:
            passages.append(" ".join(paragraph))
        else:
            passages.append(" ".join(paragraph[max(at - 1, 0) : at + 2]))
    return passages


def run_many(analyses: Sequence[Analysis], resources: Resources) -> None:
    sentences = [sentence for analysis in analyses for sentence in analysis.sentences]
    texts = [text for analysis in analyses for text in texts_to_classify(analysis)]
    passages = [passage for analysis in analyses for passage in passages_around(analysis)]
    for sentence, verdict in zip(sentences, resources.classifier.verdicts(texts, passages), strict=True):
        sentence.verdict = verdict


STAGE = BatchStage("classify", reads=("sentences",), writes=("sentences.verdict",), step=run_many)
