"""The consent to announcements: asked once after a first booking, separate from service
messages, withdrawn with "stop info" (replies and reminders keep coming)."""

from __future__ import annotations

import sqlalchemy as sa

from storage.models import Contact
from tests.booking import TO_MODE, reservations_of, walk
from tests.dialog import Dialog, verify_dialog


def consent(db: sa.Engine) -> bool | None:
    with db.connect() as connection:
        value: bool | None = connection.execute(
            sa.select(Contact.announcements_consent)
        ).scalar_one()
    return value


def test_asked_once_after_the_first_booking_and_yes_is_stored(
    dialog: Dialog, db: sa.Engine
) -> None:
    walk(dialog, *TO_MODE, "online", "1")
    verify_dialog(dialog, [("ya", ("EK-", "info program")), ("1", "Terima kasih")])
    assert consent(db) is True
    verify_dialog(dialog, [("stop info", "tidak akan kami kirim lagi"), ("halo", "Menu")])
    assert consent(db) is False  # the conversation itself goes on: only announcements stop


def test_a_message_that_is_not_an_answer_goes_on_as_usual(dialog: Dialog, db: sa.Engine) -> None:
    walk(dialog, *TO_MODE, "online", "1")
    verify_dialog(
        dialog,
        [("ya", "info program"), ("reservasi saya", "EK-")],  # not swallowed
    )
    assert consent(db) is None  # unanswered: asked again after another booking
    assert reservations_of(db)[0].status == "booked"


def test_a_question_that_starts_with_boleh_is_answered_and_is_no_consent(
    dialog: Dialog, db: sa.Engine
) -> None:
    walk(dialog, *TO_MODE, "online", "1")
    verify_dialog(
        dialog,
        [
            ("ya", "info program"),
            ("boleh bawa tetangga ga?", "Boleh"),  # asks whether neighbours may come along
        ],
    )
    assert consent(db) is None


def test_a_yes_followed_by_a_question_is_consent_and_the_question_is_answered(
    dialog: Dialog, db: sa.Engine
) -> None:
    walk(dialog, *TO_MODE, "online", "1")
    verify_dialog(dialog, [("ya", "info program"), ("boleh. biayanya berapa ya?", "Terima kasih")])
    assert consent(db) is True
