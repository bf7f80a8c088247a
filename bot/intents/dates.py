"""``parse_date``: Indonesian and English dates, relative and absolute, inside any sentence.

Decision: a hand-written parser driven by ``data/calendar.toml``; dateparser is not used.
Measured on this machine (dateparser 1.5, ``languages=["id", "en"]``, ``DATE_ORDER="DMY"``,
``PREFER_DATES_FROM="future"``) on the 119 date cases of ``tests/intent_cases.py``:
import 0.25 s and 0.32 s for the first call; then ``parse`` 1.4 ms mean (2.4 ms p95) with
52/119 right, ``search_dates`` (needed for dates inside sentences) 2.9 ms mean (8.1 ms p95)
with 71/119 right. It misses "lusa", "senin depan", "tgl 5", "jumat ini", reads "on the 5th"
as 22 May, gives "tanggal 5" in the past and turns "sy mau konsul bsk jam 10" into
22 October 2027 (from "jam 10"). This parser answers all of them in about 0.08 ms mean
(0.2 ms p95, ``bench/bench_intents.py``) with no import cost beyond the TOML file.

Rules (``today`` is the caller's date in the clinic's timezone):
 * explicit dates first: "05-12-2026", "2026-12-05", "5/12" (day first; "12/25" falls back
   to month first), "5 Desember 2026", "5 des", "desember 5", "Dec 5th", "5th of December";
   also with the day in words and the month after "tgl"/"bulan": "tanggal lima januari",
   "dua puluh lima desember", "twenty fifth of December", "tgl 4 bulan februari",
   "februari tgl 4" (a month written out; after "agus" or "mei", which are also names, only
   digits and ordinals), "tanggal 4 bulan 2";
   then a day of the month: "tgl 5", "tanggal 5", "on the 5th", "tgl 5 bulan depan".
   Without a year, a day already past this year means next year ("5 januari" said in
   November); a day of the month already past means next month ("tgl 5" on the 22nd), and
   a day missing from a month moves on to the next month that has it ("tgl 31" in November
   is 31 December). Today itself is not past. An explicit but impossible date ("31 februari",
   "tgl 32") gives None rather than a guess.
 * otherwise the earliest relative expression in the message:
   - a weekday alone or with "ini"/"this"/"nanti": its next occurrence, today included
     ("senin" said on a Monday is today);
   - with "depan"/"next" or "minggu depan"/"next week" (before or after the weekday:
     "senin minggu depan", "minggu depan hari rabu"): that weekday in next week (weeks run
     Monday-Sunday), which is always after today ("senin depan" on Saturday is the coming
     Monday; "jumat depan" on Wednesday is Friday of next week, not in two days);
   - with "besok" ("rabu besok", "besok rabu"): tomorrow if tomorrow is that day, else its
     next occurrence after today; with "lalu"/"kemarin"/"last": its last occurrence;
   - "minggu" is Sunday unless it means a week: "minggu depan"/"next week" is the Monday of
     next week, "minggu ini" ("this week") alone is no date, "hari minggu depan" is Sunday;
   - "3 hari lagi", "dalam 2 minggu", "in 3 days", "seminggu lagi", "2 bulan lagi";
   - "hari ini", "sekarang", "today", "besok", "bsk", "tomorrow", "tmrw", "lusa",
     "besok lusa", "kemarin".
 * clock times ("jam 10-12", "10.30") are never read as dates; None when there is no date.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence

from .calendar import Calendar, calendar, clock_tokens, lookup, number_at, ordinal_at

log = logging.getLogger(__name__)

_DMY = re.compile(r"^(\d{1,2})([/\-])(\d{1,2})(?:\2(\d{4}|\d{2}))?$")
_DMY_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$")
_YMD = re.compile(r"^(\d{4})([/\-.])(\d{1,2})\2(\d{1,2})$")
MIN_YEAR, MAX_YEAR = 1900, 2200


class _Impossible(Exception):
    """An explicit date that does not exist ("31 februari"): the answer is None."""


def parse_date(text: str, today: dt.date, *, now_is_a_day: bool = True) -> dt.date | None:
    """The date meant in ``text`` relative to ``today``, or None when there is none. "now"
    ("sekarang") counts only when nothing else names a day, and not at all with
    `now_is_a_day` off ("ya pesan sekarang" books, it does not ask for today)."""
    try:
        if isinstance(today, dt.datetime):
            today = today.date()
        tokens = clock_tokens(text)
        if not tokens:
            return None
        cal = calendar()
        for finder in (_numeric, _with_month, _day_of_month):
            found = finder(tokens, today, cal)
            if found is not None:
                return found
        now_words = cal.word("now")
        weak_words = now_words | cal.word("weak_days")
        relative = [
            (tokens[hit[0]] in weak_words, hit[0], rank, hit[1])
            for rank, finder_ in enumerate((_weekday, _span, _relative_day))
            if (hit := finder_(tokens, today, cal)) is not None
        ]
        if not now_is_a_day:
            relative = [found for found in relative if tokens[found[1]] not in now_words]
        return min(relative)[3] if relative else None
    except _Impossible:
        return None
    except Exception as exc:  # never let one odd message break the conversation
        # the exception text may quote the message: log only its kind
        log.error("parse_date failed: %s", type(exc).__name__)
        return None


def _make(year: int, month: int, day: int) -> dt.date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Impossible
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise _Impossible from None


def _year(token: str) -> int:
    value = int(token)
    return 2000 + value if len(token) == 2 else value


def _in_year(today: dt.date, month: int, day: int) -> dt.date:
    """The next ``day``/``month`` on or after today."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise _Impossible
    year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
    return _make(year, month, day)


def _add_months(year: int, month: int, count: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + count
    return index // 12, index % 12 + 1


def _in_month(today: dt.date, day: int, offset: int | None = None) -> dt.date:
    """The next day-of-month ``day`` on or after today (or in the month ``offset`` ahead)."""
    if not 1 <= day <= 31:
        raise _Impossible
    if offset is not None:
        return _make(*_add_months(today.year, today.month, offset), day)
    for step in range(13):
        year, month = _add_months(today.year, today.month, step)
        try:
            found = dt.date(year, month, day)
        except ValueError:
            continue
        if found >= today:
            return found
    raise _Impossible


def _after_time_word(tokens: Sequence[str], position: int, cal: Calendar) -> bool:
    return position > 0 and tokens[position - 1] in cal.word("time")


def _numeric(tokens: Sequence[str], today: dt.date, cal: Calendar) -> dt.date | None:
    """05-12-2026, 5/12, 2026-12-05, 5.12.2026 (day first; month first if it must be)."""
    for position, token in enumerate(tokens):
        if not token[0].isdigit() or _after_time_word(tokens, position, cal):
            continue
        if match := _YMD.match(token):
            return _make(int(match[1]), int(match[3]), int(match[4]))
        match = _DMY.match(token)
        if match:
            day, month, year = int(match[1]), int(match[3]), match[4]
        elif match := _DMY_DOTTED.match(token):
            day, month, year = int(match[1]), int(match[2]), match[3]
        else:
            continue
        if month > 12 >= day:
            day, month = month, day
        if year:
            return _make(_year(year), month, day)
        return _in_year(today, month, day)
    return None


MAX_DAY_WORDS = 3  # "dua puluh lima", "twenty fifth"
FULL_MONTH = 5  # letters of a month name written out ("agustus", not "agus", "mei")


def _day_from(tokens: Sequence[str], position: int, cal: Calendar) -> tuple[int, int] | None:
    """A day of the month starting at ``position`` ("5", "5th", "lima", "twenty fifth")."""
    if position < 0 or position >= len(tokens):
        return None
    token = tokens[position]
    if token.isdigit():
        return (int(token), 1) if len(token) <= 2 else None
    return ordinal_at(tokens, position) or lookup(tokens, position, cal.numbers)


def _day_or_ordinal(tokens: Sequence[str], position: int) -> tuple[int, int] | None:
    if position >= len(tokens):
        return None
    token = tokens[position]
    if token.isdigit():
        return (int(token), 1) if len(token) <= 2 else None
    return ordinal_at(tokens, position)


def _day_before(tokens: Sequence[str], end: int, cal: Calendar) -> int | None:
    """A day of the month whose last token is ``tokens[end]``."""
    for size in range(MAX_DAY_WORDS, 0, -1):
        start = end - size + 1
        if start < 0:
            continue
        found = _day_from(tokens, start, cal)
        if found is not None and found[1] == size:
            return found[0]
    return None


def _year_at(tokens: Sequence[str], position: int) -> int | None:
    if position < len(tokens) and tokens[position] in ("tahun", "year"):
        position += 1
    if position < len(tokens) and tokens[position].isdigit() and len(tokens[position]) == 4:
        return int(tokens[position])
    return None


def _with_month(tokens: Sequence[str], today: dt.date, cal: Calendar) -> dt.date | None:
    """5 Desember 2026, 5 des, desember 5, Dec 5th, 5th of December, tanggal lima januari,
    tgl 4 bulan februari, februari tgl 4, dua puluh lima desember."""
    linking = cal.word("month") | {"of"}
    skip_after = cal.word("day_of_month") | {"the"}
    for position, token in enumerate(tokens):
        month = cal.months.get(token)
        if month is None:
            continue
        before = position - 1
        while before >= 0 and position - before <= 2 and tokens[before] in linking:
            before -= 1  # "5th of december", "tgl 4 bulan februari"
        day = _day_before(tokens, before, cal)
        year_position = position + 1
        if day is None:
            after = position + 1
            # a month written out ("februari tgl 4", "december the fifth"); after a short
            # one only digits and ordinals: "Pak Agus tgl 5", "Agus dua kali" are names
            full = len(token) >= FULL_MONTH
            while (
                full
                and after < len(tokens)
                and after - position <= 2
                and tokens[after] in skip_after
            ):
                after += 1
            found = _day_from(tokens, after, cal) if full else _day_or_ordinal(tokens, after)
            if found is None:
                continue
            day, year_position = found[0], after + found[1]
        year = _year_at(tokens, year_position)
        return _make(year, month, day) if year else _in_year(today, month, day)
    return None


def _month_number(tokens: Sequence[str], position: int, cal: Calendar) -> int | None:
    """The month of "bulan 12" / "month 2" at ``position``, if any."""
    if position + 1 >= len(tokens) or tokens[position] not in cal.word("month"):
        return None
    token = tokens[position + 1]
    return int(token) if token.isdigit() and 1 <= int(token) <= 12 else None


def _month_offset(tokens: Sequence[str], position: int, cal: Calendar) -> int | None:
    """Months ahead: "bulan depan"/"next month" 1, "bulan ini"/"this month" 0, else None."""
    pair = tokens[position : position + 2]
    if len(pair) < 2:
        return None
    first, second = pair
    if first in cal.word("month") and second in cal.word("next"):
        return 1
    if first in cal.word("next") and second in cal.word("month"):
        return 1
    if cal.word("month") & {first, second} and cal.word("this") & {first, second}:
        return 0
    return None


def _day_of_month(tokens: Sequence[str], today: dt.date, cal: Calendar) -> dt.date | None:
    """tgl 5, tanggal 5, tanggal lima, the 5th, on the 5th (tgl 5 bulan depan)."""
    for position, token in enumerate(tokens):
        if token in cal.word("day_of_month"):
            start = position + 1
            found = number_at(tokens, start) or ordinal_at(tokens, start)
        else:
            start = position
            found = ordinal_at(tokens, start)
            previous = tokens[position - 1] if position else ""
            if found is not None and not token[0].isdigit() and previous not in ("the", "on"):
                continue  # "second", "kedua" alone are not dates
        if found is None:
            continue
        day, size = found
        month = _month_number(tokens, start + size, cal)  # "tanggal 4 bulan 2"
        if month is not None:
            year = _year_at(tokens, start + size + 2)
            return _make(year, month, day) if year else _in_year(today, month, day)
        return _in_month(today, day, _month_offset(tokens, start + size, cal))
    return None


def _monday_next_week(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=7 - today.weekday())


def _is_week(tokens: Sequence[str], position: int, cal: Calendar) -> bool:
    """Whether "minggu" (Sunday or week) at ``position`` means a week."""
    previous = tokens[position - 1] if position else ""
    following = tokens[position + 1] if position + 1 < len(tokens) else ""
    if previous in cal.word("weekday_prefix"):
        return False
    if previous in cal.weekdays or previous in cal.word("one"):
        return True
    if position and number_at(tokens, position - 1) is not None:
        return True
    modifiers = cal.word("next") | cal.word("this") | cal.word("last") | cal.word("later")
    return following in modifiers


def _weekday(tokens: Sequence[str], today: dt.date, cal: Calendar) -> tuple[int, dt.date] | None:
    """senin, jumat ini, senin depan, next monday, rabu besok, senin minggu depan..."""
    tomorrow_words = {key[0] for key, value in cal.relative_days.items() if value == 1}
    modifiers = (
        cal.word("next") | cal.word("last") | cal.word("this") | cal.word("weekday_prefix")
    ) | tomorrow_words
    for position, token in enumerate(tokens):
        weekday = cal.weekdays.get(token)
        if weekday is None:
            continue
        if token in cal.word("week") and _is_week(tokens, position, cal):
            continue
        previous = tokens[position - 1] if position else ""
        start = position - 1 if previous in modifiers else position
        following = tokens[position + 1 : position + 3]
        after = following[0] if following else ""
        next_week = _monday_next_week(today) + dt.timedelta(days=weekday)
        if after in cal.word("next") or previous in cal.word("next"):
            return start, next_week
        before = start - 2
        if (  # "minggu depan hari rabu", "next week on wednesday"
            before >= 0
            and tokens[before] in cal.word("week") | cal.word("next")
            and tokens[before + 1] in cal.word("week") | cal.word("next")
            and tokens[before] != tokens[before + 1]
        ):
            return before, next_week
        if len(following) == 2 and (
            (following[0] in cal.word("week") and following[1] in cal.word("next"))
            or (following[0] in cal.word("next") and following[1] in cal.word("week"))
        ):
            return start, next_week
        if after in cal.word("last") or previous in cal.word("last"):
            back = (today.weekday() - weekday) % 7 or 7
            return start, today - dt.timedelta(days=back)
        ahead = (weekday - today.weekday()) % 7
        if after in tomorrow_words or previous in tomorrow_words:
            ahead = ahead or 7
        return start, today + dt.timedelta(days=ahead)
    return None


def _unit_days(unit: str, cal: Calendar) -> int | None:
    if unit in cal.word("day"):
        return 1
    if unit in cal.word("week"):
        return 7
    if unit in cal.word("month"):
        return 0  # months are counted in months, not days
    return None


def _span(tokens: Sequence[str], today: dt.date, cal: Calendar) -> tuple[int, dt.date] | None:
    """3 hari lagi, dalam 2 minggu, in 3 days, 3 days from now; minggu depan, next week."""
    for position, token in enumerate(tokens):
        previous = tokens[position - 1] if position else ""
        following = tokens[position + 1] if position + 1 < len(tokens) else ""
        if (
            token in cal.word("week")
            and following in cal.word("next")
            and previous not in cal.word("weekday_prefix")
            and previous not in cal.weekdays
        ):
            return position, _monday_next_week(today)
        if token in cal.word("next") and following in cal.word("week"):
            return position, _monday_next_week(today)
        count = number_at(tokens, position)
        if count is None and token in cal.word("one"):
            count = (1, 1)
        if count is None:
            continue
        value, size = count
        unit_position = position + size
        if unit_position >= len(tokens):
            continue
        days = _unit_days(tokens[unit_position], cal)
        if days is None:
            continue
        rest = tuple(tokens[unit_position + 1 : unit_position + 3])
        later = (rest[:1] and rest[0] in cal.word("later")) or rest in cal.from_now
        if not (later or previous in cal.word("in")):
            continue
        if days == 0:
            year, month = _add_months(today.year, today.month, value)
            for day in range(today.day, 0, -1):  # 31 January + 1 month = 28/29 February
                try:
                    return position, dt.date(year, month, day)
                except ValueError:
                    continue
        return position, today + dt.timedelta(days=days * value)
    return None


def _relative_day(
    tokens: Sequence[str], today: dt.date, cal: Calendar
) -> tuple[int, dt.date] | None:
    """hari ini, sekarang, today, besok, tomorrow, lusa, besok lusa, kemarin ("now" only
    when no other word of these is there)."""
    weak_words = cal.word("now") | cal.word("weak_days")
    weak: tuple[int, dt.date] | None = None
    for position in range(len(tokens)):
        found = lookup(tokens, position, cal.relative_days)
        if found is None:
            continue
        if position and tokens[position - 1] in cal.word("weak_day_greetings"):
            continue  # "sugeng enjing"
        hit = position, today + dt.timedelta(days=found[0])
        if tokens[position] not in weak_words:
            return hit
        weak = weak or hit
    return weak
