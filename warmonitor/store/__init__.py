"""Store stage: articles, sentences, events and refused inputs in a database.

:func:`open_store` reads the database URL and opens the store class registered for its scheme
(:func:`register_store`); SQLite (``sqlite:///PATH`` or a plain path) is the only engine today.
"""

from warmonitor.store.base import STORES, EventQuery, Store, open_store, register_store

# Importing an engine module registers its store class.
from warmonitor.store.sqlite import SqliteStore

__all__ = ["STORES", "EventQuery", "SqliteStore", "Store", "open_store", "register_store"]
