"""What a person wrote earlier in the conversation (for "sudah saya tulis di atas")."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session

from storage.conversations import MESSAGES

RECENT_MESSAGES = 12


def recent_texts(session: Session, contact_id: int, since: dt.datetime) -> list[str]:
    """The person's own messages since `since`, oldest first (at most the last twelve)."""
    rows = session.execute(
        sa.select(MESSAGES.c.body)
        .where(
            MESSAGES.c.contact_id == contact_id,
            MESSAGES.c.direction == "in",
            MESSAGES.c.created_at >= since,
        )
        .order_by(MESSAGES.c.id.desc())
        .limit(RECENT_MESSAGES)
    ).scalars()
    return [str(body) for body in reversed(list(rows)) if body]
