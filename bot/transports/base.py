"""The channel interface: verify and parse what comes in, answer it, send what goes out."""

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


@dataclass(frozen=True)
class DeliveryStatus:
    """A provider's report on a message we sent: sent, delivered, read, failed, ..."""

    provider_sid: str
    status: str
    error_code: str | None = None


@dataclass(frozen=True)
class WebhookBatch:
    """Everything one webhook request carries: messages, delivery statuses, or both."""

    messages: list[InboundMessage] = field(default_factory=list)
    statuses: list[DeliveryStatus] = field(default_factory=list)


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
    """What the outbox needs: something that delivers one message now."""

    name: str

    def send(self, message: OutboundMessage) -> SendResult:
        """Deliver one message now, or raise TransportError."""
        ...


class Channel(ReplyChannel, Transport, Protocol):
    """A named channel: how its replies are cut and delivered."""

    @property
    def can_send(self) -> bool:
        """True when everything needed to send is configured."""
        ...

    def check_credentials(self) -> Channel:
        """Raise ValueError unless the channel can send (checked at start-up)."""
        ...


class WebhookChannel(Channel, Protocol):
    """A channel whose provider calls our webhook: it verifies, parses and answers requests."""

    def verify(self, request: Request) -> bool:
        """True when the request really comes from the provider."""
        ...

    def parse(self, request: Request) -> WebhookBatch:
        """The messages and statuses in the request; BadInbound when it is malformed."""
        ...

    def acknowledge(self, replies: list[str]) -> Response:
        """The HTTP answer to the provider (carrying the replies when `replies_inline`)."""
        ...


def split_at_lines(text: str, limit: int) -> list[str]:
    """Split a long text into messages of at most `limit` characters, at line boundaries.

    Paragraphs stay together when they fit; a single line longer than the limit is cut at the
    last space before it (or hard, for a run without spaces).
    """
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _cut_line(line, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                if current.strip():
                    parts.append(current.strip("\n"))
                current = piece
    if current.strip():
        parts.append(current.strip("\n"))
    return parts


def _cut_line(line: str, limit: int) -> list[str]:
    pieces = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    pieces.append(line)
    return pieces


def numbered(body: str, buttons: tuple[str, ...]) -> str:
    """A text with its quick answers as a numbered list, for a channel without buttons."""
    if not buttons:
        return body
    choices = "\n".join(f"{number}. {title}" for number, title in enumerate(buttons, 1))
    return f"{body}\n\n{choices}" if body else choices
