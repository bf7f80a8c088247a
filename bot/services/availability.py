"""Why a day or a time asked for cannot be booked: the precise reason, not a list of all.

A full slot, a named public holiday, a closure, a weekday the clinic is closed, today's hours
being over, a time after the last session or outside the hours: each is told as it is.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.services import calendar
from storage.models import ClinicHours, Closure, Service


@dataclass(frozen=True)
class Refusal:
    """Why: ``reason`` is one of holiday, closure, closed_weekday, hours_over, lead_over,
    full, past, after_last, outside_hours, too_soon."""

    reason: str
    name: str | None = None  # the holiday's or closure's name
    last_start: dt.time | None = None  # the last session's start that day
    closes: dt.time | None = None


def hours_on(session: Session, service: Service, weekday: int) -> list[ClinicHours]:
    """The clinic's opening blocks on a weekday (0 = Monday)."""
    return list(
        session.exec(
            select(ClinicHours).where(
                ClinicHours.service_id == service.id, ClinicHours.weekday == weekday
            )
        )
    )


def last_start(blocks: list[ClinicHours]) -> dt.time | None:
    """The start of the day's last session."""
    starts = [
        (
            dt.datetime.combine(dt.date(2000, 1, 1), b.closes_at)
            - dt.timedelta(minutes=b.session_minutes)
        ).time()
        for b in blocks
    ]
    return max(starts, default=None)


def _closure(session: Session, service: Service, day: dt.date) -> Closure | None:
    return session.exec(
        select(Closure).where(
            col(Closure.day) == day,
            sa.or_(col(Closure.service_id).is_(None), col(Closure.service_id) == service.id),
        )
    ).first()


TODAY_OVER = frozenset({"hours_over", "lead_over"})  # nothing more can be booked today


def why_day(
    session: Session, service: Service, day: dt.date, now: dt.datetime, tz: ZoneInfo
) -> Refusal:
    """Why nothing is free on `day`."""
    today = now.astimezone(tz).date()
    if day < today:
        return Refusal("past")
    closure = _closure(session, service, day)
    if closure is not None:
        kind = "holiday" if closure.is_public_holiday else "closure"
        return Refusal(kind, name=closure.reason)
    blocks = hours_on(session, service, day.weekday())
    if not blocks:
        return Refusal("closed_weekday")
    last = last_start(blocks)
    if day == today and last is not None:
        last_moment = dt.datetime.combine(day, last, tzinfo=tz)
        if last_moment < now + calendar.DEFAULT_MIN_LEAD:
            # at 10.00 with the last session at 11.30: not over, but too close to book
            reason = "hours_over" if last_moment <= now else "lead_over"
            return Refusal(reason, last_start=last)
    return Refusal("full")


def why_time(
    session: Session,
    service: Service,
    day: dt.date | None,
    time: dt.time,
    now: dt.datetime,
    tz: ZoneInfo,
) -> Refusal:
    """Why `time` (on `day`, or on the clinic's days in general) cannot be booked."""
    if day is not None:
        refusal = why_day(session, service, day, now, tz)
        if refusal.reason not in ("full",):
            blocks = hours_on(session, service, day.weekday())
            if refusal.reason not in TODAY_OVER or not _inside(blocks, time):
                return refusal
        weekday = day.weekday()
    else:
        weekday = next((w for w in range(7) if hours_on(session, service, w)), 0)
    blocks = hours_on(session, service, weekday)
    last = last_start(blocks)
    closes = max((b.closes_at for b in blocks), default=None)
    if last is not None and closes is not None and last < time <= closes:
        return Refusal("after_last", last_start=last, closes=closes)
    if not _inside(blocks, time):
        return Refusal("outside_hours", last_start=last, closes=closes)
    if day is not None:
        moment = dt.datetime.combine(day, time, tzinfo=tz)
        if moment < now + calendar.DEFAULT_MIN_LEAD:
            return Refusal("too_soon")
    return Refusal("full")


def _inside(blocks: list[ClinicHours], time: dt.time) -> bool:
    return any(b.opens_at <= time < b.closes_at for b in blocks)


def in_clinic_hours(session: Session, service: Service, time: dt.time) -> dt.time:
    """ "jam 2" at an afternoon clinic is 14:00: a morning hour the clinic is closed at,
    whose afternoon twin it is open at, is read as the afternoon."""
    assert service.id is not None
    blocks = list(session.exec(select(ClinicHours).where(ClinicHours.service_id == service.id)))
    if time.hour >= 12 or _inside(blocks, time):
        return time
    later = time.replace(hour=time.hour + 12)
    return later if _inside(blocks, later) else time


@dataclass(frozen=True)
class DayOpening:
    """Whether one clinic is open on a day, and when."""

    service: Service
    opens: dt.time | None  # None: closed that day
    closes: dt.time | None
    closed_for: str | None  # the holiday's or closure's name


def opening_on(session: Session, service: Service, day: dt.date) -> DayOpening:
    """The clinic's hours on `day`, or why it is closed ("Hari Raya Natal")."""
    closure = _closure(session, service, day)
    if closure is not None:
        return DayOpening(service, None, None, closure.reason)
    blocks = hours_on(session, service, day.weekday())
    if not blocks:
        return DayOpening(service, None, None, None)
    return DayOpening(
        service, min(b.opens_at for b in blocks), max(b.closes_at for b in blocks), None
    )


def closed_days(session: Session, since: dt.date, until: dt.date) -> list[Closure]:
    """Holidays and closures of every clinic between two days, in order."""
    return list(
        session.exec(
            select(Closure)
            .where(col(Closure.day) >= since, col(Closure.day) <= until)
            .where(col(Closure.service_id).is_(None))
            .order_by(col(Closure.day))
        )
    )
