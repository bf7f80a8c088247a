"""``parse_shift``: a reservation moved by an amount of time rather than to a time.

Read: "mundur satu jam" (+1 h), "dimajuin setengah jam" (-30 min), "diundur 2 hari" (+2 days),
"push it back an hour", "move it a week later", "sejam lebih awal" (-1 h). A clock time is
not an amount: "mundur ke jam 11" gives None (parse_time reads it).
"""

from __future__ import annotations

import datetime as dt
import logging

from .calendar import calendar, clock_tokens, number_at

log = logging.getLogger(__name__)


def parse_shift(text: str) -> dt.timedelta | None:
    """The signed amount ``text`` moves something by, or None when it names no such amount."""
    try:
        return _shift(clock_tokens(text) if isinstance(text, str) else [])
    except Exception as exc:  # never let one odd message break the conversation
        log.error("parse_shift failed: %s", type(exc).__name__)  # the text may be personal
        return None


def _shift(tokens: list[str]) -> dt.timedelta | None:
    cal = calendar()
    earlier = bool(cal.word("shift_earlier") & set(tokens))
    later = not earlier and bool(cal.word("shift_later") & set(tokens))
    if not (later or earlier):  # "geser sejam lebih awal": the earlier word says which way
        return None
    units = {
        **dict.fromkeys(cal.word("minute"), dt.timedelta(minutes=1)),
        **dict.fromkeys(cal.word("hour"), dt.timedelta(hours=1)),
        **dict.fromkeys(cal.word("day"), dt.timedelta(days=1)),
        **dict.fromkeys(cal.word("week"), dt.timedelta(weeks=1)),
    }
    for at, token in enumerate(tokens):
        unit = units.get(token)
        if unit is None or at == 0:
            continue
        if at + 1 < len(tokens) and tokens[at + 1][:1].isdigit():
            continue  # "jam 11" is a clock, "minggu 2" a week of the month
        amount = _amount_before(tokens, at)
        if amount is not None:
            return unit * amount * (1 if later else -1)
    return None


def _amount_before(tokens: list[str], at: int) -> float | None:
    """The amount written before the unit at ``at``: "2", "dua", "satu", "an", "setengah",
    "half an"."""
    cal = calendar()
    before = tokens[at - 1]
    if before in cal.word("half") or (at >= 2 and tokens[at - 2] in cal.word("half")):
        return 0.5  # "setengah jam", "half an hour"
    if before in cal.word("one"):
        return 1
    for start in range(max(at - 3, 0), at):
        found = number_at(tokens, start)
        if found is not None and start + found[1] == at:
            return found[0]
    return None
