"""more FAQ: who the number belongs to, the consultant, English, phone calls, students

Databases seeded before this release get the five new entries of seed_data.toml (only those
still missing; nothing else in the FAQ is touched). Empty databases are left to the seed.

Revision ID: 0007_more_faq
Revises: 0006_faq_reference
Create Date: 2026-12-07 17:20:00
"""

from __future__ import annotations

from alembic import op
from sqlmodel import Session, select

from storage.models_faq import FaqEntry
from storage.seed import load_seed_data
from storage.seed_faq import add_entries

revision = "0007_more_faq"
down_revision = "0006_faq_reference"
branch_labels = None
depends_on = None

SLUGS = ("about_us", "consultant", "language_of_session", "by_phone", "students")


def upgrade() -> None:
    session = Session(bind=op.get_bind())
    if session.exec(select(FaqEntry.slug)).first() is None:
        return  # not seeded yet: the seed brings every entry
    add_entries(session, SLUGS, load_seed_data())
    session.flush()


def downgrade() -> None:
    session = Session(bind=op.get_bind())
    for entry in session.exec(select(FaqEntry).where(FaqEntry.slug.in_(SLUGS))):  # type: ignore[attr-defined]
        session.delete(entry)
    session.flush()
