"""The conversation engine: read, load, dispatch, apply, save; one transaction per message.

    read      the message is read once (bot.intents.reading: intent, command, opt-out,
              language switch) before the transaction: it needs no lock
    load      one statement (storage.conversations.load_turn): the contact, their
              conversation locked, whether the message id was seen (a redelivery gets the
              replies of its first processing) and the reference data's version
    dispatch  the turn handlers in their declared order (bot.dialog.handlers): consent,
              handoff, language, global words, asides, then the current step of the flow
    apply     the step's outcome moves the conversation (bot.dialog.navigation)
    save      the new state (version-checked), the inbound message with what became of it,
              the replies in one INSERT and the contact's changes, committed together; the
              replies go back to the channel, inline in the webhook's answer or through the
              outbox

`start` puts a contact at a flow's step from outside a conversation (a feedback question, a
reminder with quick answers), in the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from bot.clock import Clock
from bot.config import Settings
from bot.dialog import navigation as nav
from bot.dialog.handlers import HANDLERS, greeted
from bot.dialog.turn import Turn
from bot.flows.base import Say
from bot.flows.registry import Registry
from bot.inbound import InboundMessage
from bot.intents.reading import Reading, first_language
from bot.messages import MessageCatalog
from bot.services import contacts, reference
from bot.transports.base import ReplyChannel, split_at_lines
from storage import conversations as store
from storage.db import is_transient, transaction
from storage.models import Contact

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
INLINE_LIMIT = 1600  # without a channel (scripts, tests): pieces Twilio would accept
# Twilio waits 15 s for the webhook's answer; a reply ready later reached nobody.
PROVIDER_PATIENCE = dt.timedelta(seconds=14)

# Template keys the engine's handlers use (checked with the flows at start-up).
ENGINE_KEYS = (
    "common.privacy_notice",
    "dialog.cancelled",
    "dialog.ways_out",
    "dialog.resume",
    "announcements.stopped",
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
    "handoff.handed_back",
    "handoff.still_waiting",
    "common.greeting",
)


class MessageNotStored(Exception):
    """The message could not even be stored (the database is down): the provider must retry."""


class _Redelivery(Exception):
    def __init__(self, replies: list[str]) -> None:
        super().__init__("redelivered")
        self.replies = replies


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
        self.idle = dt.timedelta(hours=settings.conversation_idle_hours)

    def handle(self, inbound: InboundMessage, channel: ReplyChannel | None = None) -> list[str]:
        """Process one inbound message; return the reply texts (empty: say nothing).

        With a channel that cannot answer inline, the replies also go to the outbox in the
        same transaction. Raises MessageNotStored when the message could not be stored at
        all, so that the webhook answers with an error and the provider keeps the message.
        """
        received = self.clock.now()
        reading = _read(inbound)  # before any lock: it needs none
        for attempt in range(MAX_ATTEMPTS):
            try:
                with transaction(self.db) as session:
                    return self._turn(session, inbound, reading, channel, received)
            except _Redelivery as redelivery:  # raised inside: the transaction rolled back
                return redelivery.replies
            except store.StaleConversation as exc:
                log.warning("retrying %s (attempt %d): %s", inbound.provider_sid, attempt + 1, exc)
            except (OperationalError, IntegrityError) as exc:
                if isinstance(exc, IntegrityError) and not is_transient(exc):
                    log.exception("engine failed on %s", inbound.provider_sid)
                    return self._record_failure(inbound, channel)
                if not is_transient(exc):
                    log.error("database unavailable for %s: %s", inbound.provider_sid, exc)
                    raise MessageNotStored(inbound.provider_sid) from exc
                log.warning("retrying %s (attempt %d)", inbound.provider_sid, attempt + 1)
            except Exception:
                log.exception("engine failed on %s", inbound.provider_sid)
                return self._record_failure(inbound, channel)
        log.error("giving up on %s after %d attempts", inbound.provider_sid, MAX_ATTEMPTS)
        return self._record_failure(inbound, channel)

    def start(
        self,
        session: Session,
        contact: Contact,
        flow: str,
        step: str,
        slots: dict[str, Any] | None = None,
        *,
        now: dt.datetime,
    ) -> list[str]:
        """Put the contact at `flow.step` (with these slots) and return that step's question,
        rendered in the contact's language, for the caller to send through the outbox.

        Runs in the caller's transaction. A flow under way is kept on the return stack: when
        the started flow ends, the person is asked the question they were at before.
        """
        assert contact.id is not None
        state = store.lock_conversation(session, contact.id, now)
        if state.flow and state.step and not _expired(state, now):
            state.stack = [*state.stack, f"{state.flow}.{state.step}"][-nav.STACK_DEPTH :]
        elif state.flow:
            state.reset()
        state.slots.update(slots or {})
        state.misunderstandings = 0
        turn = Turn(
            session=session,
            contact=contact,
            state=state,
            inbound=InboundMessage(provider_sid="", phone=contact.phone),
            reading=Reading(""),
            now=now,
            settings=self.settings,
            registry=self.registry,
        )
        says = nav.enter(turn, flow, step)
        store.save_conversation(session, state, now, self.idle)
        return self._render(says, contact.language, channel=None)

    # --- one transaction ---------------------------------------------------------------------

    def _turn(
        self,
        session: Session,
        inbound: InboundMessage,
        reading: Reading,
        channel: ReplyChannel | None,
        received: dt.datetime,
    ) -> list[str]:
        now = self.clock.now()
        loaded = store.load_turn(session, inbound.phone, inbound.provider_sid)
        if loaded is None:  # a new person (or one the console created): one more round trip
            store.create_contact(session, inbound.phone, first_language(inbound.text), now)
            loaded = store.load_turn(session, inbound.phone, inbound.provider_sid)
            assert loaded is not None
        if loaded.seen:
            raise _Redelivery(store.replies_to(session, inbound.provider_sid))
        reference.note_version(session, loaded.reference_version)
        contact = loaded.contact
        noted = store.note_inbound(
            contact, now=now, channel=inbound.channel, profile_name=inbound.profile_name
        )
        turn = Turn(
            session=session,
            contact=contact,
            state=loaded.state,
            inbound=inbound,
            reading=reading,
            now=now,
            settings=self.settings,
            registry=self.registry,
            handoff_waiting=loaded.handoff_waiting,
        )
        if noted:
            store.write_noted_with_the_turn(session, contact, noted)
        says = self._dispatch(turn)
        store.write_noted(session)
        texts = self._render(says, contact.language, channel)
        assert contact.id is not None
        message_id = store.finish_turn(
            session,
            loaded.state,
            now,
            self.idle,
            contact.id,
            _columns(inbound),
            turn.status,
            self._replies(texts, channel, received),
        )
        if message_id is None:  # a redelivery processed meanwhile: this turn is rolled back
            raise _Redelivery(store.replies_to(session, inbound.provider_sid))
        store.save_contact(session, contact)
        return texts

    @staticmethod
    def _dispatch(turn: Turn) -> list[Say]:
        for handler in HANDLERS:
            answer = handler(turn)
            if answer is not None:
                return greeted(turn, [*turn.preface, *answer]) if answer or turn.preface else []
        return greeted(turn, list(turn.preface))

    def _render(self, says: list[Say], lang: str, channel: ReplyChannel | None) -> list[str]:
        if not says:
            return []
        text = "\n\n".join(self.catalog.render(s.key, lang, **s.vars) for s in says)
        return channel.split(text) if channel is not None else split_at_lines(text, INLINE_LIMIT)

    def _replies(
        self, texts: list[str], channel: ReplyChannel | None, received: dt.datetime
    ) -> store.Replies:
        inline = channel is None or channel.replies_inline
        if inline and self.clock.now() - received > PROVIDER_PATIENCE:
            status = "late"  # the provider gave up waiting; a redelivery gets these replies
        else:
            status = "reply" if inline else "pending"
        name = channel.name if channel is not None else "whatsapp"
        return store.Replies(texts, status, name, self.clock.now())

    def _log_replies(
        self,
        session: Session,
        contact: Contact,
        message_id: int | None,
        texts: list[str],
        channel: ReplyChannel | None,
        received: dt.datetime,
    ) -> None:
        assert contact.id is not None
        replies = self._replies(texts, channel, received)
        store.log_replies(
            session,
            contact.id,
            message_id,
            texts,
            replies.at,
            status=replies.status,
            channel=replies.channel,
        )

    def _record_failure(self, inbound: InboundMessage, channel: ReplyChannel | None) -> list[str]:
        """Keep the message even when processing failed, and apologise once."""
        now = self.clock.now()
        try:
            with transaction(self.db) as session:
                contact, _ = contacts.get_or_create_contact(session, inbound.phone, now)
                assert contact.id is not None
                message_id = store.store_inbound(session, contact.id, _columns(inbound), now)
                if message_id is None:
                    return store.replies_to(session, inbound.provider_sid)
                store.set_inbound_status(session, message_id, "failed")
                if contact.opted_out_at is not None:
                    return []
                texts = self._render([Say("common.error")], contact.language, channel)
                self._log_replies(session, contact, message_id, texts, channel, now)
                return texts
        except Exception as exc:
            log.exception("could not even record failed message %s", inbound.provider_sid)
            raise MessageNotStored(inbound.provider_sid) from exc


def _read(inbound: InboundMessage) -> Reading:
    """The message read once, before the transaction: the handlers of every turn ask for the
    intent, an opt-out, a language switch and a bare command, so they are worked out now,
    outside the SQLite writer lock and the conversation's row lock."""
    reading = Reading(inbound.text)
    _ = reading.intent, reading.command, reading.language_switch, reading.is_stop
    return reading


def _expired(state: store.ConversationState, now: dt.datetime) -> bool:
    return state.expires_at is not None and state.expires_at <= now


def _columns(inbound: InboundMessage) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if inbound.profile_name:
        extra["profile_name"] = inbound.profile_name
    if inbound.location:
        extra["location"] = inbound.location
    if inbound.button_payload or inbound.button_text:
        extra["button"] = {"payload": inbound.button_payload, "text": inbound.button_text}
    return {
        "provider_sid": inbound.provider_sid,
        "channel": inbound.channel,
        "body": inbound.body,
        "media": inbound.media or None,
        "extra": extra or None,
    }
