"""The durable outbox: proactive messages are rows first, and a dispatcher sends them.

Rows are claimed in a short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite
serialises writers), sent outside it, and the result is recorded in another. A failed send
is retried with exponential backoff. A row whose sender died mid-send is not retried (the
provider may have accepted it): it is marked failed for an administrator to look at, so a
message is never sent twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.clock import Clock
from bot.transports.base import OutboundMessage, Transport, TransportError
from storage.db import is_sqlite, transaction
from storage.models import Contact, Message

log = logging.getLogger(__name__)

WINDOW = dt.timedelta(hours=24)  # WhatsApp's customer-service window
LEASE = dt.timedelta(minutes=5)
BASE_DELAY = dt.timedelta(seconds=30)
MAX_DELAY = dt.timedelta(hours=1)
MAX_ATTEMPTS = 8

PENDING = "pending"  # waiting in the outbox (distinct from the provider's own "queued")

# Delivery statuses in the order they can only move forward.
STATUS_RANK = {
    "accepted": 0,
    "queued": 0,
    "scheduled": 0,
    "sending": 1,
    "sent": 2,
    "failed": 3,
    "undelivered": 3,
    "delivered": 4,
    "read": 5,
}


def enqueue(
    session: Session,
    contact: Contact,
    body: str,
    now: dt.datetime,
    *,
    template_key: str | None = None,
    dedupe_key: str | None = None,
    content_sid: str | None = None,
    content_variables: dict[str, Any] | None = None,
    send_at: dt.datetime | None = None,
) -> Message:
    """Queue a message in the caller's transaction; a repeated dedupe key returns the first row."""
    assert contact.id is not None
    extra = {"content_sid": content_sid, "content_variables": content_variables or {}}
    message = Message(
        contact_id=contact.id,
        direction="out",
        body=body,
        template_key=template_key,
        dedupe_key=dedupe_key,
        status=PENDING,
        next_attempt_at=send_at or now,
        extra=extra if content_sid else None,
        created_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(message)
    except IntegrityError:
        if dedupe_key is None:
            raise
        existing = session.exec(select(Message).where(Message.dedupe_key == dedupe_key)).first()
        if existing is None:
            raise
        return existing
    return message


@dataclass
class DispatchReport:
    """What one dispatcher pass did."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    suppressed: int = 0


def backoff(attempts: int) -> dt.timedelta:
    """Delay before the next try after `attempts` failures: 30 s, 1 min, 2 min, ... up to 1 h."""
    delay = BASE_DELAY * (2 ** max(attempts - 1, 0))
    return min(delay, MAX_DELAY)


def _claim(db: Engine, now: dt.datetime, batch: int) -> list[int]:
    with transaction(db) as session:
        expired = session.exec(
            select(Message).where(
                Message.direction == "out",
                Message.status == "sending",
                col(Message.next_attempt_at) <= now,
            )
        ).all()
        for row in expired:
            row.status = "failed"
            row.last_error = "interrupted while sending; not retried so it is never sent twice"
            row.updated_at = now
        query = (
            select(Message)
            .where(
                Message.direction == "out",
                Message.status == PENDING,
                col(Message.next_attempt_at) <= now,
            )
            .order_by(col(Message.next_attempt_at), col(Message.id))
            .limit(batch)
        )
        if not is_sqlite(db):
            query = query.with_for_update(skip_locked=True)
        rows = session.exec(query).all()
        for row in rows:
            row.status = "sending"
            row.attempts += 1
            row.next_attempt_at = now + LEASE
            row.updated_at = now
        return [row.id for row in rows if row.id is not None]


def _outbound_for(session: Session, row: Message, callback: str | None) -> OutboundMessage:
    contact = session.get(Contact, row.contact_id)
    assert contact is not None
    extra = row.extra or {}
    return OutboundMessage(
        to=contact.phone,
        body=row.body,
        content_sid=extra.get("content_sid"),
        content_variables=extra.get("content_variables") or {},
        status_callback=callback,
    )


def _blocked_reason(contact: Contact, row: Message, now: dt.datetime) -> str | None:
    if contact.opted_out_at is not None:
        return "contact opted out"
    has_template = bool((row.extra or {}).get("content_sid"))
    inside_window = contact.last_inbound_at is not None and now - contact.last_inbound_at < WINDOW
    if not has_template and not inside_window:
        return "outside the 24-hour window and no approved template"
    return None


def dispatch_due(
    db: Engine,
    transport: Transport,
    clock: Clock,
    *,
    batch: int = 20,
    status_callback: str | None = None,
) -> DispatchReport:
    """Send the messages that are due; safe to run from several workers at once."""
    report = DispatchReport()
    for message_id in _claim(db, clock.now(), batch):
        with transaction(db) as session:
            row = session.get(Message, message_id)
            assert row is not None
            contact = session.get(Contact, row.contact_id)
            assert contact is not None
            blocked = _blocked_reason(contact, row, clock.now())
            outbound = None if blocked else _outbound_for(session, row, status_callback)
            if blocked:
                row.status = "suppressed"
                row.last_error = blocked
                row.updated_at = clock.now()
                report.suppressed += 1
        if outbound is None:
            continue
        try:
            result = transport.send(outbound)
        except TransportError as exc:
            _record_failure(db, message_id, exc, clock.now(), report)
            continue
        except Exception as exc:  # a bug or an odd row must not strand the rest of the batch
            log.exception("unexpected error sending message %s", message_id)
            _record_failure(
                db, message_id, TransportError(repr(exc), retryable=False), clock.now(), report
            )
            continue
        _record_sent(db, message_id, result.provider_sid, result.status, clock.now())
        report.sent += 1
    return report


def _record_sent(
    db: Engine, message_id: int, provider_sid: str, status: str, now: dt.datetime
) -> None:
    with transaction(db) as session:
        row = session.get(Message, message_id)
        assert row is not None
        row.provider_sid = provider_sid
        row.next_attempt_at = None
        row.last_error = None
        row.updated_at = now
        # a status callback may have arrived first: never move the status backwards
        if row.status == "sending" or STATUS_RANK.get(status, 2) > STATUS_RANK.get(row.status, -1):
            row.status = status if status in STATUS_RANK else "sent"


def _record_failure(
    db: Engine, message_id: int, exc: TransportError, now: dt.datetime, report: DispatchReport
) -> None:
    with transaction(db) as session:
        row = session.get(Message, message_id)
        assert row is not None
        row.last_error = f"{exc.code or ''} {exc}".strip()[:1000]
        row.updated_at = now
        if exc.retryable and row.attempts < MAX_ATTEMPTS:
            row.status = PENDING
            row.next_attempt_at = now + backoff(row.attempts)
            report.retried += 1
        else:
            row.status = "failed"
            row.next_attempt_at = None
            report.failed += 1
    log.warning("send of message %s failed: %s", message_id, exc)


def record_status(
    db: Engine, provider_sid: str, status: str, error_code: str | None, now: dt.datetime
) -> bool:
    """Move a message's delivery status forward; a late or unknown status changes nothing."""
    rank = STATUS_RANK.get(status)
    if rank is None:
        return False
    lower = [name for name, r in STATUS_RANK.items() if r < rank]
    values: dict[str, Any] = {"status": status, "updated_at": now}
    if error_code:
        values["last_error"] = f"provider error {error_code}"[:1000]
    with transaction(db) as session:
        result = session.execute(
            sa.update(Message)
            .where(col(Message.provider_sid) == provider_sid, col(Message.status).in_(lower))
            .values(**values)
        )
        return bool(getattr(result, "rowcount", 0))
