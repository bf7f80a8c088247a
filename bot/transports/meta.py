"""The Meta WhatsApp Cloud API: signed JSON webhooks in, Graph API sends out.

Meta cannot take replies in the webhook's HTTP answer: the engine queues them in the outbox
and the webhook wakes the dispatcher, which sends them through this channel at once.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import uuid
from typing import Any

import requests
from flask import Request, Response

from bot.config import Settings
from bot.inbound import (
    BadInbound,
    InboundMessage,
    clean_location,
    clean_text,
    normalise_phone,
    safe_text,
)
from bot.transports.base import (
    DeliveryStatus,
    OutboundMessage,
    SendResult,
    TemplateRef,
    TransportError,
    WebhookBatch,
    numbered,
    split_at_lines,
)
from bot.transports.templates import TemplateMap

log = logging.getLogger(__name__)

TEXT_LIMIT = 4096  # characters of a text message
MAX_BUTTONS = 3  # reply buttons of an interactive message
BUTTON_TITLE_LIMIT = 20
INTERACTIVE_BODY_LIMIT = 1024
MAX_PROVIDER_ID = 64  # the width of messages.provider_sid
WAMID = re.compile(r"^[A-Za-z0-9._=+/:-]{1,512}$")
MEDIA_KINDS = ("image", "document", "audio", "video", "sticker")
IGNORED_KINDS = ("reaction", "system", "ephemeral")  # not something the person asks us
# Graph error codes that mean "later" although the HTTP status is a 4xx: throttling and
# temporary unavailability (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes)
RETRYABLE_CODES = {1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004}


def storage_id(wamid: str) -> str:
    """The id stored for a wamid: itself, or a stable digest of it when it is too long.

    Inbound deduplication and status updates both go through this, so they agree.
    """
    if len(wamid) <= MAX_PROVIDER_ID:
        return wamid
    return "wamid.sha256:" + hashlib.sha256(wamid.encode()).hexdigest()[: MAX_PROVIDER_ID - 13]


def signature_valid(secret: str | None, body: bytes, header: str | None) -> bool:
    """Check ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>``."""
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    given = header.removeprefix("sha256=").strip().lower()
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


def parse_meta_payload(payload: Any, phone_number_id: str | None = None) -> WebhookBatch:
    """The messages and statuses of a webhook body; odd entries are skipped, not fatal."""
    if not isinstance(payload, dict):
        raise BadInbound("the body is not a JSON object")
    batch = WebhookBatch()
    if payload.get("object") != "whatsapp_business_account":
        return batch
    for entry in _list(payload.get("entry")):
        for change in _list(_dict(entry).get("changes")):
            change = _dict(change)
            if change.get("field", "messages") != "messages":
                continue
            value = _dict(change.get("value"))
            receiver = str(_dict(value.get("metadata")).get("phone_number_id") or "")
            if phone_number_id and receiver and receiver != phone_number_id:
                log.warning("meta webhook for another phone number id skipped")
                continue
            names = {
                _str(_dict(c).get("wa_id")): _str(_dict(_dict(c).get("profile")).get("name"))
                for c in _list(value.get("contacts"))
            }
            for raw in _list(value.get("messages")):
                message = _message(_dict(raw), names)
                if message is not None:
                    batch.messages.append(message)
            for raw in _list(value.get("statuses")):
                status = _status(_dict(raw))
                if status is not None:
                    batch.statuses.append(status)
    return batch


def _message(raw: dict[str, Any], names: dict[str, str]) -> InboundMessage | None:
    wamid, sender, kind = _str(raw.get("id")), _str(raw.get("from")), _str(raw.get("type"))
    if not WAMID.match(wamid) or not sender.isdigit():
        log.warning("meta message without a usable id or sender skipped")
        return None
    try:
        phone = normalise_phone("+" + sender)
    except BadInbound:
        log.warning("meta message from an invalid number skipped")
        return None
    if kind in IGNORED_KINDS:
        return None
    fields: dict[str, Any] = {}
    if kind == "text":
        fields["body"] = clean_text(_str(_dict(raw.get("text")).get("body")))
    elif kind in ("interactive", "button"):
        if kind == "interactive":
            interactive = _dict(raw.get("interactive"))
            reply = _dict(interactive.get("button_reply") or interactive.get("list_reply"))
            title, payload = reply.get("title"), reply.get("id")
        else:
            button = _dict(raw.get("button"))
            title, payload = button.get("text"), button.get("payload")
        title = clean_text(_str(title), 256)
        # understood like the typed choice: the title is what the person said
        fields.update(body=title, button_text=title or None)
        fields["button_payload"] = clean_text(_str(payload), 256) or None
    elif kind in MEDIA_KINDS:
        item = _dict(raw.get(kind))
        media = {"kind": kind, "id": clean_text(_str(item.get("id")), 200)}
        media["content_type"] = clean_text(_str(item.get("mime_type")), 100)
        fields.update(media=[media], body=clean_text(_str(item.get("caption"))))
    elif kind == "location":
        place = _dict(raw.get("location"))
        fields["location"] = clean_location(
            place.get("latitude"), place.get("longitude"), place.get("address"), place.get("name")
        )
    else:  # contacts, order, unsupported, ...: stored and answered as "text only, please"
        fields["media"] = [{"kind": clean_text(kind, 40) or "unknown"}]
    return InboundMessage(
        provider_sid=storage_id(wamid),
        phone=phone,
        profile_name=clean_text(names.get(sender), 200) or None,
        channel="meta",
        **fields,
    )


def _status(raw: dict[str, Any]) -> DeliveryStatus | None:
    wamid, status = _str(raw.get("id")), _str(raw.get("status")).lower()
    if not WAMID.match(wamid) or not status:
        return None
    errors = _list(raw.get("errors"))
    code = _dict(errors[0]).get("code") if errors else None
    error_code = str(code)[:20] if isinstance(code, int | str) and str(code) else None
    return DeliveryStatus(storage_id(wamid), status[:20], error_code)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


class MetaChannel:
    """Meta's WhatsApp Cloud API: its handshake and signed webhooks in, Graph API calls out."""

    name = "meta"
    replies_inline = False  # replies go through the outbox, woken at once

    def __init__(self, settings: Settings, templates: TemplateMap | None = None) -> None:
        self.settings = settings
        self.templates = templates or TemplateMap()
        self._session: requests.Session | None = None

    @property
    def can_send(self) -> bool:
        """True when the bearer token and the sender's phone number id are configured."""
        return bool(self.settings.meta_access_token and self.settings.meta_phone_number_id)

    def check_credentials(self) -> MetaChannel:
        """Raise ValueError unless everything needed to send is configured."""
        if not self.can_send:
            raise ValueError("the meta transport needs META_ACCESS_TOKEN and META_PHONE_NUMBER_ID")
        return self

    @property
    def session(self) -> requests.Session:
        """One HTTP session (kept-alive connections to the Graph API), created on first use."""
        if self._session is None:
            self._session = requests.Session()
        return self._session

    @property
    def messages_url(self) -> str:
        """Where messages are sent: {base}/{version}/{phone_number_id}/messages."""
        s = self.settings
        return f"{s.meta_api_base_url}/{s.meta_api_version}/{s.meta_phone_number_id}/messages"

    def split(self, text: str) -> list[str]:
        """Pieces of at most 4096 characters, cut at line boundaries."""
        return split_at_lines(text, TEXT_LIMIT)

    def handshake(self, request: Request) -> Response:
        """Answer Meta's verification GET: echo hub.challenge for the right verify token."""
        expected = self.settings.meta_verify_token
        token = request.args.get("hub.verify_token", "")
        if (
            request.args.get("hub.mode") == "subscribe"
            and expected
            and hmac.compare_digest(token.encode(), expected.encode())
        ):
            challenge = request.args.get("hub.challenge", "")[:1000]
            return Response(challenge, status=200, mimetype="text/plain")
        return Response("Forbidden\n", status=403, mimetype="text/plain")

    def verify(self, request: Request) -> bool:
        """Check X-Hub-Signature-256 against the raw body, before anything parses it."""
        return signature_valid(
            self.settings.meta_app_secret,
            request.get_data(cache=True),
            request.headers.get("X-Hub-Signature-256"),
        )

    def parse(self, request: Request) -> WebhookBatch:
        """The messages and statuses of a webhook; BadInbound for a body that is not JSON."""
        try:
            payload = json.loads(request.get_data(cache=True))
        except (ValueError, RecursionError) as exc:  # UnicodeDecodeError is a ValueError
            raise BadInbound("the body is not valid JSON") from exc
        return parse_meta_payload(payload, self.settings.meta_phone_number_id)

    def acknowledge(self, replies: list[str]) -> Response:
        """An empty 200: the replies leave through the outbox."""
        return Response("", status=200, mimetype="text/plain")

    def send(self, message: OutboundMessage) -> SendResult:
        """POST the message to the Graph API, or raise TransportError."""
        if not self.can_send:
            raise TransportError(
                "the meta channel is not configured", retryable=False, code="not_configured"
            )
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": message.to.lstrip("+"),
            **self._content(message),
        }
        try:
            response = self.session.post(
                self.messages_url,
                json=payload,
                headers={"Authorization": f"Bearer {self.settings.meta_access_token}"},
                timeout=self.settings.meta_timeout_seconds,
            )
        except requests.RequestException as exc:  # timeouts, refused connections
            raise TransportError(f"{type(exc).__name__}: {exc}", retryable=True) from exc
        if response.status_code >= 400:
            raise _error_of(response)
        return _result_of(response)

    def has_template(self, template: TemplateRef) -> bool:
        """True when the template mapping gives `template` a Meta template name."""
        entry = self.templates.entries.get((template.name, template.language))
        return entry is not None and entry.meta_name is not None

    def _content(self, message: OutboundMessage) -> dict[str, Any]:
        """A template, interactive reply buttons, or text (buttons numbered when they don't fit)."""
        if message.template is not None:
            ref = message.template
            entry = self.templates.entry(ref)
            if entry.meta_name is None:
                raise TransportError(
                    f"template {ref.name!r} has no meta_name",
                    retryable=False,
                    code="template_unmapped",
                )
            template: dict[str, Any] = {
                "name": entry.meta_name,
                "language": {"code": entry.meta_language or ref.language},
            }
            values = entry.values(ref)
            if values:
                parameters = [{"type": "text", "text": safe_text(v)} for v in values]
                template["components"] = [{"type": "body", "parameters": parameters}]
            return {"type": "template", "template": template}
        if message.content_sid:
            raise TransportError(
                "a Twilio ContentSid cannot be sent on meta", retryable=False, code="content_sid"
            )
        body = safe_text(message.body)
        buttons = tuple(safe_text(b).strip() for b in message.buttons)
        if buttons and _fits_buttons(body, buttons):
            replies = [{"type": "reply", "reply": {"id": t, "title": t}} for t in buttons]
            interactive = {"type": "button", "body": {"text": body}, "action": {"buttons": replies}}
            return {"type": "interactive", "interactive": interactive}
        return {"type": "text", "text": {"body": numbered(body, buttons)[:TEXT_LIMIT]}}


def _fits_buttons(body: str, buttons: tuple[str, ...]) -> bool:
    return (
        0 < len(body.strip()) <= INTERACTIVE_BODY_LIMIT
        and len(buttons) <= MAX_BUTTONS
        and len(set(buttons)) == len(buttons)
        and all(0 < len(title) <= BUTTON_TITLE_LIMIT for title in buttons)
    )


def _error_of(response: requests.Response) -> TransportError:
    try:
        error = _dict(_dict(response.json()).get("error"))
    except ValueError:
        error = {}
    code = error.get("code")
    retryable = response.status_code == 429 or response.status_code >= 500
    retryable = retryable or code in RETRYABLE_CODES
    text = _str(error.get("message")) or response.reason or "error"
    return TransportError(
        f"Graph API HTTP {response.status_code}: {text}"[:500],
        retryable=retryable,
        code=str(code) if code is not None else str(response.status_code),
    )


def _result_of(response: requests.Response) -> SendResult:
    try:
        messages = _list(_dict(response.json()).get("messages"))
    except ValueError:
        messages = []
    wamid = _str(_dict(messages[0]).get("id")) if messages else ""
    if not wamid:  # accepted, but we cannot follow its delivery
        log.warning("Graph API accepted a message without returning its id")
        return SendResult(provider_sid="META" + uuid.uuid4().hex, status="accepted")
    return SendResult(provider_sid=storage_id(wamid), status="accepted")
