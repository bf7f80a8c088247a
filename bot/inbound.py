"""The transport-neutral shape of a message someone sent us."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
MAX_TEXT = 4096


class BadInbound(ValueError):
    """The request is not a message we can accept; the text says why."""


@dataclass(frozen=True)
class InboundMessage:
    """One message as the engine sees it."""

    provider_sid: str
    phone: str  # E.164, without the channel prefix
    body: str = ""
    profile_name: str | None = None
    media: list[dict[str, str]] = field(default_factory=list)
    location: dict[str, Any] | None = None
    button_payload: str | None = None
    button_text: str | None = None
    channel: str = "whatsapp"

    @property
    def text(self) -> str:
        """What the person said: the body, or the label/payload of the button they tapped."""
        return self.body or self.button_text or self.button_payload or ""

    @property
    def has_text(self) -> bool:
        """True unless the message is only media or a location."""
        return bool(self.text.strip())


def clean_text(value: str | None, limit: int = MAX_TEXT) -> str:
    """Keep the text as sent, minus NUL bytes (PostgreSQL cannot store them), capped."""
    if not value:
        return ""
    return value.replace("\x00", "")[:limit]


def normalise_phone(raw: str) -> str:
    """Turn ``+62 812-3456`` or ``0812...`` into E.164, or raise BadInbound."""
    digits = re.sub(r"[\s().-]", "", raw or "")
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    elif digits.startswith("0"):
        digits = "+62" + digits[1:]
    elif not digits.startswith("+"):
        digits = "+" + digits
    if not E164.match(digits):
        raise BadInbound(f"not a phone number: {raw!r}")
    return digits
