"""Engines and transactions. SQLite gets WAL and serialised writers; PostgreSQL uses psycopg 3.

Every wait is bounded well under Twilio's 15-second webhook timeout, so a busy or locked
database ends in an error (the webhook answers 503 and the provider retries) instead of a
request that hangs until the web server kills its worker. SQL parameters (message texts,
names, phone numbers) never reach an error message or a log line.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event, exc
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.engine.url import make_url
from sqlmodel import Session

log = logging.getLogger(__name__)

READ_ONLY = "eklinik_read_only"  # execution option: a SQLite reader need not queue with writers

# Bounded waits (seconds). A webhook's worst case stays under Twilio's 15 s: the writer lock,
# then SQLite's busy handler, or PostgreSQL's lock and statement timeouts.
SQLITE_BUSY_SECONDS = 5.0
WRITER_LOCK_SECONDS = 5.0
FILE_LOCK_POLL_SECONDS = 0.004  # the longest pause between two tries of the lock file
PG_LOCK_TIMEOUT_MS = 3_000
PG_STATEMENT_TIMEOUT_MS = 8_000
PG_CONNECT_SECONDS = 5
POOL_WAIT_SECONDS = 5
HEALTH_SECONDS = 2.0

# SQLite errors after which a connection is not trusted again: it was opened read-only, lost
# its file, or hit an I/O error. The pool opens a fresh one for the next request.
_SQLITE_BROKEN = ("SQLITE_READONLY", "SQLITE_IOERR", "SQLITE_CANTOPEN", "SQLITE_NOTADB")
_SQLITE_BROKEN_TEXT = (
    "attempt to write a readonly database",
    "disk i/o error",
    "unable to open database file",
)
_OPENED_READ_ONLY = "eklinik_opened_read_only"  # connection record info: the file was read-only


class DatabaseBusy(exc.OperationalError):
    """The process-wide SQLite writer lock was not free in time (the database is too busy)."""


def is_sqlite(engine: Engine) -> bool:
    """True when the engine talks to SQLite."""
    return engine.dialect.name == "sqlite"


def _is_postgresql(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"


def upsert_insert(dialect: str, table: sa.Table) -> Any:
    """An INSERT of `table` that can take ``on_conflict_do_nothing`` on either database."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)


def make_engine(url: str) -> Engine:
    """Create an engine for `url`, creating the SQLite file's folder when needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        path = None
        if database and database != ":memory:" and not database.startswith("file:"):
            path = Path(database)
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url,
            hide_parameters=True,
            connect_args={"timeout": SQLITE_BUSY_SECONDS, "check_same_thread": False},
        )
        _configure_sqlite(engine, path)
        with _writer_locks_guard:
            _writer_locks[engine] = WriterLock(_lock_file_of(path))
        return engine
    # The timeouts are the connection's own (set when it opens, no statement per transaction).
    # No pre-ping (a round trip per request): a connection the server dropped fails its first
    # statement as a disconnect, SQLAlchemy then discards every connection of the pool opened
    # before, and the webhook answers 503 once, which the provider retries.
    engine = sa.create_engine(
        url,
        hide_parameters=True,
        pool_size=10,
        max_overflow=10,
        pool_timeout=POOL_WAIT_SECONDS,
        connect_args={
            "connect_timeout": PG_CONNECT_SECONDS,  # a down database: 503, no hang
            "options": (
                f"-c lock_timeout={PG_LOCK_TIMEOUT_MS} "
                f"-c statement_timeout={PG_STATEMENT_TIMEOUT_MS}"
            ),
        },
    )
    return engine


def is_transient(error: BaseException) -> bool:
    """True for failures worth retrying at once: deadlocks, serialisation failures, and a
    reference to a row that a concurrent transaction deleted.

    A busy SQLite ("database is locked") is not: its busy handler has already waited
    SQLITE_BUSY_SECONDS, and retrying would add that wait again and again past the provider's
    timeout. Lock and statement timeouts on PostgreSQL are not transient either: the message
    is "not stored" and the provider retries it later.
    """
    if isinstance(error, DatabaseBusy):
        return False
    original = getattr(error, "orig", None)
    sqlstate = getattr(original, "sqlstate", None)
    # serialization_failure, deadlock_detected, and foreign_key_violation: on PostgreSQL a row
    # we point at was deleted by a concurrent transaction (`eklinik forget` during a chat);
    # the next attempt reads the new state
    return sqlstate in ("40001", "40P01", "23503")


def _sqlite_connection_broken(error: BaseException | None) -> bool:
    if not isinstance(error, sqlite3.Error):
        return False
    name = getattr(error, "sqlite_errorname", "") or ""
    if name.startswith(_SQLITE_BROKEN):
        return True
    text = str(error).lower()
    return any(part in text for part in _SQLITE_BROKEN_TEXT)


def _file_writable(path: Path) -> bool:
    """Whether this process may open the database file for writing (as SQLite would try)."""
    try:
        descriptor = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return True  # SQLite creates it
    except OSError as error:
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            return False
        raise
    os.close(descriptor)
    return True


def _configure_sqlite(engine: Engine, path: Path | None) -> None:
    # pysqlite's own transaction handling defers BEGIN and cannot take the write lock up
    # front; two writers that both read first would then deadlock. We issue BEGIN IMMEDIATE
    # ourselves so writers queue on busy_timeout instead.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA secure_delete=ON")  # erased rows are overwritten, not left behind
        cursor.close()
        if path is not None and not _file_writable(path):
            record.info[_OPENED_READ_ONLY] = True

    @event.listens_for(engine, "checkout")
    def _on_checkout(_dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        # SQLite silently opens a file it may not write read-only, and the connection stays
        # so. Once the file is writable again, replace such a connection before it is used.
        if path is not None and record.info.get(_OPENED_READ_ONLY) and _file_writable(path):
            raise exc.DisconnectionError("the database file is writable again")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        read_only = connection.get_execution_options().get(READ_ONLY, False)
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> None:
        # A connection that failed to write is discarded (with the rest of the pool), so the
        # service recovers on the next request once the fault is gone, without a restart.
        if _sqlite_connection_broken(context.original_exception):
            context.is_disconnect = True


@contextlib.contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """A session whose work commits on success and rolls back on any error.

    On SQLite, writers also queue on a `WriterLock` (threads in order, processes through a
    lock file): SQLite's own busy handler lets waiters poll with growing sleeps, which
    starves some of them for seconds. The lock is waited for at most WRITER_LOCK_SECONDS
    (then DatabaseBusy). On PostgreSQL
    every connection has a lock timeout and a statement timeout (``make_engine``).
    """
    lock = _writer_lock(engine)
    if lock is not None and not lock.acquire(timeout=WRITER_LOCK_SECONDS):
        raise DatabaseBusy(
            "-- waiting for the SQLite writer lock",
            None,
            TimeoutError(f"no turn to write within {WRITER_LOCK_SECONDS:g} s"),
        )
    try:
        with Session(engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
    finally:
        if lock is not None:
            lock.release()


@contextlib.contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session for reads only: on SQLite it does not queue with writers (plain BEGIN)."""
    connection = engine.connect().execution_options(**{READ_ONLY: True})
    with connection, Session(bind=connection) as session:
        try:
            yield session
        finally:
            session.rollback()


def _bound_waits(connection: sa.Connection, lock_ms: int, statement_ms: int) -> None:
    """Other lock and statement timeouts for the rest of this PostgreSQL transaction."""
    connection.execute(
        sa.text(
            "SELECT set_config('lock_timeout', :lock, true), "
            "set_config('statement_timeout', :statement, true)"
        ),
        {"lock": f"{lock_ms}ms", "statement": f"{statement_ms}ms"},
    )


class WriterLock:
    """The turn to write to one SQLite database: first among this process's threads (in
    order), then among processes, through an advisory lock on a file beside the database.

    Without the second part, writers of different processes (two gunicorn workers, the
    scheduler) meet in SQLite's busy handler, which sleeps in growing steps of up to 100 ms
    and leaves the database idle meanwhile. The file lock is polled at most every
    FILE_LOCK_POLL_SECONDS instead. It is opened per process (a descriptor inherited over a
    fork would share the lock with the parent). Without a lock file (an in-memory database,
    a read-only folder) SQLite's own busy handler is the only queue between processes.
    """

    def __init__(self, lock_file: Path | None) -> None:
        self._threads = threading.RLock()
        self._lock_file = lock_file
        self._descriptor: int | None = None
        self._owner_pid = 0
        self._depth = 0

    def acquire(self, timeout: float) -> bool:
        """Take the turn within `timeout` seconds; False when it did not come."""
        deadline = time.monotonic() + timeout
        if not self._threads.acquire(timeout=timeout):
            return False
        if self._depth == 0 and not self._lock_between_processes(deadline):
            self._threads.release()
            return False
        self._depth += 1
        return True

    def release(self) -> None:
        """Give the turn back (the file lock with the outermost release)."""
        self._depth -= 1
        if self._depth == 0 and self._descriptor is not None:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
        self._threads.release()

    def _lock_between_processes(self, deadline: float) -> bool:
        descriptor = self._open()
        if descriptor is None:
            return True
        pause = FILE_LOCK_POLL_SECONDS / 8
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                pass
            if time.monotonic() >= deadline:
                return False
            time.sleep(pause)
            pause = min(pause * 2, FILE_LOCK_POLL_SECONDS)

    def _open(self) -> int | None:
        if self._lock_file is None:
            return None
        if self._descriptor is not None and self._owner_pid == os.getpid():
            return self._descriptor
        try:
            self._descriptor = os.open(self._lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            self._lock_file = None  # a read-only folder: SQLite's busy handler queues alone
            return None
        self._owner_pid = os.getpid()
        return self._descriptor


def _lock_file_of(database: Path | None) -> Path | None:
    return None if database is None else database.with_name(database.name + ".writer-lock")


_writer_locks: weakref.WeakKeyDictionary[Engine, WriterLock] = weakref.WeakKeyDictionary()
_writer_locks_guard = threading.Lock()


def _writer_lock(engine: Engine) -> WriterLock | None:
    if not is_sqlite(engine):
        return None
    with _writer_locks_guard:
        return _writer_locks.setdefault(engine, WriterLock(None))


def database_answers(engine: Engine) -> bool:
    """True when a trivial query succeeds."""
    try:
        with engine.connect().execution_options(**{READ_ONLY: True}) as connection:
            connection.execute(sa.text("SELECT 1"))
        return True
    except Exception:
        return False


def database_accepts_writes(engine: Engine, timeout: float = HEALTH_SECONDS) -> bool:
    """True when the database accepts a write transaction within `timeout` seconds.

    Nothing is changed: SQLite takes the write lock and rewrites its header's user_version
    with the same value, then rolls back; PostgreSQL starts a transaction that must get a
    transaction id (impossible on a read-only server), then rolls back.
    """
    try:
        if is_sqlite(engine):
            return _sqlite_write_probe(engine, timeout)
        return _postgres_write_probe(engine, timeout)
    except Exception as error:  # any failure means "not healthy", never a 500
        log.warning("health probe failed: %s", type(error).__name__)
        return False


def _sqlite_write_probe(engine: Engine, timeout: float) -> bool:
    lock = _writer_lock(engine)
    assert lock is not None
    if not lock.acquire(timeout=timeout):
        return False
    try:
        with engine.connect() as connection:
            raw: Any = connection.connection.dbapi_connection
            try:
                raw.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
                raw.execute("BEGIN IMMEDIATE")
                try:
                    version = int(raw.execute("PRAGMA user_version").fetchone()[0])
                    raw.execute(f"PRAGMA user_version={version}")
                finally:
                    raw.execute("ROLLBACK")
                raw.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
            except sqlite3.Error as error:
                if _sqlite_connection_broken(error):
                    connection.invalidate()  # do not hand this connection to a request
                else:
                    with contextlib.suppress(sqlite3.Error):
                        raw.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_SECONDS * 1000)}")
                return False
        return True
    finally:
        lock.release()


def _postgres_write_probe(engine: Engine, timeout: float) -> bool:
    milliseconds = int(timeout * 1000)
    with engine.connect() as connection:
        outer = connection.begin()
        try:
            _bound_waits(connection, milliseconds, milliseconds)
            read_only = connection.execute(
                sa.text("SELECT current_setting('transaction_read_only')")
            ).scalar_one()
            if read_only != "off":
                return False
            connection.execute(sa.text("SELECT txid_current()"))
            return True
        finally:
            outer.rollback()


def erase_leftovers(engine: Engine) -> None:
    """After an erasure, make erased text unrecoverable from the database files.

    SQLite (secure_delete is on) has overwritten the freed pages; the old page images still
    sit in the write-ahead log until a checkpoint copies the log back and truncates it.
    PostgreSQL keeps dead row versions until (auto)vacuum reclaims them (docs/OPERATIONS.md).
    """
    if not is_sqlite(engine):
        return
    lock = _writer_lock(engine)
    assert lock is not None
    if not lock.acquire(timeout=WRITER_LOCK_SECONDS):
        raise DatabaseBusy("PRAGMA wal_checkpoint", None, TimeoutError("the database is busy"))
    try:
        with engine.connect() as connection:
            raw: Any = connection.connection.dbapi_connection
            busy, _frames, _copied = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        lock.release()
    if busy:
        log.warning("the write-ahead log could not be truncated now (a reader is active)")
