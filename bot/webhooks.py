"""The providers' webhooks. Each channel verifies, parses and answers; this module runs the
cycle: statuses recorded, messages through the engine, replies inline or woken in the outbox.

    POST /webhooks/twilio          messages; replies in TwiML
    POST /webhooks/twilio/status   Twilio's delivery status callbacks
    GET  /webhooks/meta            Meta's verification handshake
    POST /webhooks/meta            Meta's messages and statuses; replies through the outbox
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import cast

from flask import Blueprint, Request, Response, request
from sqlalchemy.exc import DBAPIError

from bot.engine import MessageNotStored
from bot.inbound import BadInbound
from bot.outbox import record_status
from bot.runtime import runtime
from bot.transports.base import WebhookBatch, WebhookChannel
from bot.transports.meta import MetaChannel
from bot.transports.twilio import TwilioChannel

log = logging.getLogger(__name__)
bp = Blueprint("webhooks", __name__)


def _plain(text: str, status: int) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


def _receive(channel: WebhookChannel, parse: Callable[[Request], WebhookBatch]) -> Response:
    """The cycle of one webhook request: verify, parse, record, run the engine, answer."""
    if not channel.verify(request):
        log.warning("rejected a %s webhook with a bad signature", channel.name)
        return _plain("Forbidden: bad signature", 403)
    try:
        batch = parse(request)
    except BadInbound as exc:
        return _plain(f"Bad request: {exc}", 400)
    rt = runtime()
    try:
        for status in batch.statuses:
            now = rt.clock.now()
            record_status(rt.db, status.provider_sid, status.status, status.error_code, now)
    except DBAPIError:
        log.exception("could not record a %s delivery status", channel.name)
        return _plain("Service unavailable: try again", 503)
    replies: list[str] = []
    try:
        for message in batch.messages:
            replies.extend(rt.engine.handle(message, channel))
    except MessageNotStored:
        return _plain("Service unavailable: try again", 503)
    finally:
        if replies and not channel.replies_inline:
            rt.waker.wake()  # the engine put the replies in the outbox: send them now
    return channel.acknowledge(replies)


def _channel(name: str) -> WebhookChannel:
    return cast(WebhookChannel, runtime().channels[name])


@bp.post("/webhooks/twilio")
def twilio_inbound() -> Response:
    """A WhatsApp message from Twilio: verify, parse, run the engine, reply in TwiML."""
    channel = _channel(TwilioChannel.name)
    return _receive(channel, channel.parse)


@bp.post("/webhooks/twilio/status")
def twilio_status() -> Response:
    """A delivery status callback: move the message's status forward, never back."""
    channel = cast(TwilioChannel, _channel(TwilioChannel.name))
    answer = _receive(channel, channel.parse_status)
    return Response("", status=204) if answer.status_code == 200 else answer


@bp.get("/webhooks/meta")
def meta_handshake() -> Response:
    """Meta's verification handshake: echo hub.challenge for the right verify token."""
    channel = runtime().channels[MetaChannel.name]
    assert isinstance(channel, MetaChannel)
    return channel.handshake(request)


@bp.post("/webhooks/meta")
def meta_inbound() -> Response:
    """Meta's webhook: signature first, then messages (replies queued) and statuses; 200."""
    channel = _channel(MetaChannel.name)
    return _receive(channel, channel.parse)
