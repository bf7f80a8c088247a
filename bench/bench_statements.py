"""What one WhatsApp message costs in-process: SQL statements and CPU per step of a booking.

Run (from the project root):

    .venv/bin/python bench/bench_statements.py                      # SQLite in a temp folder
    .venv/bin/python bench/bench_statements.py --db postgresql      # eklinik_hotpath_bench
    .venv/bin/python bench/bench_statements.py --profile            # + a pyinstrument profile
    .venv/bin/python bench/bench_statements.py --show-sql           # every statement, per step

A fresh migrated and seeded database; the real engine (`runtime.engine.handle`, as the
webhook calls it) on a fake clock; `--people` persons each register and book (the dialogue of
tests/booking.py), then a registered person books again. It prints, per step, the statements
(SELECT/INSERT/UPDATE/... and COMMIT) and the milliseconds; then the averages per message.
`--profile` runs the same conversations again under pyinstrument and prints the call tree
(`pip install pyinstrument`). The PostgreSQL database's `public` schema is DROPPED and
recreated.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import shutil
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import create_app  # noqa: E402
from bot.clock import FakeClock  # noqa: E402
from bot.inbound import InboundMessage  # noqa: E402
from storage.db import make_engine, transaction  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.seed import seed_clinic  # noqa: E402
from tests.booking import BOOK_AGAIN as BOOKED_AGAIN  # noqa: E402
from tests.booking import UP_TO_SUMMARY  # noqa: E402

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/eklinik_hotpath_bench"
# Monday 23 November 2026, 07:50 WIB, as the test suite: the clinic opens at 09:00.
START = dt.datetime(2026, 11, 23, 7, 50, tzinfo=dt.timezone(dt.timedelta(hours=7)))

# (step name, what the person says): a new person registers and books, then books again,
# as tests/booking.py (kept in step with the flows there), then asks for the clinic's info.
FIRST_BOOKING = tuple(
    (f"{n:2} {text[:28]}", text) for n, text in enumerate((*UP_TO_SUMMARY, "ya"), 1)
)
BOOK_AGAIN = (
    *((f"again {n:2} {text[:22]}", text) for n, text in enumerate(BOOKED_AGAIN, 1)),
    ("info", "info"),
)


class StatementLog:
    """Counts the statements an engine sends, by kind (the first word)."""

    def __init__(self, engine: sa.Engine) -> None:
        self.statements: list[str] = []
        self.commits = 0
        event.listen(engine, "before_cursor_execute", self._on_execute)
        event.listen(engine, "commit", self._on_commit)

    def _on_execute(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        self.statements.append(statement)

    def _on_commit(self, _conn: Any) -> None:
        self.commits += 1

    @contextlib.contextmanager
    def measure(self) -> Iterator[dict[str, Any]]:
        first, commits = len(self.statements), self.commits
        result: dict[str, Any] = {}
        yield result
        result["statements"] = self.statements[first:]
        result["commits"] = self.commits - commits


def kind(statement: str) -> str:
    """SELECT, INSERT, UPDATE, BEGIN, ... of a statement."""
    return statement.lstrip().split(None, 1)[0].upper() if statement.strip() else "?"


def fresh_database(db: str, folder: Path) -> str:
    """A migrated, seeded database URL."""
    if db == "postgresql":
        engine = make_engine(PG_URL)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        url = PG_URL
    else:
        url = f"sqlite:///{folder / 'eklinik.db'}"
    upgrade(url)
    engine = make_engine(url)
    with transaction(engine) as session:
        seed_clinic(session)
    engine.dispose()
    return url


class Person:
    """One WhatsApp user talking to the engine in-process, as the Twilio channel passes on."""

    numbers = itertools.count(1)

    def __init__(self, runtime: Any) -> None:
        self.runtime = runtime
        self.phone = f"+62812{next(self.numbers):07d}"

    def say(self, text: str) -> list[str]:
        self.runtime.clock.advance(seconds=5)
        inbound = InboundMessage(
            provider_sid="SM" + uuid.uuid4().hex,
            phone=self.phone,
            body=text,
            profile_name="Ibu Sari",
            channel="twilio",
        )
        replies: list[str] = self.runtime.engine.handle(inbound)
        return replies


def run(runtime: Any, log: StatementLog, people: int) -> dict[str, list[dict[str, Any]]]:
    """Every person books once, the last books again; per step, what each message cost."""
    steps: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for number in range(people):
        person = Person(runtime)
        script = FIRST_BOOKING + (BOOK_AGAIN if number == people - 1 else ())
        for name, text in script:
            with log.measure() as cost:
                began, cpu = time.perf_counter(), time.process_time()
                person.say(text)
                cost["ms"] = (time.perf_counter() - began) * 1000
                cost["cpu_ms"] = (time.process_time() - cpu) * 1000
            steps[name].append(cost)
    return steps


def report(steps: dict[str, list[dict[str, Any]]], show_sql: bool) -> None:
    total_statements = total_messages = 0
    total_ms = total_cpu = 0.0
    print(f"{'step':32} {'stmts':>5} {'commit':>6} {'ms':>7}  kinds")
    for name, costs in steps.items():
        last = costs[-1]
        kinds = Counter(kind(s) for s in last["statements"])
        ms = sorted(c["ms"] for c in costs)[len(costs) // 2]
        described = " ".join(f"{k}:{n}" for k, n in kinds.most_common())
        print(f"{name:32} {len(last['statements']):5} {last['commits']:6} {ms:7.2f}  {described}")
        if show_sql:
            for statement in last["statements"]:
                print("      ", " ".join(statement.split())[:160])
        for cost in costs:
            total_statements += len(cost["statements"])
            total_ms += cost["ms"]
            total_cpu += cost["cpu_ms"]
            total_messages += 1
    print(
        f"\n{total_messages} messages: {total_statements / total_messages:.1f} statements, "
        f"{total_cpu / total_messages:.2f} ms of CPU and {total_ms / total_messages:.2f} ms "
        "per message (median step times above)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--people", type=int, default=20)
    parser.add_argument("--profile", action="store_true", help="profile with pyinstrument")
    parser.add_argument("--show-sql", action="store_true")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="eklinik-statements-"))
    try:
        url = fresh_database(args.db, folder)
        clock = FakeClock(START)
        app = create_app(
            {
                "database_url": url,
                "clock": clock,
                "transport": "console",
                "secret_key": "bench",
                "instance_path": folder / "instance",
            }
        )
        runtime = app.extensions["eklinik"]
        log = StatementLog(runtime.db)
        run(runtime, log, 2)  # warm up: templates compiled, statements cached
        report(run(runtime, log, args.people), args.show_sql)
        if args.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.0002)
            with profiler:
                run(runtime, log, args.people)
            print(profiler.output_text(unicode=True, color=False, show_all=False))
        runtime.db.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
