"""Precision, recall and F1 counts, shared by the gold scorer and the classifier's held-out test."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class FieldScore:
    """Counts for one field or class: right values, predicted values, gold values."""

    right: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {"precision": round(self.precision, 3), "recall": round(self.recall, 3), "f1": round(self.f1, 3),
                "gold": self.gold, "predicted": self.predicted, "right": self.right}
