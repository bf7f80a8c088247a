"""Quick answers to a reminder, tapped or typed: "Batal" cancels that reservation after
confirmation, "Jadwal ulang" offers new times for it, "Hadir" is noted."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from bot.clock import FakeClock
from bot.delivery_settings import DeliverySettings
from bot.outbox import dispatch_until_idle
from bot.runtime import Runtime
from bot.services.delivery_jobs import derive_all
from storage.db import transaction
from storage.models import Reservation
from tests.dialog import WebhookDialog
from tests.fakes import RecordingTransport
from tests.outbox_helpers import add_contact, book_confirmed

TZ = ZoneInfo("Asia/Jakarta")
SETTINGS = DeliverySettings(rate_per_second=0, concurrency=1)
WED_10 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=TZ)
PHONE = "+6281234567890"


@pytest.fixture
def rt(app: Flask) -> Runtime:
    found = app.extensions["eklinik"]
    assert isinstance(found, Runtime)
    return found


def tick(rt: Runtime) -> None:
    derive_all(rt.db, rt.clock.now(), TZ, rt.catalog, SETTINGS, rt.engine)
    dispatch_until_idle(rt.db, rt.transport, rt.clock, settings=SETTINGS)


def reminded(rt: Runtime, clock: FakeClock) -> int:
    """A confirmed session on Wednesday at 10:00, and its one-day reminder sent."""
    contact = add_contact(rt.db, PHONE, name="Sari", privacy_notice_at=WED_10)
    reservation_id = book_confirmed(rt.db, contact, WED_10)
    clock.set(WED_10 - dt.timedelta(days=1))
    tick(rt)
    return reservation_id


def status_of(rt: Runtime, reservation_id: int) -> str:
    with transaction(rt.db) as session:
        found = session.get(Reservation, reservation_id)
        assert found is not None
        return found.status


def test_a_tapped_batal_cancels_that_reservation_after_confirmation(
    rt: Runtime, clock: FakeClock, transport: RecordingTransport, client: FlaskClient
) -> None:
    reservation_id = reminded(rt, clock)
    [reminder] = transport.sent
    assert reminder.buttons == ("Hadir", "Jadwal ulang", "Batal")
    assert "Pengingat konsultasi" in reminder.body
    person = WebhookDialog(client, PHONE)
    question = person.said("Batal", ButtonText="Batal", ButtonPayload="Batal")
    assert status_of(rt, reservation_id) == "confirmed"  # not before the person confirms
    assert "Rabu, 25 November 2026" in question
    person.say("Ya")
    assert status_of(rt, reservation_id) == "cancelled"
    clock.set(WED_10 - dt.timedelta(hours=2))
    tick(rt)
    assert len(transport.sent) == 1  # no two-hour reminder for a cancelled session


def test_a_typed_number_or_word_answers_too(
    rt: Runtime, clock: FakeClock, client: FlaskClient
) -> None:
    reservation_id = reminded(rt, clock)
    person = WebhookDialog(client, PHONE)
    assert "Kami tunggu" in person.said("1")
    assert status_of(rt, reservation_id) == "confirmed"
    assert "Menu utama" in person.said("menu")  # and the conversation is back at rest


def test_jadwal_ulang_offers_new_times_for_that_reservation(
    rt: Runtime, clock: FakeClock, client: FlaskClient
) -> None:
    reservation_id = reminded(rt, clock)
    person = WebhookDialog(client, PHONE)
    offer = person.said("jadwal ulang")
    assert "EK-" in offer and "1." in offer  # new times for this reservation, numbered
    person.say("1")
    person.say("ya")
    with transaction(rt.db) as session:
        found = session.get(Reservation, reservation_id)
        assert found is not None and found.starts_at != WED_10
