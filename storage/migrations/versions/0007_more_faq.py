"""more FAQ: who the number belongs to, the consultant, English, phone calls, students

Databases seeded before this release get the five new entries of seed_data.toml (only those
still missing; nothing else in the FAQ is touched). Empty databases are left to the seed.

Revision ID: 0007_more_faq
Revises: 0006_faq_reference
Create Date: 2026-12-07 17:20:00
"""

from __future__ import annotations

from alembic import op
from sqlmodel import Session

from storage.seed_faq import bring_entries, remove_entries

revision = "0007_more_faq"
down_revision = "0006_faq_reference"
branch_labels = None
depends_on = None

SLUGS = ("about_us", "consultant", "language_of_session", "by_phone", "students")


def upgrade() -> None:
    bring_entries(Session(bind=op.get_bind()), SLUGS)


def downgrade() -> None:
    remove_entries(Session(bind=op.get_bind()), SLUGS)
