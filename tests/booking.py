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
    dialog.say("Cikupa")
    dialog.say("ya")  # what was understood is right (a cooperative: the koperasi clinic)
    dialog.say("11")  # laporan keuangan
    dialog.say("Laporan keuangan kami belum rapi sejak tahun lalu")
    dialog.say("2")  # online
    dialog.say(slot_answer)
    booked = dialog.said("ya")
    dialog.say("2")  # no announcements, thanks (asked once, after the first booking)
    return booked


# A new person up to the mode question: a cooperative (so the koperasi clinic, not asked),
# "Akses permodalan", a short story.
TO_MODE = (
    "halo",
    "reservasi",
    "Sari",
    "1",
    "Koperasi Maju",
    "Curug",
    "ya",
    "2",
    "Kami butuh tambahan modal untuk anggota",
)
UP_TO_SUMMARY = (*TO_MODE, "online", "1")

# A registered person books again: continue, first topic (of the koperasi clinic, known from
# the category), face to face, first slot.
BOOK_AGAIN = ("reservasi", "1", "1", "Ingin mendirikan koperasi baru di desa", "1", "1", "ya")


def walk(dialog: Dialog, *answers: str) -> str:
    """Send the answers in turn; return the bot's last reply, joined."""
    reply = ""
    for answer in answers:
        reply = dialog.said(answer)
    return reply


def book_again(dialog: Dialog, slot_answer: str = "1") -> str:
    """A registered person makes another reservation; returns the last reply."""
    return walk(dialog, *BOOK_AGAIN[:-2], slot_answer, BOOK_AGAIN[-1])


def reservations_of(db: sa.Engine) -> list[Reservation]:
    """Every reservation, oldest first, as plain rows."""
    with db.connect() as connection:
        rows = connection.execute(sa.select(Reservation).order_by(Reservation.id)).all()
    return [Reservation(**row._mapping) for row in rows]
