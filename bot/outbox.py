"""The durable outbox: proactive messages are rows first, and a dispatcher sends them.

One dispatcher pass:

1. **Claim** a batch in one short transaction (``FOR UPDATE SKIP LOCKED`` on PostgreSQL;
   SQLite serialises writers). In the same transaction each row is checked: opted out,
   no consent to announcements, past its validity, its reservation changed (a reminder of a
   cancelled or moved session), outside WhatsApp's 24-hour window without a template. Rows
   that may go get send slots of their sender's shared rate.
2. **Send** outside any transaction, concurrently (a few threads, kept-alive connections),
   each send starting no earlier than its slot.
3. **Record** every result in one transaction: provider ids and statuses in one executemany,
   failures with backoff and jitter, and the status callbacks that arrived before their send
   was recorded.

A send that timed out may have been accepted: the row becomes ``uncertain`` and, before any
resend, the provider is asked what it accepted since the attempt (bot.services.delivery_lookup).
A row whose worker died mid-send is treated the same way when its lease expires.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.clock import Clock
from bot.delivery_settings import DeliverySettings
from bot.services import delivery_pace
from bot.services.delivery_errors import Verdict, verdict
from bot.services.delivery_lookup import find_sent, has_template
from bot.transports.base import OutboundMessage, SendResult, TemplateRef, Transport, TransportError
from storage.db import is_sqlite, transaction
from storage.models import Contact, Message, Reservation
from storage.models_delivery import EarlyStatus

log = logging.getLogger(__name__)
# The Twilio SDK logs every request's method, URL and headers at INFO: not in our logs.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)

WINDOW = dt.timedelta(hours=24)  # WhatsApp's customer-service window
LEASE = dt.timedelta(minutes=5)
UNCERTAIN_DELAY = dt.timedelta(seconds=20)  # let the provider's list catch up before looking
BASE_DELAY = dt.timedelta(seconds=30)
MAX_DELAY = dt.timedelta(hours=1)
MAX_ATTEMPTS = 8
MAX_VALIDITY = 36000  # seconds; Twilio's ValidityPeriod upper bound
EARLY_STATUS_KEPT = dt.timedelta(days=2)

PENDING = "pending"  # waiting in the outbox (distinct from the provider's own "queued")
WAITING = "waiting"  # held back: outside the 24-hour window and no template (last_error says)
UNCERTAIN = "uncertain"  # a send may have been accepted: look it up before resending
SENDING = "sending"
SUPPRESSED = "suppressed"  # never to be sent: opted out, no consent (last_error says)
EXPIRED = "expired"  # no longer meaningful when it could have left
WITHDRAWN = "withdrawn"  # its cause went away (reservation cancelled or moved)
CLAIMABLE = (PENDING, WAITING, UNCERTAIN)

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
# A provider failure reported later that means "too fast", not "never": send again.
RESEND_ON_STATUS_CODES = frozenset({"63018", "130429"})


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
    template: TemplateRef | None = None,
    buttons: Sequence[str] = (),
    kind: str | None = None,
    reservation_id: int | None = None,
    valid_until: dt.datetime | None = None,
    channel: str | None = None,
    reply_to_id: int | None = None,
    expect: dict[str, Any] | None = None,
) -> Message:
    """Queue a message in the caller's transaction; a repeated dedupe key returns the first row.

    ``template`` is what goes out instead of ``body`` outside the 24-hour window (without one
    the row waits for the person to write). ``buttons`` are quick answers. ``valid_until``:
    not sent after that. ``expect``: the reservation must still match (``status``: allowed
    statuses, ``starts_at``: ISO time) when it is sent, or the row is withdrawn.
    """
    assert contact.id is not None
    extra: dict[str, Any] = {}
    if content_sid:
        extra["content_sid"] = content_sid
        extra["content_variables"] = content_variables or {}
    if template is not None:
        extra["template"] = {
            "name": template.name,
            "language": template.language,
            "variables": dict(template.variables),
        }
    if buttons:
        extra["buttons"] = list(buttons)
    if expect:
        extra["expect"] = expect
    message = Message(
        contact_id=contact.id,
        direction="out",
        body=body,
        channel=channel or contact.last_channel or "whatsapp",
        template_key=template_key,
        dedupe_key=dedupe_key,
        status=PENDING,
        next_attempt_at=send_at or now,
        extra=extra or None,
        kind=kind,
        reservation_id=reservation_id,
        valid_until=valid_until,
        reply_to_id=reply_to_id,
        created_at=now,
        updated_at=now,
    )
    if dedupe_key is not None:
        existing = session.exec(select(Message).where(Message.dedupe_key == dedupe_key)).first()
        if existing is not None:
            return existing
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
    waiting: int = 0
    expired: int = 0
    withdrawn: int = 0
    reconciled: int = 0

    @property
    def claimed(self) -> int:
        """Rows this pass took a decision on."""
        return (
            self.sent
            + self.retried
            + self.failed
            + self.suppressed
            + self.waiting
            + self.expired
            + self.withdrawn
            + self.reconciled
        )


def backoff(attempts: int, rng: random.Random | None = None) -> dt.timedelta:
    """Delay before the next try after `attempts` failures: about 30 s, 1 min, 2 min, ... up to
    1 h, less up to a quarter at random so that rows failed together do not retry together."""
    delay = min(BASE_DELAY * (2 ** max(attempts - 1, 0)), MAX_DELAY)
    jitter = (rng or random).uniform(0.75, 1.0)
    return delay * jitter


# --- claiming ---------------------------------------------------------------------------


@dataclass
class Claimed:
    """A row taken for sending by this pass."""

    id: int
    outbound: OutboundMessage
    sender: str
    attempts: int
    uncertain_since: dt.datetime | None = None


@dataclass
class _Decision:
    status: str
    reason: str
    retry_at: dt.datetime | None = None


def _sweep_expired_leases(session: Session, now: dt.datetime) -> None:
    """Rows whose worker died while sending: look them up at the provider before any resend."""
    rows = session.exec(
        select(Message).where(
            Message.direction == "out",
            Message.status == SENDING,
            col(Message.next_attempt_at) <= now,
        )
    ).all()
    for row in rows:
        claimed_at = (row.next_attempt_at or now) - LEASE
        row.extra = {**(row.extra or {}), "sent_since": claimed_at.isoformat()}
        row.status = UNCERTAIN
        row.last_error = "interrupted while sending; checked with the provider before a resend"
        row.next_attempt_at = now
        row.updated_at = now


def _template_of(extra: dict[str, Any]) -> TemplateRef | None:
    found = extra.get("template")
    if not found:
        return None
    return TemplateRef(
        name=str(found["name"]),
        language=str(found.get("language") or "id"),
        variables={str(k): str(v) for k, v in (found.get("variables") or {}).items()},
    )


def _reservation_changed(expect: dict[str, Any], reservation: Reservation | None) -> str | None:
    if reservation is None:
        return "the reservation no longer exists"
    allowed = expect.get("status")
    if allowed and reservation.status not in allowed:
        return f"the reservation is now {reservation.status}"
    starts = expect.get("starts_at")
    if starts and reservation.starts_at != dt.datetime.fromisoformat(starts):
        return "the reservation was moved to another time"
    return None


def _channel_of(row: Message, contact: Contact) -> str | None:
    channel = row.channel if row.channel not in (None, "", "whatsapp") else contact.last_channel
    return channel or None


def _decide(
    row: Message,
    contact: Contact,
    reservation: Reservation | None,
    transport: Transport,
    now: dt.datetime,
    settings: DeliverySettings,
) -> tuple[_Decision | None, TemplateRef | None]:
    """Whether the row may go now; and the template to use (outside the window)."""
    extra = row.extra or {}
    if contact.opted_out_at is not None:
        return _Decision(SUPPRESSED, "contact opted out"), None
    if row.kind == "broadcast" and contact.announcements_consent is not True:
        return _Decision(SUPPRESSED, "no consent to announcements"), None
    if row.valid_until is not None and now >= row.valid_until:
        return _Decision(EXPIRED, "no longer meaningful when it could be sent"), None
    expect = extra.get("expect")
    if expect:
        changed = _reservation_changed(expect, reservation)
        if changed:
            return _Decision(WITHDRAWN, changed), None
    if row.reply_to_id is not None or extra.get("content_sid"):
        return None, None  # a reply is inside the window by nature; a ContentSid is a template
    inside = contact.last_inbound_at is not None and now - contact.last_inbound_at < WINDOW
    if inside and not extra.get("force_template"):
        return None, None
    template = _template_of(extra)
    waited_out = row.created_at + settings.template_wait <= now
    if template is None:
        reason = "outside the 24-hour window and this message has no approved template"
    else:
        probe = OutboundMessage(to=contact.phone, channel=_channel_of(row, contact))
        if has_template(transport, probe, template):
            return None, template
        reason = (
            f"outside the 24-hour window and the template {template.name!r} "
            f"({template.language}) is not configured for this channel"
        )
    if waited_out:
        return _Decision(EXPIRED, reason + "; given up"), None
    return _Decision(WAITING, reason, now + settings.waiting_recheck), None


def _outbound(
    row: Message,
    contact: Contact,
    template: TemplateRef | None,
    callback: str | None,
    now: dt.datetime,
) -> OutboundMessage:
    extra = row.extra or {}
    validity = None
    if row.valid_until is not None:
        validity = max(1, min(MAX_VALIDITY, int((row.valid_until - now).total_seconds())))
    return OutboundMessage(
        to=contact.phone,
        body=row.body,
        content_sid=extra.get("content_sid"),
        content_variables=extra.get("content_variables") or {},
        status_callback=callback,
        template=template,
        buttons=tuple(extra.get("buttons") or ()),
        channel=_channel_of(row, contact),
        validity_seconds=validity,
    )


def _claim(
    db: Engine,
    transport: Transport,
    now: dt.datetime,
    batch: int,
    callback: str | None,
    settings: DeliverySettings,
    report: DispatchReport,
) -> tuple[list[Claimed], dict[str, list[float]]]:
    """Take due rows, decide each, and reserve send slots for those that may go."""
    with transaction(db) as session:
        _sweep_expired_leases(session, now)
        query = (
            select(Message, Contact)
            .join(Contact, col(Contact.id) == col(Message.contact_id))
            .where(
                col(Message.status).in_(CLAIMABLE),
                col(Message.next_attempt_at) <= now,
                Message.direction == "out",
            )
            .order_by(col(Message.next_attempt_at), col(Message.id))
            .limit(batch)
        )
        if not is_sqlite(db):
            query = query.with_for_update(skip_locked=True, of=Message)
        pairs = session.exec(query).all()
        if not pairs:
            return [], {}
        reservation_ids = {m.reservation_id for m, _ in pairs if m.reservation_id is not None}
        reservations = (
            {
                r.id: r
                for r in session.exec(
                    select(Reservation).where(col(Reservation.id).in_(reservation_ids))
                )
            }
            if reservation_ids
            else {}
        )
        claimed: list[Claimed] = []
        for row, contact in pairs:
            assert row.id is not None
            reservation = reservations.get(row.reservation_id) if row.reservation_id else None
            decision, template = _decide(row, contact, reservation, transport, now, settings)
            if decision is not None:
                row.updated_at = now
                row.status = decision.status
                row.last_error = decision.reason
                row.next_attempt_at = decision.retry_at
                setattr(report, decision.status, getattr(report, decision.status) + 1)
                continue
            since = (row.extra or {}).get("sent_since") if row.status == UNCERTAIN else None
            outbound = _outbound(row, contact, template, callback, now)
            claimed.append(
                Claimed(
                    id=row.id,
                    outbound=outbound,
                    sender=outbound.channel or "default",
                    attempts=row.attempts + 1,
                    uncertain_since=dt.datetime.fromisoformat(since) if since else None,
                )
            )
        if claimed:  # one statement for the whole lease, not one per row
            session.execute(
                sa.update(_messages)
                .where(_messages.c.id.in_([c.id for c in claimed]))
                .values(
                    status=SENDING,
                    attempts=_messages.c.attempts + 1,
                    next_attempt_at=now + LEASE,
                    updated_at=now,
                )
            )
        counts: dict[str, int] = {}
        for item in claimed:
            counts[item.sender] = counts.get(item.sender, 0) + 1
        slots = {
            sender: delivery_pace.reserve(session, sender, n, settings.rate_per_second)
            for sender, n in counts.items()
        }
        return claimed, slots


# --- sending ----------------------------------------------------------------------------


@dataclass
class _Result:
    claimed: Claimed
    sent: SendResult | None = None
    error: TransportError | None = None
    reconciled: bool = False
    candidates: list[SendResult] = field(default_factory=list)


_executors: dict[int, ThreadPoolExecutor] = {}
_executors_lock = threading.Lock()


def _executor(size: int) -> ThreadPoolExecutor:
    with _executors_lock:
        if size not in _executors:
            _executors[size] = ThreadPoolExecutor(max_workers=size, thread_name_prefix="outbox")
        return _executors[size]


def _known_sids(db: Engine, sids: list[str]) -> set[str]:
    if not sids:
        return set()
    with transaction(db) as session:
        found = session.execute(
            sa.select(_messages.c.provider_sid).where(_messages.c.provider_sid.in_(sids))
        )
        return {str(sid) for sid in found.scalars()}


def _send_one(
    db: Engine, transport: Transport, item: Claimed, book: delivery_pace.SlotBook
) -> _Result:
    result = _Result(item)
    try:
        if item.uncertain_since is not None:
            found = find_sent(transport, item.outbound, item.uncertain_since)
            if found is None:
                result.error = TransportError(
                    "the provider may have accepted an earlier attempt and cannot be asked; "
                    "not resent so it is never delivered twice",
                    retryable=False,
                    code="uncertain",
                )
                return result
            known = _known_sids(db, [f.provider_sid for f in found])
            fresh = [f for f in found if f.provider_sid not in known]
            if fresh:
                result.sent, result.reconciled = fresh[0], True
                return result
        book.wait_turn()
        result.sent = transport.send(item.outbound)
    except TransportError as exc:
        result.error = exc
    except Exception as exc:  # a bug or an odd row must not strand the rest of the batch
        log.exception("unexpected error sending message %s", item.id)
        result.error = TransportError(repr(exc)[:500], retryable=False)
    return result


def _send_all(
    db: Engine,
    transport: Transport,
    claimed: list[Claimed],
    slots: dict[str, list[float]],
    settings: DeliverySettings,
) -> list[_Result]:
    books = {
        sender: delivery_pace.SlotBook(db, sender, settings.rate_per_second, taken)
        for sender, taken in slots.items()
    }
    if len(claimed) <= 1 or settings.concurrency <= 1:
        return [_send_one(db, transport, item, books[item.sender]) for item in claimed]
    pool = _executor(settings.concurrency)
    futures = [pool.submit(_send_one, db, transport, item, books[item.sender]) for item in claimed]
    return [future.result() for future in futures]


# --- recording --------------------------------------------------------------------------

_messages = Message.__table__  # type: ignore[attr-defined]
_RECORD_SENT = (
    sa.update(_messages)
    .where(_messages.c.id == sa.bindparam("b_id"), _messages.c.status == SENDING)
    .values(
        provider_sid=sa.bindparam("b_sid"),
        status=sa.bindparam("b_status"),
        next_attempt_at=None,
        last_error=None,
        updated_at=sa.bindparam("b_now"),
    )
)


def _status_of(result: SendResult) -> str:
    return result.status if result.status in STATUS_RANK else "sent"


def _record(
    db: Engine,
    results: list[_Result],
    now: dt.datetime,
    settings: DeliverySettings,
    report: DispatchReport,
) -> None:
    with transaction(db) as session:
        sent = [r for r in results if r.sent is not None]
        if sent:  # one prebuilt statement, executed for all rows at once (executemany)
            session.connection().execute(
                _RECORD_SENT,
                [
                    {
                        "b_id": r.claimed.id,
                        "b_sid": r.sent.provider_sid,
                        "b_status": _status_of(r.sent),
                        "b_now": now,
                    }
                    for r in sent
                    if r.sent is not None
                ],
            )
            for r in sent:
                if r.reconciled:
                    report.reconciled += 1
                else:
                    report.sent += 1
        for r in results:
            if r.error is not None:
                _record_failure(session, r.claimed, r.error, now, settings, report)
        apply_early_statuses(session, now)


def _record_failure(
    session: Session,
    item: Claimed,
    exc: TransportError,
    now: dt.datetime,
    settings: DeliverySettings,
    report: DispatchReport,
) -> None:
    row = session.get(Message, item.id)
    if row is None or row.status != SENDING:
        return
    kind = verdict(exc)
    row.last_error = f"{exc.code or ''} {exc}".strip()[:1000]
    row.updated_at = now
    extra = dict(row.extra or {})
    extra.pop("sent_since", None)
    if kind is Verdict.TEMPLATE and not extra.get("force_template") and extra.get("template"):
        extra["force_template"] = True  # the window closed before we knew: use the template
        row.status, row.next_attempt_at = PENDING, now
        report.retried += 1
    elif kind is Verdict.WAIT:
        row.status = WAITING
        row.next_attempt_at = now + settings.waiting_recheck
        row.last_error = "waiting: " + row.last_error
        report.waiting += 1
    elif kind is Verdict.TEMPLATE:
        row.status = WAITING
        row.next_attempt_at = now + settings.waiting_recheck
        row.last_error = "outside the 24-hour window and no approved template: " + row.last_error
        report.waiting += 1
    elif kind is Verdict.PERMANENT or row.attempts >= settings.max_attempts:
        row.status, row.next_attempt_at = "failed", None
        report.failed += 1
    elif kind is Verdict.UNCERTAIN:
        extra["sent_since"] = (now - LEASE).isoformat()
        row.status, row.next_attempt_at = UNCERTAIN, now + UNCERTAIN_DELAY
        report.retried += 1
    else:
        row.status, row.next_attempt_at = PENDING, now + backoff(row.attempts)
        report.retried += 1
    row.extra = extra or None
    log.warning("send of message %s failed (%s): %s", item.id, kind.value, exc.code or "-")


# --- status callbacks -------------------------------------------------------------------


def _lower_ranks(status: str) -> list[str]:
    rank = STATUS_RANK[status]
    return [name for name, r in STATUS_RANK.items() if r < rank] + [SENDING]


def _apply_status(
    session: Session, provider_sid: str, status: str, error_code: str | None, now: dt.datetime
) -> bool:
    values: dict[str, Any] = {"status": status, "updated_at": now}
    if error_code:
        values["last_error"] = f"provider error {error_code}"[:1000]
    if status in ("failed", "undelivered") and error_code in RESEND_ON_STATUS_CODES:
        row = session.exec(select(Message).where(Message.provider_sid == provider_sid)).first()
        if row is not None and row.attempts < MAX_ATTEMPTS and row.status in _lower_ranks(status):
            extra = dict(row.extra or {})
            extra.setdefault("earlier_sids", []).append(provider_sid)
            row.extra = extra
            row.provider_sid = None
            row.status, row.next_attempt_at = PENDING, now + backoff(row.attempts)
            row.last_error = f"provider rate limit ({error_code}); sent again later"
            row.updated_at = now
            return True
    result = session.execute(
        sa.update(Message)
        .where(
            col(Message.provider_sid) == provider_sid,
            col(Message.status).in_(_lower_ranks(status)),
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


def record_status(
    db: Engine, provider_sid: str, status: str, error_code: str | None, now: dt.datetime
) -> bool:
    """Move a message's delivery status forward; True when a message's status moved.

    A late or repeated status changes nothing. A status for a provider id not recorded yet
    (the callback beat our own bookkeeping) is kept and applied when the id is recorded.
    """
    status = status.lower()
    if status not in STATUS_RANK or not provider_sid.isprintable():
        return False  # not a status we know, or not an id we could have stored
    error_code = "".join(ch for ch in (error_code or "") if ch.isprintable()).strip()[:20] or None
    with transaction(db) as session:
        if _apply_status(session, provider_sid, status, error_code, now):
            return True
        known = session.exec(select(Message.id).where(Message.provider_sid == provider_sid)).first()
        if known is None:
            session.add(
                EarlyStatus(
                    provider_sid=provider_sid[:64],
                    status=status,
                    error_code=error_code,
                    received_at=now,
                )
            )
        return False


def apply_early_statuses(session: Session, now: dt.datetime) -> int:
    """Apply kept statuses whose message now has its provider id; drop very old ones."""
    rows = session.exec(
        select(EarlyStatus)
        .join(Message, col(Message.provider_sid) == col(EarlyStatus.provider_sid))
        .order_by(col(EarlyStatus.id))
    ).all()
    applied = 0
    for early in sorted(rows, key=lambda e: STATUS_RANK.get(e.status, 0)):
        applied += _apply_status(session, early.provider_sid, early.status, early.error_code, now)
        session.delete(early)
    session.execute(
        sa.delete(EarlyStatus).where(col(EarlyStatus.received_at) < now - EARLY_STATUS_KEPT)
    )
    return applied


# --- the pass ---------------------------------------------------------------------------


def dispatch_due(
    db: Engine,
    transport: Transport,
    clock: Clock,
    *,
    batch: int | None = None,
    status_callback: str | None = None,
    settings: DeliverySettings | None = None,
) -> DispatchReport:
    """Send one batch of the messages that are due; safe to run from several workers at once."""
    settings = settings or DeliverySettings()
    report = DispatchReport()
    size = batch or settings.batch
    if settings.rate_per_second > 0:  # never hold rows much longer than a few seconds of sends
        size = max(1, min(size, int(settings.rate_per_second * 5)))
    claimed, slots = _claim(db, transport, clock.now(), size, status_callback, settings, report)
    if claimed:
        results = _send_all(db, transport, claimed, slots, settings)
        _record(db, results, clock.now(), settings, report)
    return report


def dispatch_until_idle(
    db: Engine,
    transport: Transport,
    clock: Clock,
    *,
    status_callback: str | None = None,
    settings: DeliverySettings | None = None,
    max_passes: int = 1000,
) -> DispatchReport:
    """Run passes until nothing due is left (or `max_passes`); the totals of all passes."""
    total = DispatchReport()
    for _ in range(max_passes):
        report = dispatch_due(
            db, transport, clock, status_callback=status_callback, settings=settings
        )
        for name in total.__dataclass_fields__:
            setattr(total, name, getattr(total, name) + getattr(report, name))
        if report.claimed == 0:
            break
    return total
