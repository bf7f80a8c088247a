"""Handoff to a human.

A handoff is *pending* while nobody has taken it (the person may still say "menu" and get the
bot back), *open* once a staff member took it or replied (the bot stays silent), and *resolved*
when the chat is back with the bot.
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

from sqlalchemy.orm import object_session
from sqlmodel import Session, col, select

from storage.models import Contact, Handoff

if TYPE_CHECKING:
    from bot.messages import MessageCatalog

PENDING = "pending"
OPEN = "open"
RESOLVED = "resolved"
WAITING = (PENDING, OPEN)


def open_handoff(session: Session, contact: Contact) -> Handoff | None:
    """The contact's unresolved handoff (pending or open), if any."""
    return session.exec(
        select(Handoff)
        .where(Handoff.contact_id == contact.id, col(Handoff.status).in_(WAITING))
        .order_by(col(Handoff.opened_at).desc())
    ).first()


def escalate(
    session: Session, contact: Contact, *, reason: str, text: str | None, now: dt.datetime
) -> Handoff:
    """Create a pending handoff for the contact (or return the one not yet resolved)."""
    existing = open_handoff(session, contact)
    if existing is not None:
        return existing
    assert contact.id is not None
    handoff = Handoff(
        contact_id=contact.id,
        reason=reason,
        status=PENDING,
        last_user_text=text,
        opened_at=now,
        last_message_at=now,
        unread=1 if text else 0,
    )
    session.add(handoff)
    session.flush()
    _alert_admins(session, handoff, now)
    return handoff


def _alert_admins(session: Session, handoff: Handoff, now: dt.datetime) -> None:
    """When the setting is on, tell the admins' WhatsApp numbers that a chat waits."""
    from bot.services import console_settings, notifications
    from bot.services.contacts import get_or_create_contact

    if not console_settings.get(session, "notify_admins"):
        return
    for phone in console_settings.get(session, "notify_numbers") or []:
        admin, _new = get_or_create_contact(session, phone, now)
        if admin.id == handoff.contact_id:
            continue
        notifications.send(
            session,
            _default_catalog(),
            admin,
            "new_escalation",
            now,
            dedupe_key=f"alert:{handoff.id}:{admin.id}",
            template="new_escalation",
        )


def note_message(handoff: Handoff, text: str, now: dt.datetime | None = None) -> None:
    """Remember what the person said while waiting for a human; it counts as unread."""
    handoff.unread = (handoff.unread or 0) + 1
    if text:
        handoff.last_user_text = text
    if now is not None:
        handoff.last_message_at = now


def take(handoff: Handoff, user_id: int, now: dt.datetime) -> None:
    """A staff member takes the chat: it is open, and the bot stays silent."""
    handoff.status = OPEN
    handoff.assigned_to_id = user_id
    handoff.taken_at = handoff.taken_at or now


def mark_read(handoff: Handoff) -> None:
    """The staff has seen every message of the chat."""
    handoff.unread = 0


def hand_back_to_bot(session: Session, handoff: Handoff, now: dt.datetime) -> None:
    """The person asked for the bot again ("menu", "batal") while nobody had taken the chat."""
    handoff.status = RESOLVED
    handoff.resolved_at = now
    handoff.resolved_by = "bot"
    handoff.unread = 0
    session.add(handoff)


def resolve(
    handoff: Handoff, *, by: str, now: dt.datetime, catalog: MessageCatalog | None = None
) -> None:
    """Close the handoff: the bot answers this chat again, and the person is told so.

    The message goes through the outbox in the handoff's own session (the caller's
    transaction), once per handoff.
    """
    handoff.status = RESOLVED
    handoff.resolved_at = now
    handoff.resolved_by = by
    handoff.unread = 0
    session = object_session(handoff)
    if session is None:
        return
    from bot.services import notifications

    contact = session.get(Contact, handoff.contact_id)
    assert contact is not None
    notifications.send(
        session,  # type: ignore[arg-type]
        catalog or _default_catalog(),
        contact,
        "handback",
        now,
        dedupe_key=f"handback:{handoff.id}",
        template="handback",
        name=contact.name or "",
    )


@functools.cache
def _default_catalog() -> MessageCatalog:
    from bot.config import Settings
    from bot.messages import MessageCatalog

    settings = Settings.from_env()
    return MessageCatalog(settings.templates_path, {"timezone_name": settings.timezone})
