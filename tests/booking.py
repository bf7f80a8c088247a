"""Shortcuts for reservation tests: register a contact and book through the chat."""

from __future__ import annotations

import sqlalchemy as sa

from storage.models import Reservation
from tests.dialog import Dialog


def register_and_reserve(dialog: Dialog, slot_answer: str = "1") -> str:
    """A new cooperative books the first offered koperasi slot online; returns the reply."""
    dialog.say("halo")
    dialog.say("reservasi")
    dialog.say("Sari Wulandari")
    dialog.say("1")
    dialog.say("Koperasi Maju Bersama")
    dialog.say("Cibeunying")
    dialog.say("1")  # koperasi clinic
    dialog.say("11")  # laporan keuangan
    dialog.say("Laporan keuangan kami belum rapi sejak tahun lalu")
    dialog.say("2")  # online
    dialog.say(slot_answer)
    return dialog.said("ya")


def reservations_of(db: sa.Engine) -> list[Reservation]:
    """Every reservation, oldest first, as plain rows."""
    with db.connect() as connection:
        rows = connection.execute(sa.select(Reservation).order_by(Reservation.id)).all()
    return [Reservation(**row._mapping) for row in rows]
