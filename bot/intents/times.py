"""``parse_time``: clock times as Indonesians (and English speakers) write them.

Read: "jam 10", "jam10", "jm 10", "pukul 09.00", "pk 10", "pkl 13.30 WIB", "10:30", "10.30",
"jam 2 siang" (14:00), "jam 3 sore" (15:00), "jam 7 malam" (19:00), "jam 12 malam" (00:00),
"jam 9 pagi", "jam dua siang", "setengah 11" (10:30: Indonesian "half eleven"),
"jam 10 lewat 15", "jam 11 kurang seperempat" (10:45), "jam 10-12" (10:00), "2pm",
"10 am", "10:30 am", "at 10", "half past 10", "quarter to 11", "noon", "tengah malam".

Decisions:
 * parse_time knows no opening hours: "jam 1" is 01:00 and "jam 7" is 07:00; only a part of
   the day turns them into the afternoon ("jam 1 siang" = 13:00, also written first:
   "siang jam 1", "besok sore jam 3"). The caller, which knows the clinic opens
   09:00-16:00, may reinterpret small hours.
 * A bare number is a time only with a part of the day or am/pm ("10 pagi", "2pm"); a bare
   "10" or "2026" is not. "10.30" and "10:30" are times on their own (minutes in two digits,
   so "10.000" is a price, not a time).
 * Dates are not times: "tgl 5", "5/12", "5 Desember 2026", "tanggal 10 pagi" give None; so
   do durations ("2 jam", "buka 24 jam sehari") and impossible times ("jam 25", "10.75").
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence

from .calendar import Calendar, calendar, clock_tokens, lookup, number_at

log = logging.getLogger(__name__)

_CLOCK = re.compile(r"^(\d{1,2})(?:[.:](\d{2}))?(?:-[\d.:]+)?$")
_SKIP = frozenset({"tepat", "teng", "pas", "an", "sharp", "menit", "minutes"})
_MARKERS = frozenset({"wib", "wita", "wit", "oclock"})  # make a bare number a time
_PLUS = frozenset({"lewat", "lebih"})
_MINUS = frozenset({"kurang"})
_MONEY = frozenset({"rp", "rupiah", "idr", "harga", "biaya", "usd"})


def parse_time(text: str) -> dt.time | None:
    """The clock time meant in ``text``, or None when there is none."""
    try:
        tokens = clock_tokens(text.replace("@", " at ") if isinstance(text, str) else "")
        cal = calendar()
        for position in range(len(tokens)):
            found = _time_at(tokens, position, cal)
            if found is not None:
                return found
        return None
    except Exception as exc:  # never let one odd message break the conversation
        # the exception text may quote the message: log only its kind
        log.error("parse_time failed: %s", type(exc).__name__)
        return None


def _clock_at(tokens: Sequence[str], start: int) -> tuple[int, int, int, bool] | None:
    """(hour, minute, end, explicit) of a clock at ``tokens[start]``; explicit when the
    form is unmistakably a time (minutes given, "setengah", "half past")."""
    if start >= len(tokens):
        return None
    token = tokens[start]
    following = tokens[start + 1] if start + 1 < len(tokens) else ""
    if token in ("setengah", "half", "quarter"):
        offset = 2 if token != "setengah" and following in ("past", "to") else 1
        found = number_at(tokens, start + offset)
        if found is None or (token != "setengah" and offset == 1):
            return None
        hour, size = found
        if token == "setengah":
            return hour - 1, 30, start + 1 + size, True
        if following == "to":
            return hour - 1, 45, start + offset + size, True
        return hour, 30 if token == "half" else 15, start + offset + size, True
    match = _CLOCK.match(token)
    if match:
        minute = match[2]
        return int(match[1]), int(minute or 0), start + 1, minute is not None
    found = number_at(tokens, start)  # "jam dua", "lima sore"
    if found is not None and not tokens[start].isdigit():
        return found[0], 0, start + found[1], False
    return None


def _apply_part_of_day(hour: int, part: str) -> int | None:
    """Move ``hour`` into the part of the day: "jam 2 siang" -> 14, "jam 12 malam" -> 0."""
    if part in ("am", "pm") and not 0 <= hour <= 12:
        return hour if part == "pm" and 13 <= hour <= 23 else None
    if part in ("am", "morning"):
        return 0 if hour == 12 else hour
    if part == "pm":
        return hour if hour == 12 else hour + 12
    if part == "noon":
        return 12 if hour == 0 else hour + 12 if 1 <= hour <= 5 else hour
    if part == "afternoon":
        return hour + 12 if 1 <= hour <= 8 else hour
    if part == "evening":
        return 0 if hour == 12 else hour + 12 if 5 <= hour <= 11 else hour
    return hour


def _time_at(tokens: Sequence[str], position: int, cal: Calendar) -> dt.time | None:
    named = lookup(tokens, position, cal.named_times)
    if named is not None:
        return dt.time(*named[0])
    token = tokens[position]
    time_word = token in cal.word("time")
    previous = tokens[position - 1] if position else ""
    if not time_word and (previous in _MONEY or previous in cal.word("time")):
        return None
    clock = _clock_at(tokens, position + 1 if time_word else position)
    if clock is None:
        return None
    hour, minute, end, explicit = clock
    part: str | None = None
    while end < len(tokens):
        word = tokens[end]
        if word in _SKIP or word in _MARKERS:
            explicit = explicit or word in _MARKERS
            end += 1
        elif word in _PLUS | _MINUS:
            amount = number_at(tokens, end + 1)
            extra = cal.minute_words.get(tokens[end + 1]) if end + 1 < len(tokens) else None
            if amount is None and extra is None:
                break
            value = extra if extra is not None else amount[0] if amount else 0
            minute += value if word in _PLUS else -value
            end += 2
        else:
            found = lookup(tokens, end, cal.parts_of_day)
            if found is not None:
                part = found[0]
            elif _is_duration(tokens, end, cal):
                return None  # "buka 24 jam sehari": "jam 1 hari" is no clock time
            break
    if part is None:  # a part of the day may come first: "besok siang jam 1", "sore jam 3"
        part = _part_before(tokens, position, cal)
        if part is not None and not (time_word or explicit):
            part = None  # "siang 2 orang" is no time
    if not (time_word or explicit or part):
        return None
    if not time_word and not explicit and _looks_like_date(tokens, position, cal):
        return None
    if minute < 0:
        hour, minute = hour - 1, minute + 60
    if part is not None:
        adjusted = _apply_part_of_day(hour, part)
        if adjusted is None:
            return None
        hour = adjusted
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return dt.time(hour, minute)


def _looks_like_date(tokens: Sequence[str], start: int, cal: Calendar) -> bool:
    """A bare number next to a month or after "tanggal"/"the" is a day, not an hour."""
    previous = tokens[start - 1] if start else ""
    following = tokens[start + 1] if start + 1 < len(tokens) else ""
    return (
        previous in cal.word("day_of_month")
        or previous in cal.months
        or previous in ("the", "on")
        or following in cal.months
    )


def _is_duration(tokens: Sequence[str], unit: int, cal: Calendar) -> bool:
    """A day/week/month word after the number, not naming a day ("jam 10 hari senin")."""
    if tokens[unit] not in cal.word("day") | cal.word("week") | cal.word("month"):
        return False
    following = tokens[unit + 1] if unit + 1 < len(tokens) else ""
    return following not in cal.weekdays and following not in cal.word("this")


def _part_before(tokens: Sequence[str], position: int, cal: Calendar) -> str | None:
    """A part of the day right before the time ("siang jam 2", "pagi ini jam 9")."""
    for back in (1, 2):
        start = position - back
        if start < 0:
            break
        found = lookup(tokens[start:position], 0, cal.parts_of_day)
        if found is not None and start + found[1] in (position, position - 1):
            return found[0]
    return None
