"""Store stage: articles, events, canonical events and refused inputs in a database.

:func:`open_store` reads the database URL and opens the store class registered for its scheme
(:func:`register_store`): SQLite (``sqlite:///PATH`` or a plain path) and PostgreSQL
(``postgresql+psycopg://…``) share one SQLAlchemy store and one schema, migrated by Alembic.
"""

from warmonitor.store.base import STORES, Store, open_store, register_store
from warmonitor.store.query import EventQuery, TypeFilter, make_query

# Importing an engine module registers its store class.
from warmonitor.store.sql import SqlStore

__all__ = ["STORES", "EventQuery", "SqlStore", "Store", "TypeFilter", "make_query", "open_store", "register_store"]
