"""The derivation tick: everything the service sends on its own, derived from the data.

Each producer runs in its own transaction, so one failing does not hold back the others;
each queues its messages once per cause (dedupe keys), so a repeated or concurrent tick
queues nothing twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine

from bot.delivery_settings import DeliverySettings
from bot.messages import MessageCatalog
from bot.services import delivery_admin, delivery_after, reminders
from storage.db import transaction

if TYPE_CHECKING:
    from bot.engine import ConversationEngine

log = logging.getLogger(__name__)


def derive_all(
    db: Engine,
    now: dt.datetime,
    tz: ZoneInfo,
    catalog: MessageCatalog,
    settings: DeliverySettings,
    engine: ConversationEngine | None = None,
) -> dict[str, int]:
    """Run every producer once; how many messages (or flags) each made."""
    producers: dict[str, Callable[[Any], int]] = {
        "reminders": lambda s: reminders.derive_reminders(s, now, tz, catalog, settings, engine),
        "feedback": lambda s: delivery_after.derive_feedback_requests(
            s, now, tz, catalog, settings, engine
        ),
        "followups": lambda s: delivery_after.derive_followups(
            s, now, tz, catalog, settings, engine
        ),
        "overdue": lambda s: delivery_after.flag_overdue(s, now, settings),
        "digest": lambda s: delivery_admin.derive_digest(s, now, tz, catalog, settings),
    }
    counts: dict[str, int] = {}
    for name, produce in producers.items():
        try:
            with transaction(db) as session:
                counts[name] = produce(session)
        except Exception:
            log.exception("deriving %s failed; the next tick tries again", name)
            counts[name] = 0
    return counts
