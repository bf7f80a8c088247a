"""After the session: the feedback request, the follow-up on the recommendation, and sessions
left `confirmed` after their end flagged for the administrator.

Each is derived from the data on a tick and queued once per cause (its dedupe key). Where the
conversation flow exists (``feedback``, ``followup``) it is started with ``engine.start`` in
the same transaction, so that the answer ("5", "Sudah") is read by that flow.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot import outbox
from bot.delivery_settings import DeliverySettings
from bot.messages import MessageCatalog
from bot.services import delivery_render as render
from bot.transports.base import TemplateRef
from storage.models import Contact, Message, Reservation, ReservationEvent
from storage.models_delivery import FeedbackAnswer, FollowupAnswer

if TYPE_CHECKING:
    from bot.engine import ConversationEngine

FEEDBACK_VALID = dt.timedelta(days=3)
FOLLOWUP_WINDOW = dt.timedelta(days=7)  # a follow-up not derived within this is not sent late
OVERDUE_EVENT = "needs_closing"


def _start_flow(
    engine: ConversationEngine | None,
    session: Session,
    contact: Contact,
    flow: str,
    slots: dict[str, Any],
    now: dt.datetime,
) -> list[str]:
    if engine is None or flow not in engine.registry.flows:
        return []
    start = engine.registry.flow(flow).start
    return engine.start(session, contact, flow, start, slots, now=now)


def _existing_keys(session: Session, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return {
        k
        for k in session.exec(select(Message.dedupe_key).where(col(Message.dedupe_key).in_(keys)))
        if k
    }


def derive_feedback_requests(
    session: Session,
    now: dt.datetime,
    tz: ZoneInfo,
    catalog: MessageCatalog,
    settings: DeliverySettings,
    engine: ConversationEngine | None = None,
) -> int:
    """Ask for a rating after each completed session (once), some time after its end."""
    rows = session.exec(
        select(Reservation, Contact)
        .join(Contact, col(Contact.id) == col(Reservation.contact_id))
        .outerjoin(FeedbackAnswer, col(FeedbackAnswer.reservation_id) == col(Reservation.id))
        .where(
            Reservation.status == "completed",
            col(Reservation.ends_at) <= now - settings.feedback_delay,
            col(Reservation.ends_at) > now - settings.feedback_within,
            col(Contact.opted_out_at).is_(None),
            col(FeedbackAnswer.id).is_(None),
        )
    ).all()
    existing = _existing_keys(session, [f"feedback:{r.id}" for r, _ in rows])
    queued = 0
    for reservation, contact in rows:
        key = f"feedback:{reservation.id}"
        if key in existing:
            continue
        variables = render.reservation_vars(session, reservation, contact, tz)
        slots = {"reservation_id": reservation.id, "code": reservation.code}
        prompts = _start_flow(engine, session, contact, "feedback", slots, now)
        body = "\n\n".join(prompts) or catalog.render(
            "delivery.feedback_request", contact.language, **variables
        )
        outbox.enqueue(
            session,
            contact,
            body,
            now,
            template_key="delivery.feedback_request",
            dedupe_key=key,
            template=TemplateRef(
                "feedback_request",
                contact.language,
                {"name": variables["name"] or "Bapak/Ibu", "code": variables["code"]},
            ),
            kind="feedback",
            reservation_id=reservation.id,
            valid_until=now + FEEDBACK_VALID,
        )
        queued += 1
    return queued


def derive_followups(
    session: Session,
    now: dt.datetime,
    tz: ZoneInfo,
    catalog: MessageCatalog,
    settings: DeliverySettings,
    engine: ConversationEngine | None = None,
) -> int:
    """Ask, some days after the recommendation was sent, whether it was carried out (once)."""
    try:
        from storage.models_console import ConsultationRecord
    except ImportError:
        return 0
    sent_at = col(ConsultationRecord.recommendation_sent_at)
    rows = session.exec(
        select(Reservation, Contact)
        .join(ConsultationRecord, col(ConsultationRecord.reservation_id) == col(Reservation.id))
        .join(Contact, col(Contact.id) == col(Reservation.contact_id))
        .outerjoin(FollowupAnswer, col(FollowupAnswer.reservation_id) == col(Reservation.id))
        .where(
            sent_at <= now - settings.followup_after,
            sent_at > now - settings.followup_after - FOLLOWUP_WINDOW,
            col(Contact.opted_out_at).is_(None),
            col(FollowupAnswer.id).is_(None),
        )
    ).all()
    existing = _existing_keys(session, [f"followup:{r.id}" for r, _ in rows])
    queued = 0
    for reservation, contact in rows:
        key = f"followup:{reservation.id}"
        if key in existing:
            continue
        lang = contact.language
        variables = render.reservation_vars(session, reservation, contact, tz)
        slots = {"reservation_id": reservation.id, "code": reservation.code}
        prompts = _start_flow(engine, session, contact, "followup", slots, now)
        body = "\n\n".join(prompts) or catalog.render("delivery.followup", lang, **variables)
        outbox.enqueue(
            session,
            contact,
            body,
            now,
            template_key="delivery.followup",
            dedupe_key=key,
            template=TemplateRef(
                "followup",
                lang,
                {"name": variables["name"] or "Bapak/Ibu", "code": variables["code"]},
            ),
            buttons=render.lines(catalog, "delivery.followup_buttons", lang),
            kind="followup",
            reservation_id=reservation.id,
            valid_until=now + FOLLOWUP_WINDOW,
        )
        queued += 1
    return queued


def flag_overdue(session: Session, now: dt.datetime, settings: DeliverySettings) -> int:
    """Sessions still `confirmed` well after their end get an event the console shows, once."""
    flagged_ids = select(ReservationEvent.reservation_id).where(
        ReservationEvent.kind == OVERDUE_EVENT
    )
    rows = session.exec(
        select(Reservation).where(
            Reservation.status == "confirmed",
            col(Reservation.ends_at) <= now - settings.overdue_after,
            col(Reservation.id).not_in(flagged_ids),
        )
    ).all()
    for reservation in rows:
        assert reservation.id is not None
        session.add(
            ReservationEvent(
                reservation_id=reservation.id,
                kind=OVERDUE_EVENT,
                actor="system",
                note="still confirmed after its end: mark it completed or no-show",
                at=now,
            )
        )
    session.flush()
    return len(rows)
