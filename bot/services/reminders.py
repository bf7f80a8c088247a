"""Reminders, derived from the reservations: never stored ahead, so they cannot go stale.

Every derivation tick looks at the confirmed sessions ahead and, for each reminder offset
(by default one day and two hours before), computes when that reminder is due in the clinic's
timezone. A reminder due in the night (21:00-06:00) moves to 06:00, or is skipped when that is
too close to the session. Due reminders are queued with a key of reservation + kind + session
time, so a retried tick or a second worker queues one row; a reschedule gives new keys at the
new time; a cancel means the reservation is no longer derived from. The dispatcher checks the
reservation once more just before sending, and each reminder is valid only until the next one
(or shortly before the session), so a worker that was down sends what is still meaningful and
drops the rest.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot import outbox
from bot.delivery_settings import DeliverySettings
from bot.messages import MessageCatalog
from bot.services import delivery_render as render
from bot.transports.base import TemplateRef
from storage.models import Contact, Message, Reservation

if TYPE_CHECKING:
    from bot.engine import ConversationEngine

log = logging.getLogger(__name__)

LOOKAHEAD = dt.timedelta(minutes=2)  # queue a little early so the dispatcher sends on time
ANSWER_FLOW, ANSWER_STEP = "reminder_answer", "answer"
REMINDER_STATUSES = ("confirmed",)


@dataclass(frozen=True)
class PlannedReminder:
    """One reminder of one session: when it is due and until when it is worth sending."""

    kind: str
    due: dt.datetime
    valid_until: dt.datetime
    lead: str  # "day" (the day before) or "soon"


def kind_of(offset: dt.timedelta) -> str:
    """A reminder's kind from its offset: reminder_1d, reminder_2h, reminder_90m."""
    minutes = int(offset.total_seconds() // 60)
    if minutes % 1440 == 0:
        return f"reminder_{minutes // 1440}d"
    if minutes % 60 == 0:
        return f"reminder_{minutes // 60}h"
    return f"reminder_{minutes}m"


def _out_of_night(due: dt.datetime, tz: ZoneInfo, settings: DeliverySettings) -> dt.datetime:
    local = due.astimezone(tz)
    if not settings.is_quiet(local.time()):
        return due
    morning = dt.datetime.combine(local.date(), settings.quiet_end, tzinfo=tz)
    if morning < local:
        morning += dt.timedelta(days=1)
    return morning.astimezone(dt.UTC)


def plan(starts_at: dt.datetime, tz: ZoneInfo, settings: DeliverySettings) -> list[PlannedReminder]:
    """The reminders of a session starting at `starts_at`, earliest first."""
    latest = starts_at - settings.reminder_min_notice
    planned: list[tuple[str, dt.datetime, dt.timedelta]] = []
    for offset in sorted(set(settings.reminder_offsets), reverse=True):
        due = _out_of_night(starts_at - offset, tz, settings)
        if due > latest:
            continue  # moved out of the night too close to the session: skipped
        if planned and due <= planned[-1][1]:
            planned.pop()  # the night pushed the earlier one onto this one: send only this
        planned.append((kind_of(offset), due, offset))
    result = []
    for i, (kind, due, offset) in enumerate(planned):
        until = planned[i + 1][1] if i + 1 < len(planned) else latest
        lead = "day" if offset >= dt.timedelta(hours=12) else "soon"
        result.append(PlannedReminder(kind=kind, due=due, valid_until=until, lead=lead))
    return result


def dedupe_key(reservation: Reservation, reminder: PlannedReminder) -> str:
    """One reminder per reservation, kind and session time."""
    return f"reminder:{reservation.id}:{reminder.kind}:{reservation.starts_at:%Y%m%dT%H%M}"


def derive_reminders(
    session: Session,
    now: dt.datetime,
    tz: ZoneInfo,
    catalog: MessageCatalog,
    settings: DeliverySettings,
    engine: ConversationEngine | None = None,
) -> int:
    """Queue the reminders due now (or within the look-ahead); returns how many were queued."""
    if not settings.reminder_offsets:
        return 0
    horizon = now + max(settings.reminder_offsets) + LOOKAHEAD
    rows = session.exec(
        select(Reservation, Contact)
        .join(Contact, col(Contact.id) == col(Reservation.contact_id))
        .where(
            col(Reservation.status).in_(REMINDER_STATUSES),
            col(Reservation.starts_at) > now,
            col(Reservation.starts_at) <= horizon,
            col(Contact.opted_out_at).is_(None),
        )
    ).all()
    due: list[tuple[Reservation, Contact, PlannedReminder, str]] = []
    for reservation, contact in rows:
        for reminder in plan(reservation.starts_at, tz, settings):
            if reminder.due <= now + LOOKAHEAD and now < reminder.valid_until:
                due.append((reservation, contact, reminder, dedupe_key(reservation, reminder)))
    if not due:
        return 0
    existing = set(
        session.exec(
            select(Message.dedupe_key).where(col(Message.dedupe_key).in_([d[3] for d in due]))
        )
    )
    queued = 0
    for reservation, contact, reminder, key in due:
        if key in existing:
            continue
        queue_reminder(session, reservation, contact, reminder, key, now, tz, catalog, engine)
        queued += 1
    return queued


def queue_reminder(
    session: Session,
    reservation: Reservation,
    contact: Contact,
    reminder: PlannedReminder,
    key: str,
    now: dt.datetime,
    tz: ZoneInfo,
    catalog: MessageCatalog,
    engine: ConversationEngine | None = None,
) -> Message:
    """Queue one reminder with its quick answers (and start the answer flow, when it exists)."""
    lang = contact.language
    variables = {
        **render.reservation_vars(session, reservation, contact, tz),
        "lead": reminder.lead,
    }
    body = catalog.render("delivery.reminder", lang, **variables)
    buttons = render.lines(catalog, "delivery.reminder_buttons", lang)
    if engine is not None and engine.registry.step(ANSWER_FLOW, ANSWER_STEP) is not None:
        prompts = engine.start(
            session,
            contact,
            ANSWER_FLOW,
            ANSWER_STEP,
            {"reservation_id": reservation.id, "code": reservation.code, "lead": reminder.lead},
            now=now,
        )
        body = "\n\n".join(prompts) or body
    template = TemplateRef(
        "reminder",
        lang,
        {
            "name": variables["name"] or "Bapak/Ibu",
            "code": variables["code"],
            "when": render.when_text(catalog, lang, variables),
            "place": render.place_text(catalog, lang, variables),
        },
    )
    return outbox.enqueue(
        session,
        contact,
        body,
        now,
        template_key="delivery.reminder",
        dedupe_key=key,
        send_at=max(reminder.due, now),
        template=template,
        buttons=buttons,
        kind=reminder.kind,
        reservation_id=reservation.id,
        valid_until=reminder.valid_until,
        expect={"status": list(REMINDER_STATUSES), "starts_at": reservation.starts_at.isoformat()},
    )


def withdraw_pending(session: Session, reservation_id: int, now: dt.datetime, reason: str) -> int:
    """Withdraw the reminders of a reservation not sent yet (on a cancel or a reschedule).

    Optional: the dispatcher re-checks the reservation anyway; this only keeps the outbox tidy.
    """
    result = session.execute(
        sa.update(Message)
        .where(
            col(Message.reservation_id) == reservation_id,
            col(Message.kind).like("reminder_%"),
            col(Message.status).in_((outbox.PENDING, outbox.WAITING)),
        )
        .values(status=outbox.WITHDRAWN, last_error=reason[:200], updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
