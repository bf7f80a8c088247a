"""One turn of a conversation: the message, the person, the state, and how it was read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import MappingProxyType

from sqlmodel import Session

from bot.config import Settings
from bot.flows.base import Context, Say
from bot.flows.registry import Registry
from bot.inbound import InboundMessage
from bot.intents.reading import Reading
from storage.conversations import ConversationState
from storage.models import Contact

REST_FLOW, REST_STEP = "main", "menu"


@dataclass
class Turn:
    """What the handlers of one message share; the engine saves ``state`` at the end."""

    session: Session
    contact: Contact
    state: ConversationState
    inbound: InboundMessage
    reading: Reading
    now: dt.datetime
    settings: Settings
    registry: Registry
    preface: list[Say] = field(default_factory=list)  # said before the answer (privacy notice)
    fresh: bool = False  # a new contact, or an expired conversation
    status: str = "processed"  # what becomes of the inbound message
    handoff_waiting: bool = True  # an unresolved handoff may exist (False: known not to)

    @property
    def flow(self) -> str:
        """The current flow (the main menu at rest)."""
        return self.state.flow or REST_FLOW

    @property
    def step_name(self) -> str:
        """The current step (the main menu at rest)."""
        return self.state.step or REST_STEP

    def context(self, *, repeat: bool = False) -> Context:
        """The view of this turn a step or prompt gets (slots read-only)."""
        return Context(
            session=self.session,
            contact=self.contact,
            slots=MappingProxyType(self.state.slots),
            inbound=self.inbound,
            now=self.now,
            settings=self.settings,
            flow=self.flow,
            step=self.step_name,
            intent=self.reading.intent,
            fresh=self.fresh,
            repeat=repeat,
            entries=self.registry.entries,
        )
