"""Settings of delivery (sending pace, reminders, after-session messages, admin notices).

Read from the environment with defaults that suit the demo; every one can be overridden in
code with ``DeliverySettings(...)`` or ``replace``. Times of day are in the clinic's timezone.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dhm])\s*$")


def parse_duration(text: str) -> dt.timedelta:
    """'1d', '2h', '30m' as a timedelta; ValueError otherwise."""
    match = _DURATION.match(text.lower())
    if not match:
        raise ValueError(f"{text!r} is not a duration like 1d, 2h or 30m")
    amount, unit = float(match.group(1)), match.group(2)
    return dt.timedelta(**{{"d": "days", "h": "hours", "m": "minutes"}[unit]: amount})


def parse_clock(text: str) -> dt.time:
    """'06:00' or '6.00' as a time of day; ValueError otherwise."""
    hours, minutes = re.split(r"[:.]", text.strip(), maxsplit=1)
    return dt.time(int(hours), int(minutes))


@dataclass(frozen=True)
class DeliverySettings:
    """How proactive messages are produced and sent."""

    # sending
    rate_per_second: float = 80.0  # per sender, across all workers (0: no limit)
    concurrency: int = 8  # sends in flight per worker
    batch: int = 100  # rows claimed per transaction
    max_attempts: int = 8
    # reminders
    reminder_offsets: tuple[dt.timedelta, ...] = (dt.timedelta(days=1), dt.timedelta(hours=2))
    quiet_start: dt.time = dt.time(21, 0)
    quiet_end: dt.time = dt.time(6, 0)
    reminder_min_notice: dt.timedelta = dt.timedelta(minutes=30)
    # after the session
    feedback_delay: dt.timedelta = dt.timedelta(hours=1)
    feedback_within: dt.timedelta = dt.timedelta(days=3)
    followup_after: dt.timedelta = dt.timedelta(days=14)
    overdue_after: dt.timedelta = dt.timedelta(hours=3)
    # a row waiting for the 24-hour window or a template is looked at again this often, and
    # given up after template_wait
    waiting_recheck: dt.timedelta = dt.timedelta(minutes=10)
    template_wait: dt.timedelta = dt.timedelta(days=7)
    # the admins' WhatsApp numbers (E.164; none: the console's alert numbers) and the time
    # of their morning digest (None: off)
    admin_numbers: tuple[str, ...] = field(default_factory=tuple)
    digest_at: dt.time | None = None
    # the scheduler
    dispatch_every_seconds: float = 2.0
    derive_every_seconds: float = 60.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> DeliverySettings:
        """Read the EKLINIK_* delivery variables (see docs/DELIVERY.md)."""
        env = dict(os.environ if env is None else env)

        def get(name: str) -> str | None:
            value = env.get(name)
            return value.strip() if value and value.strip() else None

        base = cls()
        quiet = get("EKLINIK_QUIET_HOURS")
        quiet_start, quiet_end = base.quiet_start, base.quiet_end
        if quiet:
            start, end = quiet.split("-", 1)
            quiet_start, quiet_end = parse_clock(start), parse_clock(end)
        offsets = get("EKLINIK_REMINDER_OFFSETS")
        digest = get("EKLINIK_ADMIN_DIGEST_AT")
        numbers = get("EKLINIK_ADMIN_WHATSAPP")
        return cls(
            rate_per_second=float(get("EKLINIK_SEND_RATE") or base.rate_per_second),
            concurrency=int(get("EKLINIK_SEND_CONCURRENCY") or base.concurrency),
            batch=int(get("EKLINIK_SEND_BATCH") or base.batch),
            max_attempts=int(get("EKLINIK_SEND_MAX_ATTEMPTS") or base.max_attempts),
            reminder_offsets=(
                base.reminder_offsets
                if offsets is None
                else ()
                if offsets.lower() in ("none", "off")
                else tuple(parse_duration(part) for part in offsets.split(",") if part.strip())
            ),
            quiet_start=quiet_start,
            quiet_end=quiet_end,
            feedback_delay=parse_duration(get("EKLINIK_FEEDBACK_DELAY") or "1h"),
            followup_after=parse_duration(get("EKLINIK_FOLLOWUP_AFTER") or "14d"),
            overdue_after=parse_duration(get("EKLINIK_OVERDUE_AFTER") or "3h"),
            admin_numbers=tuple(n.strip() for n in (numbers or "").split(",") if n.strip()),
            digest_at=parse_clock(digest) if digest else None,
        )

    def is_quiet(self, local: dt.time) -> bool:
        """True inside the night hours, when no reminder goes out."""
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= local < self.quiet_end
        return local >= self.quiet_start or local < self.quiet_end
