"""A reply ready only after Twilio stopped waiting (15 s) is not recorded as delivered, and the
redelivery of the same MessageSid gets it (issue: a reply lost after a slow database)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from bot.clock import FakeClock
from storage.models import Message
from tests.conftest import START
from tests.dialog import post_signed, replies_of, whatsapp_form


class SlowDatabaseClock(FakeClock):
    """Every reading of the clock is 8 s after the last: a turn that reads it three times
    takes longer than Twilio's patience."""

    def now(self) -> dt.datetime:
        self.advance(seconds=8)
        return super().now()


@pytest.fixture
def clock() -> FakeClock:
    return SlowDatabaseClock(START)


def test_a_late_reply_is_kept_for_the_redelivery_and_not_marked_delivered(
    client: FlaskClient, db: sa.Engine
) -> None:
    form = whatsapp_form("+6281234567890", "halo")
    first = replies_of(post_signed(client, form))
    assert first and "Menu" in "\n".join(first)
    with db.connect() as connection:
        statuses = (
            connection.execute(sa.select(Message.status).where(Message.direction == "out"))
            .scalars()
            .all()
        )
    assert statuses and set(statuses) == {"late"}  # nobody is known to have received them
    again = replies_of(post_signed(client, form))  # Twilio's retry of the same MessageSid
    assert again == first
    with db.connect() as connection:
        inbound = connection.execute(
            sa.select(sa.func.count()).select_from(Message).where(Message.direction == "in")
        ).scalar_one()
    assert inbound == 1
