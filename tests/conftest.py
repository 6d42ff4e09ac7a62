"""Session fixtures: one gazetteer, one spaCy pipeline, a scratch database per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from warmonitor.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def _gazetteer() -> Path:
    candidates = [os.environ.get("WARMONITOR_GAZETTEER"), Settings.load().gazetteer, ROOT / "var" / "gazetteer.sqlite"]
    for candidate in candidates:
        if candidate and Path(candidate).exists():
            return Path(candidate)
    return Settings.load().gazetteer  # built on first use by the pipeline fixture


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    home = tmp_path_factory.mktemp("home")
    return Settings.load(home=home, gazetteer=_gazetteer(), db=f"sqlite:///{home / 'test.sqlite'}", on_error="skip")


@pytest.fixture(scope="session")
def pipeline(settings: Settings) -> Iterator[object]:
    import importlib.util

    if importlib.util.find_spec(settings.spacy_model) is None:
        pytest.skip(f"spaCy pipeline {settings.spacy_model} not installed; run ./test.sh, which installs it")
    from warmonitor.pipeline import Pipeline

    yield Pipeline.default(settings)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    path = Path(os.environ.get("WARMONITOR_SHARED", ROOT.parent / "shared"))
    if not (path / "samples").is_dir():
        pytest.skip(f"{path} (third-party samples and gold data) is not beside this clone")
    return path
