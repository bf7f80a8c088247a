"""The start page (today at a glance, the setup checklist) and the small status endpoint the
pages poll for the inbox badge."""

from __future__ import annotations

import datetime as dt

from flask import jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlmodel import col, func, select

from bot.console.blueprint import admin_only, bp, db, is_admin, tz
from bot.runtime import runtime
from bot.services import console_settings
from bot.services.handoff import PENDING, WAITING
from storage.models import Handoff, Reservation


@bp.get("/")
def home() -> ResponseReturnValue:
    """Administrators: what waits today. Experts go to their consultation book."""
    if not is_admin():
        return redirect(url_for("console.book"))
    now = runtime().clock.now()
    today = now.astimezone(tz()).date()
    start = dt.datetime.combine(today, dt.time(0), tzinfo=tz())
    with db() as s:
        steps = console_settings.checklist(s)
        waiting = s.exec(
            select(func.count()).select_from(Handoff).where(col(Handoff.status).in_(WAITING))
        ).one()
        to_confirm = s.exec(
            select(func.count())
            .select_from(Reservation)
            .where(Reservation.status == "booked", col(Reservation.starts_at) > now)
        ).one()
        today_count = s.exec(
            select(func.count())
            .select_from(Reservation)
            .where(
                col(Reservation.starts_at) >= start,
                col(Reservation.starts_at) < start + dt.timedelta(days=1),
                col(Reservation.status).in_(("booked", "confirmed", "completed", "no_show")),
            )
        ).one()
        year_start = dt.datetime(today.year, 1, 1, tzinfo=tz())
        realised = s.exec(
            select(func.count())
            .select_from(Reservation)
            .where(Reservation.status == "completed", col(Reservation.starts_at) >= year_start)
        ).one()
        target = int(console_settings.get(s, "yearly_target") or 0)
    return render_template(
        "admin/home.html",
        steps=steps,
        setup_done=all(step.done for step in steps),
        waiting=waiting,
        to_confirm=to_confirm,
        today_count=today_count,
        today=today,
        realised=realised,
        target=target,
    )


@bp.get("/api/status")
@admin_only
def status() -> ResponseReturnValue:
    """Counts for the badge: chats waiting, and the newest escalation's id (pages compare it)."""
    with db() as s:
        waiting = s.exec(
            select(func.count()).select_from(Handoff).where(col(Handoff.status).in_(WAITING))
        ).one()
        pending = s.exec(
            select(func.count()).select_from(Handoff).where(Handoff.status == PENDING)
        ).one()
        unread = s.exec(
            select(func.coalesce(func.sum(Handoff.unread), 0)).where(
                col(Handoff.status).in_(WAITING)
            )
        ).one()
        latest = s.exec(select(func.max(Handoff.id))).one()
        last_activity = s.exec(
            select(func.max(Handoff.last_message_at)).where(col(Handoff.status).in_(WAITING))
        ).one()
    return jsonify(
        {
            "waiting": waiting,
            "pending": pending,
            "unread": int(unread or 0),
            "latest": latest or 0,
            "activity": last_activity.isoformat() if last_activity else None,
        }
    )
