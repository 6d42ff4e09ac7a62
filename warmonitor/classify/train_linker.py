"""Training the event–place linker on Halterman's event–location sentences (MIT licence).

In ``labeled_text.jsonl`` an agency sentence carries a flagged event verb and, if the text gives
one, the location of that act. Every record runs through the pipeline (every
sentence parsed); each place warmonitor recognises in the verb's sentence becomes one pairing,
labelled ``place`` when it overlaps the marked place. Records are used twice, as written and
lowercased, so that the model knows the parse of lowercased corpora too.

The adjudicated records (``source`` RELABEL) are never trained on: they are the test set whose
scores the card keeps. The regularisation and the threshold are chosen by a four-fold
cross-validation over the other records, grouped by sentence (one sentence often carries several
records, one per verb). The same data gives the same model, byte for byte.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from warmonitor.classify.linker import OTHER, PLACE, SHIPPED_LINKER, PlaceLinker, pairing_rows
from warmonitor.classify.model import LinearModel, ModelError
from warmonitor.classify.train import fit_rows, write
from warmonitor.model import Analysis, Article

if TYPE_CHECKING:
    from warmonitor.pipeline import Pipeline

C_CHOICES = (1.0, 3.0, 10.0)
THRESHOLDS = tuple(round(0.15 + 0.05 * step, 2) for step in range(12))  # 0.15 … 0.70
FOLDS = 4
ADJUDICATED = "RELABEL"


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """One record: a sentence, its event verb, and where that event happened (if it says)."""

    id: str
    text: str
    verb: tuple[int, int]
    places: tuple[tuple[int, int], ...]
    adjudicated: bool

    @property
    def group(self) -> int:
        return zlib.crc32(self.text.encode("utf-8"))


@dataclass(slots=True)
class Example:
    """A record's pairings as feature buckets, each labelled by whether it is the record's place."""

    group: int
    has_place: bool
    rows: list[list[int]] = field(default_factory=list)
    labels: list[bool] = field(default_factory=list)


def read_records(path: Path) -> list[LinkRecord]:
    """The accepted records of an event–location JSONL file. A line that is not such a record is an
    error naming the file and line: training on part of the data would go unnoticed."""
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise ModelError(f"cannot read the event–location data {path}: {error}") from error
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if row.get("answer", "accept") != "accept":
                continue
            verbs = spans(row, "VERB")
            if not verbs:
                continue
            records.append(LinkRecord(str(row["_id"]), row["text"], verbs[0], tuple(spans(row, "LOCATION")),
                                      row.get("source") == ADJUDICATED))
        except (ValueError, KeyError, TypeError, IndexError) as error:
            raise ModelError(f"{path}:{number}: not an event–location record ({error})") from error
    return records


def spans(row: dict[str, Any], label: str) -> list[tuple[int, int]]:
    """Character spans of one label, from the token offsets (in some records the spans' own
    character offsets point at the wrong text; their tokens do not)."""
    tokens = row.get("tokens", [])
    spans = []
    for span in row.get("spans", []):
        if span["label"] != label:
            continue
        if 0 <= span["token_start"] <= span["token_end"] < len(tokens):
            spans.append((int(tokens[span["token_start"]]["start"]), int(tokens[span["token_end"]]["end"])))
        else:
            spans.append((int(span["start"]), int(span["end"])))
    return spans


def event_word(analysis: Analysis, start: int) -> tuple[int, Any] | None:
    """The sentence index and parsed token of the word starting at ``start`` (article offsets)."""
    for index, sentence in enumerate(analysis.sentences):
        if sentence.span.start <= start < sentence.span.end:
            readable = next((i for i, offset in enumerate(sentence.offsets) if offset >= start), None)
            if readable is None:
                return None
            span = analysis.docs[index].char_span(readable, readable + 1, alignment_mode="expand")
            return (index, span.root) if span is not None and len(span) else None
    return None


def examples(pipeline: Pipeline, records: Sequence[LinkRecord], lowercase: bool = False) -> list[Example]:
    """Each record's pairings, read by the pipeline from the sentence as written (or lowercased)."""
    from warmonitor.stages.places import RECOGNITION, pairings

    pipeline = pipeline.replacing(RECOGNITION)
    texts = [record.text.lower() if lowercase else record.text for record in records]
    analyses = pipeline.analyze_many(Article(text=text, origin=record.id) for text, record in zip(texts, records, strict=True))
    out = []
    for record, analysis in zip(records, analyses, strict=True):
        example = Example(record.group, bool(record.places))
        out.append(example)
        if not isinstance(analysis, Analysis):
            continue
        found = event_word(analysis, record.verb[0])
        if found is None:
            continue
        paired = pairings(analysis, found[0], found[1])
        example.rows = pairing_rows([pairing for _, pairing in paired])
        example.labels = [any(m.location.span.start < end and start < m.location.span.end for start, end in record.places)
                          for m, _ in paired]
    return out


def link_scores(examples: Iterable[Example], probabilities: Sequence[np.ndarray], threshold: float) -> dict[str, float]:
    """Precision, recall and F1 of the records' chosen places, as ``bench/event_location.py`` counts
    them: a record's place is right when it overlaps the marked one."""
    predicted = correct = with_place = 0
    for example, scores in zip(examples, probabilities, strict=True):
        with_place += example.has_place
        if len(scores) and scores.max() >= threshold:
            predicted += 1
            correct += example.labels[int(np.argmax(scores))]
    precision = correct / predicted if predicted else 0.0
    recall = correct / with_place if with_place else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "records": len(list(probabilities))}


def _fit(examples: Sequence[Example], c: float, card: dict[str, Any] | None = None) -> LinearModel:
    rows = [row for example in examples for row in example.rows]
    labels = [PLACE if label else OTHER for example in examples for label in example.labels]
    return fit_rows(rows, labels, c, card)


def _probabilities(model: LinearModel, examples: Sequence[Example]) -> list[np.ndarray]:
    column = model.classes.index(PLACE)
    return [model.scores(example.rows)[:, column] if example.rows else np.zeros(0) for example in examples]


def choose(written: Sequence[Example], lowered: Sequence[Example],
           progress: Callable[[str], None]) -> tuple[float, float, float]:
    """(C, threshold, mean F1) with the best cross-validated F1 over the records as written, each
    fold trained on the other folds' records in both shapes."""
    totals = {(c, threshold): 0.0 for c in C_CHOICES for threshold in THRESHOLDS}
    for fold in range(FOLDS):
        train = [e for e in (*written, *lowered) if e.group % FOLDS != fold]
        held = [e for e in written if e.group % FOLDS == fold]
        for c in C_CHOICES:
            probabilities = _probabilities(_fit(train, c), held)
            for threshold in THRESHOLDS:
                totals[c, threshold] += link_scores(held, probabilities, threshold)["f1"] / FOLDS
        progress(f"fold {fold + 1}/{FOLDS} done")
    (c, threshold), f1 = max(totals.items(), key=lambda item: (item[1], -item[0][0], item[0][1]))
    return c, threshold, round(f1, 4)


def train_linker(pipeline: Pipeline, data: Path, out: Path = SHIPPED_LINKER,
                 progress: Callable[[str], None] = lambda _message: None) -> dict[str, Any]:
    """Train the linker on the data's records other than the adjudicated ones, score it on those,
    and write it to ``out`` with its card. Returns the card."""
    records = read_records(data)
    train = [r for r in records if not r.adjudicated]
    test = [r for r in records if r.adjudicated]
    if not train:
        raise ModelError(f"{data}: no event–location records to train on")
    progress(f"{len(records)} records: {len(train)} to train on, {len(test)} adjudicated held out; parsing")
    written, lowered = examples(pipeline, train), examples(pipeline, train, lowercase=True)
    progress(f"{sum(len(e.rows) for e in written + lowered)} pairings; choosing C and the threshold")
    c, threshold, cv_f1 = choose(written, lowered, progress)
    model = _fit([*written, *lowered], c, card={
        "name": "warmonitor event–place linker", "command": "warmonitor train linker",
        "threshold": threshold, "cross_validated_f1": cv_f1,
    })
    test_scores = {}
    for shape, lowercase in (("cased", False), ("lowercased", True)):
        held = examples(pipeline, test, lowercase=lowercase)
        test_scores[shape] = link_scores(held, _probabilities(model, held), threshold)
    model.card.update({
        "trained_on": {"file": data.name, "sha256": hashlib.sha256(data.read_bytes()).hexdigest(),
                       "records": len(train), "with_a_place": sum(1 for r in train if r.places),
                       "pairings": sum(len(e.rows) for e in written + lowered),
                       "shapes": ["as written", "lowercased"],
                       "licence": "MIT (Halterman, Geolocating Political Events in Text, 2019)"},
        "held_out": {"rule": f"source == {ADJUDICATED!r}", "records": len(test)},
        "test_scores": test_scores,
        "spacy_model": pipeline.resources.settings.spacy_model,
        "spacy_model_version": _version(pipeline.resources.settings.spacy_model),
    })
    write(model, out)
    PlaceLinker.load(out)  # what was written loads
    progress(f"wrote {out}: C {c}, threshold {threshold}, cross-validated F1 {cv_f1}, test {test_scores}")
    return dict(model.card, classes=list(model.classes))


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None
