"""The vocabulary of flows: a step answers a message with an Outcome and never sends anything.

A flow module declares a ``Flow``, its entries and its steps::

    flow = Flow("language", start="choose")

    @flow.entry("language", menu=70, label="language.menu_label", goes_to=("choose",))
    def begin(ctx: Context) -> Outcome:
        return Outcome(goto="choose")

    @flow.step("choose", prompt=("language.choose",), goes_to=(END,), says=("language.set",))
    def choose(ctx: Context) -> Outcome: ...

Each step has a prompt (what the bot asks when the conversation arrives at it) and a handler
(what it does with the person's answer). Both see the slots read-only: a prompt returns what
to say (and, in a ``Prompted``, the slot changes it implies, such as the list it offered), a
handler returns an ``Outcome``. ``goes_to`` and ``says`` are declared so the registry can
check, at start-up, that every target step and every template exists.

An entry is how a flow is started from the main menu or by an intent said anywhere at rest
("mau konsultasi"); the main menu is built from the entries, so a new flow touches only its
own module and templates. A step can call another flow (``Outcome(call=..., then=...)``):
when the called flow ends, the conversation comes back to ``then``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from sqlmodel import Session

    from bot.config import Settings
    from bot.inbound import InboundMessage
    from bot.intents import IntentMatch
    from storage.models import Contact

END = "END"  # a goto that finishes the flow (back to the caller, or to rest)


@dataclass(frozen=True)
class Say:
    """One message to send: a template key and its variables."""

    key: str
    vars: dict[str, Any] = field(default_factory=dict)


@dataclass
class Outcome:
    """What a step decided. The engine applies it and the channel delivers the messages.

    ``goto`` names a step of the same flow, ``"flow.step"`` of another flow, ``END``, or
    ``None`` to stay on the current step (answer not accepted; the step's retry text is in
    ``say``). ``call`` starts another flow (``"flow"`` or ``"flow.step"``) and comes back to
    ``then`` (a step of this flow, or ``"flow.step"``) when it ends. ``pass_on`` ends the flow
    without answering: the step it returns to (or the main menu) takes the message instead, as
    for an optional question the person ignored. ``slots`` are the slot
    changes (a value of None removes the slot). ``understood=False`` counts towards the offer
    of help after repeated misunderstandings. ``reprompt`` re-sends the step's prompt even
    when staying.
    """

    say: list[Say] = field(default_factory=list)
    goto: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    understood: bool = True
    reprompt: bool = False
    escalate: str | None = None  # hand the chat to a human, with this reason
    call: str | None = None
    then: str | None = None
    pass_on: bool = False  # not an answer to this step: end the flow, let where it returns answer
    forward: bool = False  # the message also answers the step of `goto` ("topiknya modal")


@dataclass(frozen=True)
class Prompted:
    """A prompt's answer: what to say, and the slot changes asking implies (the offered list)."""

    say: list[Say]
    slots: dict[str, Any] = field(default_factory=dict)


@dataclass
class Context:
    """Everything a step may look at: the person, their slots, the message, the time.

    ``slots`` is read-only: steps change slots through their outcome, prompts through a
    ``Prompted``. ``repeat`` is true when the same question is asked again without its step
    having changed anything (after "bantuan", an aside, a language switch): a prompt then
    shows what it showed before.
    """

    session: Session
    contact: Contact
    slots: Mapping[str, Any]
    inbound: InboundMessage
    now: dt.datetime
    settings: Settings
    flow: str
    step: str
    intent: IntentMatch | None = None  # the message's global intent, computed once per turn
    fresh: bool = False  # the first message of a new contact, or after an expired conversation
    repeat: bool = False
    entries: Sequence[Entry] = ()  # every flow's entries, in menu order

    @property
    def lang(self) -> str:
        """The contact's language."""
        return self.contact.language

    @property
    def text(self) -> str:
        """The message text (button payloads included), stripped."""
        return self.inbound.text.strip()

    def with_text(self, text: str) -> Context:
        """The same context reading another text (a part of the message)."""
        return dataclasses.replace(self, inbound=dataclasses.replace(self.inbound, body=text))

    @property
    def tz(self) -> ZoneInfo:
        """The clinic's timezone."""
        return ZoneInfo(self.settings.timezone)

    @property
    def today(self) -> dt.date:
        """Today's date in the clinic's timezone."""
        return self.now.astimezone(self.tz).date()

    def entry(self, name: str) -> Entry | None:
        """The entry called `name` (e.g. "reserve"), if a flow declares it."""
        return next((e for e in self.entries if e.name == name), None)

    def entry_for_intent(self, intent: str | None) -> Entry | None:
        """The entry a global intent starts ("reserve" starts the reservation)."""
        return next((e for e in self.entries if intent and intent in e.intents), None)

    def menu(self) -> list[Entry]:
        """The main menu's entries, in order."""
        return [e for e in self.entries if e.menu is not None]


Handler = Callable[[Context], Outcome]
Skip = Callable[[Context], "Outcome | None"]
Prompt = Callable[[Context], "list[Say] | Prompted"]


@dataclass
class Step:
    """One question of a flow."""

    name: str
    handle: Handler
    prompt: Prompt
    goes_to: tuple[str, ...]
    says: tuple[str, ...]
    free_text: bool = False  # answers are the person's own words: only clear commands interrupt
    asides: bool = False  # a free-text step whose answer is never a question ("nama", "kecamatan")
    handles: tuple[str, ...] = ()  # global intents this step answers itself (e.g. "cancel")
    # the answer is already known (the clinic of a cooperative's officer): where to go instead
    # of asking, or None to ask
    skip: Skip | None = None


@dataclass(frozen=True)
class Entry:
    """A way into a flow: a main-menu line and/or the intents that start it at rest."""

    name: str
    flow: str
    begin: Handler
    intents: tuple[str, ...] = ()
    menu: int | None = None  # position in the main menu (ordered by this number)
    label: str | None = None  # template key of the menu line
    goes_to: tuple[str, ...] = ()  # targets the entry may return (steps, "flow.step", flows)
    says: tuple[str, ...] = ()


Aside = Callable[[Context], "Say | None"]


class Flow:
    """A named set of steps with a start step, and the entries that start it.

    A flow may offer an `aside`: an answer to a question asked in the middle of another flow
    ("alamatnya dimana?" while choosing a topic). The engine answers it and asks the current
    question again; `aside_says` declares the templates it may use.
    """

    def __init__(self, name: str, start: str) -> None:
        self.name = name
        self.start = start
        self.steps: dict[str, Step] = {}
        self.entries: list[Entry] = []
        self.aside: Aside | None = None
        self.aside_says: tuple[str, ...] = ()
        # sample values of the flow's own template variables, for the test that renders
        # every template (so a new flow needs no change outside its module)
        self.examples: dict[str, Any] = {}

    def entry(
        self,
        name: str,
        *,
        intents: Sequence[str] = (),
        menu: int | None = None,
        label: str | None = None,
        goes_to: Sequence[str] = (),
        says: Sequence[str] = (),
    ) -> Callable[[Handler], Handler]:
        """Register an entry; `begin` returns the outcome that starts the flow."""

        def register(begin: Handler) -> Handler:
            self.entries.append(
                Entry(
                    name=name,
                    flow=self.name,
                    begin=begin,
                    intents=tuple(intents),
                    menu=menu,
                    label=label,
                    goes_to=tuple(goes_to),
                    says=tuple(says) + ((label,) if label else ()),
                )
            )
            return begin

        return register

    def step(
        self,
        name: str,
        *,
        prompt: Sequence[str] | Prompt = (),
        goes_to: Sequence[str] = (),
        says: Sequence[str] = (),
        free_text: bool = False,
        handles: Sequence[str] = (),
        asides: bool = False,
        skip: Skip | None = None,
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
                asides=asides,
                handles=tuple(handles),
                skip=skip,
            )
            return handler

        return register


def _static_prompt(keys: tuple[str, ...]) -> Prompt:
    def prompt(_ctx: Context) -> list[Say]:
        return [Say(key) for key in keys]

    return prompt
