"""Golden gate: our own sample articles, cased and lowercased, against pinned score floors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warmonitor.evaluate import score
from warmonitor.pipeline import Pipeline

FLOORS = json.loads((Path(__file__).parent / "golden" / "floors.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("shape", ["cased", "lowercased"])
def test_golden_articles_meet_their_floors(pipeline: Pipeline, shape: str) -> None:
    result = score(pipeline, lowercase=shape == "lowercased")
    figures = result.figures()
    below = {name: (figures[name], floor) for name, floor in FLOORS[shape].items() if figures[name] < floor}
    assert not below, f"below floor (got, floor): {below}\nmisses:\n" + "\n".join(result.misses)
    assert result.violations <= FLOORS["max_violations"], "\n".join(m for m in result.misses if "VIOLATION" in m)


def test_lowercasing_does_not_collapse_detection(pipeline: Pipeline) -> None:
    cased = score(pipeline, lowercase=False)
    lowered = score(pipeline, lowercase=True)
    assert lowered.detection >= cased.detection - 0.05
    assert lowered.field_accuracy("actor1_country") >= cased.field_accuracy("actor1_country") - 0.05
