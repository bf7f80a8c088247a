"""The outbox against the fake Twilio server with injected faults: every message ends as
exactly one copy at the provider, or stops for good with the reason shown."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from bot.outbox import dispatch_due, record_status
from bot.transports.base import OutboundMessage, TemplateRef
from storage.db import make_engine, transaction
from storage.models import Contact, Message
from tests.conftest import START
from tests.fakes import FakeTwilioServer, Fault
from tests.outbox_helpers import FAST, add_contact, queue, row_of, twilio_channel

TEMPLATES = {
    "templates": {
        "reminder": {
            "id": {"variables": ["name", "code"], "twilio_content_sid": "HX" + "a" * 32},
        }
    }
}


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilioServer]:
    with FakeTwilioServer() as server:
        yield server


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    db = make_engine(database_url)
    yield db
    db.dispose()


def run_until_settled(
    engine: sa.Engine, transport: object, clock: FakeClock, rows: list[int]
) -> None:
    """Dispatch, moving the fake clock to each row's next attempt, until none is due again."""
    for _ in range(20):
        dispatch_due(engine, transport, clock, settings=FAST)  # type: ignore[arg-type]
        upcoming = [
            r.next_attempt_at
            for r in (row_of(engine, i) for i in rows)
            if r.status in ("pending", "uncertain", "waiting") and r.next_attempt_at
        ]
        if not upcoming:
            return
        clock.set(max(min(upcoming), clock.now()))
    raise AssertionError("the rows never settled")


def test_429_500_and_a_timeout_end_in_exactly_one_copy_at_the_provider(
    engine: sa.Engine, fake_twilio: FakeTwilioServer
) -> None:
    contact = add_contact(engine)
    message_id = queue(engine, contact, "Pengingat konsultasi besok")
    fake_twilio.state.faults = [
        Fault(status=429, code=20429),
        Fault(status=500, code=20500),
        Fault(delay=1.0),  # accepted, but the answer comes after the client gave up
    ]
    clock = FakeClock(START)
    run_until_settled(engine, twilio_channel(fake_twilio.url, timeout=0.3), clock, [message_id])

    assert len(fake_twilio.state.requests) == 3  # no fourth, blind resend
    [accepted] = fake_twilio.state.accepted
    row = row_of(engine, message_id)
    assert row.status == "queued" and row.provider_sid == accepted["sid"]
    assert fake_twilio.state.list_calls == 1  # the provider was asked what it had


def test_a_timeout_the_provider_never_saw_is_sent_again_once(
    engine: sa.Engine, fake_twilio: FakeTwilioServer
) -> None:
    contact = add_contact(engine)
    message_id = queue(engine, contact, "Halo")
    fake_twilio.state.faults = [Fault(delay=1.0, accept=False)]
    run_until_settled(
        engine, twilio_channel(fake_twilio.url, timeout=0.3), FakeClock(START), [message_id]
    )
    assert len(fake_twilio.state.requests) == 2
    assert len(fake_twilio.state.accepted) == 1
    assert row_of(engine, message_id).provider_sid == fake_twilio.state.accepted[0]["sid"]


@pytest.mark.parametrize("code", [21211, 63024, 21610, 63032])
def test_a_permanent_error_stops_the_retries(
    engine: sa.Engine, fake_twilio: FakeTwilioServer, code: int
) -> None:
    contact = add_contact(engine)
    message_id = queue(engine, contact, "Halo")
    fake_twilio.state.faults = [Fault(status=400, code=code)]
    clock = FakeClock(START)
    run_until_settled(engine, twilio_channel(fake_twilio.url), clock, [message_id])
    clock.advance(hours=5)
    dispatch_due(engine, twilio_channel(fake_twilio.url), clock, settings=FAST)
    row = row_of(engine, message_id)
    assert row.status == "failed" and row.last_error and str(code) in row.last_error
    assert len(fake_twilio.state.requests) == 1
    assert fake_twilio.state.accepted == []


def test_a_rate_limit_error_63018_is_retried(
    engine: sa.Engine, fake_twilio: FakeTwilioServer
) -> None:
    contact = add_contact(engine)
    message_id = queue(engine, contact, "Halo")
    fake_twilio.state.faults = [Fault(status=400, code=63018), Fault(status=400, code=63018)]
    run_until_settled(engine, twilio_channel(fake_twilio.url), FakeClock(START), [message_id])
    assert len(fake_twilio.state.accepted) == 1
    assert row_of(engine, message_id).status == "queued"


def test_a_63018_failure_reported_later_sends_the_message_again(
    engine: sa.Engine, fake_twilio: FakeTwilioServer
) -> None:
    contact = add_contact(engine)
    message_id = queue(engine, contact, "Halo")
    clock = FakeClock(START)
    channel = twilio_channel(fake_twilio.url)
    dispatch_due(engine, channel, clock, settings=FAST)
    first = row_of(engine, message_id).provider_sid
    assert first is not None
    assert record_status(engine, first, "failed", "63018", clock.now())
    assert row_of(engine, message_id).status == "pending"
    run_until_settled(engine, channel, clock, [message_id])
    row = row_of(engine, message_id)
    assert len(fake_twilio.state.requests) == 2 and row.provider_sid not in (None, first)
    assert row.extra and row.extra["earlier_sids"] == [first]


def test_outside_the_window_by_the_providers_clock_the_template_is_sent(
    engine: sa.Engine, fake_twilio: FakeTwilioServer
) -> None:
    contact = add_contact(engine)  # wrote at START: inside the window as far as we know
    ref = TemplateRef("reminder", "id", {"name": "Sari", "code": "EK-2611-0001"})
    message_id = queue(engine, contact, "Pengingat", template=ref)
    fake_twilio.state.faults = [Fault(status=400, code=63016)]
    channel = twilio_channel(fake_twilio.url, templates=TEMPLATES)
    run_until_settled(engine, channel, FakeClock(START), [message_id])
    first, second = fake_twilio.state.requests
    assert first["Body"] == ["Pengingat"] and "ContentSid" not in first
    assert second["ContentSid"] == ["HX" + "a" * 32]
    assert second["ContentVariables"] == ['{"1": "Sari", "2": "EK-2611-0001"}']
    assert row_of(engine, message_id).status == "queued"


def test_without_a_configured_template_the_row_waits_for_the_person_to_write(
    engine: sa.Engine, fake_twilio: FakeTwilioServer
) -> None:
    contact = add_contact(engine)
    ref = TemplateRef("feedback_request", "id", {"name": "Sari", "code": "EK-2611-0001"})
    message_id = queue(engine, contact, "Mohon beri nilai", template=ref)
    clock = FakeClock(START + dt.timedelta(hours=30))  # the window closed 6 hours ago
    channel = twilio_channel(fake_twilio.url, templates=TEMPLATES)  # no feedback_request
    report = dispatch_due(engine, channel, clock, settings=FAST)
    row = row_of(engine, message_id)
    assert report.waiting == 1 and row.status == "waiting"
    assert row.last_error and "'feedback_request'" in row.last_error
    assert fake_twilio.state.requests == []

    with transaction(engine) as session:  # the person writes again
        found = session.get(Contact, contact.id)
        assert found is not None
        found.last_inbound_at = clock.advance(minutes=3)
    clock.advance(minutes=10)
    dispatch_due(engine, channel, clock, settings=FAST)
    assert fake_twilio.state.requests[0]["Body"] == ["Mohon beri nilai"]
    assert row_of(engine, message_id).status == "queued"


def test_a_send_cut_off_by_a_crashed_worker_is_looked_up_not_resent(
    engine: sa.Engine, fake_twilio: FakeTwilioServer
) -> None:
    contact = add_contact(engine)
    sent_before = queue(engine, contact, "Sudah terkirim")
    never_sent = queue(engine, contact, "Belum terkirim")
    channel = twilio_channel(fake_twilio.url)
    # the worker died after Twilio accepted the first message and before the second left
    channel.send(OutboundMessage(to=contact.phone, body="Sudah terkirim"))
    with transaction(engine) as session:
        session.execute(
            sa.update(Message).values(
                status="sending", next_attempt_at=START + dt.timedelta(minutes=5)
            )
        )
    clock = FakeClock(START + dt.timedelta(minutes=6))
    run_until_settled(engine, channel, clock, [sent_before, never_sent])
    assert sorted(fake_twilio.state.accepted_bodies()) == ["Belum terkirim", "Sudah terkirim"]
    assert row_of(engine, sent_before).provider_sid == fake_twilio.state.accepted[0]["sid"]
    assert row_of(engine, never_sent).provider_sid == fake_twilio.state.accepted[1]["sid"]


def test_a_message_past_its_validity_is_never_sent_and_the_provider_is_told_the_validity(
    engine: sa.Engine, fake_twilio: FakeTwilioServer
) -> None:
    contact = add_contact(engine)
    late = queue(engine, contact, "Terlambat", valid_until=START + dt.timedelta(minutes=1))
    timely = queue(engine, contact, "Tepat", valid_until=START + dt.timedelta(hours=2))
    clock = FakeClock(START + dt.timedelta(minutes=2))
    dispatch_due(engine, twilio_channel(fake_twilio.url), clock, settings=FAST)
    assert row_of(engine, late).status == "expired"
    [form] = fake_twilio.state.requests
    assert form["Body"] == ["Tepat"]
    assert form["ValidityPeriod"] == [str(2 * 3600 - 120)]
    assert row_of(engine, timely).status == "queued"
