""" "Your request was received" for a booking made on the person's behalf: once, and with the
template when the person has not written for a day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from bot.outbox import dispatch_until_idle
from bot.services.delivery_notices import notify_booked
from storage.db import make_engine, transaction
from storage.models import Contact, Reservation
from tests.conftest import START
from tests.fakes import RecordingTransport
from tests.outbox_helpers import FAST, add_contact, book_confirmed

TZ = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    db = make_engine(database_url)
    yield db
    db.dispose()


def test_a_referral_booking_is_announced_once_with_its_template(engine: sa.Engine) -> None:
    contact = add_contact(engine, inbound_at=None, name="Sari")  # never wrote: a referral
    reservation_id = book_confirmed(
        engine, contact, dt.datetime(2026, 11, 25, 10, tzinfo=TZ), status="booked"
    )
    for _ in range(2):  # a double click in the console
        with transaction(engine) as session:
            reservation = session.get(Reservation, reservation_id)
            assert reservation is not None
            notify_booked(session, reservation, START)
    transport = RecordingTransport()
    dispatch_until_idle(engine, transport, FakeClock(START), settings=FAST)
    [notice] = transport.sent
    assert "sudah kami terima" in notice.body and "Rabu, 25 November 2026" in notice.body
    assert notice.template is not None and notice.template.name == "booking_received"
    assert notice.template.variables == {
        "name": "Sari",
        "code": notice.template.variables["code"],
        "when": "Rabu, 25 November 2026, 10.00 WIB",
    }


def test_nothing_for_a_person_who_opted_out(engine: sa.Engine) -> None:
    contact = add_contact(engine, opted_out_at=START)
    reservation_id = book_confirmed(
        engine, contact, dt.datetime(2026, 11, 25, 10, tzinfo=TZ), status="booked"
    )
    with transaction(engine) as session:
        reservation = session.get(Reservation, reservation_id)
        assert reservation is not None
        assert notify_booked(session, reservation, START) is None
        assert session.get(Contact, contact.id) is not None
