"""A flow started from outside a conversation (`engine.start`): the feedback question.

The scheduler puts the person at the feedback flow's first step in the transaction that
queues the question; what they answer next is read by that step ("5" is a rating, not the
main menu's fifth item), and when the flow ends they are back where they were.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from bot.runtime import Runtime
from bot.services.contacts import find_contact
from storage.db import transaction
from storage.models_delivery import FeedbackAnswer
from tests.booking import TO_MODE, register_and_reserve, reservations_of, walk
from tests.dialog import Dialog


def ask_for_feedback(app: Flask, phone: str, reservation_id: int) -> list[str]:
    """What the scheduler does after a session: put the person at the rating question."""
    rt: Runtime = app.extensions["eklinik"]
    with transaction(rt.db) as session:
        contact = find_contact(session, phone)
        assert contact is not None
        return rt.engine.start(
            session,
            contact,
            "feedback",
            "rating",
            {"reservation_id": reservation_id},
            now=rt.clock.now(),
        )


def feedback_rows(db: sa.Engine) -> list[tuple[int, int, str | None]]:
    with db.connect() as connection:
        rows = connection.execute(
            sa.select(FeedbackAnswer.reservation_id, FeedbackAnswer.rating, FeedbackAnswer.comment)
        ).all()
    return [tuple(row) for row in rows]


def test_a_five_after_the_feedback_question_is_the_rating(
    app: Flask, dialog: Dialog, db: sa.Engine
) -> None:
    register_and_reserve(dialog)
    booked = reservations_of(db)[0]
    question = "\n".join(ask_for_feedback(app, dialog.phone, booked.id))
    assert "1–5" in question and "Sari Wulandari" in question
    assert "catat" in dialog.said("5")  # not the menu's "5. Info klinik"
    assert "Terima kasih atas penilaiannya" in dialog.said("Pelayanannya ramah dan jelas")
    assert feedback_rows(db) == [(booked.id, 5, "Pelayanannya ramah dan jelas")]
    assert "Menu utama" in dialog.said("menu")


def test_stars_words_and_a_skipped_comment(app: Flask, dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)
    booked = reservations_of(db)[0]
    ask_for_feedback(app, dialog.phone, booked.id)
    assert "1* sampai *5" in dialog.said("bagus sekali pokoknya")  # no number: asked again
    assert "catat" in dialog.said("⭐⭐⭐⭐")
    assert "Terima kasih" in dialog.said("tidak")
    assert feedback_rows(db) == [(booked.id, 4, None)]


def test_later_leaves_the_rating_unanswered(app: Flask, dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)
    ask_for_feedback(app, dialog.phone, reservations_of(db)[0].id)
    assert "tidak apa-apa" in dialog.said("nanti saja")
    assert feedback_rows(db) == []


def test_started_in_the_middle_of_a_booking_it_returns_to_the_booking(
    app: Flask, dialog: Dialog, db: sa.Engine
) -> None:
    register_and_reserve(dialog)
    booked = reservations_of(db)[0]
    walk(dialog, "reservasi", "1", "1", "1")  # a second booking, at the problem question
    ask_for_feedback(app, dialog.phone, booked.id)
    dialog.say("4")
    back = dialog.said("-")
    assert "Terima kasih" in back and "masalah" in back.lower()  # the booking's question again
    assert feedback_rows(db) == [(booked.id, 4, None)]
    assert "tatap muka" in dialog.said("Kami ingin membuat laporan keuangan").lower()
    assert TO_MODE  # the same dialog helpers the booking tests use
