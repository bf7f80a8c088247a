"""Persistence of one conversation turn, as prebuilt Core statements (the per-message path).

One statement loads the contact, locks and reads their conversation, tells whether the
message's provider id was already stored (or erased) and reads the reference data's version
(`load_turn`). At the end (`finish_turn`) the new state is saved with a version check, the
inbound message is stored with what became of it (the provider's id is unique: a redelivery
that raced past the first check stores nothing and gets the replies of the first processing)
and the replies are logged in one INSERT; on PostgreSQL those three are one statement. The
contact's changes follow in one UPDATE (`save_contact`). All of it runs in the caller's
transaction.

The statements are built once, per dialect, with bound parameters, and run on the session's
connection: SQLAlchemy compiles each of them once per process.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm.attributes import flag_modified, set_committed_value
from sqlmodel import Session

from storage.db import upsert_insert
from storage.models import Contact, Conversation, ErasedMessage, Handoff, Message
from storage.models_reference import VERSION

CONTACTS = cast("sa.Table", Contact.__table__)  # type: ignore[attr-defined]
MESSAGES = cast("sa.Table", Message.__table__)  # type: ignore[attr-defined]
CONVERSATIONS = cast("sa.Table", Conversation.__table__)  # type: ignore[attr-defined]
HANDOFFS = cast("sa.Table", Handoff.__table__)  # type: ignore[attr-defined]
ERASED = cast("sa.Table", ErasedMessage.__table__)  # type: ignore[attr-defined]


class StaleConversation(Exception):
    """Another transaction changed the conversation since we read it."""


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
    stack: list[str] = field(default_factory=list)  # "flow.step" to return to, innermost last
    trail: list[str] = field(default_factory=list)  # "flow.step" visited, for "kembali"

    @property
    def at_rest(self) -> bool:
        """True when no flow is under way (the main menu)."""
        return self.flow is None

    def reset(self) -> None:
        """Back to rest: no flow, no slots, no stack (in place: contexts hold the same dict)."""
        self.flow = self.step = None
        self.slots.clear()
        self.stack.clear()
        self.trail.clear()
        self.misunderstandings = 0


@dataclass
class LoadedTurn:
    """What a message's turn starts from (see `load_turn`)."""

    contact: Contact  # loaded into the session, as any ORM query would
    state: ConversationState
    seen: bool  # the provider's message id is already stored, or was erased
    reference_version: int
    handoff_waiting: bool  # an unresolved handoff exists (pending or open)


_CONVERSATION_COLUMNS = (
    "id",
    "flow",
    "step",
    "slots",
    "misunderstandings",
    "expires_at",
    "version",
    "stack",
    "trail",
)
_statements: dict[tuple[str, str], Any] = {}


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _load_statement(dialect: str) -> Any:
    key = ("load", dialect)
    if key not in _statements:
        sid: Any = sa.bindparam("sid")
        seen = sa.or_(
            sa.exists().where(MESSAGES.c.provider_sid == sid),
            sa.exists().where(ERASED.c.provider_sid == sid),
        ).label("seen")
        waiting = (
            sa.exists()
            .where(
                HANDOFFS.c.contact_id == CONTACTS.c.id,
                HANDOFFS.c.status.in_(("pending", "open")),
            )
            .label("handoff_waiting")
        )
        statement = (
            sa.select(
                Contact,
                *(CONVERSATIONS.c[name].label("conv_" + name) for name in _CONVERSATION_COLUMNS),
                seen,
                waiting,
                VERSION,
            )
            .select_from(CONTACTS.join(CONVERSATIONS, CONVERSATIONS.c.contact_id == CONTACTS.c.id))
            .where(CONTACTS.c.phone == sa.bindparam("phone"))
        )
        if dialect == "postgresql":
            statement = statement.with_for_update(of=CONVERSATIONS)
        _statements[key] = statement
    return _statements[key]


def load_turn(session: Session, phone: str, provider_sid: str) -> LoadedTurn | None:
    """In one statement: the contact with this number, their conversation (locked until the
    end of the transaction), whether this provider id was seen before, and the reference
    version. None when the contact or their conversation does not exist yet
    (`create_contact`, `lock_conversation`)."""
    row = (
        session.execute(_load_statement(_dialect(session)), {"phone": phone, "sid": provider_sid})
        .mappings()
        .first()
    )
    if row is None:
        return None
    return LoadedTurn(
        contact=row["Contact"],
        state=_state(row, prefix="conv_"),
        seen=bool(row["seen"]),
        reference_version=int(row["reference_version"] or 0),
        handoff_waiting=bool(row["handoff_waiting"]),
    )


def _state(row: Any, prefix: str = "") -> ConversationState:
    return ConversationState(
        id=row[prefix + "id"],
        flow=row[prefix + "flow"],
        step=row[prefix + "step"],
        slots=dict(row[prefix + "slots"] or {}),
        misunderstandings=row[prefix + "misunderstandings"],
        expires_at=row[prefix + "expires_at"],
        version=row[prefix + "version"],
        stack=list(row[prefix + "stack"] or []),
        trail=list(row[prefix + "trail"] or []),
    )


def create_contact(session: Session, phone: str, language: str, now: dt.datetime) -> None:
    """Create the contact with this number and an empty conversation, unless they exist."""
    dialect = _dialect(session)
    connection = session.connection()
    key = ("create", dialect)
    if key not in _statements:
        contact = upsert_insert(dialect, CONTACTS).on_conflict_do_nothing(index_elements=["phone"])
        conversation = upsert_insert(dialect, CONVERSATIONS).from_select(
            ["contact_id", "slots", "stack", "trail", "misunderstandings", "version", "updated_at"],
            sa.select(
                CONTACTS.c.id,
                sa.bindparam("slots", type_=CONVERSATIONS.c.slots.type),
                sa.bindparam("stack", type_=CONVERSATIONS.c.stack.type),
                sa.bindparam("trail", type_=CONVERSATIONS.c.trail.type),
                sa.literal(0),
                sa.literal(1),
                sa.bindparam("now", type_=CONVERSATIONS.c.updated_at.type),
            ).where(CONTACTS.c.phone == sa.bindparam("phone")),
        )
        _statements[key] = (
            contact,
            conversation.on_conflict_do_nothing(index_elements=["contact_id"]),
        )
    insert_contact, insert_conversation = _statements[key]
    connection.execute(insert_contact, {"phone": phone, "language": language, "created_at": now})
    connection.execute(
        insert_conversation, {"phone": phone, "slots": {}, "stack": [], "trail": [], "now": now}
    )


def store_inbound(
    session: Session,
    contact_id: int,
    values: dict[str, Any],
    now: dt.datetime,
    *,
    status: str = "received",
    erased_checked: bool = False,
) -> int | None:
    """Store an inbound message; its id, or None for a redelivery or an erased message id.

    `values` are the message's columns (provider_sid, channel, body, media, extra); `status`
    what became of it. `erased_checked`: the caller already knows the id was not erased.
    """
    connection = session.connection()
    if not erased_checked:
        erased = connection.execute(_ERASED, {"sid": values["provider_sid"]})
        if erased.first() is not None:
            return None
    dialect = _dialect(session)
    key = ("inbound", dialect)
    if key not in _statements:
        _statements[key] = (
            upsert_insert(dialect, MESSAGES)
            .on_conflict_do_nothing(index_elements=["provider_sid"])
            .returning(MESSAGES.c.id)
        )
    row = connection.execute(
        _statements[key], _inbound_row(contact_id, values, now, status)
    ).first()
    return int(row[0]) if row is not None else None


_ERASED = sa.select(ERASED.c.provider_sid).where(ERASED.c.provider_sid == sa.bindparam("sid"))
_SET_STATUS = (
    sa.update(MESSAGES)
    .where(MESSAGES.c.id == sa.bindparam("message_id"))
    .values(status=sa.bindparam("status"))
)


def set_inbound_status(session: Session, message_id: int, status: str) -> None:
    """Record what became of an inbound message (processed, held_for_human, ignored, ...)."""
    session.connection().execute(_SET_STATUS, {"message_id": message_id, "status": status})


def replies_to(session: Session, provider_sid: str) -> list[str]:
    """The replies logged for the message with this provider id, in order (a redelivery
    gets the answer of the first processing)."""
    inbound = sa.select(MESSAGES.c.id).where(MESSAGES.c.provider_sid == provider_sid)
    rows = session.execute(
        sa.select(MESSAGES.c.body)
        .where(MESSAGES.c.reply_to_id == inbound.scalar_subquery())
        .order_by(MESSAGES.c.id)
    )
    return [str(row[0]) for row in rows]


def lock_conversation(session: Session, contact_id: int, now: dt.datetime) -> ConversationState:
    """The contact's conversation, locked for this transaction (created when missing)."""
    query = sa.select(CONVERSATIONS).where(CONVERSATIONS.c.contact_id == contact_id)
    locked = query.with_for_update()
    row = session.execute(locked).mappings().first()
    if row is None:
        session.execute(
            upsert_insert(_dialect(session), CONVERSATIONS)
            .values(
                contact_id=contact_id,
                slots={},
                stack=[],
                trail=[],
                misunderstandings=0,
                version=1,
                updated_at=now,
            )
            .on_conflict_do_nothing(index_elements=["contact_id"])
        )
        row = session.execute(locked).mappings().one()
    return _state(row)


_SAVE = (
    sa.update(CONVERSATIONS)
    .where(
        CONVERSATIONS.c.id == sa.bindparam("state_id"),
        CONVERSATIONS.c.version == sa.bindparam("old_version"),
    )
    .values(
        {
            name: sa.bindparam("new_" + name, type_=CONVERSATIONS.c[name].type)
            for name in (
                "flow",
                "step",
                "slots",
                "stack",
                "trail",
                "misunderstandings",
                "expires_at",
                "updated_at",
                "version",
            )
        }
    )
)


def save_conversation(
    session: Session, state: ConversationState, now: dt.datetime, idle: dt.timedelta
) -> None:
    """Write the new state back; StaleConversation when someone else changed it meanwhile."""
    result = session.connection().execute(_SAVE, _save_params(state, now, idle))
    if result.rowcount != 1:
        raise StaleConversation(f"conversation {state.id} changed underneath us")
    state.version += 1


def _save_params(state: ConversationState, now: dt.datetime, idle: dt.timedelta) -> dict[str, Any]:
    return {
        "state_id": state.id,
        "old_version": state.version,
        "new_flow": state.flow,
        "new_step": state.step,
        "new_slots": state.slots,
        "new_stack": state.stack,
        "new_trail": state.trail,
        "new_misunderstandings": state.misunderstandings,
        "new_expires_at": now + idle,
        "new_updated_at": now,
        "new_version": state.version + 1,
    }


_CONTACT_COLUMNS = tuple(column.name for column in CONTACTS.c if column.name != "id")
_SAVE_CONTACT = sa.update(CONTACTS).where(CONTACTS.c.id == sa.bindparam("contact_key"))


def save_contact(session: Session, contact: Contact) -> None:
    """Write what the turn changed on the contact in one UPDATE, and leave the object out of
    the commit's unit of work (a flush of one object costs more than the statement)."""
    state = sa.inspect(contact)
    if contact.id is None or state.deleted or contact in session.deleted:
        return  # created or deleted in this turn: the ORM's business
    changes = {
        key: getattr(contact, key)
        for key in _CONTACT_COLUMNS
        if state.attrs[key].history.has_changes()
    }
    if changes:
        session.connection().execute(_SAVE_CONTACT, {"contact_key": contact.id, **changes})
    session.expunge(contact)


@dataclass
class Replies:
    """The replies to log for an inbound message."""

    texts: list[str]
    status: str  # "reply" (went back in the webhook's answer), "late" or "pending" (outbox)
    channel: str
    at: dt.datetime


def finish_turn(
    session: Session,
    state: ConversationState,
    now: dt.datetime,
    idle: dt.timedelta,
    contact_id: int,
    inbound: dict[str, Any],
    status: str,
    replies: Replies,
) -> int | None:
    """Save the new state (StaleConversation when someone changed it), store the inbound
    message with what became of it and log the replies; the message's id, or None when its
    provider id was stored meanwhile (a redelivery: the caller rolls back).

    On PostgreSQL this is one statement (data-modifying CTEs): one round trip, not three.
    """
    if _dialect(session) != "postgresql":
        save_conversation(session, state, now, idle)
        message_id = store_inbound(
            session, contact_id, inbound, now, status=status, erased_checked=True
        )
        if message_id is not None:
            log_replies(
                session,
                contact_id,
                message_id,
                replies.texts,
                replies.at,
                status=replies.status,
                channel=replies.channel,
            )
        return message_id
    params: dict[str, Any] = {
        **_save_params(state, now, idle),
        **{
            "in_" + key: value
            for key, value in _inbound_row(contact_id, inbound, now, status).items()
        },
        "r_contact": contact_id,
        "r_channel": replies.channel,
        "r_status": replies.status,
        "r_at": replies.at,
        "r_next": replies.at if replies.status == "pending" else None,
    }
    for position, text in enumerate(replies.texts):
        params[f"r_body_{position}"] = text
    row = session.connection().execute(_finish_statement(len(replies.texts)), params).one()
    if row.saved != 1:
        raise StaleConversation(f"conversation {state.id} changed underneath us")
    state.version += 1
    return int(row.message_id) if row.message_id is not None else None


_INBOUND_COLUMNS = (
    "contact_id",
    "direction",
    "provider_sid",
    "channel",
    "body",
    "media",
    "extra",
    "template_key",
    "status",
    "attempts",
    "created_at",
    "updated_at",
)


def _inbound_row(
    contact_id: int, values: dict[str, Any], now: dt.datetime, status: str
) -> dict[str, Any]:
    return {
        "contact_id": contact_id,
        "direction": "in",
        "status": status,
        "attempts": 0,
        "template_key": None,
        "created_at": now,
        "updated_at": now,
        **values,
    }


def _finish_statement(replies: int) -> Any:
    key = ("finish", str(replies))
    if key in _statements:
        return _statements[key]
    saved = _SAVE.returning(CONVERSATIONS.c.id).cte("saved")
    inbound = (
        postgresql.insert(MESSAGES)
        .values(
            {
                name: sa.bindparam("in_" + name, type_=MESSAGES.c[name].type)
                for name in _INBOUND_COLUMNS
            }
        )
        .on_conflict_do_nothing(index_elements=["provider_sid"])
        .returning(MESSAGES.c.id)
        .cte("inbound")
    )
    statement = sa.select(
        sa.select(inbound.c.id).scalar_subquery().label("message_id"),
        sa.select(sa.func.count()).select_from(saved).scalar_subquery().label("saved"),
    )
    if replies:
        at_type = MESSAGES.c.created_at.type
        rows = sa.union_all(
            *(
                sa.select(
                    sa.literal(position, sa.Integer).label("position"),
                    sa.bindparam(f"r_body_{position}", type_=sa.Text).label("body"),
                )
                for position in range(replies)
            )
        ).subquery("reply_rows")
        logged = sa.insert(MESSAGES).from_select(
            [
                "contact_id",
                "direction",
                "channel",
                "body",
                "status",
                "attempts",
                "reply_to_id",
                "next_attempt_at",
                "created_at",
                "updated_at",
            ],
            sa.select(
                sa.bindparam("r_contact", type_=sa.Integer),
                sa.literal("out"),
                sa.bindparam("r_channel", type_=sa.String),
                rows.c.body,
                sa.bindparam("r_status", type_=sa.String),
                sa.literal(0),
                inbound.c.id,
                sa.bindparam("r_next", type_=at_type),
                sa.bindparam("r_at", type_=at_type),
                sa.bindparam("r_at", type_=at_type),
            )
            .select_from(inbound)
            .join(rows, sa.true())
            .order_by(rows.c.position),
        )
        statement = statement.add_cte(logged.cte("logged"))
    _statements[key] = statement
    return statement


_LOG_REPLIES = sa.insert(MESSAGES)


def log_replies(
    session: Session,
    contact_id: int,
    reply_to_id: int | None,
    texts: list[str],
    now: dt.datetime,
    *,
    status: str = "reply",
    channel: str = "whatsapp",
) -> None:
    """Log the replies to a message in one INSERT. ``status`` "reply" means they went back in
    the webhook's answer; "pending" puts them in the outbox for the dispatcher."""
    if not texts:
        return
    session.connection().execute(
        _LOG_REPLIES,
        [
            {
                "contact_id": contact_id,
                "direction": "out",
                "channel": channel,
                "body": text,
                "status": status,
                "attempts": 0,
                "reply_to_id": reply_to_id,
                "next_attempt_at": now if status == "pending" else None,
                "created_at": now,
                "updated_at": now,
            }
            for text in texts
        ],
    )


# --- the contact's "message came in" columns, written with the turn's other contact changes ---

_NOTED = "eklinik_noted_inbound"
# The time of the last message is written again only when it moved this much: a chat of quick
# messages then costs no contact UPDATE per message. The stored time is never later than the
# real one, so the 24-hour window it opens closes at most this early, on the safe side.
INBOUND_TIME_STEP = dt.timedelta(minutes=2)


def note_inbound(
    contact: Contact, *, now: dt.datetime, channel: str, profile_name: str | None
) -> list[str]:
    """When, on which channel and under which profile name the contact wrote: seen by the
    whole turn at once, but written only with the turn's other changes of the contact (an
    early flush would cost a second UPDATE). Returns the columns to write."""
    values: dict[str, Any] = {"last_channel": channel}
    last = contact.last_inbound_at
    if last is None or not dt.timedelta(0) <= now - last < INBOUND_TIME_STEP:
        values["last_inbound_at"] = now
    if profile_name:
        values["profile_name"] = profile_name[:200]
    changed = [key for key, value in values.items() if getattr(contact, key) != value]
    for key in changed:
        set_committed_value(contact, key, values[key])
    return changed


def write_noted_with_the_turn(session: Session, contact: Contact, keys: list[str]) -> None:
    """Have the noted columns written by the next flush of the contact (or `write_noted`)."""
    session.info[_NOTED] = (contact, keys)


@event.listens_for(Session, "before_flush")
def _write_noted_with_other_changes(session: Session, *_: Any) -> None:
    contact, _keys = session.info.get(_NOTED, (None, None))
    if contact is not None and contact in session.dirty:
        write_noted(session)


def write_noted(session: Session) -> None:
    """Mark the noted columns for the next flush (with whatever else changed: one UPDATE)."""
    contact, keys = session.info.pop(_NOTED, (None, ()))
    for key in keys:
        flag_modified(contact, key)
