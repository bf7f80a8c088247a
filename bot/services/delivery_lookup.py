"""What the outbox asks a channel besides "send": is a template configured, and what did the
provider accept (to reconcile a send whose outcome is unknown).

Channels offer ``has_template(template) -> bool`` and
``find_sent(message, since) -> list[SendResult] | None`` (docs/CHANNELS.md). Behind a router,
the channel the message would go out on is asked. A transport without ``has_template`` (a
test double, the console) is taken to send any template; one without ``find_sent`` cannot be
asked, and the outbox then never resends a message it may already have delivered.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.transports.base import OutboundMessage, SendResult, TemplateRef, Transport


def _channel(transport: Transport, message: OutboundMessage) -> Any:
    chooser = getattr(transport, "channel_for", None)
    return chooser(message) if callable(chooser) else transport


def has_template(transport: Transport, message: OutboundMessage, template: TemplateRef) -> bool:
    """True unless the channel `message` goes out on is known to lack this template."""
    check = getattr(_channel(transport, message), "has_template", None)
    return bool(check(template)) if callable(check) else True


def find_sent(
    transport: Transport, message: OutboundMessage, since: dt.datetime
) -> list[SendResult] | None:
    """Messages the provider accepted for this recipient since `since` that look like this one,
    newest first; None when the channel cannot tell."""
    finder = getattr(_channel(transport, message), "find_sent", None)
    if not callable(finder):
        return None
    found: list[SendResult] | None = finder(message, since)
    return found
