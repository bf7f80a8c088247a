"""The conversation row: a version-checked save that retries when another writer got there first."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import Flask

from bot.engine import ConversationEngine
from bot.inbound import InboundMessage
from storage.models import Conversation, Message
from tests.dialog import new_sid


class InterruptedEngine(ConversationEngine):
    """Simulates another transaction saving the same conversation between our read and write."""

    interruptions = 1

    @staticmethod
    def _dispatch(turn: Any) -> Any:
        if InterruptedEngine.interruptions:
            InterruptedEngine.interruptions -= 1
            turn.session.execute(
                sa.update(Conversation)
                .where(Conversation.id == turn.state.id)
                .values(version=turn.state.version + 5)
            )
        return ConversationEngine._dispatch(turn)


def test_a_stale_save_is_retried_and_nothing_is_lost_or_doubled(app: Flask, db: sa.Engine) -> None:
    rt = app.extensions["eklinik"]
    engine = InterruptedEngine(rt.db, rt.registry, rt.catalog, rt.settings, rt.clock)
    replies = engine.handle(
        InboundMessage(provider_sid=new_sid(), phone="+6281234567890", body="halo")
    )
    assert InterruptedEngine.interruptions == 0
    assert any("Menu utama" in reply for reply in replies)
    with db.connect() as connection:
        version = connection.execute(sa.select(Conversation.version)).scalar_one()
        inbound = connection.execute(
            sa.select(sa.func.count()).select_from(Message).where(Message.direction == "in")
        ).scalar_one()
    assert version == 2  # created at 1, saved once: the interrupted attempt left no trace
    assert inbound == 1
