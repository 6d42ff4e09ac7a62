"""Store URLs: which store a database URL opens, and the schemes that are refused."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest

from warmonitor.errors import StoreError
from warmonitor.store import STORES, SqliteStore, open_store, register_store


def test_open_store_with_sqlite_url(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "events.sqlite"
    with open_store(f"sqlite:///{path}") as store:
        assert isinstance(store, SqliteStore)
        assert store.path == path
    assert path.exists()


def test_open_store_with_plain_path(tmp_path: Path) -> None:
    path = tmp_path / "plain.sqlite"
    with open_store(str(path)) as store:
        assert isinstance(store, SqliteStore)
        assert store.path == path
        assert store.counts()["articles"] == 0
    assert path.exists()


def test_sqlite_url_with_three_slashes_is_a_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///relative/events.sqlite") as store:
        assert isinstance(store, SqliteStore)
        assert store.path == Path("relative/events.sqlite")
    assert (tmp_path / "relative" / "events.sqlite").exists()


def test_a_missing_database_is_refused_without_create(tmp_path: Path) -> None:
    path = tmp_path / "missing.sqlite"
    with pytest.raises(StoreError, match="no database at"):
        open_store(str(path), create=False)
    assert not path.exists()


@pytest.mark.parametrize(
    ("url", "scheme"),
    [("postgresql://user@localhost/warmonitor", "postgresql"), ("mysql://localhost/db", "mysql"),
     ("sqlite://events.sqlite", "sqlite"), ("SQLITE:///events.sqlite", "SQLITE")],
)
def test_unsupported_scheme(url: str, scheme: str) -> None:
    with pytest.raises(StoreError, match="not supported") as raised:
        open_store(url)
    assert str(raised.value) == f"[W401] database scheme {scheme!r} is not supported yet; use sqlite:///PATH"


def test_sqlite_is_registered() -> None:
    assert STORES["sqlite"] is SqliteStore


def test_a_registered_store_opens_its_scheme(tmp_path: Path) -> None:
    opened: list[tuple[str, bool]] = []

    class MemoryStore(SqliteStore):
        @classmethod
        def from_url(cls, url: str, create: bool = True) -> MemoryStore:
            opened.append((url, create))
            return cls(tmp_path / "memory.sqlite", create)

    with mock.patch.dict(STORES):  # the registry is restored after the test
        assert register_store("memory")(MemoryStore) is MemoryStore
        with open_store("memory://events", create=True) as store:
            assert isinstance(store, MemoryStore)
    assert opened == [("memory://events", True)]
    assert "memory" not in STORES
    with pytest.raises(StoreError, match="'memory' is not supported"):
        open_store("memory://events")
