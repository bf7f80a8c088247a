"""What a person wrote earlier in the conversation (for "sudah saya tulis di atas")."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Session

from storage.conversations import MESSAGES
from storage.models import Reservation

RESERVATIONS = Reservation.__table__  # type: ignore[attr-defined]

RECENT_MESSAGES = 12


def recent_texts(
    session: Session, contact_id: int, since: dt.datetime, *, after_last_booking: bool = False
) -> list[str]:
    """The person's own messages since `since`, oldest first (at most the last twelve); with
    `after_last_booking`, only those after their last reservation was made (one statement)."""
    query = sa.select(MESSAGES.c.body).where(
        MESSAGES.c.contact_id == contact_id,
        MESSAGES.c.direction == "in",
        MESSAGES.c.created_at >= since,
    )
    if after_last_booking:
        booked = (
            sa.select(sa.func.max(RESERVATIONS.c.created_at))
            .where(RESERVATIONS.c.contact_id == contact_id)
            .scalar_subquery()
        )
        query = query.where(sa.or_(booked.is_(None), MESSAGES.c.created_at > booked))
    rows = session.execute(query.order_by(MESSAGES.c.id.desc()).limit(RECENT_MESSAGES)).scalars()
    return [str(body) for body in reversed(list(rows)) if body]
