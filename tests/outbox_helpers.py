"""Shared pieces of the delivery tests: contacts, queued rows, a Twilio channel on the fake."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from bot.config import Settings
from bot.delivery_settings import DeliverySettings
from bot.outbox import enqueue
from bot.transports.templates import TemplateMap
from bot.transports.twilio import TwilioChannel
from storage.db import transaction
from storage.models import Contact, Message
from tests.conftest import START

ACCOUNT = "AC" + "1" * 32
SENDER = "whatsapp:+14155238886"
# unlimited pace and one thread unless a test is about those
FAST = DeliverySettings(rate_per_second=0, concurrency=1)


def twilio_channel(
    base_url: str, timeout: float = 5.0, templates: dict[str, Any] | None = None
) -> TwilioChannel:
    """The real Twilio channel (SDK and all) pointed at a fake server."""
    return TwilioChannel(
        Settings(
            twilio_account_sid=ACCOUNT,
            twilio_auth_token="secret",
            twilio_whatsapp_from=SENDER,
            twilio_api_base_url=base_url,
            twilio_timeout_seconds=timeout,
        ),
        TemplateMap.from_dict(templates or {}),
    )


def add_contact(
    engine: sa.Engine,
    phone: str = "+6281234567890",
    inbound_at: dt.datetime | None = START,
    **fields: Any,
) -> Contact:
    """A contact who last wrote at `inbound_at` (None: never)."""
    with transaction(engine) as session:
        contact = Contact(phone=phone, created_at=START, last_inbound_at=inbound_at, **fields)
        session.add(contact)
        session.flush()
        return contact


def queue(engine: sa.Engine, contact: Contact, body: str, **kwargs: Any) -> int:
    """Queue one message now (START unless `now` is given); its id."""
    now = kwargs.pop("now", START)
    with transaction(engine) as session:
        row = enqueue(session, contact, body, now, **kwargs)
        session.flush()
        assert row.id is not None
        return row.id


def row_of(engine: sa.Engine, message_id: int) -> Message:
    """The message row as stored now."""
    with transaction(engine) as session:
        row = session.get(Message, message_id)
        assert row is not None
        return row


def book_confirmed(
    engine: sa.Engine,
    contact: Contact,
    starts_at: dt.datetime,
    *,
    service_code: str = "koperasi",
    mode: str = "online",
    link: str | None = "https://zoom.us/j/123",
    status: str = "confirmed",
) -> int:
    """A reservation made through the booking service, then confirmed as the console does."""
    from zoneinfo import ZoneInfo

    from sqlmodel import select

    from bot.services import reservations
    from storage.models import Service, Topic

    with transaction(engine) as session:
        found = session.get(Contact, contact.id)
        service = session.exec(select(Service).where(Service.code == service_code)).one()
        topic = session.exec(select(Topic).where(Topic.service_id == service.id)).first()
        assert found is not None and topic is not None
        reservation = reservations.book(
            session,
            contact=found,
            service=service,
            topic=topic,
            problem="Laporan keuangan koperasi belum rapi",
            mode=mode,
            starts_at=starts_at.astimezone(dt.UTC),
            now=START,
            tz=ZoneInfo("Asia/Jakarta"),
        )
        reservation.status = status
        reservation.meeting_link = link if mode == "online" else None
        assert reservation.id is not None
        return reservation.id
