"""Handoff to a human: while a chat has an open handoff, the bot stays silent on it."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from storage.models import Contact, Handoff


def open_handoff(session: Session, contact: Contact) -> Handoff | None:
    """The contact's open handoff, if any."""
    return session.exec(
        select(Handoff)
        .where(Handoff.contact_id == contact.id, Handoff.status == "open")
        .order_by(col(Handoff.opened_at).desc())
    ).first()


def escalate(
    session: Session, contact: Contact, *, reason: str, text: str | None, now: dt.datetime
) -> Handoff:
    """Open a handoff for the contact (or return the one already open)."""
    existing = open_handoff(session, contact)
    if existing is not None:
        return existing
    assert contact.id is not None
    handoff = Handoff(
        contact_id=contact.id, reason=reason, status="open", last_user_text=text, opened_at=now
    )
    session.add(handoff)
    session.flush()
    return handoff


def note_message(handoff: Handoff, text: str) -> None:
    """Remember the latest thing the person said while waiting for a human."""
    if text:
        handoff.last_user_text = text


def resolve(handoff: Handoff, *, by: str, now: dt.datetime) -> None:
    """Close the handoff; the bot answers this chat again."""
    handoff.status = "resolved"
    handoff.resolved_at = now
    handoff.resolved_by = by
