"""Resilience: many people at once through the signed webhook, with the faults real traffic has.

Random duplicate deliveries (also two identical deliveries at the same moment), provider
retries after a 503, delivery statuses out of order and repeated, failures of the provider's
REST API, and (on PostgreSQL runs) the database stopped and started in the middle. Afterwards:
every inbound message stored exactly once, every conversation consistent with the messages it
processed, every due outbound message sent exactly once or visibly failed, no slot over its
capacity. Short by default; EKLINIK_LONG_TESTS=1 sends several thousand messages.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from bot import create_app
from bot.clock import FakeClock, SystemClock
from bot.outbox import STATUS_RANK, dispatch_until_idle, enqueue
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models import ClinicHours, Contact, Conversation, Message, SlotSeat
from storage.seed import seed_clinic
from tests.booking import UP_TO_SUMMARY
from tests.conftest import PG_URL, START
from tests.dialog import AUTH_TOKEN, PUBLIC_URL, new_sid, post_signed, whatsapp_form
from tests.fakes import FakeTwilioServer, Fault, RecordingTransport
from tests.test_transport_and_outbox import ACCOUNT, twilio_transport

LONG = os.environ.get("EKLINIK_LONG_TESTS") == "1"
CONTACTS = 500 if LONG else 30
THREADS = 6 if LONG else 4
DUPLICATE_RATE = 0.2
RETRIES = 20  # a provider retries a 503 (here at once, in the test)
STATUS = "/webhooks/twilio/status"
SCRIPTS: tuple[tuple[str, ...], ...] = (
    (*UP_TO_SUMMARY, "ya"),  # a booking: many people want the same first slot
    ("halo", "info", "1", "menu", "2", "terima kasih"),
    ("halo", "reservasi saya", "menu", "bantuan", "kembali"),
    ("selamat pagi", "mau konsultasi", "Budi", "batal", "admin", "halo??", "menu"),
    ("hi", "english", "menu", "3", "stop", "halo", "mulai"),
)


def seed() -> int:
    value = int(os.environ.get("EKLINIK_RESILIENCE_SEED", "0")) or random.randrange(1, 10**6)
    print(f"resilience seed: {value} (EKLINIK_RESILIENCE_SEED={value} repeats this run)")
    return value


def phone_of(index: int) -> str:
    return f"+62812{index:08d}"


class Traffic:
    """Sends scripted chats of many people in parallel, with duplicates and retries."""

    def __init__(self, app: Flask, rng: random.Random) -> None:
        self.app = app
        self.rng = rng
        self.sent: list[str] = []  # every distinct MessageSid we delivered (and got 200 for)
        self.answers: Counter[int] = Counter()
        self.lock = threading.Lock()

    def post(self, client: FlaskClient, form: dict[str, str]) -> None:
        for _ in range(RETRIES):
            response = post_signed(client, form)
            with self.lock:
                self.answers[response.status_code] += 1
            assert response.status_code in (200, 503), response.data
            if response.status_code == 200:
                return
        raise AssertionError(f"{form['MessageSid']} never accepted")

    def chat(self, index: int, script: tuple[str, ...], duplicates: list[bool]) -> None:
        client = self.app.test_client()
        clock: FakeClock = self.app.extensions["eklinik"].clock
        earlier: list[dict[str, str]] = []
        for text, duplicate in zip(script, duplicates, strict=True):
            clock.advance(seconds=1)
            form = whatsapp_form(phone_of(index), text, MessageSid=new_sid())
            if duplicate:  # the same delivery twice at the same moment
                barrier = threading.Barrier(2)

                def twin(form: dict[str, str] = form, barrier: threading.Barrier = barrier) -> None:
                    barrier.wait()
                    self.post(self.app.test_client(), form)

                other = threading.Thread(target=twin)
                other.start()
                barrier.wait()
                self.post(client, form)
                other.join()
            else:
                self.post(client, form)
            with self.lock:
                self.sent.append(form["MessageSid"])
            earlier.append(form)
            if earlier and self.rng_choice(duplicate):  # a late redelivery of an older message
                self.post(client, earlier[self.rng_index(len(earlier))])

    def rng_choice(self, salt: bool) -> bool:
        with self.lock:
            return self.rng.random() < DUPLICATE_RATE / 2 + (0.05 if salt else 0)

    def rng_index(self, size: int) -> int:
        with self.lock:
            return self.rng.randrange(size)

    def run(self, people: range) -> None:
        plans = []
        for index in people:
            script = SCRIPTS[index % len(SCRIPTS)]
            plans.append((index, script, [self.rng.random() < DUPLICATE_RATE for _ in script]))
        with ThreadPoolExecutor(THREADS) as pool:
            for future in [pool.submit(self.chat, *plan) for plan in plans]:
                future.result()


def assert_consistent(db: sa.Engine, sent: list[str]) -> None:
    """Every message stored once, conversations agree with their messages, seats within
    capacity."""
    with db.connect() as connection:
        stored = Counter(
            connection.execute(
                sa.select(Message.provider_sid).where(Message.direction == "in")
            ).scalars()
        )
        assert set(stored) == set(sent)
        assert max(stored.values()) == 1
        processed = dict(
            connection.execute(
                sa.select(Message.contact_id, sa.func.count())
                .where(Message.direction == "in", Message.status != "failed")
                .group_by(Message.contact_id)
            ).all()
        )
        versions = dict(
            connection.execute(sa.select(Conversation.contact_id, Conversation.version)).all()
        )
        assert set(versions) == set(processed)
        offsets = {versions[c] - processed[c] for c in versions}
        assert offsets == {1}, "a conversation's version counts the messages it processed"
        capacity = dict(
            connection.execute(
                sa.select(ClinicHours.service_id, sa.func.max(ClinicHours.capacity)).group_by(
                    ClinicHours.service_id
                )
            ).all()
        )
        seats = connection.execute(
            sa.select(SlotSeat.service_id, SlotSeat.starts_at, sa.func.count()).group_by(
                SlotSeat.service_id, SlotSeat.starts_at
            )
        ).all()
        assert all(count <= capacity[service] for service, _start, count in seats)


def test_many_people_with_duplicates_and_retries_are_each_stored_once(
    app: Flask, db: sa.Engine
) -> None:
    traffic = Traffic(app, random.Random(seed()))
    traffic.run(range(CONTACTS))
    assert_consistent(db, traffic.sent)
    assert traffic.answers[200] >= len(traffic.sent)


def test_outbox_under_provider_failures_and_scrambled_status_callbacks(
    app: Flask, db: sa.Engine, clock: FakeClock
) -> None:
    """Due messages are sent exactly once or visibly failed, whatever the provider answers;
    status callbacks in any order, repeated, never move a status backwards."""
    rng = random.Random(seed())
    client = app.test_client()
    people = 10 if not LONG else 100
    for index in range(people):
        post_signed(client, whatsapp_form(phone_of(index), "halo"))
    bodies = []
    with transaction(db) as session:
        for contact in session.exec(sa.select(Contact)).scalars():
            for n in range(3):
                body = f"Pengumuman {contact.id}-{n}"
                enqueue(session, contact, body, clock.now(), dedupe_key=f"res-{contact.id}-{n}")
                bodies.append(body)
    with FakeTwilioServer() as server:
        server.state.fail_with = [rng.choice([500, 503, 429, 400]) for _ in range(len(bodies))]
        transport = twilio_transport(server.url)
        for _ in range(12):  # the worker's ticks, hours apart: every backoff has run out
            dispatch_until_idle(db, transport, clock)
            clock.advance(hours=2)
        accepted = Counter(server.state.accepted_bodies())
    with db.connect() as connection:
        rows = connection.execute(
            sa.select(Message.body, Message.status, Message.provider_sid, Message.last_error).where(
                Message.body.in_(bodies)
            )
        ).all()
    assert len(rows) == len(bodies)
    for body, status, _sid, error in rows:
        if status in ("failed", "undelivered"):
            assert error, f"{body} failed without a reason"
            assert accepted[body] == 0
        else:
            assert accepted[body] == 1, (body, status)
    assert max(accepted.values()) == 1

    sids = [sid for _body, status, sid, _error in rows if sid and status not in ("failed",)]
    expected: dict[str, str] = {}
    callbacks: list[dict[str, str]] = []
    for sid in sids:
        statuses = [*rng.sample(["sent", "delivered", "read", "queued"], k=rng.randint(1, 4))]
        statuses += rng.choices(statuses, k=2)  # repeated callbacks
        rng.shuffle(statuses)
        expected[sid] = max(statuses, key=lambda s: STATUS_RANK[s])
        callbacks += [{"MessageSid": sid, "MessageStatus": s} for s in statuses]
    rng.shuffle(callbacks)
    with ThreadPoolExecutor(THREADS) as pool:
        answers = list(
            pool.map(lambda form: post_signed(app.test_client(), form, path=STATUS), callbacks)
        )
    assert all(a.status_code < 300 for a in answers)
    with db.connect() as connection:
        final = dict(
            connection.execute(
                sa.select(Message.provider_sid, Message.status).where(
                    Message.provider_sid.in_(sids)
                )
            ).all()
        )
    for sid, status in expected.items():
        assert STATUS_RANK[final[sid]] >= STATUS_RANK[status], (sid, final[sid], status)


# --- the database stopped and started in the middle (our own PostgreSQL cluster) -----------

CLUSTER = "reliab"
CLUSTER_PORT = 5499


def _free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def _pg_version() -> str | None:
    root = Path("/usr/lib/postgresql")
    versions = sorted(p.name for p in root.iterdir()) if root.exists() else []
    return versions[-1] if versions else None


@contextlib.contextmanager
def own_cluster() -> Iterator[tuple[str, str]]:
    """A throw-away PostgreSQL cluster on its own port; always dropped afterwards."""
    version = _pg_version()
    if not (shutil.which("pg_createcluster") and version and os.geteuid() == 0):
        pytest.skip("needs pg_createcluster (Debian's postgresql-common) and root")
    if not _free(CLUSTER_PORT):
        pytest.skip(f"port {CLUSTER_PORT} is taken")
    subprocess.run(["pg_dropcluster", "--stop", version, CLUSTER], capture_output=True, check=False)
    subprocess.run(
        [
            "pg_createcluster",
            version,
            CLUSTER,
            "-p",
            str(CLUSTER_PORT),
            "--start",
            "--",
            "--auth=trust",
        ],
        check=True,
        capture_output=True,
    )
    try:
        subprocess.run(
            ["createdb", "-h", "127.0.0.1", "-p", str(CLUSTER_PORT), "-U", "postgres", "eklinik"],
            check=True,
            capture_output=True,
        )
        yield version, f"postgresql+psycopg://postgres@127.0.0.1:{CLUSTER_PORT}/eklinik"
    finally:
        subprocess.run(["pg_dropcluster", "--stop", version, CLUSTER], check=False)


def _ctl(version: str, action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, CLUSTER, action, "-m", "fast"]
        if action == "stop"
        else ["pg_ctlcluster", "--skip-systemctl-redirect", version, CLUSTER, action],
        check=True,
        capture_output=True,
    )


@pytest.mark.skipif(not PG_URL, reason="runs with the PostgreSQL suite (its own cluster)")
def test_postgresql_stopped_and_started_mid_run_loses_nothing(tmp_path: Path) -> None:
    with own_cluster() as (version, url):
        upgrade(url)
        engine = make_engine(url)
        with transaction(engine) as session:
            seed_clinic(session)
        app = create_app(
            {
                "database_url": url,
                "clock": FakeClock(START),
                "transport": RecordingTransport(),
                "twilio_auth_token": AUTH_TOKEN,
                "public_url": PUBLIC_URL,
                "secret_key": "test-secret",
                "instance_path": tmp_path / "instance",
            }
        )
        client = app.test_client()
        rng = random.Random(seed())
        forms = [
            whatsapp_form(phone_of(i % 12), rng.choice(["halo", "info", "menu", "1"]))
            for i in range(60 if not LONG else 600)
        ]
        unanswered: list[dict[str, str]] = []
        answers: Counter[int] = Counter()
        stop_at, start_at = len(forms) // 3, 2 * len(forms) // 3
        for i, form in enumerate(forms):
            if i == stop_at:
                _ctl(version, "stop")
            if i == start_at:
                _ctl(version, "start")
            response = post_signed(client, form)
            answers[response.status_code] += 1
            assert response.status_code in (200, 503), response.data  # never a 500
            if response.status_code == 503:
                unanswered.append(form)
            health = client.get("/healthz").status_code
            assert health == (503 if stop_at <= i < start_at else 200)
        for form in unanswered:  # the provider's retries after the outage
            assert post_signed(client, form).status_code == 200
        assert answers[503] >= start_at - stop_at
        db: sa.Engine = app.extensions["eklinik"].db
        assert_consistent(db, [form["MessageSid"] for form in forms])
        db.dispose()
        engine.dispose()


# --- a worker killed with SIGKILL while it sends -----------------------------------------------


OUR_VARIABLES = ("EKLINIK_", "TWILIO_")


def test_a_worker_killed_while_sending_loses_and_repeats_nothing(
    database_url: str, tmp_path: Path
) -> None:
    """`eklinik worker` dies (SIGKILL) while the provider is still answering one send: the next
    worker looks the message up instead of sending it again; every message goes out once."""
    now = SystemClock().now()
    engine = make_engine(database_url)
    bodies = [f"Pengingat {n}" for n in range(6)]
    with transaction(engine) as session:
        contact = Contact(phone=phone_of(1), created_at=now, last_inbound_at=now)
        session.add(contact)
        session.flush()
        for n, body in enumerate(bodies):
            enqueue(session, contact, body, now, dedupe_key=f"kill-{n}")
    with FakeTwilioServer() as server:
        server.state.faults = [Fault(delay=60.0)]  # accepted, but the answer comes too late
        worker = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "worker"],
            env={
                **{
                    k: v for k, v in os.environ.items() if not k.startswith(("EKLINIK_", "TWILIO_"))
                },
                "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
                "EKLINIK_DATABASE_URL": database_url,
                "EKLINIK_INSTANCE_PATH": str(tmp_path / "instance"),
                "TWILIO_ACCOUNT_SID": ACCOUNT,
                "TWILIO_AUTH_TOKEN": "secret",
                "TWILIO_WHATSAPP_FROM": "whatsapp:+14155238886",
                "TWILIO_API_BASE_URL": server.url,
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            for _ in range(1200):  # until the worker is inside the slow send (at most a minute)
                if server.state.requests or worker.poll() is not None:
                    break
                time.sleep(0.05)
            assert server.state.requests, "the worker never sent"
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(10)
        clock = FakeClock(now + dt.timedelta(hours=1))  # every lease of the dead worker is over
        transport = twilio_transport(server.url)
        for _ in range(5):
            dispatch_until_idle(engine, transport, clock)
            clock.advance(hours=1)
        accepted = Counter(server.state.accepted_bodies())
    with engine.connect() as connection:
        rows = dict(
            connection.execute(
                sa.select(Message.body, Message.status).where(Message.body.in_(bodies))
            ).all()
        )
    engine.dispose()
    for body in bodies:
        if rows[body] in ("failed", "undelivered"):
            assert accepted[body] == 0
        else:
            assert accepted[body] == 1, (body, rows[body], accepted[body])
