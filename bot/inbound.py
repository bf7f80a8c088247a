"""The transport-neutral shape of a message someone sent us, and what every channel cleans."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
MAX_TEXT = 4096
# What XML 1.0 cannot carry (and PostgreSQL cannot store, for NUL): C0 controls other than tab,
# LF and CR, the non-characters U+FFFE/U+FFFF, and surrogates (in a str always unpaired).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


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
    channel: str = "whatsapp"  # the channel it came in on: twilio | meta | console

    @property
    def text(self) -> str:
        """What the person said: the body, or the label/payload of the button they tapped."""
        return self.body or self.button_text or self.button_payload or ""

    @property
    def has_text(self) -> bool:
        """True unless the message is only media or a location."""
        return bool(self.text.strip())


def safe_text(value: str) -> str:
    """The text without the characters XML cannot carry (and NUL, which PostgreSQL refuses)."""
    return NOT_XML.sub("", value)


def clean_text(value: str | None, limit: int = MAX_TEXT) -> str:
    """Keep the text as sent, minus characters no channel can carry back, capped."""
    if not value:
        return ""
    return safe_text(value)[:limit]


def clean_location(
    latitude: Any, longitude: Any, address: Any = None, label: Any = None
) -> dict[str, Any] | None:
    """A location as stored: coordinates only when both are finite numbers on the globe.

    ``nan`` or ``inf`` (which PostgreSQL's JSON refuses) are dropped, not the message.
    """
    location: dict[str, Any] = {}
    try:
        lat, lon = float(latitude), float(longitude)
    except (TypeError, ValueError):
        lat = lon = math.nan
    if math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180:
        location = {"latitude": lat, "longitude": lon}
    for key, value in (("address", address), ("label", label)):
        text = clean_text(value if isinstance(value, str) else None, 300)
        if text:
            location[key] = text
    return location or None


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
