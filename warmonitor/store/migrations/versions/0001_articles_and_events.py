"""Articles, sentences, events and refused inputs: the first release's tables.

A database that release made (it had no version table) already holds them; then nothing is done.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_EVENT_TEXT_COLUMNS = ("country", "actor1", "actor1_country", "actor2", "actor2_country", "cameo_root",
                       "acled_event_type", "status", "date")


def upgrade() -> None:
    present = set(sa.inspect(op.get_bind()).get_table_names())
    if "articles" not in present:
        op.create_table(
            "articles",
            sa.Column("id", sa.String(16), primary_key=True),
            *(sa.Column(name, sa.Text) for name in ("title", "url", "source")),
            sa.Column("published", sa.String(10)), sa.Column("origin", sa.Text), sa.Column("shape", sa.Text),
            sa.Column("text", sa.Text, nullable=False), sa.Column("ingested_at", sa.String(32), nullable=False),
        )
    if "sentences" not in present:
        op.create_table(
            "sentences",
            sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id"), primary_key=True),
            sa.Column("idx", sa.Integer, primary_key=True), sa.Column("text", sa.Text, nullable=False),
            sa.Column("start", sa.Integer, nullable=False), sa.Column("end", sa.Integer, nullable=False),
        )
    if "events" not in present:
        op.create_table(
            "events",
            sa.Column("id", sa.String(16), primary_key=True),
            sa.Column("article_id", sa.String(16), sa.ForeignKey("articles.id"), nullable=False),
            sa.Column("plover_type", sa.String(16), nullable=False),
            *(sa.Column(name, sa.Text) for name in _EVENT_TEXT_COLUMNS),
            sa.Column("record", sa.Text, nullable=False), sa.Column("evidence", sa.Text, nullable=False),
        )
    if "rejected" not in present:
        op.create_table(
            "rejected",
            sa.Column("origin", sa.Text, nullable=False), sa.Column("reason", sa.Text, nullable=False),
            sa.Column("at", sa.String(32), nullable=False),
        )


def downgrade() -> None:
    for table in ("rejected", "events", "sentences", "articles"):
        op.drop_table(table)
