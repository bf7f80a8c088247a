"""Load test of the Twilio WhatsApp webhook over real HTTP, with invariants checked afterwards.

Run (from the project root):

    .venv/bin/python bench/bench_webhook.py
    .venv/bin/python bench/bench_webhook.py \\
        --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/bench_webhook.py --server gunicorn --workers 2

What it does:

1. Builds a fresh database: a SQLite file in a temporary folder by default, or the given
   PostgreSQL database, whose `public` schema is DROPPED and recreated (as the test suite does).
   Then migrates it and seeds the clinics, topics and hours.
2. Starts the real app (`bot.create_app`, the system clock, the console transport, a known
   Twilio auth token and public URL) in a threaded werkzeug server inside this process, or
   with `--server gunicorn` in `--workers` gunicorn processes (gthread), on 127.0.0.1 only.
3. `--contacts` people, `--concurrency` at a time, each walk the reservation dialogue with
   correctly signed webhooks (halo, reservasi, name, category, organisation, kecamatan,
   clinic, topic, problem, mode, then slot "1" and "ya" until booked or out of messages;
   `--messages-per-contact` caps one person's messages). A share of messages
   (`--duplicate-share`) is delivered twice with the same MessageSid at the same moment, as
   Twilio does when it retries. A side thread sends `--bad-requests` unsigned, wrongly signed
   and malformed webhooks (expected 403 / 400). The run stops by itself; `--time-limit` bounds
   it.
4. Prints throughput, latency of the good requests, status codes and peak RSS, then checks
   the database: every accepted MessageSid stored once, duplicates processed once, no 5xx,
   no slot over its capacity, reservations matching the codes people were told, and every
   conversation's version equal to its processed messages. Exit status 1 on any FAIL.

The project must be installed (`pip install -e .`, as in the README) so that `bot` and
`storage` import. Nothing leaves 127.0.0.1: the signatures name a public URL, but requests go
to the local server, and the console transport sends nothing.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import datetime as dt
import logging
import os
import random
import re
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import requests
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from twilio.request_validator import RequestValidator
from werkzeug.serving import make_server

from bot import create_app
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.seed import seed_clinic

ROOT = Path(__file__).resolve().parent.parent
PUBLIC_URL = "https://eklinik.bench.invalid"
AUTH_TOKEN = "bench-auth-token-0123456789abcdef"
WRONG_TOKEN = "not-the-auth-token-fedcba9876543210"
WEBHOOK = "/webhooks/twilio"
TIMEZONE = "Asia/Jakarta"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
ENV_NAMES = (
    "EKLINIK_DATABASE_URL",
    "EKLINIK_SECRET_KEY",
    "EKLINIK_PUBLIC_URL",
    "EKLINIK_TIMEZONE",
    "EKLINIK_TRANSPORT",
    "EKLINIK_INSTANCE_PATH",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_WHATSAPP_FROM",
    "TWILIO_API_BASE_URL",
)

# What the bot says at each step (Indonesian templates), to follow the dialogue.
BOOKED = "Reservasi tercatat"
SUMMARY = "Ringkasan reservasi"
SLOT_LIST = "Jadwal kosong terdekat"
CODE = re.compile(r"\bEK-\d{4}-\d{4,}\b")

NAMES = ("Sari", "Budi", "Dewi", "Agus", "Rina", "Joko", "Wati", "Asep", "Yuni", "Dedi")
SURNAMES = ("Wulandari", "Santoso", "Lestari", "Hidayat", "Kusuma", "Saputra", "Permana")
ORGANISATIONS = (
    "Koperasi Maju Bersama",
    "KSPPS Berkah Umat",
    "KSP Sejahtera",
    "Keripik Budi",
    "Batik Sekar",
    "Kopi Gunung",
)
KECAMATAN = (
    "Coblong",
    "Sukajadi",
    "Cibeunying",
    "Lengkong",
    "Antapani",
    "Cicendo",
    "Sumur Bandung",
)
PROBLEMS = (
    "Laporan keuangan kami belum rapi sejak tahun lalu",
    "Kami butuh modal tambahan untuk membeli mesin produksi",
    "Anggota koperasi makin sedikit yang ikut rapat anggota tahunan",
    "Bagaimana cara mengurus NIB untuk usaha makanan rumahan kami",
    "Penjualan turun sejak ada pesaing baru di pasar online",
)


# --- options ---------------------------------------------------------------------------------


def parse_options(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary folder")
    parser.add_argument("--server", choices=("werkzeug", "gunicorn"), default="werkzeug")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=8, help="threads per gunicorn process")
    parser.add_argument("--contacts", type=int, default=50)
    parser.add_argument(
        "--messages-per-contact",
        type=int,
        default=16,
        help="cap per person: booking takes 12, each slot taken by someone else 2 more",
    )
    parser.add_argument("--concurrency", type=int, default=16, help="people writing at once")
    parser.add_argument(
        "--duplicate-share", type=float, default=0.10, help="messages also sent as a retry"
    )
    parser.add_argument("--bad-requests", type=int, default=20, help="unsigned or malformed")
    parser.add_argument("--time-limit", type=float, default=90.0, help="seconds of load at most")
    parser.add_argument("--request-timeout", type=float, default=30.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


# --- database and server ---------------------------------------------------------------------


def is_postgres(url: str) -> bool:
    """True for a PostgreSQL URL."""
    return make_url(url).get_backend_name() == "postgresql"


def prepare_database(url: str) -> None:
    """Empty (PostgreSQL: drop and recreate `public`), migrate and seed the database."""
    if is_postgres(url):
        engine = make_engine(url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        seed_clinic(session)
    engine.dispose()


def configure_logging(log_file: Path) -> None:
    """Send the app's log (in-process server) to a file; keep werkzeug's access log out."""
    handler = logging.FileHandler(log_file)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_healthy(base_url: str, timeout: float = 30.0) -> None:
    """Wait until GET /healthz answers 200."""
    deadline = time.monotonic() + timeout
    with requests.Session() as session:
        session.trust_env = False  # never a proxy: 127.0.0.1 only
        while time.monotonic() < deadline:
            with contextlib.suppress(requests.RequestException):
                if session.get(base_url + "/healthz", timeout=2).status_code == 200:
                    return
            time.sleep(0.1)
    raise RuntimeError(f"the server at {base_url} did not become healthy in {timeout:.0f} s")


@contextlib.contextmanager
def werkzeug_server(url: str, workdir: Path) -> Iterator[str]:
    """The app in a threaded werkzeug server inside this process; yields its base URL."""
    app = create_app(
        {
            "database_url": url,
            "twilio_auth_token": AUTH_TOKEN,
            "public_url": PUBLIC_URL,
            "secret_key": "bench-secret",
            "instance_path": workdir / "instance",
            "timezone": TIMEZONE,
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="werkzeug", daemon=True)
    thread.start()
    try:
        base_url = f"http://127.0.0.1:{server.server_port}"
        wait_healthy(base_url)
        yield base_url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        app.extensions["eklinik"].db.dispose()


@contextlib.contextmanager
def gunicorn_server(
    url: str, workdir: Path, log_file: Path, workers: int, threads: int
) -> Iterator[str]:
    """The app under gunicorn (gthread workers) in a subprocess; yields its base URL."""
    port = free_port()
    env = dict(os.environ)  # cleaned of our settings by main()
    env.update(
        EKLINIK_DATABASE_URL=url,
        TWILIO_AUTH_TOKEN=AUTH_TOKEN,
        EKLINIK_PUBLIC_URL=PUBLIC_URL,
        EKLINIK_SECRET_KEY="bench-secret",
        EKLINIK_INSTANCE_PATH=str(workdir / "instance"),
        EKLINIK_TRANSPORT="console",
        EKLINIK_TIMEZONE=TIMEZONE,
    )
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--worker-class", "gthread",
        "--timeout", "120",
        "bot:create_app()",
    ]  # fmt: skip
    with log_file.open("ab") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_healthy(base_url)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- the client ------------------------------------------------------------------------------


@dataclass
class Exchange:
    """One HTTP request the benchmark sent, and what came back."""

    kind: str  # message | duplicate | unsigned | bad_signature | malformed
    phone: str
    sid: str
    status: int  # 0: no HTTP answer (see error)
    seconds: float
    replies: list[str]
    error: str | None = None


def new_sid() -> str:
    """A fresh, Twilio-shaped message id."""
    return "SM" + uuid.uuid4().hex


def sign(form: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """The X-Twilio-Signature Twilio would compute for this form."""
    return str(RequestValidator(token).compute_signature(PUBLIC_URL + WEBHOOK, form))


def whatsapp_form(phone: str, body: str, sid: str, profile_name: str) -> dict[str, str]:
    """A real-looking Twilio WhatsApp webhook payload."""
    return {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": profile_name,
        "MessageType": "text",
        "SmsSid": sid,
        "WaId": phone.lstrip("+"),
        "SmsStatus": "received",
        "Body": body,
        "To": "whatsapp:+14155238886",
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": f"whatsapp:{phone}",
        "ApiVersion": "2010-04-01",
    }


def replies_of(body: bytes) -> list[str]:
    """The <Message> texts of a TwiML answer."""
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return []
    return [node.text or "" for node in root.iter("Message")]


class WebhookClient:
    """Posts webhooks to the local server (one keep-alive session per thread); keeps a log."""

    def __init__(self, base_url: str, timeout: float) -> None:
        self.url = base_url + WEBHOOK
        self.timeout = timeout
        self.exchanges: list[Exchange] = []
        self._lock = threading.Lock()
        self._local = threading.local()

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # never a proxy: 127.0.0.1 only
            self._local.session = session
        return session

    def post(self, kind: str, form: dict[str, str], signature: str | None) -> Exchange:
        """Send one webhook and record the exchange."""
        headers = {"X-Twilio-Signature": signature} if signature else {}
        phone = form.get("From", "").removeprefix("whatsapp:")
        sid = form.get("MessageSid", "")
        started = time.perf_counter()
        try:
            response = self._session().post(
                self.url, data=form, headers=headers, timeout=self.timeout
            )
            replies = replies_of(response.content) if response.status_code == 200 else []
            exchange = Exchange(
                kind, phone, sid, response.status_code, time.perf_counter() - started, replies
            )
        except requests.RequestException as exc:
            elapsed = time.perf_counter() - started
            exchange = Exchange(kind, phone, sid, 0, elapsed, [], f"{type(exc).__name__}: {exc}")
        with self._lock:
            self.exchanges.append(exchange)
        return exchange


# --- one person ------------------------------------------------------------------------------


@dataclass
class ContactRun:
    """How one person's dialogue went."""

    phone: str
    accepted_sids: list[str] = field(default_factory=list)
    code: str | None = None
    slot_retries: int = 0
    outcome: str = "running"  # booked | out_of_messages | deviated | time_limit | error
    deviation: str | None = None


class Person:
    """One WhatsApp user walking the reservation dialogue through the webhook."""

    def __init__(
        self,
        index: int,
        client: WebhookClient,
        twins: cf.Executor,
        options: argparse.Namespace,
        deadline: float,
    ) -> None:
        self.rng = random.Random(options.seed * 100_003 + index)
        self.phone = f"+62813{index:08d}"
        self.name = f"{self.rng.choice(NAMES)} {self.rng.choice(SURNAMES)}"
        self.client = client
        self.twins = twins
        self.duplicate_share: float = options.duplicate_share
        self.budget: int = options.messages_per_contact
        self.deadline = deadline
        self.run_log = ContactRun(self.phone)

    def script(self) -> list[tuple[str, str]]:
        """The messages up to the offered slots, each with a phrase its answer must contain."""
        category = self.rng.choice(("1", "2", "3"))  # koperasi, koperasi syariah, UMKM
        clinic = "2" if category == "3" else "1"
        return [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            (self.name, "mewakili"),
            (category, "Apa *nama"),
            (self.rng.choice(ORGANISATIONS), "kecamatan"),
            (self.rng.choice(KECAMATAN), "klinik mana"),
            (clinic, "pilih topik"),
            (str(self.rng.randint(1, 9)), "Ceritakan"),
            (self.rng.choice(PROBLEMS), "cara apa"),
            (self.rng.choice(("1", "2")), SLOT_LIST),
        ]

    def can_send(self) -> bool:
        """True while this person has messages left and the time limit is not reached."""
        if time.monotonic() >= self.deadline:
            self.run_log.outcome = "time_limit"
            self.run_log.deviation = f"stopped after {len(self.run_log.accepted_sids)} messages"
            return False
        if self.budget <= 0:
            self.run_log.outcome = "out_of_messages"
            return False
        return True

    def say(self, text: str) -> str | None:
        """Send `text` (sometimes twice at once, same MessageSid); the replies, or None."""
        form = whatsapp_form(self.phone, text, new_sid(), self.name)
        signature = sign(form)
        self.budget -= 1
        if self.rng.random() < self.duplicate_share:
            barrier = threading.Barrier(2, timeout=5)
            twin = self.twins.submit(self._send, "duplicate", form, signature, barrier)
            exchanges = [self._send("message", form, signature, barrier), twin.result()]
        else:
            exchanges = [self._send("message", form, signature, None)]
        if not any(e.status == 200 for e in exchanges):
            self.run_log.outcome = "error"
            self.run_log.deviation = f"{text!r} got HTTP {[e.status for e in exchanges]}"
            return None
        self.run_log.accepted_sids.append(form["MessageSid"])
        answered = [e for e in exchanges if e.replies]
        return "\n".join(answered[0].replies) if answered else ""

    def _send(
        self, kind: str, form: dict[str, str], signature: str, barrier: threading.Barrier | None
    ) -> Exchange:
        if barrier is not None:
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()  # the original and its twin leave together
        return self.client.post(kind, form, signature)

    def deviate(self, text: str, reply: str, expected: str) -> ContactRun:
        """Stop: the bot did not answer as the script expects."""
        self.run_log.outcome = "deviated"
        self.run_log.deviation = f"after {text!r} expected {expected!r}, got {reply[:160]!r}"
        return self.run_log

    def run(self) -> ContactRun:
        """Walk the script, then choose slot 1 and confirm until booked (or out of messages)."""
        for text, expected in self.script():
            if not self.can_send():
                return self.run_log
            reply = self.say(text)
            if reply is None:
                return self.run_log
            if expected not in reply:
                return self.deviate(text, reply, expected)
        answer = "1"
        while self.can_send():
            reply = self.say(answer)
            if reply is None:
                return self.run_log
            if BOOKED in reply:
                found = CODE.search(reply)
                self.run_log.code = found.group(0) if found else None
                self.run_log.outcome = "booked"
                return self.run_log
            if SUMMARY in reply:
                answer = "ya"
            elif SLOT_LIST in reply:
                self.run_log.slot_retries += answer == "ya"
                answer = "1"
            else:
                return self.deviate(answer, reply, f"{SUMMARY!r}, {SLOT_LIST!r} or {BOOKED!r}")
        return self.run_log


# --- bad requests ----------------------------------------------------------------------------

BAD_KINDS = ("unsigned", "bad_signature", "malformed", "malformed")
EXPECTED_STATUS = {"unsigned": 403, "bad_signature": 403, "malformed": 400}


def bad_request(kind: str, phone: str, variant: int) -> tuple[dict[str, str], str | None]:
    """A webhook that must be refused: no signature, a wrong one, or signed but malformed."""
    form = whatsapp_form(phone, "halo", new_sid(), "Penyusup")
    if kind == "unsigned":
        return form, None
    if kind == "bad_signature":
        return form, sign(form, WRONG_TOKEN)
    if variant % 2:
        form["From"] = ""  # no sender
    else:
        form["MessageSid"] = form["SmsMessageSid"] = "SM bad id!"
    return form, sign(form)


def send_bad_requests(
    client: WebhookClient, phones: list[str], count: int, rng: random.Random, stop: threading.Event
) -> None:
    """Spread `count` bad requests over the run (aimed at real contacts' numbers); once
    `stop` is set, send the rest without pausing."""
    for n in range(count):
        stop.wait(rng.uniform(0.0, 0.2))
        kind = BAD_KINDS[n % len(BAD_KINDS)]
        form, signature = bad_request(kind, rng.choice(phones), n)
        client.post(kind, form, signature)


# --- the load --------------------------------------------------------------------------------


@dataclass
class LoadResult:
    """What the load phase produced."""

    seconds: float
    exchanges: list[Exchange]
    contacts: list[ContactRun]


def run_load(base_url: str, options: argparse.Namespace) -> LoadResult:
    """Every person in a pool of `concurrency` threads, twins in another, bad requests aside."""
    client = WebhookClient(base_url, options.request_timeout)
    started = time.monotonic()
    deadline = started + options.time_limit
    phones = [f"+62813{i:08d}" for i in range(options.contacts)]
    stop = threading.Event()
    bad_thread = threading.Thread(
        target=send_bad_requests,
        args=(client, phones, options.bad_requests, random.Random(options.seed), stop),
        name="bad-requests",
    )
    with (
        cf.ThreadPoolExecutor(options.concurrency, thread_name_prefix="person") as people,
        cf.ThreadPoolExecutor(options.concurrency, thread_name_prefix="twin") as twins,
    ):
        bad_thread.start()
        futures = [
            people.submit(Person(i, client, twins, options, deadline).run)
            for i in range(options.contacts)
        ]
        runs = [future.result() for future in futures]
        stop.set()
        bad_thread.join()
    return LoadResult(time.monotonic() - started, list(client.exchanges), runs)


# --- the app log -----------------------------------------------------------------------------


@dataclass
class LogSummary:
    """What the app logged: engine retries, duplicates, errors and their tracebacks."""

    retries: int
    duplicates: int
    errors: int
    tracebacks: list[str]


def summarise_log(path: Path) -> LogSummary:
    """Count the interesting lines of the app's log and collect distinct tracebacks."""
    lines = path.read_text(errors="replace").splitlines() if path.exists() else []
    retries = sum("bot.engine: retrying" in line for line in lines)
    duplicates = sum("bot.engine: duplicate message" in line for line in lines)
    errors = sum(" ERROR " in line or "[ERROR]" in line for line in lines)
    tracebacks: dict[str, str] = {}
    for start, line in enumerate(lines):
        if not line.startswith("Traceback (most recent call last)"):
            continue
        end = start + 1
        while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end]):
            end += 1
        block = lines[max(start - 1, 0) : end + 1]
        tracebacks.setdefault(block[-1], "\n".join(block))
    return LogSummary(retries, duplicates, errors, list(tracebacks.values()))


# --- the database afterwards ----------------------------------------------------------------


@dataclass
class DbFacts:
    """What the database holds after the run."""

    inbound: Counter[str]  # provider_sid -> rows
    inbound_status: Counter[str]
    processed_by_phone: Counter[str]  # inbound rows not 'failed', per contact
    outbound: int
    versions: dict[str, int]  # phone -> conversation version
    codes: set[str]
    reservations_by_phone: Counter[str]
    active_reservations: int
    seats: list[tuple[int, dt.datetime, int]]  # service, start (UTC), seats held
    hours: list[tuple[int, int, dt.time, dt.time, int]]  # service, weekday, opens, closes, cap


def as_utc(value: dt.datetime | str) -> dt.datetime:
    """A stored time (naive UTC; SQLite may hand back text) as an aware UTC datetime."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def as_time(value: dt.time | str) -> dt.time:
    """A stored clock time (SQLite may hand back text)."""
    return dt.time.fromisoformat(value) if isinstance(value, str) else value


def read_database(url: str) -> DbFacts:
    """Query everything the invariants need, with a fresh engine."""
    engine = make_engine(url)
    q = sa.text
    try:
        with engine.connect() as db:
            inbound_rows = db.execute(
                q(
                    "SELECT m.provider_sid, m.status, c.phone FROM messages m"
                    " JOIN contacts c ON c.id = m.contact_id WHERE m.direction = 'in'"
                )
            ).all()
            outbound = db.execute(q("SELECT count(*) FROM messages WHERE direction = 'out'"))
            versions = db.execute(
                q(
                    "SELECT c.phone, v.version FROM conversations v"
                    " JOIN contacts c ON c.id = v.contact_id"
                )
            ).all()
            reservations = db.execute(
                q(
                    "SELECT r.code, c.phone, r.status FROM reservations r"
                    " JOIN contacts c ON c.id = r.contact_id"
                )
            ).all()
            seats = db.execute(
                q(
                    "SELECT service_id, starts_at, count(*) FROM slot_seats"
                    " GROUP BY service_id, starts_at"
                )
            ).all()
            hours = db.execute(
                q("SELECT service_id, weekday, opens_at, closes_at, capacity FROM clinic_hours")
            ).all()
            outbound_count = int(outbound.scalar_one())
    finally:
        engine.dispose()
    return DbFacts(
        inbound=Counter(sid for sid, _, _ in inbound_rows),
        inbound_status=Counter(status for _, status, _ in inbound_rows),
        processed_by_phone=Counter(
            phone for _, status, phone in inbound_rows if status != "failed"
        ),
        outbound=outbound_count,
        versions={phone: int(version) for phone, version in versions},
        codes={code for code, _, _ in reservations if code},
        reservations_by_phone=Counter(phone for _, phone, _ in reservations),
        active_reservations=sum(status in ("booked", "confirmed") for _, _, status in reservations),
        seats=[(int(s), as_utc(start), int(n)) for s, start, n in seats],
        hours=[(int(s), int(w), as_time(o), as_time(c), int(cap)) for s, w, o, c, cap in hours],
    )


def capacity_of(facts: DbFacts, service_id: int, starts_at: dt.datetime) -> int | None:
    """The capacity of the clinic-hours block a slot falls in (None: outside every block)."""
    local = starts_at.astimezone(ZoneInfo(TIMEZONE))
    for service, weekday, opens, closes, capacity in facts.hours:
        if service == service_id and weekday == local.weekday() and opens <= local.time() < closes:
            return capacity
    return None


# --- invariants ------------------------------------------------------------------------------


@dataclass
class Check:
    """One invariant and whether it held."""

    name: str
    ok: bool
    detail: str


def check_no_server_errors(load: LoadResult) -> Check:
    """Every request got an HTTP answer below 500."""
    errors = [e for e in load.exchanges if e.status >= 500 or e.status == 0]
    sample = "; ".join(f"{e.kind} {e.sid}: {e.status} {e.error or ''}" for e in errors[:3])
    return Check("no 5xx and no failed connection", not errors, f"{len(errors)} {sample}".strip())


def check_bad_requests(load: LoadResult, facts: DbFacts) -> Check:
    """Unsigned and wrongly signed webhooks got 403, malformed ones 400; none was stored."""
    bad = [e for e in load.exchanges if e.kind in EXPECTED_STATUS]
    wrong = [e for e in bad if e.status != EXPECTED_STATUS[e.kind]]
    stored = [e for e in bad if facts.inbound.get(e.sid)]
    detail = f"{len(bad)} sent, {len(wrong)} with another status, {len(stored)} stored"
    return Check(
        "bad requests refused (403/400) and stored nothing", not wrong and not stored, detail
    )


def check_sids_stored_once(load: LoadResult, facts: DbFacts) -> Check:
    """One inbound row per accepted MessageSid, and no other inbound row."""
    accepted = {sid for run in load.contacts for sid in run.accepted_sids}
    missing = [sid for sid in accepted if facts.inbound.get(sid, 0) == 0]
    doubled = [sid for sid, rows in facts.inbound.items() if rows > 1]
    strangers = set(facts.inbound) - accepted
    detail = (
        f"{len(accepted)} accepted, {sum(facts.inbound.values())} inbound rows; "
        f"missing {len(missing)}, stored twice {len(doubled)}, unexpected {len(strangers)}"
    )
    return Check(
        "every accepted MessageSid stored exactly once",
        not (missing or doubled or strangers),
        detail,
    )


def check_duplicates(load: LoadResult, facts: DbFacts, log: LogSummary) -> Check:
    """Of each original/retry pair one was processed: both got the same answer (the retry
    gets the replies of the first processing), and every reply is stored once."""
    by_sid: dict[str, list[Exchange]] = {}
    for e in load.exchanges:
        if e.kind in ("message", "duplicate"):
            by_sid.setdefault(e.sid, []).append(e)
    pairs = [group for group in by_sid.values() if len(group) == 2]
    answered_differently = sum(group[0].replies != group[1].replies for group in pairs)
    replies = sum(len(group[0].replies) for group in by_sid.values())
    ok = answered_differently == 0 and replies == facts.outbound
    detail = (
        f"{len(pairs)} pairs, {answered_differently} answered differently;"
        f" outbound rows {facts.outbound} vs replies of one of each pair {replies}"
    )
    return Check("duplicates processed once (no extra outbound replies)", ok, detail)


def check_capacity(facts: DbFacts) -> Check:
    """Seats held per slot never exceed the clinic hours' capacity."""
    over = []
    fullest = 0
    for service, start, held in facts.seats:
        capacity = capacity_of(facts, service, start)
        fullest = max(fullest, held)
        if capacity is None or held > capacity:
            over.append(f"service {service} {start:%Y-%m-%d %H:%M}Z {held}/{capacity}")
    seats = sum(held for _, _, held in facts.seats)
    ok = not over and seats == facts.active_reservations
    detail = (
        f"{len(facts.seats)} slots used, fullest holds {fullest}; {seats} seats for"
        f" {facts.active_reservations} active reservations"
        + (f"; over: {over[:3]}" if over else "")
    )
    return Check("no slot over its capacity, one seat per reservation", ok, detail)


def check_reservations(load: LoadResult, facts: DbFacts) -> Check:
    """The reservations stored are exactly those whose codes people received."""
    told = {run.code for run in load.contacts if run.code}
    booked_runs = sum(run.outcome == "booked" for run in load.contacts)
    twice = [phone for phone, n in facts.reservations_by_phone.items() if n > 1]
    ok = told == facts.codes and booked_runs == len(told) and not twice
    detail = (
        f"{len(facts.codes)} in the database, {len(told)} codes told to {booked_runs} people,"
        f" {len(twice)} people with two"
    )
    return Check("reservations match the codes people were told", ok, detail)


def check_versions(load: LoadResult, facts: DbFacts) -> Check:
    """Each message saved the conversation once: no lost or doubled update."""
    wrong = []
    for run in load.contacts:
        version = facts.versions.get(run.phone, 1)
        processed = facts.processed_by_phone.get(run.phone, 0)
        if not version - 1 == processed == len(run.accepted_sids):
            sent = len(run.accepted_sids)
            wrong.append(f"{run.phone}: version {version}, processed {processed}, sent {sent}")
    failed = facts.inbound_status.get("failed", 0)
    detail = f"{len(wrong)} contacts off, {failed} inbound failed" + (
        f"; {wrong[:3]}" if wrong else ""
    )
    return Check(
        "conversation version = processed messages (+1), none failed",
        not wrong and not failed,
        detail,
    )


def check_dialogues(load: LoadResult) -> Check:
    """Every person got the expected answers and was not cut off by the time limit."""
    outcomes = Counter(run.outcome for run in load.contacts)
    broken = [
        run
        for run in load.contacts
        if run.outcome in ("deviated", "error", "time_limit", "running")
    ]
    sample = "; ".join(f"{r.phone} {r.outcome}: {r.deviation}" for r in broken[:3])
    detail = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) + (
        f"; {sample}" if sample else ""
    )
    return Check("every dialogue went as scripted, within the time limit", not broken, detail)


def check_log(log: LogSummary) -> Check:
    """The app logged no error."""
    return Check(
        "no errors in the app log", log.errors == 0, f"{log.errors} errors, {log.retries} retries"
    )


def run_checks(load: LoadResult, facts: DbFacts, log: LogSummary) -> list[Check]:
    """Every invariant, in report order."""
    return [
        check_no_server_errors(load),
        check_bad_requests(load, facts),
        check_sids_stored_once(load, facts),
        check_duplicates(load, facts, log),
        check_capacity(facts),
        check_reservations(load, facts),
        check_versions(load, facts),
        check_dialogues(load),
        check_log(log),
    ]


# --- report ----------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile of sorted values (share in 0..1)."""
    if not values:
        return 0.0
    rank = max(1, min(len(values), round(share * len(values) + 0.5)))
    return values[rank - 1]


def latency_line(exchanges: list[Exchange]) -> str:
    """mean/p50/p95/p99/max in milliseconds."""
    ms = sorted(e.seconds * 1000 for e in exchanges)
    if not ms:
        return "none"
    mean = sum(ms) / len(ms)
    parts = [("mean", mean), ("p50", percentile(ms, 0.5)), ("p95", percentile(ms, 0.95))]
    parts += [("p99", percentile(ms, 0.99)), ("max", ms[-1])]
    return "  ".join(f"{name} {value:7.1f}" for name, value in parts) + f"  ms  (n={len(ms)})"


def peak_rss_line(server: str) -> str:
    """Peak resident memory of this process (and of the gunicorn processes, when used)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line = f"{own:.1f} MiB (this process{', server included' if server == 'werkzeug' else ''})"
    if server == "gunicorn":
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        line += f", largest gunicorn process {child:.1f} MiB"
    return line


def print_report(
    options: argparse.Namespace, url: str, load: LoadResult, log: LogSummary, checks: list[Check]
) -> None:
    """Figures first, then one PASS/FAIL line per invariant."""
    good = [e for e in load.exchanges if e.kind in ("message", "duplicate") and e.status == 200]
    twins = [e for e in good if e.kind == "duplicate"]
    statuses = Counter(e.status for e in load.exchanges)
    outcomes = Counter(run.outcome for run in load.contacts)
    server = options.server
    if server == "gunicorn":
        server += f" ({options.workers} workers x {options.threads} threads)"
    print("E-Klinik webhook benchmark")
    print(f"  database        {make_url(url).render_as_string(hide_password=True)}")
    print(f"  server          {server} on 127.0.0.1")
    print(
        f"  load            {options.contacts} contacts, <= {options.messages_per_contact} messages"
        f" each, concurrency {options.concurrency}, {options.duplicate_share:.0%} duplicated,"
        f" {options.bad_requests} bad requests"
    )
    print(f"  wall time       {load.seconds:.2f} s")
    rate = len(load.exchanges) / load.seconds if load.seconds else 0.0
    good_rate = len(good) / load.seconds if load.seconds else 0.0
    total = len(load.exchanges)
    print(f"  requests        {total} ({rate:.1f}/s), good {len(good)} ({good_rate:.1f}/s)")
    print(f"  latency good    {latency_line(good)}")
    print(f"  latency twins   {latency_line(twins)}")
    print("  status codes    " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    booked = outcomes.get("booked", 0)
    retries = sum(run.slot_retries for run in load.contacts)
    print(
        f"  reservations    {booked} of {options.contacts} people booked;"
        f" {retries} times a slot was taken first"
    )
    print(
        f"  app log         {log.retries} engine retries, {log.duplicates} duplicates,"
        f" {log.errors} errors"
    )
    print(f"  peak RSS        {peak_rss_line(options.server)}")
    print("Invariants")
    for check in checks:
        print(f"  {'PASS' if check.ok else 'FAIL'}  {check.name}: {check.detail}")
    for traceback in log.tracebacks[:3]:
        print("\nFirst traceback of its kind in the app log:\n" + traceback)


# --- main ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Prepare, load, check, report; 0 when every invariant holds."""
    options = parse_options(argv)
    for name in ENV_NAMES:  # only what this script sets counts (no Twilio account: console)
        os.environ.pop(name, None)
    workdir = Path(tempfile.mkdtemp(prefix="eklinik-bench-"))
    url = options.database_url or f"sqlite:///{workdir / 'eklinik.db'}"
    log_file = workdir / "app.log"
    configure_logging(log_file)
    prepare_database(url)
    if options.server == "gunicorn":
        server = gunicorn_server(url, workdir, log_file, options.workers, options.threads)
    else:
        server = werkzeug_server(url, workdir)
    with server as base_url:
        load = run_load(base_url, options)
    log = summarise_log(log_file)
    checks = run_checks(load, read_database(url), log)
    print_report(options, url, load, log, checks)
    if options.keep:
        print(f"\nkept {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if all(check.ok for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
