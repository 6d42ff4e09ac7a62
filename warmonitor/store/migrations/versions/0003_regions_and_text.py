"""Each event and canonical event gains its place's first-level region (``admin1``, which the
API's aggregates group by), ``search_text`` (its sentences, actors and places in lower case, which
the API's ``q`` searches) and ``sort_key`` (its date, else its report's, never NULL: newest-first
pages then read straight off an index on both engines). The per-filter indexes are rebuilt on
(filter, sort_key, id). Rows stored before are filled from their records.

Revision ID: 0003
Revises: 0002
"""

import json

import sqlalchemy as sa
from alembic import op

from warmonitor.store.text import search_text

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BATCH = 1000
_OLD_INDEXES = ("clusters_date", "clusters_country_date", "clusters_actor1_country_date", "clusters_actor2_country_date",
                "clusters_type_date", "clusters_acled_date", "clusters_sub_date", "clusters_status_date")
# Newest first within each filter: the database reads a page off the index and stops; with the
# toll in the index, a count by day under one filter never reads the rows either.
_INDEXES = {
    "clusters_newest": ("clusters", ["sort_key", "id"]),
    "clusters_country_newest": ("clusters", ["country", "sort_key", "id", "fatalities"]),
    "clusters_actor1_country_newest": ("clusters", ["actor1_country", "sort_key", "id", "fatalities"]),
    "clusters_actor2_country_newest": ("clusters", ["actor2_country", "sort_key", "id", "fatalities"]),
    "clusters_type_newest": ("clusters", ["plover_type", "sort_key", "id", "fatalities"]),
    "clusters_acled_newest": ("clusters", ["acled_event_type", "sort_key", "id", "fatalities"]),
    "clusters_sub_newest": ("clusters", ["acled_sub_event_type", "sort_key", "id", "fatalities"]),
    "clusters_status_newest": ("clusters", ["status", "sort_key", "id", "fatalities"]),
    "clusters_confidence": ("clusters", ["confidence"]),
    # Aggregates read these alone, never the rows: a count by day, region or type of 100,000 events
    # stays an index scan.
    "clusters_admin1": ("clusters", ["country", "admin1", "fatalities"]),
    "clusters_day_tally": ("clusters", ["sort_key", "fatalities"]),
    "clusters_type_tally": ("clusters", ["acled_event_type", "plover_type", "fatalities"]),
    "events_newest": ("events", ["sort_key", "id"]),
}


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    for table in ("events", "clusters"):
        present = {column["name"] for column in inspector.get_columns(table)}
        added = [name for name in ("admin1", "search_text", "sort_key") if name not in present]
        for name in added:
            if name == "sort_key":
                op.add_column(table, sa.Column(name, sa.String(10), nullable=False, server_default=""))
            else:
                op.add_column(table, sa.Column(name, sa.Text))
        if added:
            _fill(bind, table)
    indexes = {str(index["name"]) for table in ("events", "clusters") for index in inspector.get_indexes(table)}
    for name in _OLD_INDEXES:
        if name in indexes:
            op.drop_index(name, table_name="clusters")
    for name, (table, columns) in _INDEXES.items():
        if name not in indexes:
            op.create_index(name, table, columns)
    _text_indexes(bind, indexes)


def _text_indexes(bind: sa.Connection, present: set[str]) -> None:
    """Indexes for the substring filters (``q``, ``--actor``). SQLite scans a narrow covering
    index instead of the wide rows; PostgreSQL answers LIKE '%…%' from a trigram index (a plain
    B-tree would refuse a long canonical event's text). Without pg_trgm the filters still work,
    by scanning."""
    if bind.dialect.name == "sqlite":
        for name, column in (("clusters_search_text", "search_text"), ("clusters_actor_names", "actor_names")):
            if name not in present:
                op.create_index(name, "clusters", [column])
        return
    try:
        with bind.begin_nested():
            bind.execute(sa.text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except sa.exc.DBAPIError:
        return
    for name, column in (("clusters_search_text", "search_text"), ("clusters_actor_names", "actor_names")):
        if name not in present:
            bind.execute(sa.text(f"CREATE INDEX {name} ON clusters USING gin ({column} gin_trgm_ops)"))


def _fill(bind: sa.Connection, table: str) -> None:
    bind.execute(sa.text(f"UPDATE {table} SET sort_key = COALESCE(when_date, '')"))
    rows = bind.execute(sa.text(f"SELECT id, record FROM {table}")).fetchall()
    for start in range(0, len(rows), _BATCH):
        values = []
        for identifier, text in rows[start:start + _BATCH]:
            record = json.loads(text)
            values.append({"row_id": identifier, "admin1": (record.get("location") or {}).get("admin1"),
                           "search_text": search_text(record)})
        bind.execute(sa.text(f"UPDATE {table} SET admin1 = :admin1, search_text = :search_text WHERE id = :row_id"), values)


def downgrade() -> None:
    for name in ("clusters_search_text", "clusters_actor_names"):
        op.execute(f"DROP INDEX IF EXISTS {name}")
    for name, (table, _) in _INDEXES.items():
        op.drop_index(name, table_name=table)
    for table in ("events", "clusters"):
        for name in ("sort_key", "search_text", "admin1"):
            op.drop_column(table, name)
