"""Load benchmark of the WhatsApp webhook under gunicorn, against a bare Flask endpoint.

Run (from the project root; needs gunicorn, `pip install -e '.[prod]'`, and Debian's `wrk`):

    .venv/bin/python bench/bench_load.py --db sqlite --connections 16 64
    .venv/bin/python bench/bench_load.py --db postgresql --connections 16 64

What it does, all on 127.0.0.1, bounded in time (`--seconds` per load run, default 15):

1. A fresh database: a SQLite file in a temporary folder, or the PostgreSQL database
   `--pg-url` (default eklinik_hotpath_bench, whose `public` schema is DROPPED and recreated),
   migrated (`upgrade heads`) and seeded, as `eklinik db upgrade` does.
2. Correctly signed, realistic Twilio WhatsApp webhooks: `--senders` people, each walking the
   reservation dialogue of tests/booking.py (greeting, menu, registration, clinic, topic,
   problem, mode, slot, confirmation, then the clinic's info), each message with its own
   MessageSid. The messages are interleaved across people, so each person's messages arrive
   in order and one at a time.
3. For each connection count: the real app as the README deploys it
   (`gunicorn -w 2 wsgi:app`, the settings in the environment, the system clock), loaded by
   `wrk` (one thread, so it takes little CPU) with those requests, each sent once; then
   a bare Flask endpoint (bench/bare_app.py: parse the form, fixed TwiML) served and loaded
   the same way with the same requests.
4. Prints requests/s, p50, p99, errors and non-2xx answers, the workers' resident memory
   after the load, and ours / bare. Then checks the database: every MessageSid the load sent
   (and was answered) is stored exactly once, with a reply. Exit status 1 on a failed check.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage.db import make_engine, transaction  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.seed import seed_clinic  # noqa: E402
from tests.booking import UP_TO_SUMMARY  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/eklinik_hotpath_bench"
PUBLIC_URL = "https://eklinik.bench.invalid"
AUTH_TOKEN = "bench-auth-token-0123456789abcdef"
WEBHOOK = "/webhooks/twilio"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LUA = Path(__file__).with_name("load.lua")

# One person's dialogue: tests/booking.py's new person up to the summary, "ya", then the
# clinic's info.
DIALOGUE = (*UP_TO_SUMMARY, "ya", "info")


def signature(url: str, params: dict[str, str]) -> str:
    """Twilio's X-Twilio-Signature: HMAC-SHA1 of the URL and the sorted form fields."""
    data = url + "".join(key + params[key] for key in sorted(params))
    digest = hmac.new(AUTH_TOKEN.encode(), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def whatsapp_form(phone: str, body: str, sid: str) -> dict[str, str]:
    """A Twilio WhatsApp webhook's fields, as Twilio sends them."""
    return {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": "Ibu Sari",
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


def write_requests(path: Path, senders: int, first_number: int) -> list[str]:
    """Signed requests, one per line, interleaved across people; the MessageSids in order."""
    sids = []
    with path.open("w") as out:
        for body in DIALOGUE:
            for person in range(senders):
                phone = f"+62813{first_number + person:07d}"
                sid = "SM" + uuid.uuid4().hex
                form = whatsapp_form(phone, body, sid)
                out.write(f"{signature(PUBLIC_URL + WEBHOOK, form)}\t{urlencode(form)}\n")
                sids.append(sid)
    return sids


def fresh_database(db: str, folder: Path, pg_url: str) -> str:
    if db == "postgresql":
        engine = make_engine(pg_url)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        url = pg_url
    else:
        url = f"sqlite:///{folder / 'eklinik.db'}"
    upgrade(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        seed_clinic(session)
    engine.dispose()
    return url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each gunicorn worker (the master's children)."""
        children = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.split()
        sizes = []
        for pid in children:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    sizes.append(int(line.split()[1]) / 1024)
        return sizes

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def serve(app: str, env: dict[str, str], workers: int, log: Path, root: Path = ROOT) -> Server:
    """gunicorn -w N APP on 127.0.0.1 from `root`, as the README's deployment section runs
    it."""
    port = free_port()
    env = {**env, "PYTHONPATH": str(root)}
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--backlog",
            "2048",
            "--timeout",
            "60",
            app,
        ],
        cwd=root,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{app} did not start; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.2)
    server = Server(process, port)
    while len(server.worker_rss_mb()) < workers and time.monotonic() < deadline:
        time.sleep(0.2)
    # each worker builds the app after it forked: wait until the answers come quickly
    answered = 0
    while answered < 10 * workers and time.monotonic() < deadline:
        try:
            began = time.monotonic()
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as answer:
                answer.read()
            answered += time.monotonic() - began < 0.5
        except OSError:
            time.sleep(0.2)
    if process.poll() is not None or answered < 10 * workers:
        raise SystemExit(f"{app} did not start:\n" + log.read_text()[-3000:])
    return server


def load(port: int, path: Path, connections: int, seconds: int) -> dict[str, float]:
    """wrk, one thread, `connections` connections, for `seconds`; its JSON summary."""
    result = subprocess.run(
        [
            "wrk",
            "-t",
            "1",
            "-c",
            str(connections),
            "-d",
            f"{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            f"http://127.0.0.1:{port}{WEBHOOK}",
            "--",
            str(path),
            "1",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    )
    line = [x for x in result.stdout.splitlines() if x.startswith("{")][-1]
    summary: dict[str, float] = json.loads(line)
    summary["rps"] = summary["requests"] / (summary["duration_us"] / 1e6)
    summary["errors"] = (
        sum(summary[k] for k in ("connect_errors", "read_errors", "write_errors", "timeouts"))
        + summary["non2xx"]
    )
    return summary


def check_stored(url: str, sids: list[str], answered: int, earlier: set[str]) -> list[str]:
    """Every answered MessageSid stored exactly once, with a reply; failures described."""
    engine = make_engine(url)
    failures = []
    with engine.connect() as connection:
        stored = dict(
            connection.execute(
                sa.text(
                    "SELECT provider_sid, count(*) FROM messages WHERE direction = 'in' "
                    "GROUP BY provider_sid"
                )
            ).all()
        )
        replied = {
            row[0]
            for row in connection.execute(
                sa.text(
                    "SELECT m.provider_sid FROM messages m JOIN messages r "
                    "ON r.reply_to_id = m.id WHERE m.direction = 'in'"
                )
            )
        }
    engine.dispose()
    sent = set(sids)
    twice = [sid for sid, n in stored.items() if n != 1]
    unknown = [sid for sid in stored if sid not in sent and sid not in earlier]
    # wrk answers in any order, and stops with up to `connections` requests in flight: all
    # but those last ones must be stored
    missing = [sid for sid in sids[: max(answered - 64, 0)] if sid not in stored]
    silent = [sid for sid in sids[: max(answered - 64, 0)] if sid not in replied]
    if twice:
        failures.append(f"{len(twice)} MessageSids stored more than once")
    if unknown:
        failures.append(f"{len(unknown)} stored MessageSids were never sent")
    if missing:
        where = sorted(sids.index(sid) for sid in missing)[:5]
        failures.append(
            f"{len(missing)} answered MessageSids not stored (positions {where} of {answered})"
        )
    if silent:
        failures.append(f"{len(silent)} stored messages without a reply")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--connections", type=int, nargs="+", default=[16, 64])
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--senders", type=int, default=2500)
    parser.add_argument(
        "--app-root",
        type=Path,
        default=ROOT,
        help="serve wsgi:app from another copy of the project (a before/after comparison)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    if not GUNICORN.exists():
        raise SystemExit("gunicorn is missing: .venv/bin/pip install -e '.[prod]'")

    load_at_start = os.getloadavg()[0]  # other work on the machine skews every figure
    folder = Path(tempfile.mkdtemp(prefix="eklinik-load-"))
    failures: list[str] = []
    rows = []
    sent_before: set[str] = set()
    try:
        url = fresh_database(args.db, folder, args.pg_url)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("EKLINIK_", "TWILIO_"))},
            "EKLINIK_DATABASE_URL": url,
            "EKLINIK_SECRET_KEY": "bench-secret-key",
            "EKLINIK_PUBLIC_URL": PUBLIC_URL,
            "EKLINIK_INSTANCE_PATH": str(folder / "instance"),
            "EKLINIK_TRANSPORT": "console",
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        }
        for number, connections in enumerate(args.connections):
            path = folder / f"requests-{connections}.txt"
            sids = write_requests(path, args.senders, number * args.senders)
            log = folder / "gunicorn.log"
            ours = serve("wsgi:app", env, args.workers, log, args.app_root)
            try:
                mine = load(ours.port, path, connections, args.seconds)
                time.sleep(1)  # the requests still in flight when wrk stopped
                mine["rss"] = max(ours.worker_rss_mb())
            finally:
                ours.stop()
            failures += [
                f"{connections} connections: {f}"
                for f in check_stored(url, sids, int(mine["requests"]), sent_before)
            ]
            sent_before.update(sids)
            if mine["issued"] >= len(sids):
                failures.append(f"{connections} connections: ran out of requests (more --senders)")
            bare_server = serve("bench.bare_app:app", env, args.workers, log)
            try:
                bare = load(bare_server.port, path, connections, args.seconds)
                bare["rss"] = max(bare_server.worker_rss_mb())
            finally:
                bare_server.stop()
            rows.append((connections, mine, bare))
            if mine["errors"] or bare["errors"]:
                failures.append(f"{connections} connections: errors or non-2xx answers")
        print(
            f"\n{args.db}, gunicorn -w {args.workers}, {args.seconds} s per run, "
            f"{args.senders} senders, wrk -t 1, app from {args.app_root}, "
            f"machine load average {load_at_start:.1f} at the start"
        )
        print(
            f"{'conns':>5} {'server':>6} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
            f"{'errors':>6} {'RSS MB':>7}  ours/bare"
        )
        for connections, mine, bare in rows:
            for name, run in (("ours", mine), ("bare", bare)):
                ratio = f"{mine['rps'] / bare['rps']:.2f}" if name == "ours" else ""
                print(
                    f"{connections:5} {name:>6} {run['rps']:8.0f} {run['p50_us'] / 1000:7.1f} "
                    f"{run['p99_us'] / 1000:7.1f} {run['errors']:6.0f} {run['rss']:7.1f}  "
                    f"{ratio}"
                )
        for failure in failures:
            print("FAIL", failure)
        if not failures:
            print("OK: every answered MessageSid stored exactly once, with its reply")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
