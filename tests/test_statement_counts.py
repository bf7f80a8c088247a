"""What one message costs in SQL statements, per common step: a change that adds queries to
the per-message path fails here, loudly, on SQLite and PostgreSQL alike.

Counted: every statement the engine sends through the app's database engine, except the
transaction's own frame (BEGIN, COMMIT), which is
counted apart: one commit per message. Targets (issue 11): an ordinary message at most 5
statements, a booking confirmation at most 10.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import event

from bot.clock import FakeClock
from bot.services import reference
from storage.conversations import INBOUND_TIME_STEP
from storage.db import transaction
from tests.booking import UP_TO_SUMMARY, walk
from tests.dialog import Dialog

# Budgets (statements besides the transaction's frame), as measured on both databases.
NEW_PERSON = 8  # the contact and the conversation are created first
ORDINARY = 5  # the target: a greeting, a menu choice, a registration answer, a slot pick
SLOT_OFFER = 6  # the free slots shown: the person's own reservations and the seats taken
CONFIRMATION = 10  # the target
FRAME = ("BEGIN", "COMMIT", "ROLLBACK", "RELEASE SAVEPOINT")


class Counter:
    """The statements an engine sends, and its commits."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self.statements: list[str] = []
        self.commits = 0

    def on_execute(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.statements.append(" ".join(statement.split()))

    def on_commit(self, _conn: Any) -> None:
        self.commits += 1

    def cost(self, dialog: Dialog, text: str) -> tuple[list[str], int]:
        """The statements (frame excluded) and commits of one message."""
        first, commits = len(self.statements), self.commits
        dialog.say(text)
        sent = self.statements[first:]
        return [s for s in sent if not _frame(s)], self.commits - commits


def _frame(statement: str) -> bool:
    return statement.upper().startswith(FRAME) or "set_config('lock_timeout'" in statement


@pytest.fixture
def counter(db: sa.Engine) -> Iterator[Counter]:
    with transaction(db) as session:  # the process has read the reference data once
        reference.snapshot(session)
    counting = Counter(db)
    event.listen(db, "before_cursor_execute", counting.on_execute)
    event.listen(db, "commit", counting.on_commit)
    yield counting
    event.remove(db, "before_cursor_execute", counting.on_execute)
    event.remove(db, "commit", counting.on_commit)


def _assert_within(step: str, budget: int, statements: list[str], commits: int) -> None:
    listing = "\n".join(f"  {s[:140]}" for s in statements)
    assert len(statements) <= budget, (
        f"{step}: {len(statements)} statements, budget {budget}:\n{listing}"
    )
    assert commits == 1, f"{step}: {commits} commits"


def test_a_booking_costs_its_budget_of_statements_step_by_step(
    dialog: Dialog, counter: Counter
) -> None:
    offer = UP_TO_SUMMARY.index("online")  # the way of meeting, answered with the slot list
    for number, text in enumerate(UP_TO_SUMMARY):
        statements, commits = counter.cost(dialog, text)
        budget = NEW_PERSON if number == 0 else SLOT_OFFER if number == offer else ORDINARY
        _assert_within(f"message {number + 1} ({text!r})", budget, statements, commits)
    statements, commits = counter.cost(dialog, "ya")
    _assert_within("the booking confirmation", CONFIRMATION, statements, commits)
    assert "EK-" in "\n".join(dialog.history[-1][1])


def test_an_ordinary_message_reads_and_writes_each_row_once(
    dialog: Dialog, counter: Counter
) -> None:
    walk(dialog, "halo")
    statements, commits = counter.cost(dialog, "halo")
    _assert_within("a greeting", ORDINARY, statements, commits)
    text = "\n".join(statements)
    # one statement loads contact, conversation, reference version and the redelivery check
    assert sum(s.startswith("SELECT contacts.") for s in statements) == 1, text
    # (PostgreSQL writes the state, the message and the replies in one statement)
    assert text.count("UPDATE conversations") == 1, text
    assert "UPDATE contacts" not in text, text  # the inbound time moved too little to write
    assert text.count("INSERT INTO messages") == 2, text  # the message, the replies
    assert not any("reference_version" in s for s in statements[1:]), text
    assert not any(s.startswith("SAVEPOINT") for s in statements), text
    assert len(statements) <= 4, text
    # the replies keep their order and point at the message they answer
    with counter.engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT r.body FROM messages r JOIN messages m ON r.reply_to_id = m.id "
                "WHERE m.id = (SELECT max(id) FROM messages WHERE direction = 'in') "
                "ORDER BY r.id"
            )
        ).all()
    assert [row[0] for row in rows] == dialog.history[-1][1]


def test_reference_data_is_not_read_again_while_unchanged(dialog: Dialog, counter: Counter) -> None:
    walk(dialog, "halo", "info")
    statements, _ = counter.cost(dialog, "info")
    reference_tables = (
        "FROM services",
        "FROM topics",
        "FROM clinic_hours",
        "FROM closures",
        "FROM clinic_info",
    )
    assert not [s for s in statements if any(t in s for t in reference_tables)], statements


def test_the_time_of_the_last_message_is_written_when_it_moved_enough(
    dialog: Dialog, counter: Counter, clock: FakeClock, db: sa.Engine
) -> None:
    walk(dialog, "halo")
    clock.advance(seconds=INBOUND_TIME_STEP.total_seconds())
    statements, _ = counter.cost(dialog, "halo")
    assert sum(s.startswith("UPDATE contacts SET last_inbound_at") for s in statements) == 1
    with db.connect() as connection:
        stored = connection.execute(sa.text("SELECT last_inbound_at FROM contacts")).scalar_one()
    assert stored is not None  # and the 24-hour window counts from it (never later than real)
