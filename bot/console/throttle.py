"""Login throttling per client address, on top of the per-account lock: many wrong passwords
from one address (trying many usernames) are refused for a while. Kept in memory per process;
the account lock in the database is the guarantee, this only slows down spraying."""

from __future__ import annotations

import datetime as dt
import threading
from collections import deque

WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES = 20


class LoginThrottle:
    """Counts recent failed logins per address."""

    def __init__(self, limit: int = MAX_FAILURES, window: dt.timedelta = WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[dt.datetime]] = {}
        self._lock = threading.Lock()

    def _recent(self, address: str, now: dt.datetime) -> deque[dt.datetime]:
        times = self._failures.setdefault(address, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked(self, address: str, now: dt.datetime) -> bool:
        """True while the address has failed too often lately."""
        with self._lock:
            return len(self._recent(address, now)) >= self.limit

    def failed(self, address: str, now: dt.datetime) -> None:
        """Record a failed attempt."""
        with self._lock:
            self._recent(address, now).append(now)
            if len(self._failures) > 10_000:  # never grow without bound
                self._failures = {a: t for a, t in self._failures.items() if t}
