"""The migrations build exactly the tables, columns and indexes :mod:`warmonitor.store.schema`
declares, on each engine."""

from __future__ import annotations

import sqlalchemy as sa

from warmonitor.store import open_store
from warmonitor.store.schema import INDEXES, metadata


def test_the_migrations_make_the_declared_schema(database_url: str) -> None:
    with open_store(database_url) as store:
        inspector = sa.inspect(store.engine)
        for table in metadata.sorted_tables:
            assert {column["name"] for column in inspector.get_columns(table.name)} == {c.name for c in table.columns}
        built = {(index["name"], tuple(index["column_names"]))
                 for table in metadata.sorted_tables for index in inspector.get_indexes(table.name)}
        declared = {(str(index.name), tuple(column.name for column in index.columns)) for index in INDEXES}
        assert declared <= built


def test_substring_filters_have_an_index_on_each_engine(database_url: str) -> None:
    with open_store(database_url) as store:
        names = {index["name"] for index in sa.inspect(store.engine).get_indexes("clusters")}
    assert {"clusters_search_text", "clusters_actor_names"} <= names
