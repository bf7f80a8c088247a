"""The shared send pace (slots reserved through the database) and concurrent sending."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from bot.delivery_settings import DeliverySettings
from bot.outbox import dispatch_due
from bot.services import delivery_pace
from bot.transports.base import OutboundMessage, SendResult
from storage.db import make_engine, transaction
from tests.conftest import START
from tests.fakes import RecordingTransport
from tests.outbox_helpers import add_contact, queue, row_of


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    db = make_engine(database_url)
    yield db
    db.dispose()


class WallClock:
    """A wall clock for the pace that moves only when slept on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def test_slots_are_shared_and_spaced_by_the_rate(engine: sa.Engine) -> None:
    wall = WallClock()
    with transaction(engine) as session:
        first = delivery_pace.reserve(session, "twilio", 3, rate=10, wall=wall)
    with transaction(engine) as session:  # another worker, a moment later
        second = delivery_pace.reserve(session, "twilio", 2, rate=10, wall=wall)
        other_sender = delivery_pace.reserve(session, "meta", 1, rate=10, wall=wall)
    assert [round(s - 1000, 6) for s in first + second] == [0.0, 0.1, 0.2, 0.3, 0.4]
    assert other_sender == [1000.0]


def test_sends_wait_for_their_slots_and_a_stalled_pass_takes_new_ones(
    engine: sa.Engine,
) -> None:
    wall = WallClock()
    with transaction(engine) as session:
        slots = delivery_pace.reserve(session, "twilio", 4, rate=10, wall=wall)
    book = delivery_pace.SlotBook(engine, "twilio", 10, slots, wall, wall.sleep)
    book.wait_turn()
    book.wait_turn()
    assert wall.slept == [0.1]  # the second slot is 0.1 s after the first
    wall.now += 5  # this worker stalled: its next slots are long past
    book.wait_turn()
    book.wait_turn()
    assert book.renewals == 1  # one new block for the rest, not a burst of stale slots
    assert wall.slept[1:] == [pytest.approx(0.1)]
    with transaction(engine) as session:  # the row moved past the new block
        assert delivery_pace.reserve(session, "twilio", 1, 10, wall)[0] == pytest.approx(
            wall.now + 0.1
        )


class GatheringTransport(RecordingTransport):
    """Each send waits until `size` sends are in flight together: only concurrent sending
    gets through (a sequential one would time out on the barrier)."""

    def __init__(self, size: int) -> None:
        super().__init__()
        self.barrier = threading.Barrier(size, timeout=10)

    def send(self, message: OutboundMessage) -> SendResult:
        self.barrier.wait()
        return super().send(message)


def test_one_worker_sends_a_batch_concurrently(engine: sa.Engine) -> None:
    contact = add_contact(engine)
    ids = [queue(engine, contact, f"Pesan {i}") for i in range(8)]
    transport = GatheringTransport(4)
    settings = DeliverySettings(rate_per_second=0, concurrency=4, batch=8)
    report = dispatch_due(engine, transport, FakeClock(START), settings=settings)
    assert report.sent == 8
    assert sorted(m.body for m in transport.sent) == sorted(f"Pesan {i}" for i in range(8))
    assert {row_of(engine, i).status for i in ids} == {"queued"}
