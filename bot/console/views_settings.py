"""Clinic settings (facts, yearly target, alerts), hours and closures, topics, experts and
meeting rooms. The conversation reads these tables on the next message."""

from __future__ import annotations

import datetime as dt

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.console.blueprint import admin_only, bp, db, user
from bot.inbound import BadInbound, normalise_phone
from bot.runtime import runtime
from bot.services import audit, console_settings
from storage.models import AdminUser, ClinicHours, ClinicInfo, Closure, Service, Topic
from storage.models_console import Expert, MeetingRoom

INFO_FIELDS = (
    ("address", "Alamat kantor klinik"),
    ("maps_url", "Link Google Maps"),
    ("phone", "Telepon kantor"),
    ("how_note", "Catatan cara konsultasi"),
)


def _now() -> dt.datetime:
    return runtime().clock.now()


def _time(raw: str | None) -> dt.time | None:
    try:
        return dt.time.fromisoformat((raw or "").strip())
    except ValueError:
        return None


def _positive(raw: str | None, low: int, high: int) -> int | None:
    try:
        value = int((raw or "").strip())
    except ValueError:
        return None
    return value if low <= value <= high else None


@bp.route("/settings", methods=["GET", "POST"])
@admin_only
def settings() -> ResponseReturnValue:
    """The clinic's facts shown in the chat, the yearly target and escalation alerts."""
    if request.method == "POST":
        now = _now()
        target = _positive(request.form.get("yearly_target") or "0", 0, 1_000_000)
        if target is None:
            flash("Target tahunan harus angka 0 sampai 1.000.000.", "error")
            return redirect(url_for("console.settings"))
        numbers = []
        for raw in (request.form.get("notify_numbers") or "").replace(",", "\n").splitlines():
            if not raw.strip():
                continue
            try:
                numbers.append(normalise_phone(raw))
            except BadInbound:
                flash(f"Nomor WhatsApp admin tidak valid: {raw.strip()[:30]}", "error")
                return redirect(url_for("console.settings"))
        with db() as s:
            for key, _label in INFO_FIELDS:
                value_id = (request.form.get(f"{key}_id") or "").strip()[:1000]
                value_en = (request.form.get(f"{key}_en") or "").strip()[:1000] or value_id
                row = s.get(ClinicInfo, key)
                if row is None:
                    s.add(ClinicInfo(key=key, value_id=value_id, value_en=value_en))
                else:
                    row.value_id, row.value_en = value_id, value_en
            console_settings.put(s, "yearly_target", target)
            console_settings.put(s, "notify_admins", request.form.get("notify_admins") == "on")
            console_settings.put(s, "notify_numbers", numbers)
            audit.record(s, user(), "settings.edit", now, target_type="settings")
        flash("Pengaturan disimpan; percakapan memakai nilai baru mulai pesan berikutnya.", "ok")
        return redirect(url_for("console.settings"))
    with db() as s:
        info = {row.key: row for row in s.exec(select(ClinicInfo))}
        target = console_settings.get(s, "yearly_target")
        notify = console_settings.get(s, "notify_admins")
        numbers = console_settings.get(s, "notify_numbers") or []
        steps = console_settings.checklist(s)
    return render_template(
        "admin/settings.html",
        info=info,
        fields=INFO_FIELDS,
        target=target,
        notify=notify,
        steps=steps,
    )


# --- hours and closures ---------------------------------------------------------------------


@bp.route("/settings/hours", methods=["GET", "POST"])
@admin_only
def hours() -> ResponseReturnValue:
    """Opening hours per clinic and weekday, session length and capacity; closures."""
    if request.method == "POST":
        return _save_hours()
    today = _now().astimezone(runtime_tz()).date()
    with db() as s:
        services = s.exec(select(Service).order_by(col(Service.position))).all()
        rows = s.exec(
            select(ClinicHours).order_by(
                col(ClinicHours.service_id), col(ClinicHours.weekday), col(ClinicHours.opens_at)
            )
        ).all()
        closures = s.exec(
            select(Closure).where(col(Closure.day) >= today).order_by(col(Closure.day))
        ).all()
    return render_template(
        "admin/hours.html", services=services, rows=rows, closures=closures, today=today
    )


def runtime_tz() -> dt.tzinfo:
    from zoneinfo import ZoneInfo

    return ZoneInfo(runtime().settings.timezone)


def _save_hours() -> ResponseReturnValue:
    action = request.form.get("action") or ""
    now = _now()
    back = redirect(url_for("console.hours"))
    with db() as s:
        me = user()
        if action in ("add", "edit"):
            opens = _time(request.form.get("opens_at"))
            closes = _time(request.form.get("closes_at"))
            minutes = _positive(request.form.get("session_minutes"), 10, 240)
            capacity = _positive(request.form.get("capacity"), 0, 50)
            weekday = _positive(request.form.get("weekday"), 0, 6)
            service_id = _positive(request.form.get("service_id"), 1, 10**9)
            if None in (opens, closes, minutes, capacity, weekday, service_id) or not (
                opens and closes and opens < closes
            ):
                flash("Isi jam buka < jam tutup, lama sesi 10–240 menit, kapasitas 0–50.", "error")
                return back
            assert opens and closes and minutes is not None and capacity is not None
            assert weekday is not None and service_id is not None
            row_id = request.form.get("id") or ""
            row = s.get(ClinicHours, int(row_id)) if row_id.isdigit() else None
            if row is None:
                row = ClinicHours(
                    service_id=service_id,
                    weekday=weekday,
                    opens_at=opens,
                    closes_at=closes,
                    session_minutes=minutes,
                    capacity=capacity,
                )
                s.add(row)
            else:
                row.weekday, row.opens_at, row.closes_at = weekday, opens, closes
                row.session_minutes, row.capacity = minutes, capacity
            s.flush()
            audit.record(s, me, f"hours.{action}", now, target_type="hours", target_id=row.id)
            flash("Jam layanan disimpan.", "ok")
        elif action == "delete":
            row_id = request.form.get("id") or ""
            row = s.get(ClinicHours, int(row_id)) if row_id.isdigit() else None
            if row is not None:
                s.delete(row)
                audit.record(s, me, "hours.delete", now, target_type="hours", target_id=row.id)
                flash("Jam layanan dihapus.", "ok")
        elif action == "close":
            try:
                day = dt.date.fromisoformat(request.form.get("day") or "")
            except ValueError:
                flash("Tanggal libur tidak valid.", "error")
                return back
            reason = (request.form.get("reason") or "").strip()[:160] or "Libur"
            raw = request.form.get("service_id") or ""
            service_id = int(raw) if raw.isdigit() else None
            exists = s.exec(
                select(Closure).where(Closure.day == day, Closure.service_id == service_id)
            ).first()
            if exists is None:
                closure = Closure(
                    day=day,
                    service_id=service_id,
                    reason=reason,
                    is_public_holiday=request.form.get("public") == "on",
                )
                s.add(closure)
                s.flush()
                audit.record(
                    s,
                    me,
                    "closure.add",
                    now,
                    target_type="closure",
                    target_id=closure.id,
                    detail=day.isoformat(),
                )
            flash(
                "Hari libur disimpan. Reservasi yang sudah ada pada hari itu tidak berubah.", "ok"
            )
        elif action == "reopen":
            row_id = request.form.get("id") or ""
            found = s.get(Closure, int(row_id)) if row_id.isdigit() else None
            if found is not None:
                closure = found
                s.delete(closure)
                audit.record(
                    s,
                    me,
                    "closure.delete",
                    now,
                    target_type="closure",
                    target_id=closure.id,
                    detail=closure.day.isoformat(),
                )
                flash("Hari libur dihapus.", "ok")
    return back


# --- topics ---------------------------------------------------------------------------------


@bp.route("/settings/topics", methods=["GET", "POST"])
@admin_only
def topics() -> ResponseReturnValue:
    """The topics each clinic offers: names, keywords people use, order, on/off."""
    if request.method == "POST":
        now = _now()
        with db() as s:
            me = user()
            row_id = request.form.get("id") or ""
            name_id = (request.form.get("name_id") or "").strip()[:160]
            name_en = (request.form.get("name_en") or "").strip()[:160] or name_id
            keywords = (request.form.get("keywords") or "").strip()[:1000]
            position = _positive(request.form.get("position") or "0", 0, 999) or 0
            if not name_id:
                flash("Nama topik wajib diisi.", "error")
                return redirect(url_for("console.topics"))
            row = s.get(Topic, int(row_id)) if row_id.isdigit() else None
            if row is None:
                service_id = _positive(request.form.get("service_id"), 1, 10**9)
                if service_id is None or s.get(Service, service_id) is None:
                    flash("Pilih klinik.", "error")
                    return redirect(url_for("console.topics"))
                code = _unique_code(s, service_id, name_id)
                row = Topic(
                    service_id=service_id,
                    code=code,
                    name_id=name_id,
                    name_en=name_en,
                    keywords=keywords,
                    position=position,
                )
                s.add(row)
            else:
                row.name_id, row.name_en, row.keywords = name_id, name_en, keywords
                row.position = position
                row.active = request.form.get("active") == "on"
            s.flush()
            audit.record(s, me, "topic.save", now, target_type="topic", target_id=row.id)
        flash("Topik disimpan.", "ok")
        return redirect(url_for("console.topics"))
    with db() as s:
        services = s.exec(select(Service).order_by(col(Service.position))).all()
        rows = s.exec(
            select(Topic).order_by(col(Topic.service_id), col(Topic.position), col(Topic.id))
        ).all()
    return render_template("admin/topics.html", services=services, rows=rows)


def _unique_code(s: Session, service_id: int, name: str) -> str:
    base = "".join(c if c.isalnum() else "_" for c in name.lower()).strip("_")[:50] or "topik"
    code, n = base, 1
    while s.exec(select(Topic).where(Topic.service_id == service_id, Topic.code == code)).first():
        n += 1
        code = f"{base}_{n}"
    return code


# --- experts --------------------------------------------------------------------------------


@bp.route("/experts", methods=["GET", "POST"])
@admin_only
def experts() -> ResponseReturnValue:
    """Experts: name, console account, topics, days on duty, active."""
    if request.method == "POST":
        now = _now()
        with db() as s:
            me = user()
            row_id = request.form.get("id") or ""
            name = (request.form.get("name") or "").strip()[:120]
            if not name:
                flash("Nama tenaga ahli wajib diisi.", "error")
                return redirect(url_for("console.experts"))
            raw_user = request.form.get("user_id") or ""
            account = s.get(AdminUser, int(raw_user)) if raw_user.isdigit() else None
            row = s.get(Expert, int(row_id)) if row_id.isdigit() else None
            if row is None:
                row = Expert(name=name, created_at=now)
                s.add(row)
            row.name = name
            row.user_id = account.id if account else None
            row.topic_ids = sorted(
                {int(t) for t in request.form.getlist("topic_ids") if t.isdigit()}
            )
            row.duty_days = sorted(
                {int(d) for d in request.form.getlist("duty_days") if d.isdigit() and int(d) < 7}
            )
            row.active = "on" in request.form.getlist("active")
            try:
                s.flush()
            except IntegrityError:
                s.rollback()
                flash("Akun itu sudah terhubung dengan tenaga ahli lain.", "error")
                return redirect(url_for("console.experts"))
            audit.record(s, me, "expert.save", now, target_type="expert", target_id=row.id)
        flash("Tenaga ahli disimpan.", "ok")
        return redirect(url_for("console.experts"))
    with db() as s:
        rows = s.exec(select(Expert).order_by(col(Expert.name))).all()
        accounts = s.exec(select(AdminUser).order_by(col(AdminUser.username))).all()
        services = s.exec(select(Service).order_by(col(Service.position))).all()
        all_topics = s.exec(
            select(Topic)
            .where(col(Topic.active).is_(True))
            .order_by(col(Topic.service_id), col(Topic.position))
        ).all()
    return render_template(
        "admin/experts.html",
        rows=rows,
        accounts=accounts,
        services=services,
        topics=all_topics,
        edit=request.args.get("edit", type=int),
    )


# --- meeting rooms --------------------------------------------------------------------------


@bp.route("/rooms", methods=["GET", "POST"])
@admin_only
def rooms() -> ResponseReturnValue:
    """The pool of Zoom rooms handed out for online sessions."""
    if request.method == "POST":
        now = _now()
        name = (request.form.get("name") or "").strip()[:120]
        url = (request.form.get("url") or "").strip()[:500]
        passcode = (request.form.get("passcode") or "").strip()[:60] or None
        if not name or not url.startswith("https://"):
            flash("Isi nama ruang dan link yang diawali https://.", "error")
            return redirect(url_for("console.rooms"))
        with db() as s:
            row_id = request.form.get("id") or ""
            row = s.get(MeetingRoom, int(row_id)) if row_id.isdigit() else None
            if row is None:
                row = MeetingRoom(name=name, url=url, passcode=passcode, created_at=now)
                s.add(row)
            else:
                row.name, row.url, row.passcode = name, url, passcode
                row.active = request.form.get("active") == "on"
            s.flush()
            audit.record(s, user(), "room.save", now, target_type="room", target_id=row.id)
        flash("Ruang Zoom disimpan.", "ok")
        return redirect(url_for("console.rooms"))
    with db() as s:
        rows = s.exec(select(MeetingRoom).order_by(col(MeetingRoom.name))).all()
    return render_template("admin/rooms.html", rows=rows)
