"""Announcements (broadcasts) to an opted-in audience, each person at most once.

An announcement has a key: running the same command twice resumes it instead of starting a
second one. Its recipients are rows with a unique (announcement, contact) pair, each with
its outbox message (dedupe key ``broadcast:<id>:<contact>``), queued in chunks so a large
audience never holds one long transaction; the dispatcher sends them at the sender's rate
and checks the consent once more just before sending. A failure of one recipient is that
recipient's row only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from bot import outbox
from bot.messages import MessageCatalog
from bot.transports.base import TemplateRef
from storage.db import transaction
from storage.models import Contact, Message, Reservation, Service
from storage.models_delivery import Broadcast, BroadcastRecipient

AUDIENCE_KEYS = ("service", "category", "kecamatan", "past_session")
TEXT_MAX = 1000
CHUNK = 200
OPEN_STATUSES = (outbox.PENDING, outbox.WAITING, outbox.UNCERTAIN, outbox.SENDING)


class BroadcastError(ValueError):
    """The announcement cannot be made as asked (the reason is the message)."""


def make_key(title: str, body_id: str, audience: dict[str, Any]) -> str:
    """A key from the content and audience: the same announcement gets the same key."""
    blob = json.dumps([title, body_id, audience], sort_keys=True, ensure_ascii=False)
    return "b-" + hashlib.sha256(blob.encode()).hexdigest()[:20]


def clean_audience(audience: dict[str, Any]) -> dict[str, Any]:
    """Only the known filters, without empty values; an unknown filter is an error."""
    unknown = set(audience) - set(AUDIENCE_KEYS)
    if unknown:
        raise BroadcastError(f"unknown audience filters: {', '.join(sorted(unknown))}")
    return {k: v for k, v in audience.items() if v not in (None, "", False)}


def audience_ids(audience: dict[str, Any]) -> SelectOfScalar[int | None]:
    """The ids of the contacts an audience means: always only those who consented."""
    query = select(col(Contact.id)).where(
        col(Contact.announcements_consent).is_(True), col(Contact.opted_out_at).is_(None)
    )
    if audience.get("category"):
        query = query.where(Contact.category == audience["category"])
    if audience.get("kecamatan"):
        query = query.where(
            func.lower(col(Contact.kecamatan)) == str(audience["kecamatan"]).lower()
        )
    if audience.get("service"):
        query = query.where(
            col(Contact.id).in_(
                select(Reservation.contact_id)
                .join(Service, col(Service.id) == col(Reservation.service_id))
                .where(Service.code == audience["service"])
            )
        )
    if audience.get("past_session"):
        query = query.where(
            col(Contact.id).in_(
                select(Reservation.contact_id).where(Reservation.status == "completed")
            )
        )
    return query.order_by(col(Contact.id))


def audience_size(session: Session, audience: dict[str, Any]) -> int:
    """How many people an audience reaches now."""
    sub = audience_ids(clean_audience(audience)).subquery()
    return int(session.exec(select(func.count()).select_from(sub)).one())


def create_or_resume(
    session: Session,
    *,
    title: str,
    body_id: str,
    now: dt.datetime,
    body_en: str | None = None,
    audience: dict[str, Any] | None = None,
    key: str | None = None,
    created_by: str = "admin",
) -> tuple[Broadcast, bool]:
    """The announcement with this key (True when it already existed), or a new one."""
    title, body_id = title.strip(), body_id.strip()
    if not title or not body_id:
        raise BroadcastError("an announcement needs a title and a text")
    if len(body_id) > TEXT_MAX or len(body_en or "") > TEXT_MAX:
        raise BroadcastError(f"the text is longer than {TEXT_MAX} characters")
    audience = clean_audience(audience or {})
    key = key or make_key(title, body_id, audience)
    found = session.exec(select(Broadcast).where(Broadcast.key == key)).first()
    if found is not None:
        if (found.title, found.body_id, found.audience) != (title, body_id, audience):
            raise BroadcastError(f"the key {key!r} belongs to another announcement")
        return found, True
    broadcast = Broadcast(
        key=key,
        title=title[:200],
        body_id=body_id,
        body_en=(body_en or "").strip() or None,
        audience=audience,
        created_by=created_by[:80],
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(broadcast)
    except IntegrityError:  # the same command started twice at once
        return session.exec(select(Broadcast).where(Broadcast.key == key)).one(), True
    return broadcast, False


def _queue_one(
    session: Session,
    broadcast: Broadcast,
    contact: Contact,
    catalog: MessageCatalog,
    now: dt.datetime,
) -> bool:
    assert broadcast.id is not None and contact.id is not None
    lang = contact.language
    text = broadcast.body_en if lang == "en" and broadcast.body_en else broadcast.body_id
    name = contact.name or ""
    try:
        with session.begin_nested():
            recipient = BroadcastRecipient(broadcast_id=broadcast.id, contact_id=contact.id)
            session.add(recipient)
            session.flush()
    except IntegrityError:
        return False  # already queued (a resumed or concurrent run)
    message = outbox.enqueue(
        session,
        contact,
        catalog.render("delivery.announcement", lang, title=broadcast.title, text=text, name=name),
        now,
        template_key="delivery.announcement",
        dedupe_key=f"broadcast:{broadcast.id}:{contact.id}",
        template=TemplateRef(
            "announcement",
            lang,
            {"name": name or "Bapak/Ibu", "title": broadcast.title, "text": text},
        ),
        kind="broadcast",
    )
    session.flush()
    recipient.message_id = message.id
    return True


def queue_recipients(
    db: Engine,
    broadcast_id: int,
    catalog: MessageCatalog,
    now: dt.datetime,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Queue the announcement for everyone in its audience not queued yet, chunk by chunk;
    returns how many were newly queued. Safe to run again or twice at once."""
    queued = 0
    after = 0
    while True:
        with transaction(db) as session:
            broadcast = session.get(Broadcast, broadcast_id)
            if broadcast is None:
                raise BroadcastError(f"no announcement {broadcast_id}")
            done = select(BroadcastRecipient.contact_id).where(
                BroadcastRecipient.broadcast_id == broadcast_id
            )
            ids = list(
                session.exec(
                    audience_ids(broadcast.audience)
                    .where(col(Contact.id) > after, col(Contact.id).not_in(done))
                    .limit(CHUNK)
                )
            )
            if not ids:
                total = session.exec(
                    select(func.count(col(BroadcastRecipient.id))).where(
                        BroadcastRecipient.broadcast_id == broadcast_id
                    )
                ).one()
                broadcast.recipients = int(total)
                if broadcast.status == "queued":
                    broadcast.status = "sending"
                return queued
            contacts = session.exec(select(Contact).where(col(Contact.id).in_(ids))).all()
            chunk = sum(_queue_one(session, broadcast, c, catalog, now) for c in contacts)
            queued += chunk
            after = max(i for i in ids if i is not None)
        if progress is not None:
            progress(len(ids))


def progress(session: Session, broadcast_id: int) -> dict[str, int]:
    """How many recipients' messages are in each status (pending, sent, delivered, failed...)."""
    rows = session.exec(
        select(Message.status, func.count(col(Message.id)))
        .join(BroadcastRecipient, col(BroadcastRecipient.message_id) == col(Message.id))
        .where(BroadcastRecipient.broadcast_id == broadcast_id)
        .group_by(col(Message.status))
    ).all()
    return {status: int(count) for status, count in rows}


def is_finished(counts: dict[str, int]) -> bool:
    """True when no recipient's message is still on its way out."""
    return not any(counts.get(s) for s in OPEN_STATUSES)


def finish_if_done(session: Session, broadcast: Broadcast, now: dt.datetime) -> bool:
    """Mark the announcement done once every recipient's message left (or failed)."""
    assert broadcast.id is not None
    if broadcast.status != "done" and is_finished(progress(session, broadcast.id)):
        broadcast.status, broadcast.finished_at = "done", now
    return broadcast.status == "done"


def set_consent(contact: Contact, consent: bool, now: dt.datetime) -> bool:
    """Record the person's answer to "may we send you announcements?" (or "stop info");
    False when it was already that."""
    if contact.announcements_consent is consent:
        return False
    contact.announcements_consent = consent
    contact.announcements_consent_at = now
    return True
