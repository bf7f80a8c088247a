"""Meeting rooms: a room is never given to two overlapping sessions, enforced by the database,
also when two admins confirm at the same moment (two threads on separate connections)."""

from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from flask import Flask

from bot.clock import FakeClock
from bot.services import console_reservations, meeting_links
from bot.services.console_reservations import ConsoleContext
from storage.db import transaction
from storage.models import ClinicHours, Reservation
from storage.models_console import MeetingRoom, RoomBooking
from tests.test_console_pages import book_directly

TZ = ZoneInfo("Asia/Jakarta")


def test_quarters_cover_the_session() -> None:
    start = dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC)
    assert meeting_links.quarters(start, start + dt.timedelta(minutes=30)) == [
        start,
        start + dt.timedelta(minutes=15),
    ]
    odd = start + dt.timedelta(minutes=50)
    assert meeting_links.quarters(odd, odd + dt.timedelta(minutes=20)) == [
        start + dt.timedelta(minutes=45),
        start + dt.timedelta(minutes=60),
    ]


@pytest.fixture
def two_bookings_at_the_same_time(app: Flask, db: sa.Engine, clock: FakeClock) -> list[int]:
    """Two people booked the same online slot (the clinic has two seats per slot)."""
    with transaction(db) as session:
        session.execute(sa.update(ClinicHours).values(capacity=2))
        session.add(
            MeetingRoom(name="Zoom 1", url="https://zoom.example/j/1", created_at=clock.now())
        )
        session.add(
            MeetingRoom(name="Zoom 2", url="https://zoom.example/j/2", created_at=clock.now())
        )
    book_directly(app, "+6281111111111")
    book_directly(app, "+6282222222222")
    with db.connect() as connection:
        rows = connection.execute(sa.select(Reservation.id, Reservation.starts_at)).all()
    assert len(rows) == 2 and rows[0].starts_at == rows[1].starts_at
    return [row.id for row in rows]


def _confirm(app: Flask, db: sa.Engine, reservation_id: int, room_name: str) -> None:
    rt = app.extensions["eklinik"]
    with transaction(db) as session:
        ctx = ConsoleContext(session, rt.clock.now(), TZ, rt.catalog, "rina")
        reservation = session.get(Reservation, reservation_id)
        room = (
            session.exec(sa.select(MeetingRoom).where(MeetingRoom.name == room_name))
            .scalars()
            .one()
        )  # type: ignore[call-overload]
        assert reservation is not None
        console_reservations.confirm(ctx, reservation, expert=None, room=room)


def test_two_admins_confirming_at_once_never_share_a_room(
    app: Flask, db: sa.Engine, two_bookings_at_the_same_time: list[int]
) -> None:
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def confirm(reservation_id: int) -> None:
        barrier.wait()
        try:
            _confirm(app, db, reservation_id, "Zoom 1")
            outcomes[reservation_id] = "confirmed"
        except meeting_links.RoomTaken:
            outcomes[reservation_id] = "room taken"

    threads = [
        threading.Thread(target=confirm, args=(rid,)) for rid in two_bookings_at_the_same_time
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["confirmed", "room taken"]
    with db.connect() as connection:
        held = connection.execute(sa.select(RoomBooking.reservation_id).distinct()).scalars().all()
        statuses = connection.execute(sa.select(Reservation.status)).scalars().all()
    assert len(held) == 1 and sorted(statuses) == ["booked", "confirmed"]
    # the loser gets the other room, proposed as free
    [loser] = [rid for rid, outcome in outcomes.items() if outcome == "room taken"]
    with transaction(db) as session:
        reservation = session.get(Reservation, loser)
        assert reservation is not None
        assert [r.name for r in meeting_links.free_rooms(session, reservation)] == ["Zoom 2"]
    _confirm(app, db, loser, "Zoom 2")


def test_on_postgresql_the_second_confirmation_waits_for_the_first_and_then_fails(
    app: Flask, db: sa.Engine, two_bookings_at_the_same_time: list[int]
) -> None:
    """A holds its uncommitted room rows while B tries the same room: B waits on the unique
    index (seen in pg_stat_activity), and fails once A commits. No count-then-insert race."""
    if db.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL")
    first, second = two_bookings_at_the_same_time
    rt = app.extensions["eklinik"]
    a_flushed, release_a = threading.Event(), threading.Event()
    outcome: dict[str, str] = {}

    def admin_a() -> None:
        with transaction(db) as session:
            ctx = ConsoleContext(session, rt.clock.now(), TZ, rt.catalog, "rina")
            reservation = session.get(Reservation, first)
            room = (
                session.exec(sa.select(MeetingRoom).where(MeetingRoom.name == "Zoom 1"))
                .scalars()
                .one()
            )  # type: ignore[call-overload]
            assert reservation is not None
            console_reservations.confirm(ctx, reservation, expert=None, room=room)
            a_flushed.set()
            release_a.wait(timeout=30)
        outcome["a"] = "confirmed"

    def admin_b() -> None:
        try:
            _confirm(app, db, second, "Zoom 1")
            outcome["b"] = "confirmed"
        except meeting_links.RoomTaken:
            outcome["b"] = "room taken"

    thread_a = threading.Thread(target=admin_a)
    thread_a.start()
    assert a_flushed.wait(timeout=30)
    thread_b = threading.Thread(target=admin_b)
    thread_b.start()
    waiting = 0
    with db.connect() as watcher:
        for _ in range(1500):  # until B is seen blocked on A's row (bounded)
            waiting = watcher.execute(
                sa.text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                )
            ).scalar_one()
            watcher.rollback()  # statistics are a snapshot per transaction
            if waiting:
                break
            threading.Event().wait(0.02)
    release_a.set()
    thread_a.join()
    thread_b.join()
    assert waiting >= 1
    assert outcome == {"a": "confirmed", "b": "room taken"}


def test_a_cancelled_session_gives_its_room_back(
    app: Flask, db: sa.Engine, two_bookings_at_the_same_time: list[int]
) -> None:
    first, second = two_bookings_at_the_same_time
    _confirm(app, db, first, "Zoom 1")
    with pytest.raises(meeting_links.RoomTaken):
        _confirm(app, db, second, "Zoom 1")
    rt = app.extensions["eklinik"]
    with transaction(db) as session:
        ctx = ConsoleContext(session, rt.clock.now(), TZ, rt.catalog, "rina")
        reservation = session.get(Reservation, first)
        assert reservation is not None
        console_reservations.cancel(ctx, reservation, "Berhalangan")
    _confirm(app, db, second, "Zoom 1")


def test_forgetting_a_person_also_erases_their_console_data(
    app: Flask, db: sa.Engine, clock: FakeClock, two_bookings_at_the_same_time: list[int]
) -> None:
    from bot.services.privacy import forget_contact
    from storage.models import Contact
    from storage.models_console import ConsultationRecord, ContactNote

    first, _second = two_bookings_at_the_same_time
    _confirm(app, db, first, "Zoom 1")
    with transaction(db) as session:
        reservation = session.get(Reservation, first)
        assert reservation is not None
        session.add(
            ContactNote(
                contact_id=reservation.contact_id,
                author="rina",
                body="catatan",
                created_at=clock.now(),
            )
        )
        session.add(
            ConsultationRecord(
                reservation_id=first,
                notes="n",
                recommendation="r",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
    with transaction(db) as session:
        reservation = session.get(Reservation, first)
        assert reservation is not None
        contact = session.get(Contact, reservation.contact_id)
        assert contact is not None
        forget_contact(session, contact)
    with db.connect() as connection:
        for table in ("room_bookings", "contact_notes", "consultation_records"):
            assert connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one() == 0
