"""The per-sender send rate, shared by every worker through one database row per sender.

A worker reserves consecutive send slots (1/rate seconds apart) under the row's lock, then
starts each send no earlier than its slot. A send that would start more than a moment
(20 ms, or one interval at slow rates) after its slot takes a fresh slot instead, so the
workers together never start more than rate x (window + 20 ms) + 1 sends in any window.
Slots are wall-clock seconds: this is about the provider's throughput, not about the
clinic's calendar, so the bot's clock is not used here.
"""

from __future__ import annotations

import collections
import threading
import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from storage.db import is_sqlite, transaction
from storage.models_delivery import SendPace

WallClock = Callable[[], float]
LATE_TOLERANCE = 0.02  # seconds a send may start after its slot before new slots are taken


def reserve(
    session: Session, sender: str, count: int, rate: float, wall: WallClock = time.time
) -> list[float]:
    """Reserve `count` consecutive slots of `sender` in the caller's transaction."""
    if count <= 0:
        return []
    if rate <= 0:
        return [0.0] * count
    query = select(SendPace).where(SendPace.sender == sender)
    if not is_sqlite(session.get_bind()):  # type: ignore[arg-type]
        query = query.with_for_update()
    pace = session.exec(query).first()
    if pace is None:
        try:
            with session.begin_nested():
                session.add(SendPace(sender=sender, next_slot=0.0))
        except IntegrityError:
            pass  # another worker created it first
        pace = session.exec(query).one()
    interval = 1.0 / rate
    start = max(wall(), pace.next_slot)
    slots = [start + i * interval for i in range(count)]
    session.execute(
        sa.update(SendPace)
        .where(col(SendPace.sender) == sender)
        .values(next_slot=start + count * interval)
        .execution_options(synchronize_session=False)
    )
    return slots


class SlotBook:
    """The send slots one dispatcher pass holds for one sender, taken in order by its threads.

    A thread takes the next slot and sleeps until it. When the pass has fallen behind its
    slots (a stall, or a rate above what this worker manages), the rest of the block is given
    up and the remaining sends get a new block from now, in one transaction: a worker never
    bursts to catch up.
    """

    def __init__(
        self,
        db: Engine,
        sender: str,
        rate: float,
        slots: list[float],
        wall: WallClock = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.db, self.sender, self.rate = db, sender, rate
        self.slots = collections.deque(slots)
        self.wall, self.sleep = wall, sleep
        self.lock = threading.Lock()
        self.renewals = 0

    def wait_turn(self) -> None:
        """Block until this send may start."""
        if self.rate <= 0:
            return
        with self.lock:
            now = self.wall()
            slot = self.slots.popleft() if self.slots else now - 1e9
            if now - slot > max(1.0 / self.rate, LATE_TOLERANCE):
                remaining = len(self.slots) + 1
                with transaction(self.db) as session:
                    renewed = reserve(session, self.sender, remaining, self.rate, self.wall)
                self.slots = collections.deque(renewed)
                self.renewals += 1
                slot = self.slots.popleft()
        now = self.wall()
        if now < slot:
            self.sleep(slot - now)
