"""What a failed send means for the outbox: try again, check first, use the template, or stop."""

from __future__ import annotations

import enum
import http.client
import socket

import requests

from bot.transports.base import TransportError

# Twilio errors that are about this recipient or this message, not about the moment:
# 21211 invalid 'To' number, 63024 not a WhatsApp user, 21610 opted out (STOP),
# 63032 marketing messages not allowed for this user, 21408 region not enabled.
PERMANENT_CODES = frozenset({"21211", "63024", "21610", "63032", "21408", "21614"})
# 63016: free text outside the 24-hour window: send the approved template instead.
OUTSIDE_WINDOW_CODES = frozenset({"63016", "131047"})  # Twilio, Meta
# Rate limits and provider trouble: wait and try again (63018 channel rate, 20429 too many
# requests, 20500/20503 Twilio internal error / unavailable, Meta 130429 and 80007 throughput).
# The channel has no mapping for the template: the row waits until one is configured.
WAIT_CODES = frozenset({"template_unmapped"})
RETRY_CODES = frozenset({"63018", "20429", "20500", "20503", "130429", "80007", "131056"})


class Verdict(enum.Enum):
    """What to do with a row whose send raised."""

    RETRY = "retry"  # not sent: try again after a backoff
    UNCERTAIN = "uncertain"  # the provider may have accepted it: look it up before resending
    TEMPLATE = "template"  # outside the window: send the template instead
    WAIT = "wait"  # cannot go yet (no template configured): wait, with the reason shown
    PERMANENT = "permanent"  # never going to work: stop


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def maybe_sent(exc: BaseException) -> bool:
    """True when the request may have reached the provider before it failed (a read timeout,
    a dropped connection after sending), so a blind resend could deliver a second copy."""
    flagged = getattr(exc, "maybe_sent", None)
    if isinstance(flagged, bool):
        return flagged
    for cause in _chain(exc):
        if isinstance(cause, requests.exceptions.ConnectTimeout):
            return False  # never connected: nothing was sent
        if isinstance(
            cause,
            requests.exceptions.ReadTimeout
            | requests.exceptions.ChunkedEncodingError
            | http.client.RemoteDisconnected
            | socket.timeout,
        ):
            return True
    return False


def verdict(exc: TransportError) -> Verdict:
    """Classify a send failure by the provider's error code first, then by the transport."""
    code = (exc.code or "").strip()
    if code in OUTSIDE_WINDOW_CODES:
        return Verdict.TEMPLATE
    if code in WAIT_CODES:
        return Verdict.WAIT
    if code in PERMANENT_CODES:
        return Verdict.PERMANENT
    if code in RETRY_CODES:
        return Verdict.RETRY
    if not exc.retryable:
        return Verdict.PERMANENT
    return Verdict.UNCERTAIN if maybe_sent(exc) else Verdict.RETRY
