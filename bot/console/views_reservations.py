"""The reservation inventory: day and week views with filters, one reservation's page, and
the actions that concern the person (confirm, reschedule, cancel, completed/no-show, booking
on behalf of a referred cooperative)."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlmodel import Session, col, select

from bot.console.blueprint import admin_only, bp, console_context, db, tz, user
from bot.inbound import BadInbound, normalise_phone
from bot.runtime import runtime
from bot.services import audit, calendar, clinic, console_reservations, meeting_links
from bot.services.console_reservations import STATUSES, ActionRefused, InventoryFilter
from bot.services.contacts import get_or_create_contact
from bot.services.reservations import MODES, BookingError
from storage.models import Contact, Message, Reservation, ReservationEvent, Service, Topic
from storage.models_console import ConsultationRecord, ContactNote, Expert, MeetingRoom

ERRORS = {
    "not_upcoming": "Reservasi ini sudah lewat atau tidak aktif lagi.",
    "needs_room": "Sesi online perlu ruang Zoom: pilih ruang yang kosong.",
    "needs_reason": "Alasan pembatalan wajib diisi (dikirim ke orangnya).",
    "no_such_slot": "Jam itu bukan jadwal klinik.",
    "too_soon": "Jam itu terlalu dekat (minimal 2 jam dari sekarang).",
    "too_far": "Jam itu terlalu jauh ke depan.",
    "slot_full": "Jam itu sudah penuh.",
    "already_booked": "Orang ini sudah punya reservasi pada jam itu.",
    "same_slot": "Itu jam yang sama.",
    "bad_mode": "Pilih cara konsultasi.",
    "bad_topic": "Topik tidak sesuai dengan klinik.",
    "not_active": "Reservasi ini tidak aktif.",
    "not_started": "Sesi belum dimulai.",
    "bad_status": "Status tidak dikenal.",
    "needs_problem": "Uraian masalah wajib diisi.",
}


def _date_arg(name: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return default


def _int_arg(name: str) -> int | None:
    raw = request.args.get(name) or ""
    return int(raw) if raw.isdigit() else None


@bp.get("/reservations")
@admin_only
def reservations() -> ResponseReturnValue:
    """Today and the coming days: a day or a week, filtered."""
    now = runtime().clock.now()
    today = now.astimezone(tz()).date()
    view = "week" if request.args.get("view") == "week" else "day"
    day = _date_arg("date", today)
    first = day - dt.timedelta(days=day.weekday()) if view == "week" else day
    last = first + dt.timedelta(days=6 if view == "week" else 0)
    statuses = tuple(s for s in request.args.getlist("status") if s in STATUSES)
    mode = request.args.get("mode") if request.args.get("mode") in MODES else None
    wanted = InventoryFilter(
        first=first,
        last=last,
        statuses=statuses,
        service_id=_int_arg("service"),
        topic_id=_int_arg("topic"),
        mode=mode,
        kecamatan=(request.args.get("kecamatan") or "").strip(),
        expert_id=_int_arg("expert"),
        query=(request.args.get("q") or "").strip(),
    )
    with db() as s:
        rows = console_reservations.inventory(s, wanted, tz())
        services = clinic.active_services(s)
        topics = s.exec(select(Topic).order_by(col(Topic.service_id), col(Topic.position))).all()
        experts = s.exec(select(Expert).order_by(col(Expert.name))).all()
    days: dict[dt.date, list[console_reservations.InventoryRow]] = {}
    d = first
    while d <= last:
        days[d] = []
        d += dt.timedelta(days=1)
    for row in rows:
        days.setdefault(row.reservation.starts_at.astimezone(tz()).date(), []).append(row)
    step = dt.timedelta(days=7 if view == "week" else 1)
    return render_template(
        "admin/reservations.html",
        days=days,
        view=view,
        day=day,
        today=today,
        prev_day=first - step,
        next_day=first + step,
        wanted=wanted,
        services=services,
        topics=topics,
        experts=experts,
        statuses=STATUSES,
        modes=MODES,
        total=len(rows),
        args=request.args,
    )


def _reservation_or_404(s: Session, reservation_id: int) -> Reservation:
    found = s.get(Reservation, reservation_id)
    if found is None:
        abort(404)
    return found


def _experts_for(s: Session, reservation: Reservation) -> list[tuple[Expert, bool]]:
    """Active experts, those on duty that weekday for that topic first (True)."""
    weekday = reservation.starts_at.astimezone(tz()).weekday()
    ranked = []
    for expert in s.exec(select(Expert).where(col(Expert.active).is_(True))):
        fits = (not expert.duty_days or weekday in expert.duty_days) and (
            not expert.topic_ids or reservation.topic_id in expert.topic_ids
        )
        ranked.append((expert, fits))
    ranked.sort(key=lambda pair: (not pair[1], pair[0].name))
    return ranked


@bp.get("/reservations/<int:reservation_id>")
@admin_only
def reservation(reservation_id: int) -> ResponseReturnValue:
    """One reservation: the person, the problem, the history, the messages, the actions."""
    now = runtime().clock.now()
    with db() as s:
        found = _reservation_or_404(s, reservation_id)
        contact = s.get(Contact, found.contact_id)
        service = s.get(Service, found.service_id)
        topic = s.get(Topic, found.topic_id)
        assert contact is not None and service is not None and topic is not None
        events = s.exec(
            select(ReservationEvent)
            .where(ReservationEvent.reservation_id == found.id)
            .order_by(col(ReservationEvent.id))
        ).all()
        messages = list(
            reversed(
                s.exec(
                    select(Message)
                    .where(Message.contact_id == contact.id)
                    .order_by(col(Message.id).desc())
                    .limit(60)
                ).all()
            )
        )
        room = meeting_links.room_of(s, found)
        free_rooms = meeting_links.free_rooms(s, found) if found.mode == "online" else []
        experts = _experts_for(s, found)
        expert = s.get(Expert, found.expert_id) if found.expert_id else None
        slots = calendar.free_slots(s, service, now, tz(), limit=12, exclude={found.starts_at})
        record = s.exec(
            select(ConsultationRecord).where(ConsultationRecord.reservation_id == found.id)
        ).first()
        notes = s.exec(
            select(ContactNote)
            .where(ContactNote.contact_id == contact.id)
            .order_by(col(ContactNote.id))
        ).all()
    return render_template(
        "admin/reservation.html",
        r=found,
        contact=contact,
        service=service,
        topic=topic,
        events=events,
        messages=messages,
        room=room,
        free_rooms=free_rooms,
        experts=experts,
        expert=expert,
        slots=slots,
        record=record,
        notes=notes,
        now=now,
        upcoming=found.status in ("booked", "confirmed") and found.starts_at > now,
    )


def _back(reservation_id: int) -> ResponseReturnValue:
    return redirect(url_for("console.reservation", reservation_id=reservation_id))


@bp.post("/reservations/<int:reservation_id>/confirm")
@admin_only
def confirm(reservation_id: int) -> ResponseReturnValue:
    """Assign the expert (and the room, online) and send the person the time and link."""
    expert_id = request.form.get("expert_id") or ""
    room_id = request.form.get("room_id") or ""
    try:
        with db() as s:
            ctx = console_context(s)
            found = _reservation_or_404(s, reservation_id)
            expert = s.get(Expert, int(expert_id)) if expert_id.isdigit() else None
            room = s.get(MeetingRoom, int(room_id)) if room_id.isdigit() else None
            if room is not None and not room.active:
                room = None
            console_reservations.confirm(ctx, found, expert=expert, room=room)
            audit.record(
                s,
                user(),
                "reservation.confirm",
                ctx.now,
                target_type="reservation",
                target_id=found.id,
                detail=f"{found.code} expert={expert.id if expert else '-'} "
                f"room={room.id if room and found.mode == 'online' else '-'}",
            )
    except (BookingError, ActionRefused) as exc:
        flash(ERRORS.get(str(exc.reason), str(exc.reason)), "error")
        return _back(reservation_id)
    except meeting_links.RoomTaken as exc:
        flash(f"Ruang {exc} sudah dipakai sesi lain pada jam itu. Pilih ruang lain.", "error")
        return _back(reservation_id)
    flash("Reservasi dikonfirmasi; pesan konfirmasi masuk antrean kirim.", "ok")
    return _back(reservation_id)


@bp.post("/reservations/<int:reservation_id>/reschedule")
@admin_only
def reschedule(reservation_id: int) -> ResponseReturnValue:
    """Move to another free slot and tell the person."""
    try:
        starts_at = dt.datetime.fromisoformat(request.form.get("starts_at") or "")
        if starts_at.tzinfo is None:
            raise ValueError("naive")
    except ValueError:
        flash("Pilih jadwal baru.", "error")
        return _back(reservation_id)
    note = (request.form.get("note") or "").strip()[:300]
    try:
        with db() as s:
            ctx = console_context(s)
            found = _reservation_or_404(s, reservation_id)
            console_reservations.reschedule(ctx, found, starts_at.astimezone(dt.UTC), note)
            audit.record(
                s,
                user(),
                "reservation.reschedule",
                ctx.now,
                target_type="reservation",
                target_id=found.id,
                detail=f"{found.code} -> {found.starts_at.isoformat()}",
            )
    except (BookingError, ActionRefused) as exc:
        flash(ERRORS.get(str(exc.reason), str(exc.reason)), "error")
        return _back(reservation_id)
    flash("Jadwal diubah; pesan jadwal baru masuk antrean kirim.", "ok")
    return _back(reservation_id)


@bp.post("/reservations/<int:reservation_id>/cancel")
@admin_only
def cancel(reservation_id: int) -> ResponseReturnValue:
    """Cancel with a reason and tell the person."""
    reason = (request.form.get("reason") or "").strip()[:300]
    try:
        with db() as s:
            ctx = console_context(s)
            found = _reservation_or_404(s, reservation_id)
            console_reservations.cancel(ctx, found, reason)
            audit.record(
                s,
                user(),
                "reservation.cancel",
                ctx.now,
                target_type="reservation",
                target_id=found.id,
                detail=found.code or "",
            )
    except (BookingError, ActionRefused) as exc:
        flash(ERRORS.get(str(exc.reason), str(exc.reason)), "error")
        return _back(reservation_id)
    flash("Reservasi dibatalkan; pesan pembatalan masuk antrean kirim.", "ok")
    return _back(reservation_id)


@bp.post("/reservations/<int:reservation_id>/mark")
@admin_only
def mark(reservation_id: int) -> ResponseReturnValue:
    """The session took place, or the person did not come."""
    status = request.form.get("status") or ""
    try:
        with db() as s:
            ctx = console_context(s)
            found = _reservation_or_404(s, reservation_id)
            console_reservations.mark(ctx, found, status)
            audit.record(
                s,
                user(),
                f"reservation.{status}",
                ctx.now,
                target_type="reservation",
                target_id=found.id,
                detail=found.code or "",
            )
    except (BookingError, ActionRefused) as exc:
        flash(ERRORS.get(str(exc.reason), str(exc.reason)), "error")
        return _back(reservation_id)
    flash("Status disimpan.", "ok")
    return _back(reservation_id)


@bp.route("/reservations/new", methods=["GET", "POST"])
@admin_only
def new_reservation() -> ResponseReturnValue:
    """Book on behalf of a cooperative referred by the Dinas (rujukan)."""
    form = request.form if request.method == "POST" else request.args
    with db() as s:
        services = clinic.active_services(s)
        topics = s.exec(
            select(Topic)
            .where(col(Topic.active).is_(True))
            .order_by(col(Topic.service_id), col(Topic.position))
        ).all()
        service_id = (
            int(form.get("service_id") or 0) if (form.get("service_id") or "").isdigit() else 0
        )
        service = s.get(Service, service_id) if service_id else (services[0] if services else None)
        now = runtime().clock.now()
        slots = calendar.free_slots(s, service, now, tz(), limit=40) if service else []
    if request.method == "GET":
        return render_template(
            "admin/new_reservation.html",
            services=services,
            topics=topics,
            service=service,
            slots=slots,
            form=form,
            modes=MODES,
        )
    try:
        phone = normalise_phone(form.get("phone") or "")
    except BadInbound:
        flash("Nomor WhatsApp tidak valid (contoh: 0812-3456-7890).", "error")
        return render_template(
            "admin/new_reservation.html",
            services=services,
            topics=topics,
            service=service,
            slots=slots,
            form=form,
            modes=MODES,
        ), 400
    try:
        with db() as s:
            ctx = console_context(s)
            contact, _created = get_or_create_contact(s, phone, ctx.now)
            for name in ("name", "organisation", "kecamatan"):
                value = (form.get(name) or "").strip()[:120]
                if value and not getattr(contact, name):
                    setattr(contact, name, value)
            category = form.get("category") or ""
            if category and not contact.category:
                contact.category = category[:40]
            topic_id = form.get("topic_id") or ""
            topic = s.get(Topic, int(topic_id)) if topic_id.isdigit() else None
            chosen = s.get(Service, service_id) if service_id else None
            if topic is None or chosen is None:
                raise ActionRefused("bad_topic")
            try:
                starts_at = dt.datetime.fromisoformat(form.get("starts_at") or "")
            except ValueError as exc:
                raise ActionRefused("no_such_slot") from exc
            found = console_reservations.book_on_behalf(
                ctx,
                contact,
                service=chosen,
                topic=topic,
                problem=form.get("problem") or "",
                mode=form.get("mode") or "",
                starts_at=starts_at.astimezone(dt.UTC),
                referral=form.get("referral") or "",
            )
            audit.record(
                s,
                user(),
                "reservation.book",
                ctx.now,
                target_type="reservation",
                target_id=found.id,
                detail=found.code or "",
            )
            new_id = found.id
    except (BookingError, ActionRefused) as exc:
        flash(ERRORS.get(str(exc.reason), str(exc.reason)), "error")
        return render_template(
            "admin/new_reservation.html",
            services=services,
            topics=topics,
            service=service,
            slots=slots,
            form=form,
            modes=MODES,
        ), 400
    flash("Reservasi rujukan dibuat. Konfirmasikan untuk mengirim jadwal ke orangnya.", "ok")
    return _back(new_id or 0)
