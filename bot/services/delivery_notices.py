"""Notices about a reservation that the person did not just read in their own chat.

`notify_booked` is for a booking the person did not make in the chat themself (booked on
their behalf by the Dinas, a "rujukan"); a booking made in the chat is confirmed by the
chat's own reply, so nothing more is sent. The same holds for a reschedule or a cancel the
person makes in the chat: the reply says it, and the reminders follow the reservation by
themselves (bot.services.reminders).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot import outbox
from bot.messages import MessageCatalog
from bot.services import delivery_render as render
from bot.transports.base import TemplateRef
from storage.models import Contact, Message, Reservation


def notify_booked(
    session: Session,
    reservation: Reservation,
    now: dt.datetime,
    *,
    catalog: MessageCatalog | None = None,
    tz: ZoneInfo | None = None,
) -> Message | None:
    """Queue "your request was received" for the reservation's person, once; None when the
    person opted out."""
    contact = session.get(Contact, reservation.contact_id)
    if contact is None or contact.opted_out_at is not None:
        return None
    if catalog is None or tz is None:
        catalog, tz = render.catalog_and_timezone()
    variables = render.reservation_vars(session, reservation, contact, tz)
    lang = contact.language
    return outbox.enqueue(
        session,
        contact,
        catalog.render("delivery.booking_received", lang, **variables),
        now,
        template_key="delivery.booking_received",
        dedupe_key=f"booked:{reservation.id}",
        template=TemplateRef(
            "booking_received",
            lang,
            {
                "name": variables["name"] or "Bapak/Ibu",
                "code": variables["code"],
                "when": render.when_text(catalog, lang, variables),
            },
        ),
        kind="booking_received",
        reservation_id=reservation.id,
        valid_until=reservation.starts_at,
        expect={"status": ["booked", "confirmed"]},
    )
