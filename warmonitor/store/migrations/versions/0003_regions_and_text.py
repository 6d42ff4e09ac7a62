"""Each event and canonical event gains its place's first-level region (``admin1``, which the
API's aggregates group by) and ``search_text`` (its sentences, actors and places in lower case,
which the API's ``q`` searches). Rows stored before are filled from their records.

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


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    for table in ("events", "clusters"):
        present = {column["name"] for column in inspector.get_columns(table)}
        added = [name for name in ("admin1", "search_text") if name not in present]
        for name in added:
            op.add_column(table, sa.Column(name, sa.Text))
        if added:
            _fill(bind, table)
    if "clusters_admin1" not in {index["name"] for index in inspector.get_indexes("clusters")}:
        op.create_index("clusters_admin1", "clusters", ["country", "admin1"])


def _fill(bind: sa.Connection, table: str) -> None:
    rows = bind.execute(sa.text(f"SELECT id, record FROM {table}")).fetchall()
    for start in range(0, len(rows), _BATCH):
        values = []
        for identifier, text in rows[start:start + _BATCH]:
            record = json.loads(text)
            values.append({"row_id": identifier, "admin1": (record.get("location") or {}).get("admin1"),
                           "search_text": search_text(record)})
        bind.execute(sa.text(f"UPDATE {table} SET admin1 = :admin1, search_text = :search_text WHERE id = :row_id"), values)


def downgrade() -> None:
    op.drop_index("clusters_admin1")
    for table in ("events", "clusters"):
        op.drop_column(table, "search_text")
        op.drop_column(table, "admin1")
