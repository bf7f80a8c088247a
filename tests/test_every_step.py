"""Every step of every flow: nonsense, menu, back, cancel and help never break or trap anyone."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from bot.config import PROJECT_ROOT
from bot.flows.registry import discover
from bot.messages import LANGUAGES, MessageCatalog
from storage.models import Message
from tests.booking import BOOK_AGAIN, register_and_reserve
from tests.dialog import Dialog

# (setup after one booking, the step it reaches)
PATHS = {
    "main.menu": [],
    "language.choose": ["7"],
    "info.menu": ["5"],
    "manage.list": ["2"],
    "manage.reschedule_slot": ["3"],
    "manage.reschedule_confirm": ["3", "1"],
    "manage.cancel_reason": ["4"],
    "manage.cancel_confirm": ["4", "lewati"],
    "manage.reschedule_pick": [*BOOK_AGAIN, "3"],
    "manage.cancel_pick": [*BOOK_AGAIN, "4"],
    "reservation.confirm_profile": ["1"],
}


@pytest.mark.parametrize("step", sorted(PATHS))
@pytest.mark.parametrize(
    "message", ["hmm gimana ya", "zzz qqq", "menu", "kembali", "batal", "bantuan", "99", "🙂"]
)
def test_no_step_breaks_on_any_answer(
    client: FlaskClient, db: sa.Engine, caplog: pytest.LogCaptureFixture, step: str, message: str
) -> None:
    dialog = Dialog(client)
    register_and_reserve(dialog)
    for answer in PATHS[step]:
        dialog.say(answer)
    with db.connect() as connection:
        flow_step = connection.execute(sa.text("SELECT flow, step FROM conversations")).one()
    assert (step == "main.menu" and flow_step == (None, None)) or ".".join(flow_step) == step
    with caplog.at_level(logging.ERROR):
        reply = dialog.said(message)
    assert reply, "the bot must answer"
    assert "gangguan" not in reply
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    with db.connect() as connection:
        failed = connection.execute(
            sa.select(sa.func.count()).select_from(Message).where(Message.status == "failed")
        ).scalar_one()
    assert failed == 0
    if message == "menu":
        assert "Menu utama" in reply


SAY_LITERAL = re.compile(r'Say\(\s*f?"([a-z_.{}\[\]]+)"')


def test_every_template_named_in_a_flow_exists_in_both_languages() -> None:
    catalog = MessageCatalog(PROJECT_ROOT / "templates")
    declared = {
        key
        for flow in discover().flows.values()
        for step in flow.steps.values()
        for key in step.says
    }
    for source in (PROJECT_ROOT / "bot" / "flows").glob("*.py"):
        for key in SAY_LITERAL.findall(source.read_text()):
            if "{" in key:
                continue  # built from data (e.g. info.{item}); covered by `declared`
            for lang in LANGUAGES:
                assert catalog.exists(key, lang), f"{source.name}: {key!r} missing in {lang}"
    for key in declared:
        for lang in LANGUAGES:
            assert catalog.exists(key, lang), f"{key!r} missing in {lang}"


def test_flow_modules_only_use_declared_templates() -> None:
    """A static read of each step's handler: every Say("...") it writes is in its `says`."""
    registry = discover()
    for flow in registry.flows.values():
        for step in flow.steps.values():
            source = Path(step.handle.__code__.co_filename).read_text().splitlines()
            first = step.handle.__code__.co_firstlineno
            body = []
            for line in source[first:]:
                if line.startswith(("def ", "@flow", "# ---")):
                    break
                body.append(line)
            for key in SAY_LITERAL.findall("\n".join(body)):
                if "{" not in key:
                    assert key in step.says, f"{flow.name}.{step.name} says {key!r} undeclared"
