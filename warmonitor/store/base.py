"""What every store offers: the :class:`Store` protocol, and stores by database URL scheme.

One SQLAlchemy store (:mod:`warmonitor.store.sql`) serves SQLite and PostgreSQL; another engine
registers its class for its URL scheme with :func:`register_store`, and :func:`open_store` picks
the class from the database URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any, Protocol, Self, TypeVar

from warmonitor.errors import BadArticle, StoreError
from warmonitor.model import Analysis, Article, CodedArticle
from warmonitor.store.query import ALL_EVENTS, EventQuery

# A database URL without "scheme://" is a file path for this engine.
_PATH_SCHEME = "sqlite"


class Store(Protocol):
    """Articles, their events, the canonical events those are grouped into, and refused inputs."""

    url: str  # the database URL, password hidden

    @classmethod
    def from_url(cls, url: str, create: bool = True) -> Self:
        """Open the database at ``url``; with ``create=False`` a missing database is a StoreError."""
        ...

    def has_article(self, article_id: str) -> bool: ...

    def add(self, analysis: Analysis | CodedArticle) -> int | None:
        """Store one analysed article and cluster its events; returns the number of events added,
        or None when the article was already stored (by an earlier run or another writer)."""
        ...

    def recode(self, analysis: Analysis | CodedArticle) -> tuple[int, int]:
        """Replace a stored article's events by ``analysis``'s and re-cluster; (removed, added)."""
        ...

    def reject(self, error: BadArticle) -> None: ...

    def seen_items(self, feed: str, keys: Iterable[str]) -> set[str]:
        """The item ``keys`` (guids, else links) of ``feed`` that :meth:`remember_item` has
        remembered, by this process or an earlier one."""
        ...

    def remember_item(self, feed: str, key: str, article_id: str | None, reason: str | None = None) -> None:
        """Remember one item of ``feed`` for good: the id of the article it gave, or (``article_id``
        None) the ``reason`` it gave none. An item remembered before keeps its first entry."""
        ...

    def events(self, query: EventQuery = ALL_EVENTS) -> Iterator[dict[str, Any]]:
        """Records of the canonical events (or, with ``query.mentions``, per-article events) that
        match ``query``, newest first."""
        ...

    def events_json(self, query: EventQuery = ALL_EVENTS) -> Iterator[str]:
        """The same records as :meth:`events`, each as one JSON text."""
        ...

    def count(self, query: EventQuery = ALL_EVENTS) -> int: ...

    def explain(self, event_id: str) -> dict[str, Any] | None:
        """The canonical event holding the event with this id (or unambiguous id prefix), its
        mentions each with its evidence; None if absent. An ambiguous prefix is a QueryError."""
        ...

    def aggregates(self, query: EventQuery, by: str) -> list[dict[str, Any]]:
        """Canonical events matching ``query`` counted (with their fatalities) by day, week,
        month, country, admin1 or type: ``[{"key", "events", "fatalities"}]``."""
        ...

    def article(self, article_id: str) -> dict[str, Any] | None:
        """One stored article, its sentences and its events' ids; None if absent."""
        ...

    def articles(self, since: date | None = None, limit: int | None = None) -> Iterator[dict[str, Any]]:
        """Stored articles, newest first, each with its ``events`` count."""
        ...

    def stored_articles(self, since: date | None = None) -> Iterator[Article]:
        """The stored articles as articles again (for re-coding), oldest first."""
        ...

    def counts(self) -> dict[str, int]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


StoreClass = TypeVar("StoreClass", bound=type[Store])

# URL scheme → store class; filled as the engine modules are imported.
STORES: dict[str, type[Store]] = {}


def register_store(*schemes: str) -> Callable[[StoreClass], StoreClass]:
    """Class decorator: open ``scheme://...`` database URLs with the decorated store class."""

    def register(store_class: StoreClass) -> StoreClass:
        for scheme in schemes:
            STORES[scheme] = store_class
        return store_class

    return register


def url_scheme(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else _PATH_SCHEME


def unsupported_scheme(scheme: str) -> StoreError:
    return StoreError(f"database scheme {scheme!r} is not supported; use sqlite:///PATH or "
                      "postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE")


def open_store(url: str, create: bool = True) -> Store:
    """A store for a database URL: ``sqlite:///path/to/file.sqlite`` (or a plain file path) or
    ``postgresql+psycopg://user:password@host:port/database``. With ``create=False`` (queries) a
    missing database is an error, not a new empty one."""
    store_class = STORES.get(url_scheme(url))
    if store_class is None:
        raise unsupported_scheme(url_scheme(url))
    return store_class.from_url(url, create)
