"""The conversation engine: one inbound message in, the replies out, all in one transaction.

For each message the engine finds the contact, stores the message once (the unique
provider id makes a redelivery a no-op), locks the contact's conversation row, decides what
the message means (global words first, then the current step), and saves the new state,
the replies and everything the step changed together. Flows only return outcomes; the engine
persists them and hands the rendered texts back to the transport.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from bot.clock import Clock
from bot.config import Settings
from bot.flows import vocab
from bot.flows.base import END, Context, Outcome, Say, Step
from bot.flows.registry import Registry
from bot.inbound import InboundMessage
from bot.intents import IntentMatch, classify, command_of, detect_language_choice, normalize
from bot.messages import LANGUAGES, MessageCatalog
from bot.services import contacts, handoff, reservations
from bot.services.calendar import office_hours, office_open
from bot.text import split_for_whatsapp
from storage.db import is_transient, transaction
from storage.models import Contact, Conversation, Message

log = logging.getLogger(__name__)

REST_FLOW, REST_STEP = "main", "menu"
TRAIL = "_trail"
MAX_ATTEMPTS = 5
ESCALATE_AFTER = 2  # misunderstandings in a row
LANGUAGE_SWITCH_MAX_WORDS = 6
GLOBAL_INTENTS = frozenset({"menu", "cancel", "back", "help", "human"})
# Said as a whole message inside a flow, these leave it and start over from the main menu.
RESTART_INTENTS = frozenset({"my_reservations", "reserve"})
NOT_CONFUSED = frozenset({"greeting", "thanks", "yes", "no"})  # "halo?" mid-flow is not confusion
HUMAN_REQUEST_MAX_WORDS = 8

# Template keys the engine itself uses (checked with the flows at start-up).
ENGINE_KEYS = (
    "common.privacy_notice",
    "common.cancelled",
    "common.help",
    "common.text_only",
    "common.error",
    "common.expired",
    "common.back_at_start",
    "consent.stopped",
    "consent.restarted",
    "language.set",
    "handoff.started",
    "handoff.already_open",
)


class DuplicateMessage(Exception):
    """The provider delivered this message id before."""


class StaleConversation(Exception):
    """Another transaction changed the conversation since we read it."""


class MessageNotStored(Exception):
    """The message could not even be stored (the database is down): the provider must retry."""


@dataclass
class ConversationState:
    """A snapshot of the conversation row, saved back with a version check."""

    id: int
    flow: str | None
    step: str | None
    slots: dict[str, Any]
    misunderstandings: int
    expires_at: dt.datetime | None
    version: int


class ConversationEngine:
    """Runs flows for inbound messages."""

    def __init__(
        self,
        db: Engine,
        registry: Registry,
        catalog: MessageCatalog,
        settings: Settings,
        clock: Clock,
    ) -> None:
        self.db = db
        self.registry = registry
        self.catalog = catalog
        self.settings = settings
        self.clock = clock

    # --- entry point -----------------------------------------------------------------------

    def handle(self, inbound: InboundMessage) -> list[str]:
        """Process one inbound message; return the reply texts (empty: say nothing).

        Raises MessageNotStored when the message could not be stored at all, so that the
        webhook answers with an error and the provider keeps the message.
        """
        for attempt in range(MAX_ATTEMPTS):
            try:
                with transaction(self.db) as session:
                    return self._handle(session, inbound)
            except DuplicateMessage:
                log.info("duplicate message %s ignored", inbound.provider_sid)
                return []
            except StaleConversation as exc:
                log.warning("retrying %s (attempt %d): %s", inbound.provider_sid, attempt + 1, exc)
            except OperationalError as exc:
                if not is_transient(exc):
                    log.error("database unavailable for %s: %s", inbound.provider_sid, exc)
                    raise MessageNotStored(inbound.provider_sid) from exc
                log.warning("retrying %s (attempt %d): %s", inbound.provider_sid, attempt + 1, exc)
            except Exception:
                log.exception("engine failed on %s", inbound.provider_sid)
                return self._record_failure(inbound)
        log.error("giving up on %s after %d attempts", inbound.provider_sid, MAX_ATTEMPTS)
        return self._record_failure(inbound)

    # --- one transaction -------------------------------------------------------------------

    def _handle(self, session: Session, inbound: InboundMessage) -> list[str]:
        now = self.clock.now()
        contact, _created = contacts.get_or_create_contact(
            session, inbound.phone, now, language=lambda: self._first_language(inbound)
        )
        message = self._store_inbound(session, contact, inbound, now)
        if inbound.profile_name:
            contact.profile_name = inbound.profile_name[:200]
        contact.last_inbound_at = now
        state = self._lock_conversation(session, contact, now)

        says, status = self._decide(session, contact, state, inbound, now)
        message.status = status
        self._save_conversation(session, state, now)
        texts = self._render(says, contact.language)
        self._log_replies(session, contact, texts, now)
        return texts

    def _decide(
        self,
        session: Session,
        contact: Contact,
        state: ConversationState,
        inbound: InboundMessage,
        now: dt.datetime,
    ) -> tuple[list[Say], str]:
        intent = classify(inbound.text) if inbound.has_text else None
        name = intent.name if intent else None

        if contact.opted_out_at is not None:
            if name == "start":
                contacts.opt_in(contact)
                self._reset(state)
                if handoff.open_handoff(session, contact) is not None:
                    return [Say("consent.restarted")], "processed"  # a human still owns the chat
                ctx = self._context(session, contact, state, inbound, now)
                return [Say("consent.restarted"), *self._rest_prompt(ctx, state)], "processed"
            return [], "ignored"
        if name == "stop" and self._means_stop(inbound):
            contacts.opt_out(contact, now)
            self._reset(state)
            upcoming = [r.code for r in reservations.upcoming_for(session, contact, now)]
            return [Say("consent.stopped", {"upcoming": upcoming})], "processed"

        open_case = handoff.open_handoff(session, contact)
        if open_case is not None:
            handoff.note_message(open_case, inbound.text)
            return [], "held_for_human"

        says: list[Say] = []
        fresh = False
        if contact.privacy_notice_at is None:
            contact.privacy_notice_at = now
            says.append(Say("common.privacy_notice"))
            fresh = True
        elif state.expires_at is not None and state.expires_at <= now and state.flow:
            self._reset(state)
            says.append(Say("common.expired"))
            fresh = True

        ctx = self._context(session, contact, state, inbound, now)
        ctx.fresh = fresh
        says.extend(self._respond(ctx, state, intent))
        return says, "processed"

    @staticmethod
    def _means_stop(inbound: InboundMessage) -> bool:
        """An opt-out, not a story that mentions stopping ("stop produksi karena modal habis")."""
        text = normalize(inbound.text)
        if any(phrase in text for phrase in vocab.words("stop_explicit")):
            return True
        filler = set(vocab.words("stop_filler"))
        return all(word in filler for word in text.split())

    def _respond(
        self, ctx: Context, state: ConversationState, intent: IntentMatch | None
    ) -> list[Say]:
        step = self._current_step(state)
        if not ctx.inbound.has_text:
            return [Say("common.text_only"), *self._prompt(ctx, step)]

        language = detect_language_choice(ctx.text)
        if language in LANGUAGES and len(ctx.text.split()) <= LANGUAGE_SWITCH_MAX_WORDS:
            ctx.contact.language = language
            state.misunderstandings = 0
            return [Say("language.set"), *self._prompt(ctx, step)]

        if (
            intent
            and intent.name in GLOBAL_INTENTS
            and intent.name not in step.handles
            and self._is_command(ctx, step, intent)
        ):
            handled = self._global(ctx, state, step, intent.name)
            if handled is not None:
                state.misunderstandings = 0  # asking for help is not a misunderstanding
                return handled

        if state.flow and not step.free_text:
            aside = self._aside(ctx)
            if aside is not None:
                state.misunderstandings = 0
                return [aside, *self._prompt(ctx, step)]

        whole = command_of(ctx.text) if state.flow else None
        if whole and whole.name in RESTART_INTENTS and whole.name not in step.handles:
            # "reservasi saya" in the middle of something else: leave it and do that instead
            self._reset(state)
            step = self._current_step(state)
            ctx.flow, ctx.step = REST_FLOW, REST_STEP
        outcome = step.handle(ctx)
        return self._apply(ctx, state, step, outcome)

    def _aside(self, ctx: Context) -> Say | None:
        for flow in self.registry.asides():
            assert flow.aside is not None
            say = flow.aside(ctx)
            if say is not None:
                if say.key not in flow.aside_says:
                    log.error("aside of %s used undeclared template %r", flow.name, say.key)
                return say
        return None

    @staticmethod
    def _is_command(ctx: Context, step: Step, intent: IntentMatch | None) -> bool:
        """In steps that take the person's own words, only a message that is nothing but a
        command interrupts ("menu", "kembali dong"; not "menu kurang laku"), or a short
        request for a person ("bisa dihubungkan ke petugas?")."""
        if not step.free_text:
            return True
        if intent is not None and intent.name == "human":
            short = len(ctx.text.split()) <= HUMAN_REQUEST_MAX_WORDS
            asks = any(w in vocab.words("human_request") for w in normalize(ctx.text).split())
            if short and asks:
                return True
        whole = command_of(ctx.text)
        return whole is not None and intent is not None and whole.name == intent.name

    def _global(
        self, ctx: Context, state: ConversationState, step: Step, name: str
    ) -> list[Say] | None:
        at_rest = state.flow is None
        if name == "menu":
            self._reset(state)
            return self._rest_prompt(ctx, state)
        if name == "cancel":
            if at_rest:
                return None  # the main menu starts the cancel-a-reservation flow
            self._reset(state)
            return [Say("common.cancelled"), *self._rest_prompt(ctx, state)]
        if name == "back":
            return self._back(ctx, state)
        if name == "help":
            return [Say("common.help", {"at_rest": at_rest}), *self._prompt(ctx, step)]
        if name == "human":
            return self._escalate(ctx, state, "requested")
        return None

    def _back(self, ctx: Context, state: ConversationState) -> list[Say]:
        trail: list[str] = list(state.slots.get(TRAIL, []))
        if len(trail) < 2:
            self._reset(state)
            return [Say("common.back_at_start"), *self._rest_prompt(ctx, state)]
        trail.pop()
        flow, step_name = trail[-1].split(".", 1)
        state.flow, state.step = flow, step_name
        state.slots[TRAIL] = trail
        ctx.flow, ctx.step = flow, step_name
        step = self.registry.step(flow, step_name)
        assert step is not None
        return self._prompt(ctx, step)

    def _escalate(self, ctx: Context, state: ConversationState, reason: str) -> list[Say]:
        already = handoff.open_handoff(ctx.session, ctx.contact) is not None
        handoff.escalate(ctx.session, ctx.contact, reason=reason, text=ctx.text, now=ctx.now)
        self._reset(state)
        key = "handoff.already_open" if already else "handoff.started"
        open_now = office_open(ctx.session, ctx.now, ctx.tz)
        hours = office_hours(ctx.session)
        return [Say(key, {"reason": reason, "office_open": open_now, "hours": hours})]

    # --- applying outcomes -----------------------------------------------------------------

    def _apply(
        self, ctx: Context, state: ConversationState, step: Step, outcome: Outcome
    ) -> list[Say]:
        self._check_outcome(ctx, step, outcome)
        state.slots.update(outcome.slots)
        says = list(outcome.say)
        if outcome.escalate:
            return [*says, *self._escalate(ctx, state, outcome.escalate)]
        chatter = classify(ctx.text)
        if outcome.understood or (chatter is not None and chatter.name in NOT_CONFUSED):
            state.misunderstandings = 0
        else:
            state.misunderstandings += 1
            if state.misunderstandings >= ESCALATE_AFTER:
                return self._escalate(ctx, state, "misunderstood")
        if outcome.goto is None:
            if outcome.reprompt:
                says.extend(self._prompt(ctx, step))
            return says
        target = self.registry.resolve(ctx.flow, outcome.goto)
        if target is None:
            self._reset(state)
            return says
        if target == (REST_FLOW, REST_STEP):
            self._reset(state)
            return [*says, *self._rest_prompt(ctx, state)]
        flow, step_name = target
        next_step = self.registry.step(flow, step_name)
        assert next_step is not None
        trail = [*state.slots.get(TRAIL, []), f"{flow}.{step_name}"]
        state.flow, state.step = flow, step_name
        state.slots[TRAIL] = trail[-20:]
        ctx.flow, ctx.step = flow, step_name
        says.extend(self._prompt(ctx, next_step))
        return says

    @staticmethod
    def _prompt(ctx: Context, step: Step) -> list[Say]:
        """The step's question, checked against the templates it declared."""
        says = step.prompt(ctx)
        _check_declared(f"{ctx.flow}.{step.name}", step, says)
        return says

    def _check_outcome(self, ctx: Context, step: Step, outcome: Outcome) -> None:
        where = f"{ctx.flow}.{step.name}"
        if outcome.goto is not None and outcome.goto != END and outcome.goto not in step.goes_to:
            raise RuntimeError(f"{where} went to undeclared step {outcome.goto!r}")
        _check_declared(where, step, outcome.say)

    # --- rest ------------------------------------------------------------------------------

    def _rest_prompt(self, ctx: Context, state: ConversationState) -> list[Say]:
        ctx.flow, ctx.step = REST_FLOW, REST_STEP
        step = self.registry.step(REST_FLOW, REST_STEP)
        assert step is not None
        return self._prompt(ctx, step)

    def _reset(self, state: ConversationState) -> None:
        state.flow = state.step = None
        state.slots.clear()  # in place: the step's context holds the same dict
        state.misunderstandings = 0

    def _current_step(self, state: ConversationState) -> Step:
        if state.flow and state.step:
            step = self.registry.step(state.flow, state.step)
            if step is not None:
                return step
            self._reset(state)  # the step no longer exists (a deploy renamed it): start over
        step = self.registry.step(REST_FLOW, REST_STEP)
        assert step is not None
        return step

    def _context(
        self,
        session: Session,
        contact: Contact,
        state: ConversationState,
        inbound: InboundMessage,
        now: dt.datetime,
    ) -> Context:
        return Context(
            session=session,
            contact=contact,
            slots=state.slots,
            inbound=inbound,
            now=now,
            settings=self.settings,
            flow=state.flow or REST_FLOW,
            step=state.step or REST_STEP,
        )

    # --- storage ---------------------------------------------------------------------------

    def _first_language(self, inbound: InboundMessage) -> str:
        choice = detect_language_choice(inbound.text) if inbound.has_text else None
        if choice in LANGUAGES:
            return choice
        words = [word.strip(",.!?") for word in inbound.text.lower().split()]
        if any(word in vocab.words("indonesian_markers") for word in words):
            return "id"  # "mau book konsul besok" is Indonesian with an English word in it
        match = classify(inbound.text) if inbound.has_text else None
        if match is not None and match.lang in LANGUAGES:
            return match.lang
        english = sum(1 for word in words if word in vocab.words("english_markers"))
        return "en" if english >= 2 else "id"

    def _store_inbound(
        self, session: Session, contact: Contact, inbound: InboundMessage, now: dt.datetime
    ) -> Message:
        assert contact.id is not None
        message = Message(
            contact_id=contact.id,
            direction="in",
            provider_sid=inbound.provider_sid,
            channel=inbound.channel,
            body=inbound.body,
            media=inbound.media or None,
            extra=_extra_of(inbound),
            status="received",
            created_at=now,
            updated_at=now,
        )
        try:
            with session.begin_nested():
                session.add(message)
        except IntegrityError as exc:
            raise DuplicateMessage(inbound.provider_sid) from exc
        return message

    def _lock_conversation(
        self, session: Session, contact: Contact, now: dt.datetime
    ) -> ConversationState:
        query = select(Conversation).where(Conversation.contact_id == contact.id).with_for_update()
        row = session.exec(query).first()
        if row is None:
            try:
                with session.begin_nested():
                    assert contact.id is not None
                    session.add(Conversation(contact_id=contact.id, slots={}, updated_at=now))
            except IntegrityError:
                pass  # created by a concurrent message of the same contact
            row = session.exec(query).one()
        assert row.id is not None
        state = ConversationState(
            id=row.id,
            flow=row.flow,
            step=row.step,
            slots=dict(row.slots or {}),
            misunderstandings=row.misunderstandings,
            expires_at=row.expires_at,
            version=row.version,
        )
        session.expunge(row)  # saved with a version-checked UPDATE, not by the unit of work
        return state

    def _save_conversation(
        self, session: Session, state: ConversationState, now: dt.datetime
    ) -> None:
        idle = dt.timedelta(hours=self.settings.conversation_idle_hours)
        result = session.execute(
            sa.update(Conversation)
            .where(col(Conversation.id) == state.id, col(Conversation.version) == state.version)
            .execution_options(synchronize_session=False)
            .values(
                flow=state.flow,
                step=state.step,
                slots=state.slots,
                misunderstandings=state.misunderstandings,
                expires_at=now + idle,
                updated_at=now,
                version=state.version + 1,
            )
        )
        if cast("sa.CursorResult[Any]", result).rowcount != 1:
            raise StaleConversation(f"conversation {state.id} changed underneath us")

    def _render(self, says: list[Say], lang: str) -> list[str]:
        if not says:
            return []
        text = "\n\n".join(self.catalog.render(s.key, lang, **s.vars) for s in says)
        return split_for_whatsapp(text)

    def _log_replies(
        self, session: Session, contact: Contact, texts: list[str], now: dt.datetime
    ) -> None:
        assert contact.id is not None
        for text in texts:
            session.add(
                Message(
                    contact_id=contact.id,
                    direction="out",
                    body=text,
                    status="reply",
                    created_at=now,
                    updated_at=now,
                )
            )

    def _record_failure(self, inbound: InboundMessage) -> list[str]:
        """Keep the message even when processing failed, and apologise once."""
        now = self.clock.now()
        try:
            with transaction(self.db) as session:
                contact, _ = contacts.get_or_create_contact(session, inbound.phone, now)
                message = self._store_inbound(session, contact, inbound, now)
                message.status = "failed"
                if contact.opted_out_at is not None:
                    return []
                texts = self._render([Say("common.error")], contact.language)
                self._log_replies(session, contact, texts, now)
                return texts
        except DuplicateMessage:
            return []
        except Exception as exc:
            log.exception("could not even record failed message %s", inbound.provider_sid)
            raise MessageNotStored(inbound.provider_sid) from exc


def _check_declared(where: str, step: Step, says: list[Say]) -> None:
    # An undeclared key is a bug in the flow's declaration, not in the person's message: log it
    # loudly but still answer (a key missing from the catalog fails when it is rendered).
    for say in says:
        if say.key not in step.says:
            log.error("%s used template %r without declaring it in `says`", where, say.key)


def _extra_of(inbound: InboundMessage) -> dict[str, Any] | None:
    extra: dict[str, Any] = {}
    if inbound.profile_name:
        extra["profile_name"] = inbound.profile_name
    if inbound.location:
        extra["location"] = inbound.location
    if inbound.button_payload or inbound.button_text:
        extra["button"] = {"payload": inbound.button_payload, "text": inbound.button_text}
    return extra or None
