"""Meeting links: a pool of rooms, and which room serves which online session.

A reservation holds its room one quarter hour at a time (``RoomBooking`` rows, unique per room
and start): two overlapping sessions would need the same row, so the database refuses the
second, even when two admins confirm at the same moment. On PostgreSQL the second insert waits
for the first transaction and then fails; we catch that in a savepoint.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, delete, select

from storage.models import Reservation
from storage.models_console import MeetingRoom, RoomBooking

QUARTER = dt.timedelta(minutes=15)


class RoomTaken(Exception):
    """The room is already given to an overlapping session."""


def quarters(starts_at: dt.datetime, ends_at: dt.datetime) -> list[dt.datetime]:
    """The quarter hours (UTC) a session from `starts_at` to `ends_at` touches."""
    first = starts_at.replace(
        minute=starts_at.minute - starts_at.minute % 15, second=0, microsecond=0
    )
    found = []
    moment = first
    while moment < ends_at:
        found.append(moment)
        moment += QUARTER
    return found


def active_rooms(session: Session) -> list[MeetingRoom]:
    """Rooms that may be handed out, by name."""
    return list(
        session.exec(
            select(MeetingRoom)
            .where(col(MeetingRoom.active).is_(True))
            .order_by(col(MeetingRoom.name))
        )
    )


def busy_room_ids(
    session: Session, starts_at: dt.datetime, ends_at: dt.datetime, *, ignore: int | None = None
) -> set[int]:
    """Rooms holding any quarter of that time (except for reservation `ignore`)."""
    query = select(RoomBooking.room_id).where(
        col(RoomBooking.starts_at).in_(quarters(starts_at, ends_at))
    )
    if ignore is not None:
        query = query.where(RoomBooking.reservation_id != ignore)
    return set(session.exec(query))


def free_rooms(session: Session, reservation: Reservation) -> list[MeetingRoom]:
    """Active rooms free for the whole reservation."""
    busy = busy_room_ids(session, reservation.starts_at, reservation.ends_at, ignore=reservation.id)
    return [room for room in active_rooms(session) if room.id not in busy]


def room_of(session: Session, reservation: Reservation) -> MeetingRoom | None:
    """The room the reservation holds, if any."""
    room_id = session.exec(
        select(RoomBooking.room_id).where(RoomBooking.reservation_id == reservation.id)
    ).first()
    return session.get(MeetingRoom, room_id) if room_id is not None else None


def release(session: Session, reservation: Reservation) -> None:
    """Give back the room a reservation holds (cancelled, moved, changed to face to face)."""
    session.exec(delete(RoomBooking).where(col(RoomBooking.reservation_id) == reservation.id))


def assign(session: Session, reservation: Reservation, room: MeetingRoom) -> None:
    """Hold `room` for the reservation's time (releasing any room it held); RoomTaken when an
    overlapping session holds it."""
    assert reservation.id is not None and room.id is not None
    try:
        with session.begin_nested():
            release(session, reservation)
            for moment in quarters(reservation.starts_at, reservation.ends_at):
                session.add(
                    RoomBooking(room_id=room.id, reservation_id=reservation.id, starts_at=moment)
                )
            session.flush()
    except IntegrityError as exc:
        raise RoomTaken(room.name) from exc


def link_text(room: MeetingRoom) -> str:
    """The link as sent to the person and stored on the reservation."""
    return room.url
