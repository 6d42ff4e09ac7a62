"""Store URLs: which store a database URL opens, and the schemes that are refused."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest

from warmonitor.errors import StoreError
from warmonitor.store import STORES, SqlStore, open_store, register_store


def test_open_store_with_sqlite_url(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "events.sqlite"
    with open_store(f"sqlite:///{path}") as store:
        assert isinstance(store, SqlStore) and store.sqlite
        assert store.counts()["articles"] == 0
    assert path.exists()


def test_open_store_with_plain_path(tmp_path: Path) -> None:
    path = tmp_path / "plain.sqlite"
    with open_store(str(path)) as store:
        assert isinstance(store, SqlStore)
    assert path.exists()


def test_sqlite_url_with_three_slashes_is_a_relative_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with open_store("sqlite:///relative/events.sqlite"):
        pass
    assert (tmp_path / "relative" / "events.sqlite").exists()


@pytest.mark.parametrize("url", ["mysql://localhost/db", "oracle://x/y"])
def test_unsupported_scheme(url: str) -> None:
    with pytest.raises(StoreError, match="is not supported; use sqlite:///PATH or postgresql"):
        open_store(url)


def test_both_engines_are_registered() -> None:
    assert STORES["sqlite"] is STORES["postgresql"] is STORES["postgresql+psycopg"] is SqlStore


def test_an_unreachable_postgresql_server_is_a_store_error() -> None:
    with pytest.raises(StoreError, match=r"cannot open database postgresql\+psycopg://u:\*\*\*@127.0.0.1:9/x"):
        open_store("postgresql://u:secret@127.0.0.1:9/x")


def test_a_registered_store_opens_its_scheme(tmp_path: Path) -> None:
    opened: list[tuple[str, bool]] = []

    class MemoryStore(SqlStore):
        @classmethod
        def from_url(cls, url: str, create: bool = True) -> SqlStore:
            opened.append((url, create))
            return SqlStore.from_url(str(tmp_path / "memory.sqlite"), create)

    with mock.patch.dict(STORES):  # the registry is restored after the test
        assert register_store("memory")(MemoryStore) is MemoryStore
        with open_store("memory://events", create=True) as store:
            assert isinstance(store, SqlStore)
    assert opened == [("memory://events", True)]
    assert "memory" not in STORES
    with pytest.raises(StoreError, match="'memory' is not supported"):
        open_store("memory://events")
