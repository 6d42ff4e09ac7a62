"""Crash safety, reduced: ingests killed with SIGKILL at random moments lose, duplicate and orphan
nothing (``bench/crash_ingest.py`` runs the full 50 kills)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "crash_ingest.py"


def test_ingest_killed_at_random_moments_loses_and_duplicates_nothing(tmp_path: Path, pipeline: object) -> None:
    spec = importlib.util.spec_from_file_location("crash_ingest", BENCH)
    assert spec is not None and spec.loader is not None
    crash_ingest = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(crash_ingest)
    figures = crash_ingest.crash_test(kills=4, copies=1, seed=7, workers=1, folder=tmp_path, say=lambda _: None)
    assert figures["kills"] == 4
    assert figures["states_with_orphans"] == 0 and figures["lost_articles"] == 0
    assert figures["duplicate_events"] == 0 and figures["cycles_not_matching_reference"] == 0
    assert figures["ok"] is True
