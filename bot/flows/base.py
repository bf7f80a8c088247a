"""The vocabulary of flows: a step answers a message with an Outcome and never sends anything.

A flow module declares a ``Flow`` and its steps::

    flow = Flow("language", start="choose")

    @flow.step("choose", prompt=("language.choose",), goes_to=(END,), says=("language.set",))
    def choose(ctx: Context) -> Outcome: ...

Each step has a prompt (what the bot asks when the conversation arrives at it) and a handler
(what it does with the person's answer). ``goes_to`` and ``says`` are declared so the registry
can check, at start-up, that every target step and every template exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.config import Settings
    from bot.inbound import InboundMessage
    from storage.models import Contact

END = "END"  # a goto that finishes the flow and returns the conversation to rest


@dataclass(frozen=True)
class Say:
    """One message to send: a template key and its variables."""

    key: str
    vars: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """What a step decided. The engine persists it and the transport delivers the messages.

    ``goto`` names a step of the same flow, ``"flow.step"`` of another flow, ``END``, or
    ``None`` to stay on the current step (answer not accepted; the step's retry text is in
    ``say``). ``understood=False`` counts towards the escalation after repeated
    misunderstandings. ``reprompt`` re-sends the target step's prompt even when staying.
    """

    say: list[Say] = field(default_factory=list)
    goto: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    understood: bool = True
    reprompt: bool = False
    escalate: str | None = None  # hand the chat to a human, with this reason


@dataclass
class Context:
    """Everything a step may look at: the person, their slots, the message, the time."""

    session: Session
    contact: Contact
    slots: dict[str, Any]
    inbound: InboundMessage
    now: dt.datetime
    settings: Settings
    flow: str
    step: str
    fresh: bool = False  # the first message of a new contact, or after an expired conversation

    @property
    def lang(self) -> str:
        """The contact's language."""
        return self.contact.language

    @property
    def text(self) -> str:
        """The message text (button payloads included), stripped."""
        return self.inbound.text.strip()

    @property
    def tz(self) -> ZoneInfo:
        """The clinic's timezone."""
        return ZoneInfo(self.settings.timezone)

    @property
    def today(self) -> dt.date:
        """Today's date in the clinic's timezone."""
        return self.now.astimezone(self.tz).date()


Handler = Callable[[Context], Outcome]
Prompt = Callable[[Context], list[Say]]


@dataclass
class Step:
    """One question of a flow."""

    name: str
    handle: Handler
    prompt: Prompt
    goes_to: tuple[str, ...]
    says: tuple[str, ...]
    free_text: bool = False  # answers are the person's own words: only clear commands interrupt
    handles: tuple[str, ...] = ()  # global intents this step answers itself (e.g. "cancel")


Aside = Callable[[Context], "Say | None"]


class Flow:
    """A named set of steps with a start step.

    A flow may offer an `aside`: an answer to a question asked in the middle of another flow
    ("alamatnya dimana?" while choosing a topic). The engine answers it and asks the current
    question again; `aside_says` declares the templates it may use.
    """

    def __init__(self, name: str, start: str) -> None:
        self.name = name
        self.start = start
        self.steps: dict[str, Step] = {}
        self.aside: Aside | None = None
        self.aside_says: tuple[str, ...] = ()

    def step(
        self,
        name: str,
        *,
        prompt: Sequence[str] | Prompt = (),
        goes_to: Sequence[str] = (),
        says: Sequence[str] = (),
        free_text: bool = False,
        handles: Sequence[str] = (),
    ) -> Callable[[Handler], Handler]:
        """Register a step. ``prompt`` is a list of template keys or a function of the context."""

        def register(handler: Handler) -> Handler:
            if name in self.steps:
                raise ValueError(f"step {self.name}.{name} declared twice")
            prompt_keys: tuple[str, ...] = ()
            if callable(prompt):
                prompt_fn = prompt
            else:
                prompt_keys = tuple(prompt)
                prompt_fn = _static_prompt(prompt_keys)
            self.steps[name] = Step(
                name=name,
                handle=handler,
                prompt=prompt_fn,
                goes_to=tuple(goes_to),
                says=tuple(says) + prompt_keys,
                free_text=free_text,
                handles=tuple(handles),
            )
            return handler

        return register


def _static_prompt(keys: tuple[str, ...]) -> Prompt:
    def prompt(_ctx: Context) -> list[Say]:
        return [Say(key) for key in keys]

    return prompt
