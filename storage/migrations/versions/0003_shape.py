"""shape: return stack and trail, last channel, replies linked to their message, tombstones

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 14:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("last_channel", sa.String(length=20), nullable=True))
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("stack", JSON, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("trail", JSON, nullable=False, server_default="[]"))
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("reply_to_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_messages_reply_to_id_messages", "messages", ["reply_to_id"], ["id"]
        )
        batch.create_index("ix_messages_reply_to_id", ["reply_to_id"])
    op.create_table(
        "erased_messages",
        sa.Column("provider_sid", sa.String(length=64), primary_key=True),
        sa.Column("erased_at", sa.DateTime(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("erased_messages")
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_reply_to_id")
        batch.drop_constraint("fk_messages_reply_to_id_messages", type_="foreignkey")
        batch.drop_column("reply_to_id")
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("trail")
        batch.drop_column("stack")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("last_channel")
