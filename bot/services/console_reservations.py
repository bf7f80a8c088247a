"""What the console does to reservations: confirm with an expert and a room, reschedule, cancel,
mark completed or no-show, book on behalf of a referred cooperative. Every change that concerns
the person queues a WhatsApp message in the same transaction.

The booking rules themselves (seats, slots, the lifecycle) stay in bot.services.reservations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.messages import MessageCatalog
from bot.services import meeting_links, notifications, reservations
from storage.models import Contact, Reservation, ReservationEvent, Service, Topic
from storage.models_console import Expert, MeetingRoom

STATUSES = ("booked", "confirmed", "completed", "no_show", "cancelled")


class ActionRefused(Exception):
    """A console action that cannot be done now; `reason` names why (shown translated)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class ConsoleContext:
    """What every console action needs: the session, the time, the catalog, who acts."""

    session: Session
    now: dt.datetime
    tz: ZoneInfo
    catalog: MessageCatalog
    actor: str  # the username, recorded in the reservation's history


def _event(
    ctx: ConsoleContext, reservation: Reservation, kind: str, note: str | None = None
) -> None:
    assert reservation.id is not None
    ctx.session.add(
        ReservationEvent(
            reservation_id=reservation.id, kind=kind, actor="admin", note=note, at=ctx.now
        )
    )


def _moves(ctx: ConsoleContext, reservation: Reservation) -> int:
    """How often the reservation was moved: a message per cause, even back to an old time."""
    ctx.session.flush()
    return len(
        ctx.session.exec(
            select(ReservationEvent.id).where(
                ReservationEvent.reservation_id == reservation.id,
                ReservationEvent.kind == "rescheduled",
            )
        ).all()
    )


def _contact(ctx: ConsoleContext, reservation: Reservation) -> Contact:
    contact = ctx.session.get(Contact, reservation.contact_id)
    assert contact is not None
    return contact


def _topic_name(ctx: ConsoleContext, reservation: Reservation, lang: str) -> str:
    topic = ctx.session.get(Topic, reservation.topic_id)
    assert topic is not None
    return topic.name_en if lang == "en" else topic.name_id


def confirm(
    ctx: ConsoleContext,
    reservation: Reservation,
    *,
    expert: Expert | None,
    room: MeetingRoom | None,
) -> None:
    """Confirm a booked (or re-confirm a confirmed) upcoming reservation and send the person
    the time and, online, the link. ActionRefused("needs_room") when an online session has no
    room; meeting_links.RoomTaken when the room is given to an overlapping session."""
    if reservation.status not in reservations.ACTIVE or reservation.starts_at <= ctx.now:
        raise ActionRefused("not_upcoming")
    if reservation.mode == "online":
        if room is None:
            raise ActionRefused("needs_room")
        meeting_links.assign(ctx.session, reservation, room)
        reservation.meeting_link = meeting_links.link_text(room)
    else:
        meeting_links.release(ctx.session, reservation)
        reservation.meeting_link = None
    reservation.expert_id = expert.id if expert else None
    reservation.status = "confirmed"
    reservation.confirmed_at = ctx.now
    reservation.updated_at = ctx.now
    _event(ctx, reservation, "confirmed", expert.name if expert else None)
    contact = _contact(ctx, reservation)
    notifications.send(
        ctx.session,
        ctx.catalog,
        contact,
        "confirmed",
        ctx.now,
        dedupe_key=f"confirm:{reservation.id}:{_moves(ctx, reservation)}:"
        f"{room.id if room and reservation.mode == 'online' else 0}:{reservation.expert_id or 0}",
        template="confirmation",
        expect={"status": ["confirmed"], "starts_at": reservation.starts_at.isoformat()},
        template_variables={"1": reservation.code or "", "2": reservation.meeting_link or ""},
        reservation_id=reservation.id,
        name=contact.name or "",
        code=reservation.code,
        starts=reservation.starts_at.astimezone(ctx.tz),
        topic=_topic_name(ctx, reservation, contact.language),
        mode=reservation.mode,
        meeting_link=reservation.meeting_link,
        passcode=room.passcode if room and reservation.mode == "online" else "",
        expert=expert.name if expert else "",
    )


def reschedule(
    ctx: ConsoleContext, reservation: Reservation, starts_at: dt.datetime, note: str = ""
) -> None:
    """Move the reservation to another free slot of its clinic and tell the person; the room
    is given back and the reservation waits for a new confirmation."""
    reservations.reschedule(
        ctx.session, reservation, starts_at=starts_at, now=ctx.now, tz=ctx.tz, actor="admin"
    )
    meeting_links.release(ctx.session, reservation)
    reservation.meeting_link = None
    contact = _contact(ctx, reservation)
    notifications.send(
        ctx.session,
        ctx.catalog,
        contact,
        "rescheduled",
        ctx.now,
        dedupe_key=f"reschedule:{reservation.id}:{_moves(ctx, reservation)}",
        template="reschedule",
        expect={"status": ["booked", "confirmed"], "starts_at": reservation.starts_at.isoformat()},
        template_variables={"1": reservation.code or ""},
        reservation_id=reservation.id,
        name=contact.name or "",
        code=reservation.code,
        starts=reservation.starts_at.astimezone(ctx.tz),
        note=note,
    )


def cancel(ctx: ConsoleContext, reservation: Reservation, reason: str) -> None:
    """Cancel with a reason (required) and tell the person."""
    reason = reason.strip()
    if not reason:
        raise ActionRefused("needs_reason")
    reservations.cancel(ctx.session, reservation, now=ctx.now, reason=reason, actor="admin")
    meeting_links.release(ctx.session, reservation)
    contact = _contact(ctx, reservation)
    notifications.send(
        ctx.session,
        ctx.catalog,
        contact,
        "cancelled",
        ctx.now,
        dedupe_key=f"cancel:{reservation.id}",
        template="cancellation",
        template_variables={"1": reservation.code or ""},
        reservation_id=reservation.id,
        name=contact.name or "",
        code=reservation.code,
        starts=reservation.starts_at.astimezone(ctx.tz),
        cancel_reason=reason,
    )


def mark(ctx: ConsoleContext, reservation: Reservation, status: str) -> None:
    """Record that a session took place (`completed`) or the person did not come (`no_show`)."""
    if status not in ("completed", "no_show"):
        raise ActionRefused("bad_status")
    if reservation.status not in reservations.ACTIVE:
        raise ActionRefused("not_active")
    if reservation.starts_at > ctx.now:
        raise ActionRefused("not_started")
    reservation.status = status
    reservation.updated_at = ctx.now
    _event(ctx, reservation, status)


def book_on_behalf(
    ctx: ConsoleContext,
    contact: Contact,
    *,
    service: Service,
    topic: Topic,
    problem: str,
    mode: str,
    starts_at: dt.datetime,
    referral: str,
) -> Reservation:
    """Book for a cooperative referred by the Dinas (the "rujukan"): the same rules as a
    booking on WhatsApp, marked with who booked it."""
    if not problem.strip():
        raise ActionRefused("needs_problem")
    reservation = reservations.book(
        ctx.session,
        contact=contact,
        service=service,
        topic=topic,
        problem=problem.strip(),
        mode=mode,
        starts_at=starts_at,
        now=ctx.now,
        tz=ctx.tz,
    )
    reservation.booked_by = ctx.actor
    reservation.referral = referral.strip() or None
    _event(ctx, reservation, "referred", referral.strip() or None)
    return reservation


@dataclass(frozen=True)
class InventoryFilter:
    """The inventory's filters; None or empty matches everything."""

    first: dt.date
    last: dt.date
    statuses: tuple[str, ...] = ()
    service_id: int | None = None
    topic_id: int | None = None
    mode: str | None = None
    kecamatan: str = ""
    expert_id: int | None = None
    query: str = ""


@dataclass
class InventoryRow:
    """One line of the inventory."""

    reservation: Reservation
    contact: Contact
    service: Service
    topic: Topic
    expert: Expert | None = None
    extra: dict[str, str] = field(default_factory=dict)


def inventory(session: Session, wanted: InventoryFilter, tz: ZoneInfo) -> list[InventoryRow]:
    """Reservations from `first` to `last` (local dates, inclusive) matching the filter."""
    start = dt.datetime.combine(wanted.first, dt.time(0), tzinfo=tz)
    end = dt.datetime.combine(wanted.last + dt.timedelta(days=1), dt.time(0), tzinfo=tz)
    query = (
        select(Reservation, Contact, Service, Topic)
        .where(
            Reservation.contact_id == Contact.id,
            Reservation.service_id == Service.id,
            Reservation.topic_id == Topic.id,
            col(Reservation.starts_at) >= start,
            col(Reservation.starts_at) < end,
        )
        .order_by(col(Reservation.starts_at), col(Reservation.id))
    )
    if wanted.statuses:
        query = query.where(col(Reservation.status).in_(wanted.statuses))
    if wanted.service_id:
        query = query.where(Reservation.service_id == wanted.service_id)
    if wanted.topic_id:
        query = query.where(Reservation.topic_id == wanted.topic_id)
    if wanted.mode:
        query = query.where(Reservation.mode == wanted.mode)
    if wanted.expert_id:
        query = query.where(Reservation.expert_id == wanted.expert_id)
    if wanted.kecamatan:
        query = query.where(col(Contact.kecamatan).ilike(f"%{_like(wanted.kecamatan)}%"))
    if wanted.query:
        needle = f"%{_like(wanted.query)}%"
        query = query.where(
            col(Reservation.code).ilike(needle)
            | col(Contact.name).ilike(needle)
            | col(Contact.organisation).ilike(needle)
            | col(Contact.phone).ilike(needle)
        )
    experts = {e.id: e for e in session.exec(select(Expert))}
    return [
        InventoryRow(r, c, s, t, experts.get(r.expert_id) if r.expert_id else None)
        for r, c, s, t in session.exec(query)
    ]


def _like(text: str) -> str:
    return text.replace("\\", "").replace("%", "").replace("_", "")[:80]
