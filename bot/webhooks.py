"""Twilio's webhooks: inbound messages and delivery status callbacks."""

from __future__ import annotations

import logging

from flask import Blueprint, Response, abort, request

from bot.engine import MessageNotStored
from bot.inbound import BadInbound
from bot.outbox import record_status
from bot.runtime import runtime

log = logging.getLogger(__name__)
bp = Blueprint("webhooks", __name__)


def _check_signature() -> None:
    if not runtime().webhook.verify(request):
        log.warning("rejected webhook with a bad signature from %s", request.remote_addr)
        abort(403)


@bp.post("/webhooks/twilio")
def twilio_inbound() -> Response:
    """A WhatsApp message from Twilio: verify, parse, run the engine, reply in TwiML."""
    _check_signature()
    rt = runtime()
    try:
        inbound = rt.webhook.parse(request)
    except BadInbound as exc:
        return Response(f"Bad request: {exc}\n", status=400, mimetype="text/plain")
    try:
        replies = rt.engine.handle(inbound)
    except MessageNotStored:
        return Response("Service unavailable: try again\n", status=503, mimetype="text/plain")
    return rt.webhook.acknowledge(replies)


@bp.post("/webhooks/twilio/status")
def twilio_status() -> Response:
    """A delivery status callback: move the message's status forward, never back."""
    _check_signature()
    sid = (request.form.get("MessageSid") or "").strip()
    status = (request.form.get("MessageStatus") or request.form.get("SmsStatus") or "").strip()
    if not sid or not status:
        return Response("Bad request: MessageSid and MessageStatus are required\n", status=400)
    rt = runtime()
    record_status(rt.db, sid, status.lower(), request.form.get("ErrorCode"), rt.clock.now())
    return Response("", status=204)
