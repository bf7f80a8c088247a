"""`eklinik forget` in a live system: tombstones stop replays, a chat in progress does not
break the erasure, a failure is a clear message, and erased text leaves the SQLite files."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result
from sqlmodel import Session

from bot.cli import main
from storage import db as storage_db
from storage.db import make_engine
from storage.models import Contact, ErasedMessage, Message
from tests.conftest import PG_URL
from tests.dialog import Dialog, post_signed, whatsapp_form

PHONE = "+6281234567890"
MARKER = "Koperasi Zebra Rahasia"  # a text only this person wrote
postgres_only = pytest.mark.skipif(not PG_URL, reason="row locks of PostgreSQL")


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("EKLINIK_DATABASE_URL", database_url)
    return CliRunner()


def forget(cli: CliRunner) -> Result:
    return cli.invoke(main, ["forget", PHONE, "--yes"])


def scalar(db: sa.Engine, query: sa.Select[tuple[int]]) -> int:
    with db.connect() as connection:
        return int(connection.execute(query).scalar_one())


def stored_messages(db: sa.Engine) -> int:
    return scalar(db, sa.select(sa.func.count()).select_from(Message))


def contacts(db: sa.Engine) -> int:
    return scalar(db, sa.select(sa.func.count()).select_from(Contact))


def test_a_replay_after_forget_stores_nothing(
    dialog: Dialog, cli: CliRunner, db: sa.Engine
) -> None:
    """The person's messages leave tombstones (their ids only); a signed webhook replayed
    after the erasure brings nothing back. (Refusing a tombstoned id is the engine's part.)"""
    forms = [whatsapp_form(PHONE, text) for text in ("halo", MARKER, "info")]
    for form in forms:
        assert post_signed(dialog.client, form).status_code == 200
    result = forget(cli)
    assert result.exit_code == 0, result.output
    with db.connect() as connection:
        tombstones = set(connection.execute(sa.select(ErasedMessage.provider_sid)).scalars())
    assert {form["MessageSid"] for form in forms} <= tombstones

    for form in forms:
        replay = post_signed(dialog.client, form)
        assert replay.status_code == 200
    assert contacts(db) == 0 and stored_messages(db) == 0


def test_forget_twice_after_a_replay_keeps_one_tombstone(
    dialog: Dialog, cli: CliRunner, db: sa.Engine
) -> None:
    form = whatsapp_form(PHONE, "halo")
    post_signed(dialog.client, form)
    assert forget(cli).exit_code == 0
    dialog.say("halo lagi")  # a new message (new id) after the erasure: a new contact
    assert forget(cli).exit_code == 0
    assert scalar(db, sa.select(sa.func.count()).select_from(ErasedMessage)) >= 2


def test_replies_linked_to_their_message_are_erased_with_it(
    dialog: Dialog, cli: CliRunner, db: sa.Engine
) -> None:
    dialog.say("halo")
    dialog.say("info")
    with db.connect() as connection:
        linked = connection.execute(
            sa.select(sa.func.count()).select_from(Message).where(Message.reply_to_id.is_not(None))
        ).scalar_one()
    result = forget(cli)
    assert result.exit_code == 0, result.output
    assert stored_messages(db) == 0
    assert linked > 0  # replies point at the message they answer: erased (or unlinked) first


@postgres_only
def test_forget_during_a_chat_waits_for_it_and_erases_its_message(
    dialog: Dialog, cli: CliRunner, db: sa.Engine
) -> None:
    """A message of the person is being stored while `forget` runs (its transaction is still
    open): the erasure waits for it and erases that message too, no ForeignKeyViolation."""
    dialog.say("halo")
    with db.connect() as connection:
        contact_id = connection.execute(sa.select(Contact.id)).scalar_one()
    chat = make_engine(database_url_of(db))
    with chat.connect() as connection, connection.begin() as in_flight:
        session = Session(bind=connection)
        now = dialog.client.application.extensions["eklinik"].clock.now()
        session.add(
            Message(
                contact_id=contact_id,
                direction="in",
                body=MARKER,
                status="received",
                provider_sid="SMinflight",
                created_at=now,
                updated_at=now,
            )
        )
        session.flush()
        outcome: list[Result] = []
        runner = threading.Thread(target=lambda: outcome.append(forget(cli)))
        runner.start()
        wait_until_blocked(db)
        in_flight.commit()
    runner.join(30)
    chat.dispose()
    [result] = outcome
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert contacts(db) == 0 and stored_messages(db) == 0


def database_url_of(db: sa.Engine) -> str:
    return db.url.render_as_string(hide_password=False)


def wait_until_blocked(db: sa.Engine) -> None:
    """Until another session of this database waits for a lock (the erasure)."""
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND wait_event_type = 'Lock'"
    )
    for _ in range(600):
        with db.connect() as connection:
            if connection.execute(query).scalar_one():
                return
        time.sleep(0.05)
    raise AssertionError("the erasure never waited for the chat's lock")


def test_forget_that_cannot_get_its_turn_says_so_clearly(
    dialog: Dialog, cli: CliRunner, db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The person's chat holds its lock far too long: a clear message, nothing erased."""
    dialog.say("halo")
    monkeypatch.setattr(storage_db, "SQLITE_BUSY_SECONDS", 0.3)
    monkeypatch.setattr(storage_db, "PG_LOCK_TIMEOUT_MS", 300)
    other = make_engine(database_url_of(db))
    with other.connect() as connection, connection.begin():
        if PG_URL:
            connection.execute(sa.text("SELECT id FROM contacts FOR UPDATE"))
        else:
            connection.execute(sa.text("UPDATE contacts SET language = language"))
        result = forget(cli)
    other.dispose()
    assert result.exit_code == 1
    assert "could not erase" in result.output and "Nothing was erased" in result.output
    assert "Traceback" not in result.output
    assert contacts(db) == 1


@pytest.mark.skipif(bool(PG_URL), reason="the SQLite file and its write-ahead log")
def test_erased_text_is_gone_from_the_sqlite_files(
    dialog: Dialog, cli: CliRunner, db: sa.Engine, database_url: str
) -> None:
    dialog.say("halo")
    dialog.say("admin")
    dialog.say(MARKER)  # held for a human: stored in the message and the handoff
    path = Path(sa.make_url(database_url).database or "")
    files = [path, Path(f"{path}-wal")]
    assert any(MARKER.encode() in f.read_bytes() for f in files if f.exists())
    result = forget(cli)
    assert result.exit_code == 0, result.output
    for f in files:
        if f.exists():
            data = f.read_bytes()
            assert MARKER.encode() not in data, f.name
            assert PHONE.encode() not in data, f.name
