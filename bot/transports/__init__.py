"""Transports: how messages reach WhatsApp. One interface; Twilio and the console implement it."""

from __future__ import annotations

from bot.config import Settings
from bot.transports.base import OutboundMessage, SendResult, Transport, TransportError


def make_transport(settings: Settings) -> Transport:
    """The outbound transport named by the settings (`twilio` or `console`)."""
    if settings.transport == "twilio":
        from bot.transports.twilio import TwilioTransport

        return TwilioTransport(settings).check_credentials()
    if settings.transport == "console":
        from bot.transports.console import ConsoleTransport

        return ConsoleTransport()
    raise ValueError(f"unknown transport {settings.transport!r} (use twilio or console)")


__all__ = ["OutboundMessage", "SendResult", "Transport", "TransportError", "make_transport"]
