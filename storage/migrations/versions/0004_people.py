"""people: how to address a contact, and their kecamatan's regency

Revision ID: 0004_people
Revises: 0003
Create Date: 2026-11-26 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_people"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("salutation", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("regency", sa.String(length=120), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("regency")
        batch.drop_column("salutation")
