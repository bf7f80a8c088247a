"""FAQ: how long a session lasts

Databases seeded before this release get the new entry of seed_data.toml (only when still
missing; nothing else in the FAQ is touched). Empty databases are left to the seed.

Revision ID: 0009_session_length_faq
Revises: 0008_topic_keywords_again
Create Date: 2026-12-07 19:40:00
"""

from __future__ import annotations

from alembic import op
from sqlmodel import Session, select

from storage.models_faq import FaqEntry
from storage.seed import load_seed_data
from storage.seed_faq import add_entries

revision = "0009_session_length_faq"
down_revision = "0008_topic_keywords_again"
branch_labels = None
depends_on = None

SLUGS = ("session_length",)


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
