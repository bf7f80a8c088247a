"""The console channel: no credentials; for `eklinik chat`, the simulator and demos."""

from __future__ import annotations

import logging
import uuid

from flask import Request, Response, jsonify

from bot.inbound import BadInbound, InboundMessage, clean_text, normalise_phone
from bot.transports.base import (
    OutboundMessage,
    SendResult,
    TemplateRef,
    numbered,
    split_at_lines,
)

log = logging.getLogger(__name__)
TEXT_LIMIT = 4096  # as on WhatsApp itself


def console_sid() -> str:
    """A message id for messages that never touched a provider."""
    return "CON" + uuid.uuid4().hex


class ConsoleChannel:
    """Replies go back in the HTTP answer; sent messages go to the log (the simulator reads
    them from the message table). Never logs the text or the number (personal data)."""

    name = "console"
    replies_inline = True
    can_send = True

    def check_credentials(self) -> ConsoleChannel:
        """Nothing to check: the console needs no credentials."""
        return self

    def has_template(self, template: TemplateRef) -> bool:
        """Any template: the console shows its name."""
        return True

    def split(self, text: str) -> list[str]:
        """Pieces of at most 4096 characters, cut at line boundaries."""
        return split_at_lines(text, TEXT_LIMIT)

    def parse(self, request: Request) -> InboundMessage:
        """The simulator's JSON (`phone`, `body`, optional `id`) or form fields."""
        data = request.get_json(silent=True) or request.form
        phone = normalise_phone(
            str(data.get("phone") or data.get("From") or "").removeprefix("whatsapp:")
        )
        body = clean_text(str(data.get("body") or data.get("Body") or ""))
        if not body.strip():
            raise BadInbound("empty message")
        sid = str(data.get("id") or "") or console_sid()
        return InboundMessage(provider_sid=sid[:64], phone=phone, body=body, channel="console")

    def acknowledge(self, replies: list[str]) -> Response:
        """The replies as JSON."""
        return jsonify({"replies": replies})

    def send(self, message: OutboundMessage) -> SendResult:
        """Log that a message left (without its content) and call it delivered."""
        text = numbered(message.body, message.buttons)
        kind = f"template {message.template.name}" if message.template else f"{len(text)} chars"
        log.info("console message sent (%s)", kind)
        return SendResult(provider_sid=console_sid(), status="delivered")


ConsoleTransport = ConsoleChannel  # the name it had before channels
