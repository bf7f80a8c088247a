"""A person's rights under UU PDP: a copy of their data, and its erasure.

Erasure follows the foreign keys of every table (also the tables other areas add later): a row
that cannot exist without the erased one is erased with it, an optional reference to it is
cleared. Each erased message leaves a tombstone of its provider id (no personal data), so a
webhook the provider redelivers, or someone replays, after the erasure is not stored again.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, SQLModel, col, select

from storage.db import erase_leftovers, is_sqlite, is_transient, transaction
from storage.models import (
    Contact,
    Conversation,
    ErasedMessage,
    Handoff,
    Message,
    Reservation,
    ReservationEvent,
    import_table_modules,
)

log = logging.getLogger(__name__)

ERASE_ATTEMPTS = 4
MAX_DEPTH = 6  # foreign-key chains are short; a deeper one means a cycle


class ErasureFailed(Exception):
    """The person's data could not be erased now (nothing was erased); try again."""


class NoSuchPerson(Exception):
    """No contact is stored with that number."""


def _plain(row: SQLModel) -> dict[str, Any]:
    data = row.model_dump()
    return {
        k: v.isoformat() if isinstance(v, dt.datetime | dt.date | dt.time) else v
        for k, v in data.items()
    }


def _plain_mapping(data: Any) -> dict[str, Any]:
    return {
        k: v.isoformat() if isinstance(v, dt.datetime | dt.date | dt.time) else v
        for k, v in dict(data).items()
    }


KNOWN_TABLES = frozenset(
    {"contacts", "conversations", "messages", "reservations", "reservation_events", "handoffs"}
)


def export_contact(session: Session, contact: Contact) -> dict[str, Any]:
    """Everything stored about one person, as JSON-ready data."""
    reservations = session.exec(
        select(Reservation).where(Reservation.contact_id == contact.id)
    ).all()
    ids = [r.id for r in reservations]
    data: dict[str, Any] = {
        "contact": _plain(contact),
        "conversation": [
            _plain(c)
            for c in session.exec(select(Conversation).where(Conversation.contact_id == contact.id))
        ],
        "messages": [
            _plain(m)
            for m in session.exec(
                select(Message).where(Message.contact_id == contact.id).order_by(col(Message.id))
            )
        ],
        "reservations": [_plain(r) for r in reservations],
        "reservation_events": [
            _plain(e)
            for e in session.exec(
                select(ReservationEvent).where(col(ReservationEvent.reservation_id).in_(ids))
            )
        ],
        "handoffs": [
            _plain(h) for h in session.exec(select(Handoff).where(Handoff.contact_id == contact.id))
        ],
    }
    # the rows of other areas' tables that point at the person or their reservations
    assert contact.id is not None
    parents = {"contacts": [contact.id], "reservations": [i for i in ids if i is not None]}
    for table, column, parent in _references(set(parents)):
        if table.name in KNOWN_TABLES or not parents[parent]:
            continue
        rows = (
            session.connection()
            .execute(sa.select(table).where(column.in_(parents[parent])))
            .mappings()
        )
        data.setdefault(table.name, []).extend(_plain_mapping(r) for r in rows)
    return data


def forget_contact(
    session: Session, contact: Contact, now: dt.datetime | None = None
) -> dict[str, int]:
    """Erase the person and everything linked to them; returns how many rows of each table.

    Call it in a transaction of its own (see `erase_person`, which also retries). The
    contact's row is locked first, so a message of the same person being processed right now
    either finishes before (and is erased too) or waits and then starts a new contact.
    """
    assert contact.id is not None
    now = now or dt.datetime.now(dt.UTC)
    _lock_contact(session, contact.id)
    counts: dict[str, int] = {}
    _erase(session, _table("contacts"), [contact.id], counts, now, depth=0)
    session.expunge(contact)
    return {name: n for name, n in counts.items() if n}


def erase_person(engine: Engine, phone: str, now: dt.datetime) -> dict[str, int]:
    """Erase the contact with this E.164 number, retrying when a chat of theirs races us.

    Raises NoSuchPerson, or ErasureFailed when it keeps failing (nothing is erased then).
    """
    last: Exception | None = None
    for attempt in range(ERASE_ATTEMPTS):
        try:
            with transaction(engine) as session:
                contact = session.exec(select(Contact).where(Contact.phone == phone)).first()
                if contact is None:
                    raise NoSuchPerson(phone)
                counts = forget_contact(session, contact, now)
            break
        except (IntegrityError, DBAPIError) as error:
            if not (isinstance(error, IntegrityError) or is_transient(error)) and not _timed_out(
                error
            ):
                raise ErasureFailed(_reason(error)) from error
            last = error
            log.warning("erasure attempt %d raced a chat: %s", attempt + 1, _reason(error))
    else:
        raise ErasureFailed(_reason(last)) from last
    try:
        erase_leftovers(engine)
    except Exception as error:  # the rows are gone; only the file clean-up waits
        log.warning("erased, but the database file is not compacted yet: %s", error)
    return counts


def _timed_out(error: BaseException) -> bool:
    sqlstate = getattr(getattr(error, "orig", None), "sqlstate", None)
    return sqlstate in ("55P03", "57014")  # lock_not_available, query_canceled (timeouts)


def _reason(error: BaseException | None) -> str:
    if error is None:
        return "unknown error"
    original = getattr(error, "orig", None) or error
    return type(original).__name__


def _lock_contact(session: Session, contact_id: int) -> None:
    connection = session.connection()
    if is_sqlite(connection.engine):
        return  # the transaction already holds SQLite's only write lock
    connection.execute(
        sa.select(_table("contacts").c.id)
        .where(_table("contacts").c.id == contact_id)
        .with_for_update()
    )


def _table(name: str) -> sa.Table:
    import_table_modules()
    return SQLModel.metadata.tables[name]


def _references(parents: set[str]) -> list[tuple[sa.Table, sa.Column[Any], str]]:
    """(table, column, parent table) for every foreign key pointing at one of `parents`."""
    import_table_modules()
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for key in table.foreign_keys:
            parent = key.column.table.name
            if parent in parents and key.parent.table is table:
                found.append((table, key.parent, parent))
    return found


def _erase(
    session: Session,
    table: sa.Table,
    ids: list[Any],
    counts: dict[str, int],
    now: dt.datetime,
    depth: int,
) -> None:
    """Erase the rows of `table` with these primary keys, and what depends on them first."""
    if not ids:
        return
    if depth > MAX_DEPTH:
        raise RuntimeError(f"foreign keys of {table.name} form a cycle")
    connection = session.connection()
    if table.name == "messages":
        _tombstone(connection, ids, now)
    for child, column, _parent in _references({table.name}):
        pointing = column.in_(ids)
        key = next(iter(column.foreign_keys))
        if column.nullable and (child is table or (key.ondelete or "").upper() != "CASCADE"):
            # an optional reference (a reply to an erased message, a room's booking): cleared
            connection.execute(sa.update(child).where(pointing).values({column.name: None}))
            continue
        primary = list(child.primary_key.columns)
        child_ids = list(connection.execute(sa.select(*primary).where(pointing)).scalars())
        _erase(session, child, child_ids, counts, now, depth + 1)
    primary_key = next(iter(table.primary_key.columns))
    result = connection.execute(sa.delete(table).where(primary_key.in_(ids)))
    counts[table.name] = counts.get(table.name, 0) + int(result.rowcount)


def _tombstone(connection: sa.Connection, message_ids: list[Any], now: dt.datetime) -> None:
    messages = _table("messages")
    erased = _table("erased_messages")
    sids = connection.execute(
        sa.select(messages.c.provider_sid).where(
            messages.c.id.in_(message_ids), messages.c.provider_sid.is_not(None)
        )
    ).scalars()
    fresh = set(sids)
    if not fresh:
        return
    known = set(
        connection.execute(
            sa.select(erased.c.provider_sid).where(erased.c.provider_sid.in_(fresh))
        ).scalars()
    )
    rows = [{"provider_sid": sid, "erased_at": now} for sid in sorted(fresh - known)]
    if rows:
        connection.execute(sa.insert(ErasedMessage), rows)
