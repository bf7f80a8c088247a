"""The consultation book: an expert's sessions, notes and the recommendation ("resep") sent to
the person in one click. Experts see their own sessions; administrators see all."""

from __future__ import annotations

import datetime as dt
import hashlib

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlmodel import Session, col, select

from bot.console.blueprint import bp, console_context, db, is_admin, user
from bot.runtime import runtime
from bot.services import audit, console_reservations, notifications
from bot.services.console_reservations import ActionRefused
from bot.services.reservations import BookingError
from storage.models import Contact, Reservation, Service, Topic
from storage.models_console import ConsultationRecord, Expert

MAX_TEXT = 3000
RECOMMENDATION_MAX = 1400  # one WhatsApp message with the framing around it


def _my_expert(s: Session) -> Expert | None:
    return s.exec(select(Expert).where(Expert.user_id == user().id)).first()


def _allowed(s: Session, reservation: Reservation) -> Expert | None:
    """The expert acting (None for an admin); 403 when an expert opens someone else's."""
    if is_admin():
        return None
    mine = _my_expert(s)
    if mine is None or reservation.expert_id != mine.id:
        abort(403)
    return mine


@bp.get("/book")
def book() -> ResponseReturnValue:
    """Sessions to record: an expert's own, or (admins) everyone's, newest first."""
    now = runtime().clock.now()
    since = now - dt.timedelta(days=int(request.args.get("days") or 60))
    with db() as s:
        query = (
            select(Reservation, Contact, Topic)
            .where(
                Reservation.contact_id == Contact.id,
                Reservation.topic_id == Topic.id,
                col(Reservation.status).in_(("confirmed", "completed")),
                col(Reservation.starts_at) >= since,
            )
            .order_by(col(Reservation.starts_at).desc())
            .limit(300)
        )
        mine = None
        if not is_admin():
            mine = _my_expert(s)
            query = query.where(Reservation.expert_id == (mine.id if mine else -1))
        rows = s.exec(query).all()
        records = {
            r.reservation_id: r
            for r in s.exec(
                select(ConsultationRecord).where(
                    col(ConsultationRecord.reservation_id).in_([row[0].id for row in rows])
                )
            )
        }
        experts = {e.id: e for e in s.exec(select(Expert))}
    return render_template(
        "admin/book.html", rows=rows, records=records, experts=experts, mine=mine, now=now
    )


@bp.get("/book/<int:reservation_id>")
def book_entry(reservation_id: int) -> ResponseReturnValue:
    """One session's page in the book."""
    now = runtime().clock.now()
    with db() as s:
        found = s.get(Reservation, reservation_id)
        if found is None:
            abort(404)
        _allowed(s, found)
        contact = s.get(Contact, found.contact_id)
        topic = s.get(Topic, found.topic_id)
        service = s.get(Service, found.service_id)
        record = s.exec(
            select(ConsultationRecord).where(ConsultationRecord.reservation_id == found.id)
        ).first()
        expert = s.get(Expert, found.expert_id) if found.expert_id else None
    return render_template(
        "admin/book_entry.html",
        r=found,
        contact=contact,
        topic=topic,
        service=service,
        record=record,
        expert=expert,
        now=now,
    )


@bp.post("/book/<int:reservation_id>/complete")
def book_complete(reservation_id: int) -> ResponseReturnValue:
    """The expert says the session took place."""
    with db() as s:
        found = s.get(Reservation, reservation_id)
        if found is None:
            abort(404)
        _allowed(s, found)
        ctx = console_context(s)
        try:
            console_reservations.mark(ctx, found, "completed")
        except (BookingError, ActionRefused):
            flash("Sesi belum bisa ditandai selesai (belum dimulai atau tidak aktif).", "error")
            return redirect(url_for("console.book_entry", reservation_id=reservation_id))
        audit.record(
            s,
            user(),
            "reservation.completed",
            ctx.now,
            target_type="reservation",
            target_id=found.id,
            detail=found.code or "",
        )
    flash("Sesi ditandai selesai. Silakan isi catatan dan rekomendasi.", "ok")
    return redirect(url_for("console.book_entry", reservation_id=reservation_id))


def _record_for(s: Session, found: Reservation, now: dt.datetime) -> ConsultationRecord:
    record = s.exec(
        select(ConsultationRecord).where(ConsultationRecord.reservation_id == found.id)
    ).first()
    if record is None:
        assert found.id is not None
        record = ConsultationRecord(
            reservation_id=found.id, expert_id=found.expert_id, created_at=now, updated_at=now
        )
        s.add(record)
    return record


@bp.post("/book/<int:reservation_id>")
def book_save(reservation_id: int) -> ResponseReturnValue:
    """Save the notes and the recommendation (a completed session only)."""
    notes = (request.form.get("notes") or "").strip()[:MAX_TEXT]
    recommendation = (request.form.get("recommendation") or "").strip()
    back = redirect(url_for("console.book_entry", reservation_id=reservation_id))
    if len(recommendation) > RECOMMENDATION_MAX:
        flash(f"Rekomendasi maksimal {RECOMMENDATION_MAX} karakter (satu pesan WhatsApp).", "error")
        return back
    now = runtime().clock.now()
    with db() as s:
        found = s.get(Reservation, reservation_id)
        if found is None:
            abort(404)
        _allowed(s, found)
        if found.status != "completed":
            flash("Buku konsultasi diisi setelah sesi ditandai selesai.", "error")
            return back
        record = _record_for(s, found, now)
        record.notes, record.recommendation = notes, recommendation
        record.updated_at, record.updated_by = now, user().username
        s.flush()
        audit.record(
            s,
            user(),
            "book.save",
            now,
            target_type="reservation",
            target_id=found.id,
            detail=found.code or "",
        )
    flash("Buku konsultasi disimpan.", "ok")
    return back


@bp.post("/book/<int:reservation_id>/send")
def book_send(reservation_id: int) -> ResponseReturnValue:
    """Send the saved recommendation to the person on WhatsApp (once per text)."""
    rt = runtime()
    now = rt.clock.now()
    back = redirect(url_for("console.book_entry", reservation_id=reservation_id))
    with db() as s:
        found = s.get(Reservation, reservation_id)
        if found is None:
            abort(404)
        _allowed(s, found)
        record = s.exec(
            select(ConsultationRecord).where(ConsultationRecord.reservation_id == found.id)
        ).first()
        if record is None or not record.recommendation.strip():
            flash("Simpan rekomendasi dulu sebelum mengirim.", "error")
            return back
        contact = s.get(Contact, found.contact_id)
        assert contact is not None
        expert = s.get(Expert, found.expert_id) if found.expert_id else None
        digest = hashlib.sha256(record.recommendation.encode()).hexdigest()[:16]
        message = notifications.send(
            s,
            rt.catalog,
            contact,
            "recommendation",
            now,
            dedupe_key=f"recommendation:{record.id}:{digest}",
            template="recommendation",
            template_variables={"1": found.code or ""},
            name=contact.name or "",
            code=found.code,
            expert=expert.name if expert else "",
            recommendation=record.recommendation,
        )
        s.flush()
        record.recommendation_sent_at = now
        record.recommendation_message_id = message.id
        audit.record(
            s,
            user(),
            "book.send",
            now,
            target_type="reservation",
            target_id=found.id,
            detail=f"{found.code} message {message.id}",
        )

    flash("Rekomendasi masuk antrean kirim ke WhatsApp orangnya.", "ok")
    return back
