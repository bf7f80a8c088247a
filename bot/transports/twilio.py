"""Twilio WhatsApp: signed webhooks in, TwiML replies, REST sends through the real SDK."""

from __future__ import annotations

import datetime as dt
import hmac
import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

from flask import Request, Response
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator, add_port, remove_port
from twilio.rest import Client

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

TWILIO_API = "https://api.twilio.com"
SID = re.compile(r"^[A-Za-z0-9_-]{2,64}$")
MAX_MEDIA = 10
TEXT_LIMIT = 1600  # characters per message through Twilio
MAX_VALIDITY = 36000  # seconds: Twilio's longest ValidityPeriod
LOOKUP_LIMIT = 20
LOOKUP_SKEW = dt.timedelta(minutes=2)  # clock skew between us and Twilio
XML_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
XML_SPECIAL = re.compile("[&<>\r]")


class BaseUrlHttpClient(TwilioHttpClient):
    """The SDK's HTTP client, sending its REST calls to another base URL, always with a timeout."""

    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> TwilioResponse:
        if url.startswith(TWILIO_API):
            url = self.base_url + url[len(TWILIO_API) :]
        return super().request(method, url, *args, **kwargs)


def parse_twilio_form(form: Any) -> InboundMessage:
    """Read Twilio's WhatsApp webhook fields; raise BadInbound for what we cannot accept."""
    sid = (form.get("MessageSid") or form.get("SmsMessageSid") or "").strip()
    if not sid or not SID.match(sid):
        raise BadInbound("MessageSid is missing or malformed")
    sender = (form.get("From") or "").strip()
    if not sender.startswith("whatsapp:"):
        raise BadInbound("From is missing or not a WhatsApp number")
    phone = normalise_phone(sender.removeprefix("whatsapp:"))
    media = []
    try:
        count = min(int(form.get("NumMedia") or 0), MAX_MEDIA)
    except ValueError:
        count = 0
    for i in range(count):
        url = form.get(f"MediaUrl{i}")
        if url:
            media.append(
                {"url": url[:500], "content_type": (form.get(f"MediaContentType{i}") or "")[:100]}
            )
    location = None
    if form.get("Latitude") or form.get("Longitude") or form.get("Address"):
        location = clean_location(
            form.get("Latitude"), form.get("Longitude"), form.get("Address"), form.get("Label")
        )
    return InboundMessage(
        provider_sid=sid,
        phone=phone,
        body=clean_text(form.get("Body")),
        profile_name=clean_text(form.get("ProfileName"), 200) or None,
        media=media,
        location=location,
        button_payload=clean_text(form.get("ButtonPayload"), 256) or None,
        button_text=clean_text(form.get("ButtonText"), 256) or None,
        channel="twilio",
    )


def parse_twilio_status(form: Any) -> DeliveryStatus:
    """Read a status callback's fields; raise BadInbound when the id or status is missing."""
    sid = (form.get("MessageSid") or "").strip()
    status = (form.get("MessageStatus") or form.get("SmsStatus") or "").strip()
    if not sid or not status:
        raise BadInbound("MessageSid and MessageStatus are required")
    if not SID.match(sid):
        raise BadInbound("MessageSid is malformed")
    code = re.sub(r"[^0-9A-Za-z]", "", form.get("ErrorCode") or "")[:20]
    return DeliveryStatus(sid, safe_text(status.lower())[:20], code or None)


def xml_text(text: str) -> str:
    """`text` as XML character data: escaped, without the characters XML cannot carry."""
    return XML_SPECIAL.sub(lambda match: XML_ESCAPES[match.group()], safe_text(text))


def twiml_document(replies: list[str]) -> str:
    """The TwiML carrying each reply as its own message; well-formed whatever the text."""
    messages = "".join(f"<Message>{xml_text(text)}</Message>" for text in replies)
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{messages}</Response>'


def twiml(replies: list[str]) -> Response:
    """A TwiML answer carrying each reply as its own message (empty: no reply)."""
    return Response(twiml_document(replies), mimetype="application/xml")


def signed_url(settings: Settings, request: Request) -> str:
    """The URL Twilio signed: the public base URL (behind a proxy) or the request's own."""
    if settings.public_url:
        query = request.query_string.decode("latin-1")
        return settings.public_url + request.path + (f"?{query}" if query else "")
    return request.url


def signature_valid(settings: Settings, request: Request) -> bool:
    """Check X-Twilio-Signature; always true when no auth token is configured (development)."""
    if not settings.twilio_auth_token:
        return True
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return False
    validator = RequestValidator(settings.twilio_auth_token)
    url = signed_url(settings, request)
    # One HMAC for the usual request: the SDK's `validate` always computes two (the URL with
    # and without its port, as Twilio signs either); those variants are tried only when the
    # URL as given does not match.
    for candidate in _port_variants(url):
        computed = validator.compute_signature(candidate, request.form)
        if hmac.compare_digest(computed.encode(), signature.encode()):
            return True
    return False


def _port_variants(url: str) -> Iterator[str]:
    """The URL as given, then without its port and with its default port (as Twilio may have
    signed it)."""
    yield url
    parsed = urlparse(url)
    seen = {url}
    for variant in (remove_port(parsed), add_port(parsed)):
        if variant not in seen:
            seen.add(variant)
            yield variant


class TwilioChannel:
    """Twilio's WhatsApp API: its signed webhooks in, TwiML answers, REST sends out.

    Receiving needs only the auth token (or none, in development); sending needs the account
    credentials, checked by `check_credentials` when Twilio is the default channel.
    """

    name = "twilio"
    replies_inline = True  # the replies to a message go back in the webhook's TwiML answer

    def __init__(self, settings: Settings, templates: TemplateMap | None = None) -> None:
        self.settings = settings
        self.templates = templates or TemplateMap()
        self._client: Client | None = None

    @property
    def can_send(self) -> bool:
        """True when the account credentials and the sender are configured."""
        s = self.settings
        return bool(s.twilio_account_sid and s.twilio_auth_token and s.twilio_whatsapp_from)

    def check_credentials(self) -> TwilioChannel:
        """Raise ValueError unless everything needed to send is configured."""
        if not (self.settings.twilio_account_sid and self.settings.twilio_auth_token):
            raise ValueError("the twilio transport needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN")
        if not self.settings.twilio_whatsapp_from:
            raise ValueError("the twilio transport needs TWILIO_WHATSAPP_FROM (whatsapp:+...)")
        return self

    @property
    def client(self) -> Client:
        """The SDK client, created on first use."""
        if self._client is None:
            self._client = Client(
                self.settings.twilio_account_sid,
                self.settings.twilio_auth_token,
                http_client=BaseUrlHttpClient(
                    self.settings.twilio_api_base_url, self.settings.twilio_timeout_seconds
                ),
            )
        return self._client

    def split(self, text: str) -> list[str]:
        """Pieces of at most 1600 characters, cut at line boundaries."""
        return split_at_lines(text, TEXT_LIMIT)

    def verify(self, request: Request) -> bool:
        """Check X-Twilio-Signature (always true without an auth token, in development)."""
        return signature_valid(self.settings, request)

    def parse(self, request: Request) -> WebhookBatch:
        """The message of an inbound webhook."""
        return WebhookBatch(messages=[parse_twilio_form(request.form)])

    def parse_status(self, request: Request) -> WebhookBatch:
        """The delivery status of a status callback."""
        return WebhookBatch(statuses=[parse_twilio_status(request.form)])

    def acknowledge(self, replies: list[str]) -> Response:
        """The replies as TwiML."""
        return twiml(replies)

    def send(self, message: OutboundMessage) -> SendResult:
        """Create the message through the REST API, or raise TransportError."""
        sender = self.settings.twilio_whatsapp_from
        params: dict[str, Any] = {"from_": sender, "to": f"whatsapp:{message.to}"}
        params.update(self._content(message))
        if message.status_callback:
            params["status_callback"] = message.status_callback
        if message.validity_seconds is not None:
            params["validity_period"] = min(max(int(message.validity_seconds), 1), MAX_VALIDITY)
        try:
            created = self.client.messages.create(**params)
        except TwilioRestException as exc:
            retryable = exc.status >= 500 or exc.status == 429
            raise TransportError(str(exc.msg), retryable=retryable, code=str(exc.code)) from exc
        except (TwilioException, OSError) as exc:  # timeouts and refused connections
            raise TransportError(str(exc), retryable=True) from exc
        except Exception as exc:  # requests' own errors (ConnectionError, Timeout, ...)
            raise TransportError(f"{type(exc).__name__}: {exc}", retryable=True) from exc
        return SendResult(provider_sid=str(created.sid), status=str(created.status or "queued"))

    def has_template(self, template: TemplateRef) -> bool:
        """True when the template mapping gives `template` a ContentSid."""
        entry = self.templates.entries.get((template.name, template.language))
        return entry is not None and entry.twilio_content_sid is not None

    def find_sent(self, message: OutboundMessage, since: dt.datetime) -> list[SendResult]:
        """Messages Twilio accepted for this recipient since `since` that look like this one,
        newest first (to reconcile a send whose outcome is unknown)."""
        try:
            listed = self.client.messages.list(
                to=f"whatsapp:{message.to}",
                from_=self.settings.twilio_whatsapp_from,
                limit=LOOKUP_LIMIT,
            )
        except (TwilioException, OSError) as exc:
            raise TransportError(f"looking up sent messages failed: {exc}", retryable=True) from exc
        results = []
        for item in listed:
            created = item.date_created
            if created is not None and created < since - LOOKUP_SKEW:
                continue
            plain_text = message.body and not (message.template or message.content_sid)
            if plain_text and (item.body or "").strip() != message.body.strip():
                continue
            results.append(
                SendResult(provider_sid=str(item.sid), status=str(item.status or "queued"))
            )
        return results

    def _content(self, message: OutboundMessage) -> dict[str, Any]:
        """What to send: a mapped template, a ContentSid, quick replies or a plain body."""
        if message.template is not None:
            entry = self.templates.entry(message.template)
            if entry.twilio_content_sid is None:
                raise TransportError(
                    f"template {message.template.name!r} has no twilio_content_sid",
                    retryable=False,
                    code="template_unmapped",
                )
            values = entry.values(message.template)
            return _content_params(entry.twilio_content_sid, _numbered_variables(values))
        if message.content_sid:
            return _content_params(message.content_sid, message.content_variables)
        body = safe_text(message.body)
        buttons = tuple(safe_text(b) for b in message.buttons)
        quick_reply = self.templates.twilio_quick_reply.get(len(buttons)) if buttons else None
        if quick_reply:
            return _content_params(quick_reply, _numbered_variables([body, *buttons]))
        return {"body": numbered(body, buttons)}


TwilioTransport = TwilioChannel  # the name it had before channels


def _numbered_variables(values: list[str]) -> dict[str, str]:
    return {str(number): safe_text(value) for number, value in enumerate(values, 1)}


def _content_params(content_sid: str, variables: dict[str, Any]) -> dict[str, Any]:
    return {"content_sid": content_sid, "content_variables": json.dumps(variables)}
