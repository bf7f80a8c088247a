"""Reminders: derived from the reservation, at the right WIB times, never in the night, moved
by a reschedule, withdrawn by a cancel, never twice, and never late after a worker outage."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from sqlmodel import col, select

from bot.clock import FakeClock
from bot.delivery_settings import DeliverySettings
from bot.outbox import dispatch_until_idle
from bot.runtime import Runtime
from bot.services import reminders, reservations
from bot.services.delivery_jobs import derive_all
from storage.db import transaction
from storage.models import Contact, Message, Reservation
from tests.fakes import RecordingTransport
from tests.outbox_helpers import add_contact, book_confirmed

TZ = ZoneInfo("Asia/Jakarta")
SETTINGS = DeliverySettings(rate_per_second=0, concurrency=1)
WED_10 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=TZ)  # START is Monday 23 Nov, 07:50 WIB


def wib(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def rt(app: Flask) -> Runtime:
    found = app.extensions["eklinik"]
    assert isinstance(found, Runtime)
    return found


def tick(rt: Runtime, settings: DeliverySettings = SETTINGS) -> None:
    """What the worker's two jobs do on a tick."""
    derive_all(rt.db, rt.clock.now(), TZ, rt.catalog, settings, rt.engine)
    dispatch_until_idle(rt.db, rt.transport, rt.clock, settings=settings)


def sent_reminders(rt: Runtime) -> list[tuple[int | None, str | None, str]]:
    """(reservation, kind, status) of every reminder row, oldest first."""
    with transaction(rt.db) as session:
        rows = session.exec(
            select(Message).where(col(Message.kind).like("reminder_%")).order_by(col(Message.id))
        ).all()
        return [(m.reservation_id, m.kind, m.status) for m in rows]


def walk(
    rt: Runtime, clock: FakeClock, until: dt.datetime, step: dt.timedelta
) -> list[tuple[dt.datetime, str]]:
    """Tick every `step` until `until`; when (WIB) each message left, with its kind."""
    transport = rt.transport
    assert isinstance(transport, RecordingTransport)
    log: list[tuple[dt.datetime, str]] = []
    while clock.now() < until:
        before = len(transport.sent)
        tick(rt)
        if len(transport.sent) > before:
            with transaction(rt.db) as session:
                kinds = session.exec(
                    select(Message.kind)
                    .where(Message.direction == "out", col(Message.provider_sid).is_not(None))
                    .order_by(col(Message.id))
                ).all()
            for kind in kinds[len(log) :]:
                log.append((clock.now().astimezone(TZ), str(kind)))
        clock.set(clock.now() + step)
    return log


def person(rt: Runtime, phone: str = "+6281234567890", **fields: object) -> Contact:
    return add_contact(rt.db, phone, name="Sari", **fields)  # type: ignore[arg-type]


def test_reminders_go_one_day_and_two_hours_before_the_session_in_wib(
    rt: Runtime, clock: FakeClock, transport: RecordingTransport
) -> None:
    book_confirmed(rt.db, person(rt), WED_10)
    log = walk(rt, clock, WED_10, dt.timedelta(minutes=10))
    assert log == [(wib(24, 10), "reminder_1d"), (wib(25, 8), "reminder_2h")]
    first, second = transport.sent
    assert "besok" in first.body and "sebentar lagi" in second.body
    assert "https://zoom.us/j/123" in first.body and "Rabu, 25 November 2026" in first.body
    assert first.buttons == ("Hadir", "Jadwal ulang", "Batal")
    # the person last wrote on Monday: outside the 24-hour window, the template goes
    assert first.template is not None and first.template.name == "reminder"
    assert first.template.variables["when"] == "Rabu, 25 November 2026, 10.00 WIB"
    assert first.template.variables["place"] == "https://zoom.us/j/123"
    # valid until the next reminder (22 h), told to the provider within its 10-hour maximum
    assert first.validity_seconds == 36000
    assert second.validity_seconds == 90 * 60  # until half an hour before the session


def test_a_reminder_due_in_the_night_moves_to_six_or_is_skipped() -> None:
    settings = DeliverySettings(reminder_offsets=(dt.timedelta(hours=12), dt.timedelta(hours=2)))
    at_nine = reminders.plan(wib(25, 9).astimezone(dt.UTC), TZ, settings)
    assert [(r.kind, r.due.astimezone(TZ)) for r in at_nine] == [
        ("reminder_12h", wib(25, 6)),  # 21:00 the evening before is night: 06:00
        ("reminder_2h", wib(25, 7)),
    ]
    assert at_nine[0].valid_until == at_nine[1].due
    early = replace(settings, reminder_offsets=(dt.timedelta(hours=4),))
    [six] = reminders.plan(wib(25, 9).astimezone(dt.UTC), TZ, early)  # 05:00 -> 06:00
    assert six.due.astimezone(TZ) == wib(25, 6)
    assert reminders.plan(wib(25, 6, 20).astimezone(dt.UTC), TZ, early) == []  # 06:00 too late
    # both pushed onto 06:00: only the later one is sent
    both = replace(settings, reminder_offsets=(dt.timedelta(hours=10), dt.timedelta(hours=8)))
    assert [r.kind for r in reminders.plan(wib(25, 13).astimezone(dt.UTC), TZ, both)] == [
        "reminder_8h"
    ]


def test_no_reminder_leaves_in_the_night(rt: Runtime, clock: FakeClock) -> None:
    settings = replace(SETTINGS, reminder_offsets=(dt.timedelta(hours=12), dt.timedelta(hours=2)))
    book_confirmed(rt.db, person(rt), wib(24, 9))
    sent_at = []
    transport = rt.transport
    assert isinstance(transport, RecordingTransport)
    while clock.now() < wib(24, 9):
        before = len(transport.sent)
        tick(rt, settings)
        sent_at += [clock.now().astimezone(TZ)] * (len(transport.sent) - before)
        clock.set(clock.now() + dt.timedelta(minutes=10))
    assert sent_at == [wib(24, 6), wib(24, 7)]


def test_a_reschedule_moves_the_reminders(
    rt: Runtime, clock: FakeClock, transport: RecordingTransport
) -> None:
    reservation_id = book_confirmed(rt.db, person(rt), WED_10)
    clock.set(wib(24, 9, 59))
    tick(rt)  # the 1-day reminder is queued (due at 10:00), not sent yet
    assert sent_reminders(rt) == [(reservation_id, "reminder_1d", "pending")]
    with transaction(rt.db) as session:
        found = session.get(Reservation, reservation_id)
        assert found is not None
        reservations.reschedule(
            session, found, starts_at=wib(26, 10).astimezone(dt.UTC), now=clock.now(), tz=TZ
        )
        found.status = "confirmed"  # the admin confirms the new time
    clock.set(wib(24, 10))
    log = walk(rt, clock, wib(26, 10), dt.timedelta(minutes=10))
    assert log == [(wib(25, 10), "reminder_1d"), (wib(26, 8), "reminder_2h")]
    assert sent_reminders(rt)[0] == (reservation_id, "reminder_1d", "withdrawn")
    assert all("Kamis, 26 November 2026" in m.body for m in transport.sent)


def test_a_cancel_withdraws_the_reminders(
    rt: Runtime, clock: FakeClock, transport: RecordingTransport
) -> None:
    contact = person(rt)
    cancelled = book_confirmed(rt.db, contact, WED_10)
    kept = book_confirmed(rt.db, contact, wib(25, 11))
    clock.set(wib(24, 9, 59))
    tick(rt)
    with transaction(rt.db) as session:
        found = session.get(Reservation, cancelled)
        assert found is not None
        reservations.cancel(session, found, now=clock.now(), reason="berhalangan")
    walk(rt, clock, wib(25, 11), dt.timedelta(minutes=10))
    assert [(r, k) for r, k, s in sent_reminders(rt) if s == "queued"] == [
        (kept, "reminder_1d"),
        (kept, "reminder_2h"),
    ]
    with transaction(rt.db) as session:
        withdrawn = session.exec(select(Message).where(Message.reservation_id == cancelled)).one()
        assert withdrawn.status == "withdrawn"
        assert withdrawn.last_error == "the reservation is now cancelled"


def test_the_tick_running_twice_or_on_two_workers_queues_one_reminder(
    rt: Runtime, clock: FakeClock, transport: RecordingTransport
) -> None:
    book_confirmed(rt.db, person(rt), WED_10)
    clock.set(wib(24, 10))
    for _ in range(3):
        derive_all(rt.db, clock.now(), TZ, rt.catalog, SETTINGS, rt.engine)
    tick(rt)
    tick(rt)
    assert len(transport.sent) == 1


def test_a_restarted_worker_sends_the_due_reminders_once_and_the_stale_ones_never(
    rt: Runtime, clock: FakeClock, transport: RecordingTransport
) -> None:
    contact = person(rt)
    wednesday = book_confirmed(rt.db, contact, WED_10)
    tuesday = book_confirmed(rt.db, contact, wib(24, 15), service_code="umkm")
    clock.set(wib(23, 15))
    derive_all(rt.db, clock.now(), TZ, rt.catalog, SETTINGS, rt.engine)  # Tuesday's 1-day
    clock.set(wib(24, 9, 59))
    derive_all(rt.db, clock.now(), TZ, rt.catalog, SETTINGS, rt.engine)  # Wednesday's 1-day
    # ... and the worker dies before sending either; it is back on Wednesday at 08:05
    clock.set(wib(25, 8, 5))
    tick(rt)
    tick(rt)  # and a second tick (or a second worker) changes nothing
    assert sent_reminders(rt) == [
        (tuesday, "reminder_1d", "expired"),
        (wednesday, "reminder_1d", "expired"),
        (wednesday, "reminder_2h", "queued"),
    ]
    [only] = transport.sent
    assert "sebentar lagi" in only.body


def test_opted_out_people_and_unconfirmed_bookings_get_no_reminder(
    rt: Runtime, clock: FakeClock, transport: RecordingTransport
) -> None:
    quiet = person(rt, "+6281111111111", opted_out_at=dt.datetime(2026, 11, 23, tzinfo=dt.UTC))
    book_confirmed(rt.db, quiet, WED_10)
    book_confirmed(rt.db, person(rt, "+6282222222222"), WED_10, status="booked")
    walk(rt, clock, WED_10, dt.timedelta(minutes=30))
    assert transport.sent == []
    assert sent_reminders(rt) == []
