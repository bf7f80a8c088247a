"""Channels: how messages reach WhatsApp. Each is found by name (twilio, meta, console)."""

from __future__ import annotations

import datetime as dt
import logging

from bot.config import Settings
from bot.transports.base import (
    Channel,
    OutboundMessage,
    ReplyChannel,
    SendResult,
    TemplateRef,
    Transport,
    TransportError,
    WebhookChannel,
)
from bot.transports.templates import TemplateMap

log = logging.getLogger(__name__)


def make_channels(settings: Settings) -> dict[str, Channel]:
    """Every channel, by name; those without credentials can still receive (or refuse)."""
    from bot.transports.console import ConsoleChannel
    from bot.transports.meta import MetaChannel
    from bot.transports.twilio import TwilioChannel

    templates = TemplateMap.load(settings.whatsapp_templates)
    return {
        "twilio": TwilioChannel(settings, templates),
        "meta": MetaChannel(settings, templates),
        "console": ConsoleChannel(),
    }


class ChannelRouter:
    """Sends each message on the channel it names (the contact's last), else the default."""

    def __init__(self, channels: dict[str, Channel], default: str) -> None:
        if default not in channels:
            raise ValueError(f"unknown transport {default!r} (use {', '.join(channels)})")
        self.channels = channels
        self.default = channels[default].check_credentials()
        self.name = default

    def channel_for(self, message: OutboundMessage) -> Channel:
        """The channel `message` goes out on: its own when that one can send, else the default."""
        named = self.channels.get(message.channel or "")
        if named is not None and named.can_send:
            return named
        if message.channel and message.channel not in (self.name, "whatsapp"):
            log.warning("channel %r cannot send; using %s", message.channel, self.name)
        return self.default

    def send(self, message: OutboundMessage) -> SendResult:
        """Deliver on the right channel, or raise TransportError."""
        return self.channel_for(message).send(message)

    def has_template(self, template: TemplateRef, channel: str | None) -> bool:
        """True when the channel a message named `channel` goes out on can send `template`."""
        sender = self.channel_for(OutboundMessage(to="", channel=channel))
        check = getattr(sender, "has_template", None)
        return bool(check(template)) if callable(check) else False

    def find_sent(self, message: OutboundMessage, since: dt.datetime) -> list[SendResult] | None:
        """What the provider accepted for this recipient since `since` (after a send whose
        outcome is unknown); None when the channel cannot be asked."""
        finder = getattr(self.channel_for(message), "find_sent", None)
        if not callable(finder):
            return None
        found: list[SendResult] | None = finder(message, since)
        return found


def make_transport(settings: Settings, channels: dict[str, Channel] | None = None) -> ChannelRouter:
    """The outbound router; the default channel (EKLINIK_TRANSPORT) must be able to send."""
    return ChannelRouter(channels or make_channels(settings), settings.transport)


__all__ = [
    "Channel",
    "ChannelRouter",
    "OutboundMessage",
    "ReplyChannel",
    "SendResult",
    "TemplateRef",
    "Transport",
    "TransportError",
    "WebhookChannel",
    "make_channels",
    "make_transport",
]
