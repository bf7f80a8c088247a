"""Outbox dispatch throughput against a local fake Twilio server, next to a bare SDK loop.

    .venv/bin/python bench/bench_dispatch.py                       # SQLite in a temp folder
    .venv/bin/python bench/bench_dispatch.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench

Prints messages/s of: a bare loop calling the twilio SDK's messages.create (one connection,
kept alive), one dispatcher worker, and two worker processes (timed from their common start,
after both have imported and connected); and the ratios. No rate limit unless --rate is
given, so that this measures the dispatcher itself. Every row is checked to have reached the
fake exactly once.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.clock import FakeClock
from bot.config import Settings
from bot.delivery_settings import DeliverySettings
from bot.outbox import dispatch_until_idle
from bot.transports.twilio import TwilioChannel
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models import Contact, Message
from tests.fakes import FakeTwilioServer

ACCOUNT = "AC" + "1" * 32
SENDER = "whatsapp:+14155238886"
START = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)
WORKER = textwrap.dedent(
    """
    import datetime as dt, sys, time
    sys.path.insert(0, sys.argv[7])
    from bot.clock import FakeClock
    from bot.config import Settings
    from bot.delivery_settings import DeliverySettings
    from bot.outbox import dispatch_until_idle
    from bot.transports.twilio import TwilioChannel
    from storage.db import make_engine

    url, fake, account, sender, rate, concurrency = sys.argv[1:7]
    channel = TwilioChannel(Settings(
        twilio_account_sid=account, twilio_auth_token="secret", twilio_whatsapp_from=sender,
        twilio_api_base_url=fake, twilio_timeout_seconds=10,
    ))
    settings = DeliverySettings(rate_per_second=float(rate), concurrency=int(concurrency))
    clock = FakeClock(dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC))
    engine = make_engine(url)
    channel.client  # the SDK client is made before the start, as in a running worker
    time.sleep(max(0.0, float(sys.argv[8]) - time.time()))  # both start together
    started = time.time()
    sent = dispatch_until_idle(engine, channel, clock, settings=settings).sent
    print(sent, started, time.time())
    """
)


def channel(fake_url: str) -> TwilioChannel:
    return TwilioChannel(
        Settings(
            twilio_account_sid=ACCOUNT,
            twilio_auth_token="secret",
            twilio_whatsapp_from=SENDER,
            twilio_api_base_url=fake_url,
            twilio_timeout_seconds=10,
        )
    )


def bare_loop(fake_url: str, count: int) -> float:
    client = channel(fake_url).client
    started = time.perf_counter()
    for i in range(count):
        client.messages.create(from_=SENDER, to=f"whatsapp:+62812{i:07d}", body=f"Bare {i}")
    return count / (time.perf_counter() - started)


def reset_and_queue(url: str, count: int) -> None:
    engine = make_engine(url)
    with transaction(engine) as session:
        session.execute(sa.delete(Message))
        session.execute(sa.delete(Contact))
        contacts = [
            Contact(phone=f"+62812{i:07d}", created_at=START, last_inbound_at=START)
            for i in range(200)
        ]
        session.add_all(contacts)
        session.flush()
        session.execute(
            sa.insert(Message),
            [
                {
                    "contact_id": contacts[i % 200].id,
                    "direction": "out",
                    "body": f"Pesan {i}",
                    "channel": "twilio",
                    "status": "pending",
                    "attempts": 0,
                    "next_attempt_at": START,
                    "created_at": START,
                    "updated_at": START,
                }
                for i in range(count)
            ],
        )
    engine.dispose()


def check_once(fake: FakeTwilioServer, count: int) -> None:
    bodies = [b for b in fake.state.accepted_bodies() if b.startswith("Pesan ")]
    assert sorted(bodies) == sorted(f"Pesan {i}" for i in range(count)), "a row was lost or doubled"


def one_worker(url: str, fake: FakeTwilioServer, count: int, rate: float, threads: int) -> float:
    reset_and_queue(url, count)
    fake.state.accepted.clear()
    engine = make_engine(url)
    settings = DeliverySettings(rate_per_second=rate, concurrency=threads)
    started = time.perf_counter()
    sent = dispatch_until_idle(
        engine, channel(fake.url), FakeClock(START + dt.timedelta(hours=1)), settings=settings
    ).sent
    elapsed = time.perf_counter() - started
    engine.dispose()
    assert sent == count
    check_once(fake, count)
    return count / elapsed


def two_workers(url: str, fake: FakeTwilioServer, count: int, rate: float, threads: int) -> float:
    reset_and_queue(url, count)
    fake.state.accepted.clear()
    root = str(Path(__file__).resolve().parent.parent)
    go_at = time.time() + 8  # time for both processes to import and connect
    args = [url, fake.url, ACCOUNT, SENDER, str(rate), str(threads), root, str(go_at)]
    procs = [
        subprocess.Popen([sys.executable, "-c", WORKER, *args], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    reports = [p.communicate(timeout=600)[0].split() for p in procs]
    sent = sum(int(r[0]) for r in reports)
    elapsed = max(float(r[2]) for r in reports) - min(float(r[1]) for r in reports)
    assert sent == count
    check_once(fake, count)
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: SQLite in a temporary folder")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=0.0, help="per-sender limit (0: none)")
    parser.add_argument("--threads", type=int, default=8, help="sends in flight per worker")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-dispatch-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    upgrade(url)
    with FakeTwilioServer() as fake:
        bare = bare_loop(fake.url, min(args.messages, 1000))
        one = one_worker(url, fake, args.messages, args.rate, args.threads)
        two = two_workers(url, fake, args.messages, args.rate, args.threads)
    print(f"database            {url.split(':')[0]}")
    print(f"bare SDK loop       {bare:8.0f} messages/s")
    print(f"one worker          {one:8.0f} messages/s   ratio {one / bare:.2f}")
    print(f"two workers         {two:8.0f} messages/s   ratio {two / bare:.2f}")


if __name__ == "__main__":
    main()
