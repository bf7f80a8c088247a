"""No personal data in logs: SQL parameters hidden, phone numbers masked in every line, the
Twilio SDK's request logging silenced, and a database error during a chat logs no message
text, name or number."""

from __future__ import annotations

import logging

import pytest
import sqlalchemy as sa
from flask import Flask

from bot.logs import configure_logging, mask_phones
from bot.transports.base import OutboundMessage
from storage import db as storage_db
from tests.conftest import PG_URL
from tests.dialog import post_signed, whatsapp_form
from tests.fakes import FakeTwilioServer
from tests.test_database_faults import read_only_files, sqlite_files
from tests.test_transport_and_outbox import twilio_transport

PHONE = "+6281234567890"
DIGITS = "81234567890"
SECRET_TEXT = "hutang koperasi saya rahasia"
SECRET_NAME = "Ibu Rahasiawati"


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("from whatsapp:+6281234567890", "from whatsapp:+62812****7890"),
        ("bare 6281234567890.", "bare 62812****7890."),
        ("local 0812-3456-7890", "local 0812****7890"),
        ("spaced +62 812 3456 7890", "spaced +62812****7890"),
        ("url ?phone=%2B6281234567890 HTTP", "url ?phone=%2B62812****7890 HTTP"),
        ("Key (phone)=(+6281234567890) exists", "Key (phone)=(+62812****7890) exists"),
        (
            "message SM0123456789abcdef0123456789abcdef",
            "message SM0123456789abcdef0123456789abcdef",
        ),
        ("at 2026-11-26 14:23:19, 12 rows", "at 2026-11-26 14:23:19, 12 rows"),
    ],
)
def test_phone_numbers_are_masked(line: str, masked: str) -> None:
    assert mask_phones(line) == masked


def test_every_log_line_is_masked_whoever_logs_it(caplog: pytest.LogCaptureFixture) -> None:
    configure_logging()
    caplog.set_level(logging.INFO)
    logging.getLogger("werkzeug").warning(
        '"GET /simulator/history?phone=%s HTTP/1.1" 200 -', "%2B6281234567890"
    )
    logging.getLogger("some.library").info("sending to whatsapp:%s", PHONE)
    try:
        raise ValueError(f"not a number: {PHONE}")
    except ValueError:
        logging.getLogger("bot.anything").exception("failed for %s", "6281234567890")
    assert DIGITS not in caplog.text
    assert "+62812****7890" in caplog.text and "ValueError" in caplog.text


def test_the_twilio_sdk_does_not_log_requests(caplog: pytest.LogCaptureFixture) -> None:
    configure_logging()
    caplog.set_level(logging.DEBUG)
    with FakeTwilioServer() as server:
        twilio_transport(server.url).send(OutboundMessage(to=PHONE, body=SECRET_TEXT))
    assert not [r for r in caplog.records if r.name.startswith("twilio")]
    assert SECRET_TEXT not in caplog.text and DIGITS not in caplog.text


def test_a_database_error_during_a_chat_logs_no_personal_data(
    app: Flask,
    db: sa.Engine,
    database_url: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    client = app.test_client()
    other = whatsapp_form("+6289999999999", "halo")  # warms the app up; PHONE is new below
    assert post_signed(client, other).status_code == 200
    caplog.set_level(logging.DEBUG)
    form = whatsapp_form(PHONE, SECRET_TEXT, ProfileName=SECRET_NAME)
    if PG_URL:
        monkeypatch.setattr(storage_db, "PG_LOCK_TIMEOUT_MS", 300)
        with db.connect() as locker, locker.begin():
            locker.execute(sa.text("LOCK TABLE contacts, messages IN EXCLUSIVE MODE"))
            response = post_signed(client, form)
    else:
        db.dispose()
        with read_only_files(sqlite_files(database_url)):
            response = post_signed(client, form)
    assert response.status_code == 503
    assert caplog.records, "the failure is logged"
    logged = caplog.text
    assert SECRET_TEXT not in logged and "Rahasiawati" not in logged
    assert DIGITS not in logged
