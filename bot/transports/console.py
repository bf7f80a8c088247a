"""The console transport: no credentials; for `eklinik chat`, the simulator and demos."""

from __future__ import annotations

import logging
import uuid

from flask import Request, Response, jsonify

from bot.inbound import BadInbound, InboundMessage, clean_text, normalise_phone
from bot.transports.base import OutboundMessage, SendResult

log = logging.getLogger(__name__)


def console_sid() -> str:
    """A message id for messages that never touched a provider."""
    return "CON" + uuid.uuid4().hex


class ConsoleTransport:
    """Messages go to the log (and so to the simulator, which reads the message table)."""

    name = "console"

    def verify(self, request: Request) -> bool:
        return True

    def parse(self, request: Request) -> InboundMessage:
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
        return jsonify({"replies": replies})

    def send(self, message: OutboundMessage) -> SendResult:
        log.info("console message to %s: %s", message.to, message.body or message.content_sid)
        return SendResult(provider_sid=console_sid(), status="delivered")
