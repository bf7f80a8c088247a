"""After the session: the feedback request (answered through the webhook and stored), the
follow-up on the recommendation, sessions left confirmed flagged, and the admins' messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlmodel import col, select

from bot.clock import FakeClock
from bot.delivery_settings import DeliverySettings
from bot.outbox import dispatch_until_idle
from bot.runtime import Runtime
from bot.services import feedback
from bot.services.delivery_jobs import derive_all
from storage.db import transaction
from storage.models import Contact, Handoff, Message, Reservation, ReservationEvent
from storage.models_delivery import FeedbackAnswer
from tests.dialog import WebhookDialog
from tests.fakes import RecordingTransport
from tests.outbox_helpers import add_contact, book_confirmed

TZ = ZoneInfo("Asia/Jakarta")
SETTINGS = DeliverySettings(rate_per_second=0, concurrency=1)
WED_10 = dt.datetime(2026, 11, 25, 10, 0, tzinfo=TZ)
PHONE = "+6281234567890"  # the webhook dialog's person


@pytest.fixture
def rt(app: Flask) -> Runtime:
    found = app.extensions["eklinik"]
    assert isinstance(found, Runtime)
    return found


def tick(rt: Runtime, settings: DeliverySettings = SETTINGS) -> dict[str, int]:
    counts = derive_all(rt.db, rt.clock.now(), TZ, rt.catalog, settings, rt.engine)
    dispatch_until_idle(rt.db, rt.transport, rt.clock, settings=settings)
    return counts


def completed_session(rt: Runtime, phone: str = PHONE, **fields: object) -> tuple[Contact, int]:
    contact = add_contact(
        rt.db,
        phone,
        name="Sari",
        privacy_notice_at=WED_10,
        **fields,  # type: ignore[arg-type]
    )
    reservation_id = book_confirmed(rt.db, contact, WED_10, status="completed")
    return contact, reservation_id


def test_the_feedback_request_is_answered_in_the_chat_and_stored(
    rt: Runtime, clock: FakeClock, transport: RecordingTransport, client: FlaskClient
) -> None:
    _contact, reservation_id = completed_session(rt)
    clock.set(WED_10 + dt.timedelta(minutes=60))
    assert tick(rt)["feedback"] == 0  # the session has not been over for an hour yet
    clock.set(WED_10 + dt.timedelta(minutes=90))
    assert tick(rt)["feedback"] == 1
    assert tick(rt)["feedback"] == 0  # once
    [request] = transport.sent
    assert "5" in request.body
    assert request.template is not None and request.template.name == "feedback_request"

    person = WebhookDialog(client, PHONE)
    assert person.said("5")  # the rating, not the fifth menu item
    person.say("Sangat membantu, terima kasih")
    with transaction(rt.db) as session:
        answer = feedback.feedback_of(session, reservation_id)
        assert answer is not None and answer.rating == 5
        assert answer.comment == "Sangat membantu, terima kasih"
    clock.advance(days=1)
    assert tick(rt)["feedback"] == 0


def test_no_feedback_request_to_opted_out_people_or_for_sessions_not_completed(
    rt: Runtime, clock: FakeClock, transport: RecordingTransport
) -> None:
    completed_session(rt, "+6281111111111", opted_out_at=WED_10)
    other = add_contact(rt.db, "+6282222222222", name="Budi")
    book_confirmed(rt.db, other, WED_10, status="no_show")
    clock.set(WED_10 + dt.timedelta(hours=3))
    tick(rt)
    assert transport.sent == []


def test_feedback_answers_are_checked_and_corrected(rt: Runtime) -> None:
    contact, reservation_id = completed_session(rt)
    stranger = add_contact(rt.db, "+6283333333333")
    with transaction(rt.db) as session:
        with pytest.raises(feedback.AnswerError):
            feedback.store_feedback(session, reservation_id, contact, 6, WED_10)
        with pytest.raises(feedback.AnswerError):
            feedback.store_feedback(session, reservation_id, stranger, 4, WED_10)
        feedback.store_feedback(session, reservation_id, contact, 3, WED_10)
        feedback.store_feedback(session, reservation_id, contact, 4, WED_10, "ruangan panas")
    with transaction(rt.db) as session:
        [answer] = session.exec(select(FeedbackAnswer)).all()
        assert (answer.rating, answer.comment) == (4, "ruangan panas")
        assert feedback.average_rating(session) == (4.0, 1)


def test_the_follow_up_asks_after_the_recommendation_and_stores_the_answer(
    rt: Runtime, clock: FakeClock, transport: RecordingTransport, client: FlaskClient
) -> None:
    from storage.models_console import ConsultationRecord

    contact, reservation_id = completed_session(rt)
    sent_at = WED_10 + dt.timedelta(hours=2)
    with transaction(rt.db) as session:
        session.add(
            ConsultationRecord(
                reservation_id=reservation_id,
                recommendation="Pisahkan kas usaha dan kas pribadi.",
                recommendation_sent_at=sent_at,
                created_at=sent_at,
                updated_at=sent_at,
            )
        )
    settings = replace(SETTINGS, feedback_within=dt.timedelta(0))  # only the follow-up here
    clock.set(sent_at + dt.timedelta(days=13))
    assert tick(rt, settings)["followups"] == 0
    clock.set(sent_at + dt.timedelta(days=14, minutes=1))
    assert tick(rt, settings)["followups"] == 1
    assert tick(rt, settings)["followups"] == 0
    [question] = transport.sent
    assert question.template is not None and question.template.name == "followup"
    assert question.buttons == ("Sudah", "Sebagian", "Belum")
    assert "rekomendasi" in question.body
    person = WebhookDialog(client, PHONE)
    assert "sudah dijalankan?" in person.said("hmm")  # not an answer: asked again
    assert "sudah kami catat" in person.said("2")  # "Sebagian"
    with transaction(rt.db) as session:
        record = session.exec(select(ConsultationRecord)).one()
        assert record.follow_up_answer == "partly"
        stored = feedback.followup_of(session, reservation_id)
        assert stored is not None and stored.answer == "partly"
        assert stored.contact_id == contact.id
    with transaction(rt.db) as session:  # a note can be added by the console later
        found = session.get(Contact, contact.id)
        assert found is not None
        feedback.store_followup(session, reservation_id, found, "done", clock.now(), "sudah")
        assert session.exec(select(ConsultationRecord)).one().follow_up_answer == "done: sudah"


def test_a_session_still_confirmed_after_its_end_is_flagged_once(
    rt: Runtime, clock: FakeClock
) -> None:
    contact = add_contact(rt.db, "+6284444444444")
    reservation_id = book_confirmed(rt.db, contact, WED_10)
    clock.set(WED_10 + dt.timedelta(hours=2))
    assert tick(rt)["overdue"] == 0
    clock.set(WED_10 + dt.timedelta(hours=4))
    assert tick(rt)["overdue"] == 1
    assert tick(rt)["overdue"] == 0
    with transaction(rt.db) as session:
        [event] = session.exec(
            select(ReservationEvent).where(ReservationEvent.kind == "needs_closing")
        ).all()
        assert event.reservation_id == reservation_id and event.actor == "system"
        found = session.get(Reservation, reservation_id)
        assert found is not None and found.status == "confirmed"  # only flagged, not changed


def test_the_morning_digest_reaches_the_admins_once_when_configured(
    rt: Runtime, clock: FakeClock, transport: RecordingTransport
) -> None:
    person = add_contact(rt.db, "+6285555555555", name="Budi")
    book_confirmed(rt.db, person, WED_10)
    quiet = replace(SETTINGS, reminder_offsets=())  # only the admins' messages here
    with transaction(rt.db) as session:  # the console's alert numbers are the default
        from bot.services import console_settings

        console_settings.put(session, "notify_numbers", ["+6281999999999"])
    clock.set(dt.datetime(2026, 11, 25, 6, 30, tzinfo=TZ))
    tick(rt, quiet)
    assert transport.sent == []  # off by default
    settings = replace(quiet, digest_at=dt.time(6, 30))
    clock.set(dt.datetime(2026, 11, 25, 6, 0, tzinfo=TZ))
    tick(rt, settings)
    assert transport.sent == []  # before the digest's time
    clock.set(dt.datetime(2026, 11, 25, 6, 30, tzinfo=TZ))
    with transaction(rt.db) as session:
        session.add(
            Handoff(
                contact_id=person.id, reason="requested", status="pending", opened_at=clock.now()
            )
        )
    tick(rt, settings)
    clock.advance(hours=1)
    tick(rt, settings)
    [digest] = transport.sent
    assert digest.to == "+6281999999999"
    assert "Rabu, 25 November 2026" in digest.body and "10.00 WIB" in digest.body
    assert "1 percakapan menunggu petugas" in digest.body
    assert "Budi" not in digest.body
    with transaction(rt.db) as session:
        kinds = session.exec(select(Message.kind).where(col(Message.kind).like("admin_%"))).all()
        assert kinds == ["admin_digest"]
