"""The clinic calendar: which 30-minute slots exist, and which still have a free seat.

Hours are kept per clinic and weekday in the clinic's local time; closures and public holidays
block whole days. A slot is offered only if it starts at least ``min_lead`` after now.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from bot.services import clinic, reference
from storage.models import ClinicHours, Service, SlotSeat

DEFAULT_MIN_LEAD = dt.timedelta(hours=2)
DEFAULT_HORIZON_DAYS = 60


@dataclass(frozen=True)
class Slot:
    """A session time of one clinic and how many seats it has left."""

    service_id: int
    starts_at: dt.datetime  # UTC
    ends_at: dt.datetime  # UTC
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        """Seats still free."""
        return max(self.capacity - self.taken, 0)


def _closed_days(session: Session, service_id: int, first: dt.date, last: dt.date) -> set[dt.date]:
    return reference.snapshot(session).closed_days(service_id, first, last)


def _hours_by_weekday(session: Session, service_id: int) -> dict[int, list[ClinicHours]]:
    by_day: dict[int, list[ClinicHours]] = {}
    for hours in reference.snapshot(session).hours_by_service.get(service_id, ()):
        by_day.setdefault(hours.weekday, []).append(hours)
    return by_day


_SEATS = SlotSeat.__table__  # type: ignore[attr-defined]
_TAKEN = sa.select(_SEATS.c.starts_at).where(
    _SEATS.c.service_id == sa.bindparam("service_id"),
    _SEATS.c.starts_at >= sa.bindparam("start", type_=_SEATS.c.starts_at.type),
    _SEATS.c.starts_at < sa.bindparam("end", type_=_SEATS.c.starts_at.type),
)


def _taken(
    session: Session, service_id: int, start: dt.datetime, end: dt.datetime
) -> Counter[dt.datetime]:
    # through the session, not its connection: seats added and not yet flushed count too
    rows = session.execute(_TAKEN, {"service_id": service_id, "start": start, "end": end})
    return Counter(row[0] for row in rows)


def day_slots(
    hours: list[ClinicHours], service_id: int, day: dt.date, tz: ZoneInfo
) -> list[tuple[dt.datetime, dt.datetime, int]]:
    """Every (start UTC, end UTC, capacity) of one day from that weekday's hours."""
    slots = []
    for block in sorted(hours, key=lambda h: h.opens_at):
        length = dt.timedelta(minutes=block.session_minutes)
        start = dt.datetime.combine(day, block.opens_at, tzinfo=tz)
        close = dt.datetime.combine(day, block.closes_at, tzinfo=tz)
        while start + length <= close:
            slots.append(
                (start.astimezone(dt.UTC), (start + length).astimezone(dt.UTC), block.capacity)
            )
            start += length
    return slots


def slots_between(
    session: Session,
    service: Service,
    first: dt.date,
    last: dt.date,
    tz: ZoneInfo,
) -> list[Slot]:
    """All slots of a clinic from `first` to `last` (local dates, inclusive), with seats taken."""
    assert service.id is not None
    hours = _hours_by_weekday(session, service.id)
    closed = _closed_days(session, service.id, first, last)
    raw: list[tuple[dt.datetime, dt.datetime, int]] = []
    day = first
    while day <= last:
        if day not in closed and day.weekday() in hours:
            raw.extend(day_slots(hours[day.weekday()], service.id, day, tz))
        day += dt.timedelta(days=1)
    if not raw:
        return []
    taken = _taken(session, service.id, raw[0][0], raw[-1][0] + dt.timedelta(seconds=1))
    return [Slot(service.id, s, e, cap, taken.get(s, 0)) for s, e, cap in raw]


def free_slots(
    session: Session,
    service: Service,
    now: dt.datetime,
    tz: ZoneInfo,
    *,
    from_day: dt.date | None = None,
    limit: int = 5,
    min_lead: dt.timedelta = DEFAULT_MIN_LEAD,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    exclude: set[dt.datetime] | None = None,
    after: dt.datetime | None = None,
) -> list[Slot]:
    """The nearest bookable slots with a free seat, from `from_day` (default today) onward,
    starting strictly later than `after` when given."""
    today = now.astimezone(tz).date()
    start_day = max(from_day or today, today)
    earliest = now + min_lead
    found: list[Slot] = []
    # look a week at a time so a busy calendar does not load the whole horizon at once
    day = start_day
    last_day = today + dt.timedelta(days=horizon_days)
    while day <= last_day and len(found) < limit:
        week_end = min(day + dt.timedelta(days=6), last_day)
        for slot in slots_between(session, service, day, week_end, tz):
            if (
                slot.starts_at >= earliest
                and slot.free
                and slot.starts_at not in (exclude or ())
                and (after is None or slot.starts_at > after)
            ):
                found.append(slot)
                if len(found) == limit:
                    break
        day = week_end + dt.timedelta(days=1)
    return found


def slot_shape(
    session: Session, service: Service, starts_at: dt.datetime, tz: ZoneInfo
) -> Slot | None:
    """The slot starting exactly at `starts_at`, if the calendar has one, its seats not yet
    counted (``taken`` is 0): from the hours and closures held in memory, no query."""
    assert service.id is not None
    day = starts_at.astimezone(tz).date()
    hours = _hours_by_weekday(session, service.id).get(day.weekday())
    if not hours or _closed_days(session, service.id, day, day):
        return None
    for start, end, capacity in day_slots(hours, service.id, day, tz):
        if start == starts_at:
            return Slot(service.id, start, end, capacity, 0)
    return None


def slot_at(
    session: Session, service: Service, starts_at: dt.datetime, tz: ZoneInfo
) -> Slot | None:
    """The slot starting exactly at `starts_at`, if the calendar has one."""
    local_day = starts_at.astimezone(tz).date()
    for slot in slots_between(session, service, local_day, local_day, tz):
        if slot.starts_at == starts_at:
            return slot
    return None


def is_bookable(
    slot: Slot,
    now: dt.datetime,
    min_lead: dt.timedelta = DEFAULT_MIN_LEAD,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> bool:
    """True when the slot is far enough ahead, within the booking horizon, and has a seat."""
    in_window = now + min_lead <= slot.starts_at <= now + dt.timedelta(days=horizon_days)
    return in_window and slot.free > 0


def office_open(session: Session, now: dt.datetime, tz: ZoneInfo) -> bool:
    """True between the earliest opening and the latest closing of today's open clinics."""
    local = now.astimezone(tz)
    blocks: list[ClinicHours] = []
    for service in clinic.active_services(session):
        assert service.id is not None
        if not _closed_days(session, service.id, local.date(), local.date()):
            blocks.extend(_hours_by_weekday(session, service.id).get(local.weekday(), []))
    if not blocks:
        return False
    opens = min(block.opens_at for block in blocks)
    closes = max(block.closes_at for block in blocks)
    return opens <= local.time() < closes


@dataclass(frozen=True)
class HoursGroup:
    """Consecutive weekdays (0 = Monday) sharing the same opening hours."""

    first: int
    last: int
    opens: dt.time
    closes: dt.time


def weekly_hours(hours: list[ClinicHours]) -> list[HoursGroup]:
    """Group opening hours for display: "Senin–Jumat 09.00–12.00" rather than five lines.

    Several blocks on one weekday show as the span from the first opening to the last closing.
    """
    by_day: dict[int, tuple[dt.time, dt.time]] = {}
    for block in hours:
        opens, closes = by_day.get(block.weekday, (block.opens_at, block.closes_at))
        by_day[block.weekday] = (min(opens, block.opens_at), max(closes, block.closes_at))
    groups: list[HoursGroup] = []
    for day in sorted(by_day):
        opens, closes = by_day[day]
        last = groups[-1] if groups else None
        if last and last.last == day - 1 and (last.opens, last.closes) == (opens, closes):
            groups[-1] = HoursGroup(last.first, day, opens, closes)
        else:
            groups.append(HoursGroup(day, day, opens, closes))
    return groups


def office_hours(session: Session) -> list[HoursGroup]:
    """When someone is at the clinic: the hours of all active clinics together."""
    blocks: list[ClinicHours] = []
    for service in clinic.active_services(session):
        assert service.id is not None
        for day_blocks in _hours_by_weekday(session, service.id).values():
            blocks.extend(day_blocks)
    return weekly_hours(blocks)
