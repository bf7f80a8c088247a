"""`eklinik export`, `eklinik forget` and `eklinik handoff` against the test database."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from bot.cli import main
from storage.models import Contact, Handoff, Message, Reservation, SlotSeat
from tests.booking import register_and_reserve
from tests.dialog import Dialog

PHONE = "+6281234567890"


@pytest.fixture
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("EKLINIK_DATABASE_URL", database_url)
    return CliRunner()


def count(db: sa.Engine, model: type) -> int:
    with db.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(model)).scalar_one())


def test_export_gives_everything_about_one_person(dialog: Dialog, cli_env: CliRunner) -> None:
    register_and_reserve(dialog)
    Dialog(dialog.client, phone="+6289999999999").say("halo")
    result = cli_env.invoke(main, ["export", "0812-3456-7890"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["contact"]["phone"] == PHONE and data["contact"]["name"] == "Sari Wulandari"
    assert len(data["reservations"]) == 1 and data["reservations"][0]["status"] == "booked"
    assert {m["direction"] for m in data["messages"]} == {"in", "out"}
    assert all("+6289999999999" not in json.dumps(m) for m in data["messages"])


def test_forget_erases_the_person_and_frees_their_seat(
    dialog: Dialog, cli_env: CliRunner, db: sa.Engine
) -> None:
    register_and_reserve(dialog)
    other = Dialog(dialog.client, phone="+6289999999999")
    other.say("halo")
    result = cli_env.invoke(main, ["forget", PHONE, "--yes"])
    assert result.exit_code == 0, result.output
    with db.connect() as connection:
        phones = connection.execute(sa.select(Contact.phone)).scalars().all()
    assert phones == ["+6289999999999"]
    assert count(db, Reservation) == 0 and count(db, SlotSeat) == 0
    assert count(db, Message) > 0  # the other person's messages stay
    assert cli_env.invoke(main, ["forget", PHONE, "--yes"]).exit_code != 0


def test_an_unknown_or_malformed_number_is_a_clear_error(cli_env: CliRunner) -> None:
    unknown = cli_env.invoke(main, ["export", "+6280000000000"])
    assert unknown.exit_code != 0 and "no one" in unknown.output
    malformed = cli_env.invoke(main, ["forget", "abc", "--yes"])
    assert malformed.exit_code != 0 and "phone" in malformed.output


def test_handoff_list_and_resolve_give_the_chat_back_to_the_bot(
    dialog: Dialog, cli_env: CliRunner, db: sa.Engine
) -> None:
    dialog.say("halo")
    dialog.say("admin")
    assert dialog.say("halo?") == []
    listed = cli_env.invoke(main, ["handoff", "list"])
    assert PHONE in listed.output and "requested" in listed.output
    resolved = cli_env.invoke(main, ["handoff", "resolve", PHONE, "--by", "Bu Rina"])
    assert resolved.exit_code == 0, resolved.output
    with db.connect() as connection:
        assert connection.execute(sa.select(Handoff.resolved_by)).scalar_one() == "Bu Rina"
    assert "Menu utama" in dialog.said("menu")
    assert "no chat" in cli_env.invoke(main, ["handoff", "list"]).output


HOSTILE = "tolong\x1b[2J\x1b[31m merah\x9b31m\u202egnalat\x07"


def put_hostile_handoff(db: sa.Engine) -> None:
    """Stored text with terminal escape codes (a channel or an older version let them in)."""
    import datetime as dt

    now = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)
    with db.begin() as connection:
        contact_id = connection.execute(
            sa.insert(Contact).values(phone=PHONE, language="id", created_at=now)
        ).inserted_primary_key[0]
        connection.execute(
            sa.insert(Handoff).values(
                contact_id=contact_id,
                reason="requested",
                status="pending",
                last_user_text=HOSTILE,
                opened_at=now,
            )
        )
        connection.execute(
            sa.insert(Message).values(
                contact_id=contact_id,
                direction="in",
                channel="whatsapp",
                body=HOSTILE,
                status="held_for_human",
                attempts=0,
                created_at=now,
                updated_at=now,
            )
        )


def no_raw_controls(text: str) -> bool:
    import unicodedata

    return not any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n" for ch in text)


def test_terminal_escape_codes_are_shown_escaped_in_cli_output(
    cli_env: CliRunner, db: sa.Engine
) -> None:
    put_hostile_handoff(db)
    listed = cli_env.invoke(main, ["handoff", "list"])
    assert listed.exit_code == 0, listed.output
    assert no_raw_controls(listed.output)
    assert "\\x1b[2J" in listed.output and "\\u202e" in listed.output
    exported = cli_env.invoke(main, ["export", PHONE])
    assert exported.exit_code == 0, exported.output
    assert no_raw_controls(exported.output)
    assert json.loads(exported.output)["messages"][0]["body"] == HOSTILE  # still exact JSON


def test_for_terminal_escapes_every_control_and_keeps_text() -> None:
    from bot.terminal import for_terminal

    assert for_terminal("Halo Bu Sari 👋") == "Halo Bu Sari 👋"
    assert for_terminal("a\x1b[31mb\x9bc\u202ed\x00") == "a\\x1b[31mb\\x9bc\\u202ed\\x00"
    assert for_terminal("satu\ndua", keep_newlines=True) == "satu\ndua"
    assert for_terminal("satu\ndua") == "satu\\x0adua"
