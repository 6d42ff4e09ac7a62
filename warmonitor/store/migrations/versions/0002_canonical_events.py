"""Canonical events: the clusters table, the event columns de-duplication and queries filter on,
and their indexes. Columns a first-release database lacks are added and filled from each event's
record; the store clusters events that have no cluster yet when it next writes.

Revision ID: 0002
Revises: 0001
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The record's flat keys each filter column is read from.
_FROM_RECORD = {
    "country": "location.country", "actor1": "actor1.canonical", "actor1_country": "actor1.country",
    "actor2": "actor2.canonical", "actor2_country": "actor2.country", "cameo_root": "cameo_root",
    "acled_event_type": "acled_event_type", "acled_sub_event_type": "acled_sub_event_type", "status": "status",
    "date": "date", "date_precision": "date_precision", "place_precision": "location.precision",
    "lat": "location.lat", "lon": "location.lon", "confidence": "confidence",
}
_TEXT = ("country", "actor1", "actor1_country", "actor2", "actor2_country", "cameo_root", "acled_event_type",
         "acled_sub_event_type", "status", "date", "date_precision",
         "place_precision", "when_date", "published", "actor_names", "cluster_id")
_FLOAT = ("lat", "lon", "confidence")


def _filter_columns() -> list[sa.Column]:
    return [
        sa.Column("date", sa.String(10)), sa.Column("date_precision", sa.String(8)), sa.Column("when_date", sa.String(10)),
        sa.Column("published", sa.String(10)), sa.Column("place_precision", sa.String(8)),
        sa.Column("country", sa.String(2)), sa.Column("actor1", sa.Text), sa.Column("actor1_country", sa.String(3)),
        sa.Column("actor2", sa.Text), sa.Column("actor2_country", sa.String(3)),
        sa.Column("plover_type", sa.String(16), nullable=False), sa.Column("cameo_root", sa.String(4)),
        sa.Column("acled_event_type", sa.Text), sa.Column("acled_sub_event_type", sa.Text),
        sa.Column("status", sa.String(16)), sa.Column("lat", sa.Float), sa.Column("lon", sa.Float),
        sa.Column("confidence", sa.Float), sa.Column("actor_names", sa.Text),
    ]


_INDEXES = {
    "events_article": ("events", ["article_id"]), "events_cluster": ("events", ["cluster_id"]),
    "events_date": ("events", ["date"]), "events_when": ("events", ["plover_type", "when_date"]),
    "events_country": ("events", ["country"]), "events_type": ("events", ["plover_type"]),
    "clusters_date": ("clusters", ["date", "id"]), "clusters_country_date": ("clusters", ["country", "date"]),
    "clusters_actor1_country_date": ("clusters", ["actor1_country", "date"]),
    "clusters_actor2_country_date": ("clusters", ["actor2_country", "date"]),
    "clusters_type_date": ("clusters", ["plover_type", "date"]),
    "clusters_acled_date": ("clusters", ["acled_event_type", "date"]),
    "clusters_sub_date": ("clusters", ["acled_sub_event_type", "date"]),
    "clusters_status_date": ("clusters", ["status", "date"]), "clusters_lat_lon": ("clusters", ["lat", "lon"]),
    "articles_published": ("articles", ["published"]),
}


def _flat(record: dict, key: str) -> object:
    value: object = record
    for part in key.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    event_columns = {column["name"] for column in inspector.get_columns("events")}
    added = [name for name in (*_TEXT, *_FLOAT) if name not in event_columns]
    for name in added:
        op.add_column("events", sa.Column(name, sa.Float if name in _FLOAT else sa.Text))
    if "coded_at" not in {column["name"] for column in inspector.get_columns("articles")}:
        op.add_column("articles", sa.Column("coded_at", sa.String(32)))
    if "clusters" not in inspector.get_table_names():
        op.create_table(
            "clusters",
            sa.Column("id", sa.String(16), primary_key=True), *_filter_columns(),
            sa.Column("fatalities", sa.Integer), sa.Column("num_articles", sa.Integer, nullable=False),
            sa.Column("num_sources", sa.Integer, nullable=False), sa.Column("members", sa.String(16), nullable=False),
            sa.Column("record", sa.Text, nullable=False), sa.Column("updated_at", sa.String(32), nullable=False),
        )
    if added:
        _fill(bind, added)
    present = {index["name"] for table in ("events", "clusters", "articles") for index in inspector.get_indexes(table)}
    for name, (table, columns) in _INDEXES.items():
        if name not in present:
            op.create_index(name, table, columns)


def _fill(bind: sa.Connection, added: list[str]) -> None:
    """Fill the new columns of events stored before they existed, from their records."""
    rows = bind.execute(sa.text(
        "SELECT e.id, e.record, a.published FROM events e JOIN articles a ON a.id = e.article_id")).fetchall()
    for event_id, text, published in rows:
        record = json.loads(text)
        values = {name: _flat(record, key) for name, key in _FROM_RECORD.items() if name in added}
        if "when_date" in added:
            values["when_date"] = record.get("date") or published
        if "published" in added:
            values["published"] = published
        if "actor_names" in added:
            names = [_flat(record, f"{role}.{key}") for role in ("actor1", "actor2") for key in ("name", "canonical")]
            values["actor_names"] = "\n".join(sorted({str(n).lower() for n in names if n}))
        if values:
            assignments = ", ".join(f"{name} = :{name}" for name in values)
            bind.execute(sa.text(f"UPDATE events SET {assignments} WHERE id = :event_id"), {**values, "event_id": event_id})


def downgrade() -> None:
    for name in _INDEXES:
        op.drop_index(name)
    op.drop_table("clusters")
