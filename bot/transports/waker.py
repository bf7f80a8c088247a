"""Wakes the outbox dispatcher of this process when a webhook has queued replies.

A channel that cannot answer in HTTP (Meta) has its replies written to the outbox; they
should leave within a second, not at the worker's next tick. `wake()` runs one dispatcher
pass soon after, in a thread of this process; several wakes while it runs make one more pass.
The worker may run beside it: rows are claimed with SKIP LOCKED, so none is sent twice.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


class DispatchWaker:
    """Runs `dispatch` after `wake()`: in a background thread, in the caller, or never.

    Modes: "background" (production), "inline" (the caller waits for the pass; tests) and
    "off" (the worker's tick sends). `drain()` runs a pass now whatever the mode.
    """

    def __init__(self, dispatch: Callable[[], object], mode: str = "background") -> None:
        self.dispatch = dispatch
        self.mode = mode
        self._wanted = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0

    def wake(self) -> None:
        """Ask for a dispatcher pass soon."""
        if self.mode == "inline":
            self.drain()
        elif self.mode == "background":
            self._ensure_thread()
            self._wanted.set()

    def drain(self) -> None:
        """Run one dispatcher pass now, in the caller's thread; errors are logged."""
        try:
            self.dispatch()
        except Exception:
            log.exception("dispatching queued replies failed; the worker's tick will retry")

    def _ensure_thread(self) -> None:
        with self._lock:
            # a forked web worker (gunicorn) does not inherit the parent's thread
            if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
                return
            self._pid = os.getpid()
            self._thread = threading.Thread(
                target=self._run, name="eklinik-reply-dispatch", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        while True:
            self._wanted.wait()
            self._wanted.clear()
            self.drain()
