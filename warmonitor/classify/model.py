"""A linear model over hashed features, stored as plain arrays, and the event classifier built on it.

A model folder holds ``model.npz`` (the feature buckets it knows, one weight row per bucket, one
bias per class) and ``card.json`` (its classes, what it was trained on). Loading needs NumPy only;
scikit-learn is needed only to train. Two models make the classifier:

- the **detector**: whether a sentence reports a concrete event (``none`` against ``event``);
- the **typer**: which ACLED sub-type or PLOVER-only type it is.

The shipped models are ``warmonitor/data/models/events/{detector,typer}``, with the data card
``card.json`` beside them. A model trained by ``warmonitor train acled`` has no ``none`` class: it
replaces the typer, and the shipped detector still detects.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from warmonitor.classify.features import FeatureLexicon, features, hashed
from warmonitor.classify.labels import ACLED_SUB_TYPES, NONE
from warmonitor.errors import WarmonitorError
from warmonitor.model import Verdict

# How much a sentence's passage (its short paragraph, or its neighbours) counts beside the sentence
# itself: more for the type (a note's later sentences say what its first reports) than for whether
# there is an event at all (an event-free sentence beside a violent one stays event-free).
PASSAGE_TYPE_WEIGHT = 1.0
PASSAGE_DETECT_WEIGHT = 0.5
SHIPPED = Path(__file__).resolve().parents[1] / "data" / "models" / "events"


class ModelError(WarmonitorError):
    """A model folder that is missing or unreadable, with what to do about it."""

    code = "W203"


@dataclass(frozen=True, slots=True)
class LinearModel:
    """Multinomial logistic regression over hashed, L2-normalised binary features."""

    classes: tuple[str, ...]
    buckets: np.ndarray  # sorted int64 feature buckets the model has weights for
    weights: np.ndarray  # float32, one row per bucket, one column per class
    bias: np.ndarray  # float32, one per class
    card: dict[str, Any]

    def scores(self, rows: Sequence[list[int]]) -> np.ndarray:
        """Class probabilities, one row per text, from each text's sorted distinct buckets."""
        out = np.empty((len(rows), len(self.classes)), dtype=np.float64)
        for index, row in enumerate(rows):
            logits = self.bias.astype(np.float64)
            if row:
                wanted = np.asarray(row, dtype=np.int64)
                positions = np.searchsorted(self.buckets, wanted)
                inside = positions < len(self.buckets)
                positions, wanted = positions[inside], wanted[inside]
                known = positions[self.buckets[positions] == wanted]
                if len(known):
                    logits = logits + self.weights[known].sum(axis=0) / np.sqrt(len(row))
            logits -= logits.max()
            probabilities = np.exp(logits)
            out[index] = probabilities / probabilities.sum()
        return out

    @classmethod
    def load(cls, folder: Path) -> LinearModel:
        try:
            card = json.loads((folder / "card.json").read_text(encoding="utf-8"))
            with np.load(folder / "model.npz") as arrays:
                buckets, weights, bias = arrays["buckets"], arrays["weights"].astype(np.float32), arrays["bias"]
        except (OSError, ValueError, KeyError) as error:
            raise ModelError(f"cannot read an event model in {folder}: {error}; "
                             "train one with `warmonitor train` (or `warmonitor train acled FILE --out DIR`)") from error
        classes = tuple(card["classes"])
        if weights.shape != (len(buckets), len(classes)) or bias.shape != (len(classes),):
            raise ModelError(f"{folder}: the model's arrays do not match its {len(classes)} classes")
        return cls(classes, buckets.astype(np.int64), weights, bias.astype(np.float32), card)

    @property
    def detects(self) -> bool:
        return NONE in self.classes


class EventClassifier:
    """Detector and typer over one shared feature lexicon."""

    def __init__(self, detector: LinearModel, typer: LinearModel, lexicon: FeatureLexicon) -> None:
        if not detector.detects:
            raise ModelError("the detector model has no 'none' class")
        self.detector, self.typer, self.lexicon = detector, typer, lexicon

    @cached_property
    def _typer_name(self) -> str:
        return str(self.typer.card.get("name", "event model"))

    def verdicts(self, texts: Sequence[str], passages: Sequence[str | None] | None = None) -> list[Verdict]:
        """One verdict per text. Where a text has a passage around it (its paragraph, or its
        neighbours), its probabilities move towards the passage's: a note's later
        sentences ("police fired tear gas", "1 fatality") tell what its first one reports."""
        rows = [hashed(features(text, self.lexicon)) for text in texts]
        detected, typed = self._probabilities(rows)
        if passages is not None:
            around = sorted({passage for passage in passages if passage is not None})
            if around:
                index = {passage: i for i, passage in enumerate(around)}
                detected_around, typed_around = self._probabilities([hashed(features(p, self.lexicon)) for p in around])
                rows_within = [row for row, passage in enumerate(passages) if passage is not None]
                at = [index[passage] for passage in passages if passage is not None]
                alone = detected[rows_within]
                detected[rows_within] = alone + PASSAGE_DETECT_WEIGHT * (detected_around[at] - alone)
                alone = typed[rows_within]
                # the surer the sentence is of its own type, the less its passage counts
                share = PASSAGE_TYPE_WEIGHT * (1.0 - alone.max(axis=1, keepdims=True))
                typed[rows_within] = alone + share * (typed_around[at] - alone)
        none = self.detector.classes.index(NONE)
        keep, families = self._typer_columns
        violent = self._violent_columns
        out: list[Verdict] = []
        for detection, typing in zip(detected, typed, strict=True):
            kept = typing[keep] / (float(typing[keep].sum()) or 1.0)
            order = np.argsort(-kept)[:3]
            ranked = tuple((self.typer.classes[keep[i]], float(kept[i])) for i in order)
            family = float(kept[families == families[order[0]]].sum())
            out.append(Verdict(1.0 - float(detection[none]), ranked, self._typer_name, family, float(kept[violent].sum())))
        return out

    def _probabilities(self, rows: Sequence[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        detected = self.detector.scores(rows)
        return detected, (detected.copy() if self.typer is self.detector else self.typer.scores(rows))

    @cached_property
    def _typer_columns(self) -> tuple[list[int], np.ndarray]:
        """The typer's class columns other than "none", and each one's family (as a number)."""
        keep = [i for i, name in enumerate(self.typer.classes) if name != NONE]
        names = [family_of(self.typer.classes[i]) for i in keep]
        return keep, np.asarray([names.index(name) for name in names])


    @cached_property
    def _violent_columns(self) -> np.ndarray:
        """Which of the kept typer columns are violent acts: PLOVER's ASSAULT (looting and burning
        included), and riots."""
        keep, _ = self._typer_columns
        return np.asarray([is_violent(self.typer.classes[i]) for i in keep], dtype=bool)


def is_violent(label: str) -> bool:
    """Whether a class is a violent act (PLOVER ASSAULT, or an ACLED riot)."""
    if label.startswith("PLOVER:"):
        return label == "PLOVER:ASSAULT"
    return label in ACLED_SUB_TYPES and (ACLED_SUB_TYPES[label][1] == "ASSAULT" or ACLED_SUB_TYPES[label][0] == "Riots")


def family_of(label: str) -> str:
    """The ACLED event type of a class; a PLOVER-only class is its own family."""
    return ACLED_SUB_TYPES[label][0] if label in ACLED_SUB_TYPES else label
