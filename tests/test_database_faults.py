"""Faults of the database: a SQLite file that could not be written recovers without a restart,
/healthz proves the write path, and every wait is bounded (503 so the provider retries)."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask

from storage import db as storage_db
from storage.db import make_engine, transaction
from storage.models import Message
from tests.conftest import PG_URL
from tests.dialog import post_signed, whatsapp_form

PHONE = "+6281234567890"
sqlite_only = pytest.mark.skipif(bool(PG_URL), reason="a SQLite file fault")
postgres_only = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only")
READ_ONLY_DEFAULT = "default_transaction_read_only"


def inbound_count(db: sa.Engine) -> int:
    with db.connect() as connection:
        return int(
            connection.execute(
                sa.select(sa.func.count()).select_from(Message).where(Message.direction == "in")
            ).scalar_one()
        )


@contextlib.contextmanager
def read_only_files(paths: list[Path]) -> Iterator[None]:
    """Make the database files unwritable for this process, then writable again.

    As root, permission bits do not stop a write: the files are made immutable instead
    (chattr +i; skipped where the file system does not support it)."""
    paths = [p for p in paths if p.exists()]
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in paths}
        for p in paths:
            p.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        try:
            yield
        finally:
            for p, mode in modes.items():
                p.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("chattr is not installed")
    done = subprocess.run(["chattr", "+i", *map(str, paths)], capture_output=True, check=False)
    if done.returncode != 0:
        subprocess.run(["chattr", "-i", *map(str, paths)], capture_output=True, check=False)
        pytest.skip(f"cannot make files immutable here: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", *map(str, paths)], check=True)


def sqlite_files(url: str) -> list[Path]:
    database = Path(sa.make_url(url).database or "")
    return [database, Path(f"{database}-wal"), Path(f"{database}-shm")]


@sqlite_only
def test_sqlite_recovers_after_the_file_was_read_only_and_health_tells(
    app: Flask, db: sa.Engine, database_url: str
) -> None:
    client = app.test_client()
    assert post_signed(client, whatsapp_form(PHONE, "halo")).status_code == 200
    assert client.get("/healthz").status_code == 200
    db.dispose()  # the connections below are opened while the file cannot be written

    with read_only_files(sqlite_files(database_url)):
        with db.connect() as connection:  # a reader opens (and pools) a read-only connection
            assert connection.execute(sa.text("SELECT count(*) FROM contacts")).scalar_one() == 1
        health = client.get("/healthz")
        assert health.status_code == 503 and health.get_json()["status"] == "unavailable"
        assert post_signed(client, whatsapp_form(PHONE, "menu")).status_code == 503

    # writable again: the very next message and health check succeed, without a restart
    response = post_signed(client, whatsapp_form(PHONE, "info"))
    assert response.status_code == 200, response.data
    assert client.get("/healthz").get_json()["status"] == "ok"
    assert inbound_count(db) == 2


@sqlite_only
def test_a_connection_that_failed_a_write_is_not_reused(database_url: str) -> None:
    engine = make_engine(database_url)
    with read_only_files(sqlite_files(database_url)):
        with engine.connect() as connection:
            failed = connection.connection.dbapi_connection
        with pytest.raises(sa.exc.OperationalError), transaction(engine) as session:
            session.execute(sa.text("UPDATE services SET position = position"))
    with transaction(engine) as session:
        session.execute(sa.text("UPDATE services SET position = position"))
        assert session.connection().connection.dbapi_connection is not failed
    engine.dispose()


@sqlite_only
def test_health_is_503_when_the_write_lock_is_not_free_in_time(
    app: Flask, database_url: str
) -> None:
    """Another process holds SQLite's write lock: health answers 503 within its short timeout."""
    with holding_write_lock(database_url) as released:
        response = app.test_client().get("/healthz")
        assert not released.is_set()
    assert response.status_code == 503
    assert app.test_client().get("/healthz").status_code == 200


@postgres_only
def test_health_is_503_when_postgresql_only_reads(app: Flask, db: sa.Engine) -> None:
    """A server that answers queries but refuses writes (a standby, a read-only database)."""
    name = db.url.database
    with db.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(
            sa.text(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
        )
    db.dispose()
    try:
        response = app.test_client().get("/healthz")
    finally:
        with db.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(sa.text("SET default_transaction_read_only = off"))
            connection.execute(
                sa.text(f'ALTER DATABASE "{name}" RESET default_transaction_read_only')
            )
        db.dispose()
    assert response.status_code == 503
    assert app.test_client().get("/healthz").status_code == 200


@contextlib.contextmanager
def holding_write_lock(url: str, at_most: float = 60.0) -> Iterator[threading.Event]:
    """Another process (its own engine) writes and keeps its transaction open, until the
    block ends or `at_most` seconds passed; the event is set once it let go."""
    other = make_engine(url)
    connection = other.connect()
    transaction_ = connection.begin()
    if other.dialect.name == "postgresql":
        connection.execute(sa.text("LOCK TABLE services, contacts, messages IN EXCLUSIVE MODE"))
    else:
        connection.execute(sa.text("UPDATE services SET position = position"))
    released = threading.Event()
    guard = threading.Lock()

    def release() -> None:
        with guard:
            if not released.is_set():
                transaction_.rollback()
                connection.close()
                released.set()

    timer = threading.Timer(at_most, release)
    timer.start()
    try:
        yield released
    finally:
        timer.cancel()
        release()
        other.dispose()


def test_a_locked_database_answers_503_while_the_lock_is_held(
    app: Flask, database_url: str, db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lock held by another process: the webhook gives up with 503 (the provider retries)
    instead of waiting for it until the web server kills the request; the retry is stored."""
    monkeypatch.setattr(storage_db, "SQLITE_BUSY_SECONDS", 1.0)
    monkeypatch.setattr(storage_db, "PG_LOCK_TIMEOUT_MS", 1000)
    db.dispose()
    client = app.test_client()
    form = whatsapp_form(PHONE, "halo")
    with holding_write_lock(database_url, at_most=40.0) as released:
        response = post_signed(client, form)
        answered_while_locked = not released.is_set()
    assert response.status_code == 503
    assert answered_while_locked  # not after the other process let go
    assert inbound_count(db) == 0
    assert post_signed(client, form).status_code == 200  # the provider's retry
    assert inbound_count(db) == 1


@sqlite_only
def test_the_writer_lock_of_a_process_is_not_waited_for_forever(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(storage_db, "WRITER_LOCK_SECONDS", 0.2)
    engine = make_engine(database_url)
    holding = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with transaction(engine):
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    holding.wait(10)
    try:
        with pytest.raises(storage_db.DatabaseBusy), transaction(engine):
            pass
    finally:
        release.set()
        thread.join()
    assert not storage_db.is_transient(storage_db.DatabaseBusy("x", None, TimeoutError()))
    engine.dispose()


HOLD_IN_ANOTHER_PROCESS = """
import sys
from storage.db import make_engine, transaction
with transaction(make_engine(sys.argv[1])) as session:
    session.connection()
    print("holding", flush=True)
    sys.stdin.readline()
"""


@sqlite_only
def test_writers_of_two_processes_queue_on_the_lock_file(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second process's writer waits for the first on the lock file beside the database
    (not in SQLite's busy handler), and gets its turn as soon as the first lets go."""
    monkeypatch.setattr(storage_db, "WRITER_LOCK_SECONDS", 0.3)
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD_IN_ANOTHER_PROCESS, database_url],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    engine = make_engine(database_url)
    try:
        assert other.stdout is not None and other.stdout.readline().strip() == "holding"
        with pytest.raises(storage_db.DatabaseBusy), transaction(engine):
            pass  # the turn did not come: our lock said so, SQLite was never asked
        assert other.stdin is not None
        other.stdin.write("\n")
        other.stdin.flush()
        assert other.wait(10) == 0
        with transaction(engine) as session:
            session.execute(sa.text("UPDATE services SET position = position"))
    finally:
        other.kill()
        engine.dispose()
    lock_file = Path(database_url.removeprefix("sqlite:///") + ".writer-lock")
    assert lock_file.exists()


@postgres_only
def test_every_postgresql_connection_has_lock_and_statement_timeouts(db: sa.Engine) -> None:
    with transaction(db) as session:
        lock = session.execute(sa.text("SHOW lock_timeout")).scalar_one()
        statement = session.execute(sa.text("SHOW statement_timeout")).scalar_one()
    assert lock == f"{storage_db.PG_LOCK_TIMEOUT_MS // 1000}s"
    assert statement == f"{storage_db.PG_STATEMENT_TIMEOUT_MS // 1000}s"
    with db.connect() as connection:  # outside a service transaction too (console, reports)
        assert connection.execute(sa.text("SHOW lock_timeout")).scalar_one() == lock


def test_sqlite_waits_a_few_seconds_at_most(database_url: str) -> None:
    if PG_URL:
        pytest.skip("SQLite's busy timeout")
    engine = make_engine(database_url)
    with engine.connect() as connection:
        busy = connection.exec_driver_sql("PRAGMA busy_timeout").scalar_one()
    engine.dispose()
    assert 1000 <= busy <= 5000


def test_no_engine_puts_sql_parameters_in_its_errors(database_url: str) -> None:
    engine = make_engine(database_url)
    secret = "Ibu Rahasia +6281299998888"
    with pytest.raises(sa.exc.DBAPIError) as raised, engine.begin() as connection:
        connection.execute(sa.text("INSERT INTO no_such_table (x) VALUES (:x)"), {"x": secret})
    engine.dispose()
    assert "Rahasia" not in str(raised.value) and "99998888" not in str(raised.value)
