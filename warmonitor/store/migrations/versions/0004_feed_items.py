"""Feed items a follower has seen (``warmonitor feeds``): one row per feed and item, with the
article it gave or the reason it gave none, so that neither a later round nor a restart fetches
an item's page again.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if "feed_items" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "feed_items",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("feed", sa.Text, nullable=False), sa.Column("item_key", sa.Text, nullable=False),
        sa.Column("article_id", sa.String(16)), sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text), sa.Column("first_seen", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("feed_items")
