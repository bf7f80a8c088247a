"""A person switches a reservation between online and face to face in the chat: the time
stays, the staff confirm it again, and a Zoom room held for it is given back."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from bot.clock import FakeClock
from bot.services import meeting_links
from storage.db import transaction
from storage.models import Reservation, ReservationEvent
from storage.models_console import MeetingRoom, RoomBooking
from tests.booking import register_and_reserve
from tests.dialog import Dialog, verify_dialog


def test_a_confirmed_online_session_switched_to_face_to_face_frees_its_room(
    dialog: Dialog, db: sa.Engine, clock: FakeClock
) -> None:
    register_and_reserve(dialog)  # online, Monday 10.00
    with transaction(db) as session:
        room = MeetingRoom(name="Zoom 1", url="https://zoom.example/j/1", created_at=clock.now())
        session.add(room)
        session.flush()
        reservation = session.exec(select(Reservation)).one()
        meeting_links.assign(session, reservation, room)
        reservation.meeting_link = meeting_links.link_text(room)
        reservation.status = "confirmed"
    clock.advance(seconds=600)
    verify_dialog(
        dialog,
        [("yg senin bisa diganti jadi tatap muka aja? sy mau dateng", ("Tatap muka", "ulang"))],
    )
    with transaction(db) as session:
        reservation = session.exec(select(Reservation)).one()
        assert (reservation.mode, reservation.status) == ("tatap_muka", "booked")
        assert reservation.meeting_link is None
        assert session.exec(select(RoomBooking)).first() is None
        kinds = [e.kind for e in session.exec(select(ReservationEvent))]
        assert "mode_changed" in kinds


def test_asking_for_the_way_it_already_is_changes_nothing(dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)  # online
    verify_dialog(dialog, [("yg senin tetap online aja ya, bisa diganti jadi online?", "memang")])
    with transaction(db) as session:
        reservation = session.exec(select(Reservation)).one()
        assert (reservation.mode, reservation.status) == ("online", "booked")
