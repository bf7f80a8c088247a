"""Delivery status callbacks move a message's status forward only: duplicates, arrivals out of
order and callbacks that beat the recording of the send all end in the right status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlmodel import select

from bot.clock import FakeClock
from bot.outbox import apply_early_statuses, dispatch_due, record_status
from storage.db import make_engine, transaction
from storage.models import Message
from storage.models_delivery import EarlyStatus
from tests.conftest import START
from tests.dialog import post_signed
from tests.fakes import RecordingTransport
from tests.outbox_helpers import FAST, add_contact, queue, row_of


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    db = make_engine(database_url)
    yield db
    db.dispose()


def sent_row(engine: sa.Engine) -> tuple[int, str]:
    contact = add_contact(engine)
    message_id = queue(engine, contact, "Halo")
    dispatch_due(engine, RecordingTransport(), FakeClock(START), settings=FAST)
    sid = row_of(engine, message_id).provider_sid
    assert sid is not None
    return message_id, sid


def test_statuses_only_move_forward_whatever_order_they_arrive_in(engine: sa.Engine) -> None:
    message_id, sid = sent_row(engine)
    assert record_status(engine, sid, "delivered", None, START)
    assert not record_status(engine, sid, "sent", None, START)  # late
    assert not record_status(engine, sid, "delivered", None, START)  # duplicate
    assert record_status(engine, sid, "read", None, START)
    assert not record_status(engine, sid, "delivered", None, START)
    assert row_of(engine, message_id).status == "read"


def test_a_failure_keeps_its_error_code(engine: sa.Engine) -> None:
    message_id, sid = sent_row(engine)
    assert record_status(engine, sid, "undelivered", "63024", START)
    row = row_of(engine, message_id)
    assert row.status == "undelivered" and row.last_error == "provider error 63024"


def test_an_unknown_status_changes_nothing(engine: sa.Engine) -> None:
    message_id, sid = sent_row(engine)
    assert not record_status(engine, sid, "teleported", None, START)
    assert row_of(engine, message_id).status == "queued"


def test_a_status_for_an_id_not_recorded_yet_waits_for_it(engine: sa.Engine) -> None:
    contact = add_contact(engine)
    message_id = queue(engine, contact, "Halo")
    assert not record_status(engine, "SMlater", "delivered", None, START)
    assert not record_status(engine, "SMlater", "sent", None, START)
    with transaction(engine) as session:
        session.execute(sa.update(Message).values(provider_sid="SMlater", status="queued"))
        assert apply_early_statuses(session, START) == 2  # in rank order: sent, delivered
        assert session.exec(select(EarlyStatus)).all() == []
    assert row_of(engine, message_id).status == "delivered"


def test_kept_statuses_that_never_find_their_message_are_dropped(engine: sa.Engine) -> None:
    record_status(engine, "SMforeign", "delivered", None, START)
    with transaction(engine) as session:
        apply_early_statuses(session, START + dt.timedelta(days=3))
        assert session.exec(select(EarlyStatus)).all() == []


def test_the_twilio_status_callback_reaches_the_outbox(client: FlaskClient, db: sa.Engine) -> None:
    message_id, sid = sent_row(db)
    form = {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": "AC" + "1" * 32}
    assert post_signed(client, form, "/webhooks/twilio/status").status_code in (200, 204)
    assert row_of(db, message_id).status == "delivered"
    early = {"MessageSid": "SMnotyet", "MessageStatus": "read", "AccountSid": "AC" + "1" * 32}
    assert post_signed(client, early, "/webhooks/twilio/status").status_code in (200, 204)
    with transaction(db) as session:
        assert [e.status for e in session.exec(select(EarlyStatus))] == ["read"]


def test_control_characters_in_a_callback_change_nothing_and_break_nothing(
    engine: sa.Engine,
) -> None:
    message_id, sid = sent_row(engine)
    assert not record_status(engine, "SM\x00", "delivered", None, START)
    assert record_status(engine, sid, "failed", "630\x0024", START)
    assert row_of(engine, message_id).last_error == "provider error 63024"
