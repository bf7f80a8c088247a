"""Two worker processes dispatch the same 2,000 due rows to the fake Twilio server: every row
reaches the provider exactly once, and the shared per-sender rate holds across both."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import textwrap
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from storage.db import make_engine, transaction
from storage.models import Contact, Message
from tests.conftest import START
from tests.fakes import FakeTwilioServer
from tests.outbox_helpers import ACCOUNT, SENDER

ROWS = 2000
RATE = 400.0  # per second, for both workers together
WORKER = textwrap.dedent(
    """
    import datetime as dt, sys
    from bot.clock import FakeClock
    from bot.config import Settings
    from bot.delivery_settings import DeliverySettings
    from bot.outbox import dispatch_until_idle
    from bot.transports.twilio import TwilioChannel
    from storage.db import make_engine

    url, fake, account, sender, rate, start = sys.argv[1:7]
    channel = TwilioChannel(Settings(
        twilio_account_sid=account, twilio_auth_token="secret", twilio_whatsapp_from=sender,
        twilio_api_base_url=fake, twilio_timeout_seconds=10,
    ))
    settings = DeliverySettings(rate_per_second=float(rate), concurrency=4, batch=100)
    clock = FakeClock(dt.datetime.fromisoformat(start))
    engine = make_engine(url)
    report = dispatch_until_idle(engine, channel, clock, settings=settings)
    print(report.sent, report.failed, report.retried)
    """
)


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    db = make_engine(database_url)
    yield db
    db.dispose()


def _queue_rows(engine: sa.Engine) -> None:
    with transaction(engine) as session:
        contacts = [
            Contact(phone=f"+62812{i:07d}", created_at=START, last_inbound_at=START)
            for i in range(100)
        ]
        session.add_all(contacts)
        session.flush()
        session.execute(
            sa.insert(Message),
            [
                {
                    "contact_id": contacts[i % 100].id,
                    "direction": "out",
                    "body": f"Pesan {i}",
                    "channel": "twilio",
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": START,
                    "created_at": START,
                    "updated_at": START,
                }
                for i in range(ROWS)
            ],
        )


def most_in_window(times: list[float], width: float) -> int:
    """The largest number of arrivals within any window of `width` seconds."""
    times = sorted(times)
    best, low = 0, 0
    for high, t in enumerate(times):
        while t - times[low] >= width:
            low += 1
        best = max(best, high - low + 1)
    return best


def test_two_worker_processes_send_every_row_exactly_once_within_the_rate(
    engine: sa.Engine, database_url: str
) -> None:
    _queue_rows(engine)
    with FakeTwilioServer() as fake:
        args = [database_url, fake.url, ACCOUNT, SENDER, str(RATE)]
        start = (START + dt.timedelta(minutes=1)).isoformat()
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, *args, start],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [w.communicate(timeout=300) for w in workers]
        assert [w.returncode for w in workers] == [0, 0], [err[-2000:] for _, err in outputs]
        arrivals = list(fake.state.arrivals)
        bodies = fake.state.accepted_bodies()

    sent_by = [int(out.split()[0]) for out, _ in outputs]
    assert sum(sent_by) == ROWS and all(n > 0 for n in sent_by)  # both took a share
    assert sorted(bodies) == sorted(f"Pesan {i}" for i in range(ROWS))  # each exactly once
    with transaction(engine) as session:
        statuses = session.execute(sa.select(Message.status, Message.provider_sid)).all()
    assert {status for status, _ in statuses} == {"queued"}
    assert len({sid for _, sid in statuses}) == ROWS
    # The pace: sends start no earlier than slots 1/RATE apart shared by both workers (and a
    # late send takes a fresh slot), so the whole run cannot be faster than the rate allows,
    # and no 2-second window holds much more than twice the rate (the margin is loopback
    # latency, not the pace).
    assert max(arrivals) - min(arrivals) >= (ROWS - 1) / RATE * 0.95
    assert most_in_window(arrivals, 2.0) <= 2.5 * RATE
