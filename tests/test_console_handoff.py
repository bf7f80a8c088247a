"""The handoff service the engine, the console and `eklinik handoff` share."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from flask import Flask

from bot.cli import main
from bot.clock import FakeClock
from bot.services import handoff
from storage.db import transaction
from storage.models import Contact, Handoff, Message
from tests.test_console_pages import PHONE, WebhookChat


def _contact(db: sa.Engine, clock: FakeClock) -> Contact:
    with transaction(db) as session:
        contact = Contact(phone=PHONE, name="Sari", language="en", created_at=clock.now())
        session.add(contact)
        return contact


def test_escalate_is_pending_once_and_counts_unread(db: sa.Engine, clock: FakeClock) -> None:
    contact = _contact(db, clock)
    with transaction(db) as session:
        first = handoff.escalate(
            session, contact, reason="requested", text="tolong", now=clock.now()
        )
        again = handoff.escalate(session, contact, reason="requested", text="halo", now=clock.now())
        assert again.id == first.id and first.status == "pending" and first.unread == 1
        handoff.note_message(first, "halo??", clock.now())
        assert first.unread == 2 and first.last_user_text == "halo??"
        assert handoff.open_handoff(session, contact) is first
        handoff.take(first, 7, clock.now())
        assert first.status == "open" and first.assigned_to_id == 7
        assert handoff.open_handoff(session, contact) is first
        handoff.mark_read(first)
        assert first.unread == 0


def test_hand_back_to_bot_resolves_silently(db: sa.Engine, clock: FakeClock) -> None:
    contact = _contact(db, clock)
    with transaction(db) as session:
        case = handoff.escalate(session, contact, reason="requested", text=None, now=clock.now())
        handoff.hand_back_to_bot(session, case, clock.now())
        assert handoff.open_handoff(session, contact) is None
    with db.connect() as connection:
        assert connection.execute(sa.select(Handoff.resolved_by)).scalar_one() == "bot"
        assert connection.execute(sa.select(sa.func.count()).select_from(Message)).scalar_one() == 0


def test_resolve_tells_the_person_in_their_language_once(
    app: Flask, db: sa.Engine, clock: FakeClock
) -> None:
    contact = _contact(db, clock)
    catalog = app.extensions["eklinik"].catalog
    with transaction(db) as session:
        case = handoff.escalate(session, contact, reason="requested", text=None, now=clock.now())
    for _ in range(2):
        with transaction(db) as session:
            found = session.get(Handoff, case.id)
            assert found is not None
            handoff.resolve(found, by="rina", now=clock.now(), catalog=catalog)
    with db.connect() as connection:
        bodies = connection.execute(sa.select(Message.body)).scalars().all()
    assert len(bodies) == 1 and "automatic assistant is back" in bodies[0] and "Sari" in bodies[0]


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("EKLINIK_DATABASE_URL", database_url)
    return CliRunner()


def test_eklinik_handoff_resolve_also_tells_the_person(
    client: object, cli: CliRunner, db: sa.Engine
) -> None:
    chat = WebhookChat(client)  # type: ignore[arg-type]
    chat.say("halo")
    chat.say("mau bicara dengan petugas")
    listed = cli.invoke(main, ["handoff", "list"])
    assert PHONE in listed.output
    assert cli.invoke(main, ["handoff", "resolve", PHONE, "--by", "Bu Rina"]).exit_code == 0
    with db.connect() as connection:
        keys = (
            connection.execute(sa.select(Message.template_key).where(Message.status == "pending"))
            .scalars()
            .all()
        )
    assert keys == ["console.handback"]


def test_admins_are_alerted_on_whatsapp_when_the_setting_is_on(
    app: Flask, client: object, db: sa.Engine
) -> None:
    from bot.services import console_settings

    with transaction(db) as session:
        console_settings.put(session, "notify_admins", True)
        console_settings.put(session, "notify_numbers", ["+6281399990000"])
    chat = WebhookChat(client)  # type: ignore[arg-type]
    chat.say("halo")
    chat.say("mau bicara dengan petugas")
    chat.say("halo??")
    with db.connect() as connection:
        rows = connection.execute(
            sa.select(Contact.phone, Message.template_key)
            .join(Contact, Contact.id == Message.contact_id)
            .where(Message.template_key == "console.new_escalation")
        ).all()
    assert [tuple(r) for r in rows] == [("+6281399990000", "console.new_escalation")]
