"""The morning digest of the day's sessions to the administrators' own WhatsApp numbers.

Off unless EKLINIK_ADMIN_DIGEST_AT is set. The numbers are EKLINIK_ADMIN_WHATSAPP, or else
the alert numbers kept in the console's settings. (The notice of an escalated chat is sent by
the handoff service in the escalation's own transaction, switched on in the console.)
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from bot import outbox
from bot.delivery_settings import DeliverySettings
from bot.messages import MessageCatalog
from bot.services import clinic
from bot.services.contacts import get_or_create_contact
from bot.transports.base import TemplateRef
from storage.models import Contact, Handoff, Reservation, Topic


def admin_numbers(session: Session, settings: DeliverySettings) -> list[str]:
    """Where admin messages go: the setting, or else the console's alert numbers."""
    if settings.admin_numbers:
        return list(settings.admin_numbers)
    try:
        from bot.services import console_settings
    except ImportError:  # pragma: no cover - the console is part of the product
        return []
    return [str(n) for n in console_settings.get(session, "notify_numbers") or []]


def _admins(session: Session, settings: DeliverySettings, now: dt.datetime) -> list[Contact]:
    return [get_or_create_contact(session, n, now)[0] for n in admin_numbers(session, settings)]


def derive_digest(
    session: Session,
    now: dt.datetime,
    tz: ZoneInfo,
    catalog: MessageCatalog,
    settings: DeliverySettings,
) -> int:
    """Once a day, from the configured time until noon, the day's sessions to each admin."""
    if settings.digest_at is None:
        return 0
    local = now.astimezone(tz)
    if not (settings.digest_at <= local.time() < dt.time(12, 0)):
        return 0
    day_start = dt.datetime.combine(local.date(), dt.time(0), tzinfo=tz).astimezone(dt.UTC)
    day_end = day_start + dt.timedelta(days=1)
    sessions = session.exec(
        select(Reservation, Topic)
        .join(Topic, col(Topic.id) == col(Reservation.topic_id))
        .where(
            col(Reservation.starts_at) >= day_start,
            col(Reservation.starts_at) < day_end,
            col(Reservation.status).in_(("booked", "confirmed")),
        )
        .order_by(col(Reservation.starts_at))
    ).all()
    unconfirmed = session.exec(
        select(func.count(col(Reservation.id))).where(
            Reservation.status == "booked", col(Reservation.starts_at) > now
        )
    ).one()
    waiting = session.exec(
        select(func.count(col(Handoff.id))).where(col(Handoff.status).in_(("pending", "open")))
    ).one()
    queued = 0
    for admin in _admins(session, settings, now):
        lang = admin.language
        items = [
            {
                "code": r.code,
                "starts": r.starts_at.astimezone(tz),
                "topic": clinic.label(t, lang),
                "mode": r.mode,
                "status": r.status,
            }
            for r, t in sessions
        ]
        body = catalog.render(
            "delivery.admin_digest",
            lang,
            day=local.date(),
            items=items,
            unconfirmed=unconfirmed,
            waiting=waiting,
        )
        outbox.enqueue(
            session,
            admin,
            body,
            now,
            template_key="delivery.admin_digest",
            dedupe_key=f"digest:{local.date().isoformat()}:{admin.id}",
            template=TemplateRef("admin_digest", lang, {"sessions": str(len(items))}),
            kind="admin_digest",
            valid_until=day_end,
        )
        queued += 1
    return queued
