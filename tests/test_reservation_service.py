"""The booking service on its own: capacity held by the database, one's own times, history."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from bot.services import reservations
from storage.db import make_engine
from storage.models import ClinicHours, Contact, Reservation, Service, SlotSeat, Topic
from tests.conftest import START

TZ = ZoneInfo("Asia/Jakarta")
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


@pytest.fixture
def engines(database_url: str) -> Iterator[list[sa.Engine]]:
    made = [make_engine(database_url) for _ in range(5)]
    with Session(made[0]) as session:
        session.execute(sa.update(ClinicHours).values(capacity=1))
        for i in range(5):
            session.add(Contact(phone=f"+62812000000{i}", created_at=START))
        session.commit()
    yield made
    for engine in made:
        engine.dispose()


def _book(session: Session, phone: str, starts_at: dt.datetime) -> Reservation:
    contact = session.exec(select(Contact).where(Contact.phone == phone)).one()
    service = session.exec(select(Service).where(Service.code == "koperasi")).one()
    topic = session.exec(select(Topic).where(Topic.service_id == service.id)).first()
    assert topic is not None
    return reservations.book(
        session,
        contact=contact,
        service=service,
        topic=topic,
        problem="Modal usaha kurang",
        mode="online",
        starts_at=starts_at.astimezone(dt.UTC),
        now=START,
        tz=TZ,
    )


def test_separate_connections_racing_for_the_last_seat(engines: list[sa.Engine]) -> None:
    barrier = threading.Barrier(len(engines))
    outcomes: list[str] = []

    def attempt(index: int) -> None:
        with Session(engines[index]) as session:
            barrier.wait()
            try:
                _book(session, f"+62812000000{index}", MONDAY_10)
                session.commit()
                outcomes.append("booked")
            except reservations.BookingError as exc:
                session.rollback()
                outcomes.append(exc.reason)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(len(engines))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked"] + ["slot_full"] * (len(engines) - 1)
    with Session(engines[0]) as session:
        assert len(session.exec(select(SlotSeat)).all()) == 1
        assert len(session.exec(select(Reservation)).all()) == 1


def test_rescheduling_onto_ones_own_other_booking_is_refused(engines: list[sa.Engine]) -> None:
    with Session(engines[0]) as session:
        first = _book(session, "+628120000000", MONDAY_10)
        second = _book(session, "+628120000000", MONDAY_10 + dt.timedelta(minutes=30))
        with pytest.raises(reservations.BookingError) as error:
            reservations.reschedule(session, second, starts_at=first.starts_at, now=START, tz=TZ)
        assert error.value.reason == "already_booked"
        assert second.starts_at == (MONDAY_10 + dt.timedelta(minutes=30)).astimezone(dt.UTC)


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        (dt.datetime(2026, 11, 23, 9, 0, tzinfo=TZ), "too_soon"),
        (dt.datetime(2026, 11, 23, 12, 0, tzinfo=TZ), "no_such_slot"),  # the clinic has closed
        (dt.datetime(2026, 11, 28, 10, 0, tzinfo=TZ), "no_such_slot"),  # a Saturday
        (dt.datetime(2026, 12, 25, 10, 0, tzinfo=TZ), "no_such_slot"),  # Christmas
        (dt.datetime(2027, 3, 1, 10, 0, tzinfo=TZ), "too_far"),
        (dt.datetime(2026, 11, 23, 10, 10, tzinfo=TZ), "no_such_slot"),  # not a session start
    ],
)
def test_bookings_only_on_real_free_slots(
    engines: list[sa.Engine], when: dt.datetime, reason: str
) -> None:
    with Session(engines[0]) as session, pytest.raises(reservations.BookingError) as error:
        _book(session, "+628120000000", when)
    assert error.value.reason == reason
