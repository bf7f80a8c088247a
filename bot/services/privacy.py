"""A person's rights under UU PDP: a copy of their data, and its erasure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlmodel import Session, SQLModel, col, delete, select

from storage.models import (
    Contact,
    Conversation,
    Handoff,
    Message,
    Reservation,
    ReservationEvent,
    SlotSeat,
)


def _plain(row: SQLModel) -> dict[str, Any]:
    data = row.model_dump()
    return {
        k: v.isoformat() if isinstance(v, dt.datetime | dt.date | dt.time) else v
        for k, v in data.items()
    }


def export_contact(session: Session, contact: Contact) -> dict[str, Any]:
    """Everything stored about one person, as JSON-ready data."""
    reservations = session.exec(
        select(Reservation).where(Reservation.contact_id == contact.id)
    ).all()
    ids = [r.id for r in reservations]
    return {
        "contact": _plain(contact),
        "conversation": [
            _plain(c)
            for c in session.exec(select(Conversation).where(Conversation.contact_id == contact.id))
        ],
        "messages": [
            _plain(m)
            for m in session.exec(
                select(Message).where(Message.contact_id == contact.id).order_by(col(Message.id))
            )
        ],
        "reservations": [_plain(r) for r in reservations],
        "reservation_events": [
            _plain(e)
            for e in session.exec(
                select(ReservationEvent).where(col(ReservationEvent.reservation_id).in_(ids))
            )
        ],
        "handoffs": [
            _plain(h) for h in session.exec(select(Handoff).where(Handoff.contact_id == contact.id))
        ],
    }


def forget_contact(session: Session, contact: Contact) -> dict[str, int]:
    """Erase the person and everything linked to them; returns how many rows of each kind."""
    reservation_ids = list(
        session.exec(select(Reservation.id).where(Reservation.contact_id == contact.id)).all()
    )
    counts: dict[str, int] = {}
    for name, statement in (
        ("slot_seats", delete(SlotSeat).where(col(SlotSeat.reservation_id).in_(reservation_ids))),
        (
            "reservation_events",
            delete(ReservationEvent).where(
                col(ReservationEvent.reservation_id).in_(reservation_ids)
            ),
        ),
        ("reservations", delete(Reservation).where(col(Reservation.contact_id) == contact.id)),
        ("messages", delete(Message).where(col(Message.contact_id) == contact.id)),
        ("handoffs", delete(Handoff).where(col(Handoff.contact_id) == contact.id)),
        ("conversations", delete(Conversation).where(col(Conversation.contact_id) == contact.id)),
    ):
        counts[name] = int(session.exec(statement).rowcount)
    session.delete(contact)
    session.flush()
    counts["contacts"] = 1
    return counts
