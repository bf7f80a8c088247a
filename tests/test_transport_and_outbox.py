"""The Twilio transport against a fake Twilio REST server, and the durable outbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from bot.config import Settings
from bot.outbox import MAX_ATTEMPTS, dispatch_due, enqueue, record_status
from bot.transports.base import OutboundMessage, SendResult, TransportError
from bot.transports.twilio import TwilioTransport
from storage.db import make_engine, transaction
from storage.models import Contact, Message
from tests.conftest import START
from tests.fakes import FakeTwilioServer, RecordingTransport

ACCOUNT = "AC" + "1" * 32


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilioServer]:
    with FakeTwilioServer() as server:
        yield server


def twilio_transport(base_url: str, timeout: float = 5.0) -> TwilioTransport:
    return TwilioTransport(
        Settings(
            twilio_account_sid=ACCOUNT,
            twilio_auth_token="secret",
            twilio_whatsapp_from="whatsapp:+14155238886",
            twilio_api_base_url=base_url,
            twilio_timeout_seconds=timeout,
        )
    )


def test_real_sdk_sends_to_the_configured_base_url(fake_twilio: FakeTwilioServer) -> None:
    result = twilio_transport(fake_twilio.url).send(
        OutboundMessage(to="+6281234567890", body="Halo 👋")
    )
    assert result.provider_sid.startswith("SM")
    [form] = fake_twilio.state.requests
    assert fake_twilio.state.paths == [f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"]
    assert form["To"] == ["whatsapp:+6281234567890"]
    assert form["From"] == ["whatsapp:+14155238886"]
    assert form["Body"] == ["Halo 👋"]
    assert fake_twilio.state.auth_headers[0].startswith("Basic ")


def test_template_messages_carry_content_sid(fake_twilio: FakeTwilioServer) -> None:
    twilio_transport(fake_twilio.url).send(
        OutboundMessage(
            to="+6281234567890", content_sid="HX" + "a" * 32, content_variables={"1": "Sari"}
        )
    )
    [form] = fake_twilio.state.requests
    assert form["ContentSid"] == ["HX" + "a" * 32]
    assert form["ContentVariables"] == ['{"1": "Sari"}']
    assert "Body" not in form


def test_server_errors_are_retryable_and_client_errors_are_not(
    fake_twilio: FakeTwilioServer,
) -> None:
    transport = twilio_transport(fake_twilio.url)
    fake_twilio.state.fail_with = [503, 400]
    with pytest.raises(TransportError) as server_error:
        transport.send(OutboundMessage(to="+6281234567890", body="x"))
    assert server_error.value.retryable
    with pytest.raises(TransportError) as client_error:
        transport.send(OutboundMessage(to="+6281234567890", body="x"))
    assert not client_error.value.retryable


def test_unreachable_twilio_is_a_retryable_error() -> None:
    with pytest.raises(TransportError) as error:
        twilio_transport("http://127.0.0.1:9", timeout=1).send(
            OutboundMessage(to="+6281234567890", body="x")
        )
    assert error.value.retryable


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    db = make_engine(database_url)
    yield db
    db.dispose()


def add_contact(
    engine: sa.Engine, phone: str = "+6281234567890", inbound_at: dt.datetime | None = START
) -> Contact:
    with transaction(engine) as session:
        contact = Contact(phone=phone, created_at=START, last_inbound_at=inbound_at)
        session.add(contact)
        session.flush()
        return contact


def queue(engine: sa.Engine, contact: Contact, body: str, **kwargs: object) -> int:
    with transaction(engine) as session:
        row = enqueue(session, contact, body, START, **kwargs)  # type: ignore[arg-type]
        session.flush()
        assert row.id is not None
        return row.id


def status_of(engine: sa.Engine, message_id: int) -> Message:
    with transaction(engine) as session:
        row = session.get(Message, message_id)
        assert row is not None
        return row


def test_outbox_sends_once_through_the_fake_twilio(
    engine: sa.Engine, fake_twilio: FakeTwilioServer
) -> None:
    clock = FakeClock(START)
    contact = add_contact(engine)
    first = queue(engine, contact, "Pengingat", dedupe_key="reminder-1")
    again = queue(engine, contact, "Pengingat", dedupe_key="reminder-1")
    assert first == again
    transport = twilio_transport(fake_twilio.url)
    assert dispatch_due(engine, transport, clock).sent == 1
    assert dispatch_due(engine, transport, clock).sent == 0
    assert len(fake_twilio.state.requests) == 1
    row = status_of(engine, first)
    assert row.status == "queued" and row.provider_sid and row.provider_sid.startswith("SM")
    assert row.next_attempt_at is None  # the provider's "queued" is not the outbox's "pending"


def test_outbox_retries_with_backoff_then_gives_up(engine: sa.Engine) -> None:
    clock = FakeClock(START)
    contact = add_contact(engine)
    message_id = queue(engine, contact, "Halo")
    transport = RecordingTransport()
    transport.failures = [TransportError("down", retryable=True) for _ in range(MAX_ATTEMPTS)]
    assert dispatch_due(engine, transport, clock).retried == 1
    row = status_of(engine, message_id)
    assert row.status == "pending" and row.next_attempt_at is not None
    # 30 s less up to a quarter of jitter, so that rows failed together do not retry together
    assert (
        START + dt.timedelta(seconds=22.5)
        <= row.next_attempt_at
        <= START + dt.timedelta(seconds=30)
    )
    assert dispatch_due(engine, transport, clock).retried == 0  # not due yet
    delays = []
    for _ in range(MAX_ATTEMPTS - 1):
        clock.set(status_of(engine, message_id).next_attempt_at or START)
        before = clock.now()
        dispatch_due(engine, transport, clock)
        after = status_of(engine, message_id)
        if after.next_attempt_at:
            delays.append(after.next_attempt_at - before)
    assert delays == sorted(delays)
    assert dt.timedelta(seconds=45) <= delays[0] <= dt.timedelta(minutes=1)
    assert status_of(engine, message_id).status == "failed"
    assert transport.sent == []


def test_outbox_respects_opt_out_and_the_24_hour_window(engine: sa.Engine) -> None:
    clock = FakeClock(START + dt.timedelta(hours=30))
    quiet = add_contact(engine, "+6281000000001", inbound_at=START)
    free_text = queue(engine, quiet, "Halo lagi")
    template = queue(engine, quiet, "Pengingat", content_sid="HX" + "b" * 32)
    transport = RecordingTransport()
    report = dispatch_due(engine, transport, clock)
    assert report.sent == 1 and report.waiting == 1
    waiting = status_of(engine, free_text)
    assert waiting.status == "waiting"  # until the person writes again; the reason is shown
    assert waiting.last_error and "24-hour window" in waiting.last_error
    assert [m.content_sid for m in transport.sent] == ["HX" + "b" * 32]
    with transaction(engine) as session:
        contact = session.get(Contact, quiet.id)
        assert contact is not None
        contact.opted_out_at = clock.now()
    blocked = queue(engine, quiet, "x", content_sid="HX" + "c" * 32)
    dispatch_due(engine, transport, clock)
    assert status_of(engine, blocked).status == "suppressed"
    assert status_of(engine, template).status == "queued"  # accepted by the provider


def test_a_send_interrupted_by_a_crash_is_not_resent_when_the_provider_cannot_be_asked(
    engine: sa.Engine,
) -> None:
    clock = FakeClock(START)
    contact = add_contact(engine)
    message_id = queue(engine, contact, "Halo")
    with transaction(engine) as session:
        session.execute(
            sa.update(Message).values(
                status="sending", next_attempt_at=START + dt.timedelta(minutes=5)
            )
        )
    clock.advance(minutes=6)
    transport = RecordingTransport()  # it cannot look up what it accepted
    dispatch_due(engine, transport, clock)
    assert transport.sent == []
    row = status_of(engine, message_id)
    assert row.status == "failed" and row.last_error and "never delivered twice" in row.last_error


def test_several_dispatchers_at_once_send_each_message_exactly_once(database_url: str) -> None:
    import threading

    engines = [make_engine(database_url) for _ in range(4)]  # as if four worker processes
    try:
        contact = add_contact(engines[0])
        ids = [queue(engines[0], contact, f"Pesan {i}") for i in range(60)]
        transport = RecordingTransport()
        clock = FakeClock(START)
        barrier = threading.Barrier(len(engines))

        def work(engine: sa.Engine) -> None:
            barrier.wait()
            while dispatch_due(engine, transport, clock, batch=5).sent:
                pass

        threads = [threading.Thread(target=work, args=(e,)) for e in engines]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        bodies = sorted(m.body for m in transport.sent)
        assert bodies == sorted(f"Pesan {i}" for i in range(60))
        assert {status_of(engines[0], i).status for i in ids} == {"queued"}
    finally:
        for engine in engines:
            engine.dispose()


class CallbackFirstTransport(RecordingTransport):
    """The provider's status callbacks arrive while our send call has not returned yet."""

    def __init__(self, engine: sa.Engine, statuses: list[str]) -> None:
        super().__init__()
        self.engine, self.statuses = engine, statuses

    def send(self, message: OutboundMessage) -> SendResult:
        self.sent.append(message)
        for status in self.statuses:
            record_status(self.engine, "SMearly", status, None, START)
        return SendResult(provider_sid="SMearly", status="queued")


def test_a_status_callback_before_the_send_is_recorded_is_kept_and_applied(
    engine: sa.Engine,
) -> None:
    contact = add_contact(engine)
    message_id = queue(engine, contact, "Halo")
    transport = CallbackFirstTransport(engine, ["sent", "delivered"])
    dispatch_due(engine, transport, FakeClock(START))
    assert status_of(engine, message_id).status == "delivered"
    assert not record_status(engine, "SMearly", "sent", None, START)  # late: changes nothing
    assert record_status(engine, "SMearly", "read", None, START)
    assert status_of(engine, message_id).status == "read"
