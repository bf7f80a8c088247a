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
