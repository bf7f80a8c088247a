"""Twilio WhatsApp: signed webhooks in, TwiML replies, REST sends through the real SDK."""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Request, Response
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response as TwilioResponse
from twilio.request_validator import RequestValidator
from twilio.rest import Client
from twilio.twiml.messaging_response import MessagingResponse

from bot.config import Settings
from bot.inbound import BadInbound, InboundMessage, clean_text, normalise_phone
from bot.transports.base import OutboundMessage, SendResult, TransportError

TWILIO_API = "https://api.twilio.com"
SID = re.compile(r"^[A-Za-z0-9_-]{2,64}$")
MAX_MEDIA = 10


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
    if form.get("Latitude") and form.get("Longitude"):
        try:
            location = {
                "latitude": float(form["Latitude"]),
                "longitude": float(form["Longitude"]),
                "address": clean_text(form.get("Address"), 300) or None,
                "label": clean_text(form.get("Label"), 300) or None,
            }
        except ValueError:
            location = None
    return InboundMessage(
        provider_sid=sid,
        phone=phone,
        body=clean_text(form.get("Body")),
        profile_name=clean_text(form.get("ProfileName"), 200) or None,
        media=media,
        location=location,
        button_payload=clean_text(form.get("ButtonPayload"), 256) or None,
        button_text=clean_text(form.get("ButtonText"), 256) or None,
    )


def twiml(replies: list[str]) -> Response:
    """A TwiML answer carrying each reply as its own message (empty: no reply)."""
    response = MessagingResponse()
    for text in replies:
        response.message(text)
    return Response(str(response), mimetype="application/xml")


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
    return bool(validator.validate(signed_url(settings, request), request.form, signature))


class TwilioTransport:
    """Twilio's WhatsApp API: its signed webhooks in, TwiML answers, REST sends out.

    Receiving needs only the auth token (or none, in development); sending needs the account
    credentials, checked by `check_credentials` when Twilio is the outbound transport.
    """

    name = "twilio"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._client: Client | None = None

    def check_credentials(self) -> TwilioTransport:
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

    def verify(self, request: Request) -> bool:
        return signature_valid(self.settings, request)

    def parse(self, request: Request) -> InboundMessage:
        return parse_twilio_form(request.form)

    def acknowledge(self, replies: list[str]) -> Response:
        return twiml(replies)

    def send(self, message: OutboundMessage) -> SendResult:
        sender = self.settings.twilio_whatsapp_from
        params: dict[str, Any] = {"from_": sender, "to": f"whatsapp:{message.to}"}
        if message.content_sid:
            params["content_sid"] = message.content_sid
            params["content_variables"] = json.dumps(message.content_variables)
        else:
            params["body"] = message.body
        if message.status_callback:
            params["status_callback"] = message.status_callback
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
