"""Helpers that make tests read like scripts: signed webhooks, and `say("halo")` in-process.

Flow tests talk to the engine directly (``Dialog``, ``verify_dialog``), the way Zulip's bot
tests do; the signed Twilio and Meta requests are exercised by the webhook tests.
"""

from __future__ import annotations

import itertools
import uuid
import xml.etree.ElementTree as ET
from typing import Any

from flask.testing import FlaskClient
from twilio.request_validator import RequestValidator

from bot.clock import FakeClock
from bot.inbound import InboundMessage

PUBLIC_URL = "https://eklinik.example.org"
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
TYPING_SECONDS = 5  # people take a moment to answer: time moves on between messages
WEBHOOK = "/webhooks/twilio"
_counter = itertools.count(1)


def new_sid() -> str:
    """A fresh, Twilio-shaped message id."""
    return "SM" + uuid.uuid4().hex


def sign(path: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """The X-Twilio-Signature Twilio would send for these form fields."""
    return str(RequestValidator(token).compute_signature(PUBLIC_URL + path, params))


def whatsapp_form(phone: str, body: str = "", **extra: str) -> dict[str, str]:
    """A real-looking Twilio WhatsApp webhook payload."""
    sid = extra.pop("MessageSid", None) or new_sid()
    form = {
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "ProfileName": "Ibu Sari",
        "MessageType": "text",
        "SmsSid": sid,
        "WaId": phone.lstrip("+"),
        "SmsStatus": "received",
        "Body": body,
        "To": "whatsapp:+14155238886",
        "NumSegments": "1",
        "ReferralNumMedia": "0",
        "MessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": f"whatsapp:{phone}",
        "ApiVersion": "2010-04-01",
    }
    form.update(extra)
    return form


def post_signed(client: FlaskClient, form: dict[str, str], path: str = WEBHOOK) -> Any:
    """POST the form with a valid signature."""
    return client.post(path, data=form, headers={"X-Twilio-Signature": sign(path, form)})


def replies_of(response: Any) -> list[str]:
    """The <Message> texts of a TwiML answer."""
    root = ET.fromstring(response.data)
    return [(node.text or "") for node in root.iter("Message")]


class Dialog:
    """One person chatting with the engine in-process, as the Twilio channel would pass it on."""

    def __init__(
        self, client: FlaskClient, phone: str = "+6281234567890", profile_name: str = "Ibu Sari"
    ) -> None:
        self.client = client
        self.phone = phone
        self.profile_name = profile_name
        self.history: list[tuple[str, list[str]]] = []

    def say(self, text: str) -> list[str]:
        """Send `text` (TYPING_SECONDS after the previous message); return the bot's replies."""
        runtime = self.client.application.extensions["eklinik"]
        if isinstance(runtime.clock, FakeClock):
            runtime.clock.advance(seconds=TYPING_SECONDS)
        inbound = InboundMessage(
            provider_sid=new_sid(),
            phone=self.phone,
            body=text,
            profile_name=self.profile_name,
            channel="twilio",
        )
        replies: list[str] = runtime.engine.handle(inbound)
        self.history.append((text, replies))
        return replies

    def said(self, text: str) -> str:
        """Send `text`; return the replies joined into one string (for `in` checks)."""
        return "\n".join(self.say(text))


Turn = tuple[str, "str | tuple[str, ...] | None"]


def verify_dialog(dialog: Dialog, turns: list[Turn]) -> None:
    """Play a conversation: each turn is what the person says and what the answer must
    contain (a text, several texts, or None for silence). Fails naming the turn."""
    for number, (text, expected) in enumerate(turns, 1):
        answer = dialog.said(text)
        if expected is None:
            assert answer == "", f"turn {number} ({text!r}): expected silence, got {answer!r}"
            continue
        for part in (expected,) if isinstance(expected, str) else expected:
            assert part.lower() in answer.lower(), (
                f"turn {number} ({text!r}): {part!r} not in the answer:\n{answer}"
            )


class WebhookDialog(Dialog):
    """One person chatting through the signed Twilio webhook (extra form fields allowed)."""

    def __init__(self, client: FlaskClient, phone: str = "+6281234567890", **fields: str) -> None:
        super().__init__(client, phone)
        self.fields = fields

    def say(self, text: str, **extra: str) -> list[str]:
        """POST `text` signed, TYPING_SECONDS after the previous message; return the replies."""
        clock = self.client.application.extensions["eklinik"].clock
        if isinstance(clock, FakeClock):
            clock.advance(seconds=TYPING_SECONDS)
        response = post_signed(
            self.client, whatsapp_form(self.phone, text, **{**self.fields, **extra})
        )
        assert response.status_code == 200, response.data
        replies = replies_of(response)
        self.history.append((text, replies))
        return replies

    def said(self, text: str, **extra: str) -> str:
        """Send `text`; return the replies joined into one string."""
        return "\n".join(self.say(text, **extra))
