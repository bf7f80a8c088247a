"""Reservations: booking a seat atomically, listing, rescheduling and cancelling.

Capacity is a database fact: each booking holds one ``SlotSeat`` row, and the unique key
(service, start, seat number) means two bookings can never hold the same seat. A booking
tries the seat numbers with ``INSERT ... ON CONFLICT DO NOTHING`` (first the one after the
seats it counted as taken, so usually one statement, and no savepoint); when no insert
returns a row, the slot is full. On PostgreSQL a concurrent insert of the same key waits for
the other transaction and then does nothing, so "count then insert" races cannot happen.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, delete, select

from bot.services import clinic, meeting_links
from bot.services.calendar import (
    DEFAULT_HORIZON_DAYS,
    DEFAULT_MIN_LEAD,
    Slot,
    is_bookable,
    slot_shape,
)
from storage.db import upsert_insert
from storage.enums import ACTIVE_RESERVATION, BookingFailure
from storage.models import Contact, Reservation, ReservationEvent, Service, SlotSeat, Topic

ACTIVE = ACTIVE_RESERVATION
SEATS = SlotSeat.__table__  # type: ignore[attr-defined]
MODES = ("tatap_muka", "online")


class BookingError(Exception):
    """The reservation could not be made or changed; `reason` names why."""

    def __init__(self, reason: BookingFailure) -> None:
        super().__init__(reason)
        self.reason = BookingFailure(reason)


def is_upcoming(reservation: Reservation, now: dt.datetime) -> bool:
    """True for an active reservation that has not started yet."""
    return reservation.status in ACTIVE and reservation.starts_at > now


def _seat_order(slot: Slot) -> list[int]:
    """Seat numbers to try: after the ones counted as taken first, then the rest (a seat
    freed by a cancellation leaves a gap)."""
    seats = list(range(1, slot.capacity + 1))
    first = min(slot.taken, slot.capacity)
    return seats[first:] + seats[:first]


def _claim_seat(session: Session, reservation: Reservation, slot: Slot) -> bool:
    assert reservation.id is not None
    dialect = session.get_bind().dialect.name
    statement = upsert_insert(dialect, SEATS).on_conflict_do_nothing().returning(SEATS.c.id)
    for seat in _seat_order(slot):
        claimed = session.execute(
            statement,
            {
                "service_id": slot.service_id,
                "starts_at": slot.starts_at,
                "seat": seat,
                "reservation_id": reservation.id,
            },
        ).first()
        if claimed is not None:
            return True
    return False


def _release_seat(session: Session, reservation: Reservation) -> None:
    session.exec(delete(SlotSeat).where(col(SlotSeat.reservation_id) == reservation.id))


_STARTS = sa.bindparam("starts_at", type_=SEATS.c.starts_at.type)
_RESERVATIONS = Reservation.__table__  # type: ignore[attr-defined]
# the seats taken in the slot, and whether the person already has a session at that time
_SEAT_CHECK = sa.select(
    sa.select(sa.func.count())
    .where(SEATS.c.service_id == sa.bindparam("service_id"), SEATS.c.starts_at == _STARTS)
    .scalar_subquery(),
    sa.exists()
    .where(
        _RESERVATIONS.c.contact_id == sa.bindparam("contact_id"),
        _RESERVATIONS.c.starts_at == _STARTS,
        _RESERVATIONS.c.status.in_(ACTIVE),
    )
    .label("same_time"),
)


def _checked_slot(
    session: Session,
    service: Service,
    starts_at: dt.datetime,
    now: dt.datetime,
    tz: ZoneInfo,
    contact_id: int | None,
) -> Slot:
    """The slot, if this contact may take a seat in it now; BookingError otherwise."""
    shape = slot_shape(session, service, starts_at, tz)
    if shape is None:
        raise BookingError(BookingFailure.NO_SUCH_SLOT)
    if shape.starts_at < now + DEFAULT_MIN_LEAD:
        raise BookingError(BookingFailure.TOO_SOON)
    if shape.starts_at > now + dt.timedelta(days=DEFAULT_HORIZON_DAYS):
        raise BookingError(BookingFailure.TOO_FAR)
    # through the session, not its connection: seats added and not yet flushed count too
    taken, same_time = session.execute(
        _SEAT_CHECK,
        {"service_id": service.id, "starts_at": shape.starts_at, "contact_id": contact_id},
    ).one()
    if same_time:
        raise BookingError(BookingFailure.ALREADY_BOOKED)
    slot = dataclasses.replace(shape, taken=int(taken))
    if not is_bookable(slot, now):
        raise BookingError(BookingFailure.SLOT_FULL)
    return slot


def make_code(reservation: Reservation, tz: ZoneInfo) -> str:
    """A human-readable code such as EK-2611-0042 (booking month and a running number)."""
    assert reservation.id is not None
    return f"EK-{reservation.created_at.astimezone(tz):%y%m}-{reservation.id:04d}"


def book(
    session: Session,
    *,
    contact: Contact,
    service: Service,
    topic: Topic,
    problem: str,
    mode: str,
    starts_at: dt.datetime,
    now: dt.datetime,
    tz: ZoneInfo,
) -> Reservation:
    """Hold a seat and create a `booked` reservation, or raise BookingError.

    Reasons: no_such_slot, too_soon, too_far, slot_full, already_booked, bad_mode, bad_topic.
    """
    if mode not in MODES:
        raise BookingError(BookingFailure.BAD_MODE)
    if topic.service_id != service.id:
        raise BookingError(BookingFailure.BAD_TOPIC)
    slot = _checked_slot(session, service, starts_at, now, tz, contact.id)
    assert contact.id is not None and service.id is not None and topic.id is not None
    reservation = Reservation(
        contact_id=contact.id,
        service_id=service.id,
        topic_id=topic.id,
        problem=problem,
        mode=mode,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        status="booked",
        created_at=now,
        updated_at=now,
    )
    session.add(reservation)
    session.flush()
    if not _claim_seat(session, reservation, slot):
        session.delete(reservation)  # the slot filled up since it was counted
        session.flush()
        raise BookingError(BookingFailure.SLOT_FULL)
    reservation.code = make_code(reservation, tz)
    assert reservation.id is not None
    session.add(
        ReservationEvent(
            reservation_id=reservation.id,
            kind="created",
            actor="contact",
            to_starts_at=slot.starts_at,
            at=now,
        )
    )
    session.flush()
    return reservation


def reschedule(
    session: Session,
    reservation: Reservation,
    *,
    starts_at: dt.datetime,
    now: dt.datetime,
    tz: ZoneInfo,
    actor: str = "contact",
) -> Reservation:
    """Move an upcoming reservation to another slot of its clinic, keeping its code.

    The old seat is released and the new one claimed in one savepoint: if the new slot is
    full, the reservation keeps its old seat.
    """
    if not is_upcoming(reservation, now):
        raise BookingError(BookingFailure.NOT_UPCOMING)
    if starts_at == reservation.starts_at:
        raise BookingError(BookingFailure.SAME_SLOT)
    service = clinic.service(session, reservation.service_id)
    assert service is not None
    slot = _checked_slot(session, service, starts_at, now, tz, reservation.contact_id)
    previous = reservation.starts_at
    with session.begin_nested():
        _release_seat(session, reservation)
        if not _claim_seat(session, reservation, slot):
            raise BookingError(BookingFailure.SLOT_FULL)
        reservation.starts_at = slot.starts_at
        reservation.ends_at = slot.ends_at
        reservation.status = "booked"  # a new time needs the admin's confirmation again
        reservation.updated_at = now
        assert reservation.id is not None
        session.add(
            ReservationEvent(
                reservation_id=reservation.id,
                kind="rescheduled",
                actor=actor,
                from_starts_at=previous,
                to_starts_at=slot.starts_at,
                at=now,
            )
        )
        session.flush()
    return reservation


def change_mode(
    session: Session,
    reservation: Reservation,
    *,
    mode: str,
    now: dt.datetime,
    actor: str = "contact",
) -> Reservation:
    """Meet face to face instead of online, or the other way round, at the same time. The
    room or the meeting link changes with it, so the staff confirm it again."""
    if mode not in MODES:
        raise BookingError(BookingFailure.BAD_MODE)
    if not is_upcoming(reservation, now):
        raise BookingError(BookingFailure.NOT_UPCOMING)
    previous = reservation.mode
    reservation.mode = mode
    if mode == "tatap_muka":  # the Zoom room held for it is free for others again
        meeting_links.release(session, reservation)
        reservation.meeting_link = None
    reservation.status = "booked"
    reservation.updated_at = now
    assert reservation.id is not None
    session.add(
        ReservationEvent(
            reservation_id=reservation.id,
            kind="mode_changed",
            actor=actor,
            note=f"{previous} -> {mode}",
            at=now,
        )
    )
    session.flush()
    return reservation


def cancel(
    session: Session,
    reservation: Reservation,
    *,
    now: dt.datetime,
    reason: str | None = None,
    actor: str = "contact",
) -> Reservation:
    """Cancel an upcoming reservation and free its seat."""
    if not is_upcoming(reservation, now):
        raise BookingError(BookingFailure.NOT_UPCOMING)
    _release_seat(session, reservation)
    reservation.status = "cancelled"
    reservation.cancel_reason = reason
    reservation.cancelled_by = actor
    reservation.updated_at = now
    assert reservation.id is not None
    session.add(
        ReservationEvent(
            reservation_id=reservation.id, kind="cancelled", actor=actor, note=reason, at=now
        )
    )
    session.flush()
    return reservation


def upcoming_for(session: Session, contact: Contact, now: dt.datetime) -> list[Reservation]:
    """The contact's active reservations that have not started yet, soonest first."""
    return list(
        session.exec(
            select(Reservation)
            .where(
                Reservation.contact_id == contact.id,
                col(Reservation.status).in_(ACTIVE),
                Reservation.starts_at > now,
            )
            .order_by(col(Reservation.starts_at))
        )
    )


def find_by_code(session: Session, code: str) -> Reservation | None:
    """The reservation with this code (case and spacing forgiven)."""
    cleaned = code.strip().upper().replace(" ", "")
    return session.exec(select(Reservation).where(Reservation.code == cleaned)).first()
