"""What every store offers: the :class:`Store` protocol, event queries, and stores by URL scheme.

SQLite is the only engine in this release; another (PostgreSQL) registers its class for its URL
scheme with :func:`register_store` and :func:`open_store` picks it from the database URL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, Self, TypeVar

from warmonitor.errors import BadArticle, StoreError
from warmonitor.model import Analysis

# A database URL without "scheme://" is a file path for this engine.
_PATH_SCHEME = "sqlite"


@dataclass(frozen=True, slots=True)
class EventQuery:
    since: date | None = None
    until: date | None = None
    country: str | None = None  # ISO2 of the place, or ISO3 of either actor
    actor: str | None = None  # substring of either actor's canonical name or name
    plover_type: str | None = None
    limit: int | None = None


class Store(Protocol):
    """Articles, sentences, events and refused inputs in one database."""

    @classmethod
    def from_url(cls, url: str, create: bool = True) -> Self:
        """Open the database at ``url``; with ``create=False`` a missing database is a StoreError."""
        ...

    def has_article(self, article_id: str) -> bool: ...

    def add(self, analysis: Analysis) -> int:
        """Store one analysed article; returns the number of events added (0 if already stored)."""
        ...

    def reject(self, error: BadArticle) -> None: ...

    def events(self, query: EventQuery = EventQuery()) -> Iterator[dict[str, Any]]:
        """Public records of the stored events that match ``query``, by date."""
        ...

    def explain(self, event_id: str) -> dict[str, Any] | None:
        """The record of the event with this id (or unique id prefix) and its evidence; None if absent."""
        ...

    def counts(self) -> dict[str, int]: ...

    def close(self) -> None: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


StoreClass = TypeVar("StoreClass", bound=type[Store])

# URL scheme → store class; filled as the engine modules are imported.
STORES: dict[str, type[Store]] = {}


def register_store(scheme: str) -> Callable[[StoreClass], StoreClass]:
    """Class decorator: open ``scheme://...`` database URLs with the decorated store class."""

    def register(store_class: StoreClass) -> StoreClass:
        STORES[scheme] = store_class
        return store_class

    return register


def unsupported_scheme(scheme: str) -> StoreError:
    return StoreError(f"database scheme {scheme!r} is not supported yet; use sqlite:///PATH")


def open_store(url: str, create: bool = True) -> Store:
    """A store for a database URL: ``sqlite:///path/to/file.sqlite`` (or a plain file path).
    With ``create=False`` (queries) a missing database is an error, not a new empty file."""
    scheme = url.split("://", 1)[0] if "://" in url else _PATH_SCHEME
    store_class = STORES.get(scheme)
    if store_class is None:
        raise unsupported_scheme(scheme)
    return store_class.from_url(url, create)
