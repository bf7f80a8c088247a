"""FAQ: how long a session lasts

Databases seeded before this release get the new entry of seed_data.toml (only when still
missing; nothing else in the FAQ is touched). Empty databases are left to the seed.

Revision ID: 0009_session_length_faq
Revises: 0008_topic_keywords_again
Create Date: 2026-12-07 19:40:00
"""

from __future__ import annotations

from alembic import op
from sqlmodel import Session

from storage.seed_faq import bring_entries, remove_entries

revision = "0009_session_length_faq"
down_revision = "0008_topic_keywords_again"
branch_labels = None
depends_on = None

SLUGS = ("session_length",)


def upgrade() -> None:
    bring_entries(Session(bind=op.get_bind()), SLUGS)


def downgrade() -> None:
    remove_entries(Session(bind=op.get_bind()), SLUGS)
