"""faq: the clinic's frequently asked questions, editable rows answered on the side

Revision ID: 0004_faq
Revises: 0003
Create Date: 2026-11-26 15:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_faq"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "faq_entries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(length=60), nullable=False, unique=True),
        sa.Column("keywords_id", sa.Text(), nullable=False, server_default=""),
        sa.Column("keywords_en", sa.Text(), nullable=False, server_default=""),
        sa.Column("answer_id", sa.Text(), nullable=False, server_default=""),
        sa.Column("answer_en", sa.Text(), nullable=False, server_default=""),
        sa.Column("shows", sa.String(length=20), nullable=True),
        sa.Column("topic_code", sa.String(length=60), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("faq_entries")
