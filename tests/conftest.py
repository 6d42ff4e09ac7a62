"""Session fixtures: one gazetteer, one spaCy pipeline, a scratch database per session; and the two
engines store and server tests run on: SQLite in a temporary folder, and PostgreSQL on the
throwaway server test.sh starts (``WARMONITOR_TEST_POSTGRES_URL``), a fresh database per test."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from warmonitor.settings import Settings

from .helpers import unavailable

ROOT = Path(__file__).resolve().parents[1]

# Tests analyse in their own process, sharing one pipeline; tests of the worker pool ask for
# processes themselves. Set before any Settings is loaded, and inherited by CLI subprocesses.
os.environ.setdefault("WARMONITOR_WORKERS", "1")


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


POSTGRES_URL = os.environ.get("WARMONITOR_TEST_POSTGRES_URL")


def postgres_admin_url() -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    unavailable("no PostgreSQL server: ./test.sh starts one (set WARMONITOR_TEST_POSTGRES_URL to use your own)",
                "WARMONITOR_REQUIRE_POSTGRES")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped after the test."""
    import sqlalchemy as sa

    admin = sa.create_engine(postgres_admin_url(), isolation_level="AUTOCOMMIT")
    name = f"wm_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(postgres_admin_url()).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'events.sqlite'}"
    return str(request.getfixturevalue("postgres_url"))
