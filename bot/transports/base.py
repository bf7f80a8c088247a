"""The transport interface: verify and parse what comes in, acknowledge it, send what goes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from flask import Request, Response

from bot.inbound import InboundMessage


@dataclass(frozen=True)
class TemplateRef:
    """A channel-neutral reference to an approved WhatsApp template.

    Each channel maps ``name`` + ``language`` to its own id (a Twilio ContentSid, a Meta
    template name and language code) and fills in ``variables``.
    """

    name: str  # e.g. "reminder", "confirmation"
    language: str  # "id" | "en"
    variables: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OutboundMessage:
    """A message to deliver: free text, or an approved template (outside the 24-hour window)."""

    to: str  # E.164
    body: str = ""
    content_sid: str | None = None  # a Twilio ContentSid given directly (older rows)
    content_variables: dict[str, Any] = field(default_factory=dict)
    status_callback: str | None = None
    template: TemplateRef | None = None
    buttons: tuple[str, ...] = ()  # quick answers; a channel without buttons numbers them
    channel: str | None = None  # the channel to send on (the contact's last); None: the default
    validity_seconds: int | None = None  # the provider may drop it once this has passed


@dataclass(frozen=True)
class SendResult:
    """What the provider said when it accepted a message."""

    provider_sid: str
    status: str = "queued"


class TransportError(Exception):
    """Sending failed. `retryable` tells the outbox whether to try again later."""

    def __init__(self, message: str, *, retryable: bool, code: str | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.code = code


class ReplyChannel(Protocol):
    """What the engine needs to know of the channel a message came in on."""

    name: str
    replies_inline: bool  # True: replies go back in the webhook's HTTP answer (Twilio)

    def split(self, text: str) -> list[str]:
        """Cut a reply into pieces the provider accepts (at line boundaries)."""
        ...


class Transport(Protocol):
    """What every channel offers the webhook and the outbox."""

    name: str

    def verify(self, request: Request) -> bool:
        """True when the request really comes from the provider."""
        ...

    def parse(self, request: Request) -> InboundMessage:
        """The message in the request, or BadInbound."""
        ...

    def acknowledge(self, replies: list[str]) -> Response:
        """The HTTP answer to the provider, carrying the immediate replies."""
        ...

    def send(self, message: OutboundMessage) -> SendResult:
        """Deliver one message now, or raise TransportError."""
        ...
