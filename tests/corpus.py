"""The acceptance corpus' vocabulary: a whole conversation as a table of what the person says and
what must come back, and what must be stored at the end (the contact's registration and the
reservations), played in-process against a fresh database.

A turn is `(text, expected)` as in `verify_dialog`, or `Wait(...)`: the clock moves on (the person
comes back later). Expected stored values are `Person` and `Booking`; `ANY` leaves a field
unchecked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import col

from bot.clock import FakeClock
from storage.models import Contact, Handoff, Reservation, Service, Topic
from tests.dialog import Dialog, Turn

Expected = str | tuple[str, ...] | None

WIB = dt.timezone(dt.timedelta(hours=7))
PHONE = "+6281234567890"


class _Any:
    def __eq__(self, other: object) -> bool:
        return True

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "ANY"


ANY: Any = _Any()


@dataclass(frozen=True)
class Wait:
    """The person comes back later: the clock moves by these hours/days."""

    hours: float = 0
    days: float = 0


@dataclass(frozen=True)
class Person:
    """A contact's stored registration."""

    name: str | None
    salutation: str | None = ANY
    category: str | None = ANY
    organisation: str | None = ANY
    kecamatan: str | None = ANY


@dataclass(frozen=True)
class Booking:
    """A stored reservation: clinic code, topic code, problem text, mode, start (WIB), status."""

    service: str
    topic: str
    problem: str | None
    mode: str
    starts: dt.datetime | None
    status: str = "booked"


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    """A moment of 2026 in WIB (the clinic's timezone)."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=WIB)


@dataclass(frozen=True)
class Conversation:
    """One whole conversation and what it must leave behind.

    `contact` None means nobody was registered; `bookings` lists every reservation of the
    person, oldest first; `handoffs` the status of every chat handed to staff, oldest first
    (pending, open, resolved; None: unchecked).
    `start` moves the clock before the first message (from Monday 23 Nov 2026 07:50 WIB);
    `others` are what other people say first (e.g. to fill a slot), unchecked.
    `profile_name`: the person's WhatsApp name, when not the default "Ibu Sari".
    """

    name: str
    turns: list[Turn | Wait]
    contact: Person | None = ANY
    bookings: tuple[Booking, ...] = ()
    handoffs: tuple[str, ...] | None = ()
    start: Wait = field(default_factory=Wait)
    others: tuple[tuple[str, ...], ...] = ()
    xfail: str | None = None
    profile_name: str | None = None  # the WhatsApp profile name, when not the default one


def stored_person(db: sa.Engine, phone: str = PHONE) -> Person | None:
    """The contact's registration as stored (None when not registered)."""
    with db.connect() as connection:
        row = connection.execute(sa.select(Contact).where(col(Contact.phone) == phone)).first()
    if row is None or row.registered_at is None:
        return None
    return Person(row.name, row.salutation, row.category, row.organisation, row.kecamatan)


def stored_bookings(db: sa.Engine, phone: str = PHONE) -> tuple[Booking, ...]:
    """The person's reservations, oldest first, with clinic and topic codes, start in WIB."""
    query: Any = (
        sa.select(Reservation, col(Service.code).label("service"), col(Topic.code).label("topic"))
        .join(Service, col(Service.id) == col(Reservation.service_id))
        .join(Topic, col(Topic.id) == col(Reservation.topic_id))
        .join(Contact, col(Contact.id) == col(Reservation.contact_id))
        .where(col(Contact.phone) == phone)
        .order_by(col(Reservation.id))
    )
    with db.connect() as connection:
        rows = connection.execute(query).all()
    return tuple(
        Booking(
            row.service,
            row.topic,
            row.problem,
            row.mode,
            _as_utc(row.starts_at).astimezone(WIB),
            row.status,
        )
        for row in rows
    )


def handoff_statuses(db: sa.Engine) -> tuple[str, ...]:
    """The status of every handoff, oldest first."""
    query = sa.select(col(Handoff.status)).order_by(col(Handoff.id))
    with db.connect() as connection:
        return tuple(connection.execute(query).scalars())


def _as_utc(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _same(expected: object, actual: object) -> bool:
    if not (isinstance(expected, Person | Booking) and isinstance(actual, type(expected))):
        return expected == actual
    return all(getattr(expected, f.name) == getattr(actual, f.name) for f in fields(expected))


def play(conversation: Conversation, dialog: Dialog, db: sa.Engine, clock: FakeClock) -> None:
    """Play the conversation turn by turn, then check what was stored."""
    if conversation.start != Wait():
        clock.advance(hours=conversation.start.hours, days=conversation.start.days)
    for number, script in enumerate(conversation.others):
        other = Dialog(dialog.client, phone=f"+62811000000{number}", profile_name="")
        for text in script:
            other.say(text)
    if conversation.profile_name is not None:
        dialog.profile_name = conversation.profile_name
    for number, turn in enumerate(conversation.turns, 1):
        if isinstance(turn, Wait):
            clock.advance(hours=turn.hours, days=turn.days)
        else:
            _check_turn(dialog, number, *turn)
    person = stored_person(db)
    assert _same(conversation.contact, person), f"stored contact {person}"
    bookings = stored_bookings(db)
    assert len(bookings) == len(conversation.bookings), f"stored reservations {bookings}"
    for expected, actual in zip(conversation.bookings, bookings, strict=True):
        assert _same(expected, actual), f"stored reservation {actual}, expected {expected}"
    if conversation.handoffs is not None:
        assert handoff_statuses(db) == conversation.handoffs


ABSENT = "!"  # an expected part "!penuh": the answer must not say it


def _check_turn(dialog: Dialog, number: int, text: str, expected: Expected) -> None:
    """As `verify_dialog` does for one turn, numbered within the whole conversation; a part
    that starts with ABSENT must not be in the answer."""
    answer = dialog.said(text)
    if expected is None:
        assert answer == "", f"turn {number} ({text!r}): expected silence, got {answer!r}"
        return
    for part in (expected,) if isinstance(expected, str) else expected:
        if part.startswith(ABSENT):
            assert part[1:].lower() not in answer.lower(), (
                f"turn {number} ({text!r}): {part[1:]!r} must not be in the answer:\n{answer}"
            )
            continue
        assert part.lower() in answer.lower(), (
            f"turn {number} ({text!r}): {part!r} not in the answer:\n{answer}"
        )


def cases(conversations: list[Conversation]) -> list[Any]:
    """pytest parameters, one per conversation; a known defect is a strict xfail."""
    return [
        pytest.param(
            c,
            id=c.name,
            marks=[pytest.mark.xfail(reason=c.xfail, strict=True)] if c.xfail else [],
        )
        for c in conversations
    ]
