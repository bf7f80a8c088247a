"""Property tests of the Twilio webhooks: any form body, any Unicode, signed or not.

Never a 5xx; an unsigned request stores nothing; every 200 answer to an inbound message is
well-formed TwiML. Examples are few by default (seconds); EKLINIK_LONG_TESTS=1 runs many more.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from typing import Any

import sqlalchemy as sa
from flask import Flask
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from storage.models import Contact, Message
from tests.dialog import WEBHOOK, new_sid, post_signed, whatsapp_form

LONG = os.environ.get("EKLINIK_LONG_TESTS") == "1"
EXAMPLES = 1000 if LONG else 40
PROPERTY = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
STATUS = "/webhooks/twilio/status"

# Any character a form can carry (lone surrogates cannot be encoded in a request at all),
# with the troublemakers drawn often: controls, XML's forbidden characters, bidi overrides.
ANY_CHAR = st.characters(exclude_categories=("Cs",))
NASTY = st.sampled_from(
    ["\x00", "\x01", "\x08", "\x0b", "\x1b[31m", "\ufffe", "\uffff", "\u202e", "]]>", "<", "&"]
)
TEXT = st.lists(st.one_of(ANY_CHAR, NASTY), max_size=40).map("".join)
HEADER = st.text(st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), max_size=60)
KEY = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=12)
FIELDS = (
    "Body",
    "ProfileName",
    "From",
    "MessageSid",
    "NumMedia",
    "MediaUrl0",
    "MediaContentType0",
    "Latitude",
    "Longitude",
    "ButtonPayload",
    "ButtonText",
    "WaId",
    "MessageType",
)
SENDER = st.one_of(
    st.sampled_from(["whatsapp:+6281234567890", "whatsapp:+14155238886", "whatsapp:081234"]),
    TEXT,
    st.from_regex(r"whatsapp:\+[0-9]{6,16}", fullmatch=True),
)
NUMBER_TEXT = st.one_of(
    TEXT, st.sampled_from(["nan", "inf", "-inf", "1e400", "-6.9", "107.6", "9" * 40])
)


@st.composite
def inbound_forms(draw: Any) -> dict[str, str]:
    """A WhatsApp-shaped form with any of its fields replaced, dropped or added to."""
    form = whatsapp_form("+6281234567890", draw(TEXT), MessageSid=new_sid())
    for field in draw(st.lists(st.sampled_from(FIELDS), max_size=6, unique=True)):
        strategy = {"From": SENDER, "Latitude": NUMBER_TEXT, "Longitude": NUMBER_TEXT}.get(
            field, TEXT
        )
        form[field] = draw(strategy)
    for field in draw(st.lists(st.sampled_from(sorted(form)), max_size=3, unique=True)):
        if draw(st.booleans()):
            del form[field]
    form.update(draw(st.dictionaries(KEY, TEXT, max_size=3)))
    return form


def rows(app: Flask) -> tuple[int, int]:
    engine: sa.Engine = app.extensions["eklinik"].db
    with engine.connect() as connection:
        messages = connection.execute(sa.select(sa.func.count()).select_from(Message))
        contacts = connection.execute(sa.select(sa.func.count()).select_from(Contact))
        return int(messages.scalar_one()), int(contacts.scalar_one())


def assert_well_formed_twiml(data: bytes) -> None:
    root = ET.fromstring(data)  # raises on anything XML cannot parse
    assert root.tag == "Response"


@PROPERTY
@given(form=inbound_forms())
@example(form=whatsapp_form("+6281234567890", "halo\x00\x01\ufffe", ProfileName="\x1b[31mSari\x00"))
@example(form=whatsapp_form("+6281234567890", "lokasi", Latitude="nan", Longitude="inf"))
@example(form=whatsapp_form("+6281234567890", "x", MessageSid="SM\x00"))
def test_any_signed_message_gets_a_valid_answer(app: Flask, form: dict[str, str]) -> None:
    response = post_signed(app.test_client(), form)
    assert response.status_code in (200, 400), response.data
    if response.status_code == 200:
        assert_well_formed_twiml(response.data)


@PROPERTY
@given(form=inbound_forms(), signature=st.one_of(st.none(), HEADER))
def test_an_unsigned_or_forged_message_is_refused_and_stores_nothing(
    app: Flask, form: dict[str, str], signature: str | None
) -> None:
    before = rows(app)
    headers = {} if signature is None else {"X-Twilio-Signature": signature}
    response = app.test_client().post(WEBHOOK, data=form, headers=headers)
    assert response.status_code == 403
    assert rows(app) == before


@PROPERTY
@given(
    fields=st.dictionaries(
        st.sampled_from(["MessageSid", "MessageStatus", "SmsStatus", "ErrorCode", "To"]) | KEY,
        TEXT | st.sampled_from(["delivered", "read", "failed", "sent", "undelivered"]),
        max_size=6,
    ),
    signed=st.booleans(),
)
@example(fields={"MessageSid": "\x00", "MessageStatus": "delivered"}, signed=True)
@example(fields={"MessageSid": "SM1", "MessageStatus": "\x00"}, signed=True)
@example(fields={"MessageSid": "SM1", "MessageStatus": "failed", "ErrorCode": "\x00"}, signed=True)
def test_any_status_callback_gets_no_server_error(
    app: Flask, fields: dict[str, str], signed: bool
) -> None:
    client = app.test_client()
    if signed:
        response = post_signed(client, fields, path=STATUS)
        assert response.status_code < 500, response.data
    else:
        before = rows(app)
        response = client.post(STATUS, data=fields)
        assert response.status_code == 403
        assert rows(app) == before
