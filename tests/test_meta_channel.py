"""The Meta WhatsApp Cloud API channel: handshake, signed webhooks, replies through the
outbox to a fake Graph API, statuses, sending; and both channels configured at once."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from bot import create_app
from bot.clock import FakeClock
from bot.config import Settings
from bot.transports import make_channels, make_transport
from bot.transports.base import OutboundMessage, TemplateRef, TransportError
from bot.transports.meta import MetaChannel, storage_id
from bot.transports.templates import TemplateMap
from bot.transports.waker import DispatchWaker
from storage.models import Contact, Message
from tests.dialog import AUTH_TOKEN, PUBLIC_URL, post_signed, replies_of, whatsapp_form
from tests.fake_graph import (
    ACCESS_TOKEN,
    API_VERSION,
    APP_SECRET,
    META_WEBHOOK,
    PHONE_NUMBER_ID,
    VERIFY_TOKEN,
    FakeGraphServer,
    envelope,
    message_payload,
    new_wamid,
    sign_meta,
    status_payload,
    text_payload,
)
from tests.fakes import FakeTwilioServer, RecordingTransport

PHONE = "+6281234567890"
OTHER = "+6281298765432"


def meta_settings(graph_url: str) -> dict[str, Any]:
    return {
        "meta_app_secret": APP_SECRET,
        "meta_verify_token": VERIFY_TOKEN,
        "meta_access_token": ACCESS_TOKEN,
        "meta_phone_number_id": PHONE_NUMBER_ID,
        "meta_api_base_url": graph_url,
        "meta_api_version": API_VERSION,
        "reply_dispatch": "inline",  # the queued replies leave before the webhook answers
    }


@pytest.fixture
def graph() -> Iterator[FakeGraphServer]:
    with FakeGraphServer() as server:
        yield server


@pytest.fixture
def app_overrides(graph: FakeGraphServer) -> dict[str, Any]:
    """Meta is the default channel: no recording transport, the real one to the fake."""
    return {"transport": "meta", **meta_settings(graph.url)}


def post_meta(client: FlaskClient, payload: Any, *, signature: str | None = None) -> Any:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {"X-Hub-Signature-256": signature if signature is not None else sign_meta(body)}
    return client.post(META_WEBHOOK, data=body, headers=headers, content_type="application/json")


def count(db: sa.Engine, model: type, **where: object) -> int:
    query = sa.select(sa.func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    with db.connect() as connection:
        return int(connection.execute(query).scalar_one())


class MetaChat:
    """One person writing on WhatsApp through Meta; what the bot sends reaches the fake."""

    def __init__(self, client: FlaskClient, graph: FakeGraphServer, phone: str = PHONE) -> None:
        self.client, self.graph, self.phone = client, graph, phone

    def send(self, payload: dict[str, Any]) -> list[str]:
        clock = self.client.application.extensions["eklinik"].clock
        clock.advance(seconds=5)
        before = len(self.graph.texts())
        response = post_meta(self.client, payload)
        assert response.status_code == 200, response.data
        return self.graph.texts()[before:]

    def say(self, text: str) -> str:
        return "\n".join(self.send(text_payload(self.phone, text)))

    def tap(self, title: str, button_id: str, kind: str = "button_reply") -> str:
        content = {"type": kind, kind: {"id": button_id, "title": title}}
        return "\n".join(self.send(message_payload(self.phone, "interactive", content)))


# --- the handshake ------------------------------------------------------------------------


def test_the_handshake_echoes_the_challenge_for_the_right_token(client: FlaskClient) -> None:
    response = client.get(
        META_WEBHOOK,
        query_string={
            "hub.mode": "subscribe",
            "hub.verify_token": VERIFY_TOKEN,
            "hub.challenge": "1158201444",
        },
    )
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    assert response.get_data(as_text=True) == "1158201444"


@pytest.mark.parametrize(
    "query",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {},
    ],
)
def test_the_handshake_is_refused_otherwise(client: FlaskClient, query: dict[str, str]) -> None:
    response = client.get(META_WEBHOOK, query_string=query)
    assert response.status_code == 403
    assert "1" not in response.get_data(as_text=True)


# --- messages in, replies out -------------------------------------------------------------


def test_a_signed_text_is_answered_through_the_graph_api(
    client: FlaskClient, graph: FakeGraphServer, db: sa.Engine
) -> None:
    reply = MetaChat(client, graph).say("halo")
    assert "Pemberitahuan privasi" in reply
    assert "Menu utama" in reply
    assert set(graph.state.paths) == {f"/{API_VERSION}/{PHONE_NUMBER_ID}/messages"}
    assert set(graph.state.auth_headers) == {f"Bearer {ACCESS_TOKEN}"}
    first = graph.state.requests[0]
    assert first["messaging_product"] == "whatsapp"
    assert first["to"] == PHONE.lstrip("+")
    assert first["type"] == "text"
    with db.connect() as connection:
        contact = connection.execute(sa.select(Contact.last_channel, Contact.profile_name)).one()
        inbound = connection.execute(
            sa.select(Message.channel).where(Message.direction == "in")
        ).scalar_one()
        sent = connection.execute(
            sa.select(Message.channel, Message.status, Message.provider_sid).where(
                Message.direction == "out"
            )
        ).all()
    assert tuple(contact) == ("meta", "Sari")
    assert inbound == "meta"
    assert [(channel, status) for channel, status, _ in sent] == [("meta", "accepted")] * len(sent)
    assert [sid for *_, sid in sent] == [storage_id(w) for w in graph.state.wamids]


@pytest.mark.parametrize(
    "signature",
    [
        "",
        "sha256=" + "0" * 64,
        sign_meta(b"{}"),  # signed another body
        sign_meta(b"x", secret="another-app-secret").replace("x", ""),
        "sha1=abc",
    ],
)
def test_a_wrong_signature_is_refused_and_nothing_is_stored(
    client: FlaskClient, graph: FakeGraphServer, db: sa.Engine, signature: str
) -> None:
    response = post_meta(client, text_payload(PHONE, "halo"), signature=signature)
    assert response.status_code == 403
    assert count(db, Message) == 0
    assert count(db, Contact) == 0
    assert graph.state.requests == []


def test_the_signature_covers_the_raw_body(
    client: FlaskClient, graph: FakeGraphServer, db: sa.Engine
) -> None:
    body = json.dumps(text_payload(PHONE, "halo")).encode()
    tampered = body.replace(b"halo", b"batal")
    response = post_meta(client, tampered, signature=sign_meta(body))
    assert response.status_code == 403
    assert count(db, Message) == 0


def test_a_tapped_button_is_understood_like_the_typed_choice(
    client: FlaskClient, graph: FakeGraphServer, db: sa.Engine
) -> None:
    tapping, typing = MetaChat(client, graph, PHONE), MetaChat(client, graph, OTHER)
    tapping.say("halo")
    typing.say("halo")
    tapped = tapping.tap("Info klinik", "menu_info")
    assert "Info klinik" in tapped
    assert tapped == typing.say("Info klinik")
    listed = tapping.tap("Info klinik", "menu_info", kind="list_reply")
    assert "Info klinik" in listed
    with db.connect() as connection:
        extras = connection.execute(
            sa.select(Message.extra).where(Message.direction == "in", Message.body == "Info klinik")
        ).scalars()
        buttons = [extra["button"] for extra in extras if extra and "button" in extra]
    assert buttons == [{"payload": "menu_info", "text": "Info klinik"}] * 2


def test_a_template_quick_reply_button_is_understood_by_its_text(
    client: FlaskClient, graph: FakeGraphServer
) -> None:
    chat = MetaChat(client, graph)
    chat.say("halo")
    replies = chat.send(
        message_payload(PHONE, "button", {"payload": "menu_info", "text": "Info klinik"})
    )
    assert "Info klinik" in "\n".join(replies)


def test_a_redelivered_wamid_is_processed_once(
    client: FlaskClient, graph: FakeGraphServer, db: sa.Engine
) -> None:
    payload = text_payload(PHONE, "halo")
    assert post_meta(client, payload).status_code == 200
    sent = len(graph.state.requests)
    assert sent >= 1
    assert post_meta(client, payload).status_code == 200
    assert len(graph.state.requests) == sent  # the replies were not queued again
    assert count(db, Message, direction="in") == 1
    assert count(db, Message, direction="out") == sent


def test_several_messages_in_one_webhook_are_each_answered(
    client: FlaskClient, graph: FakeGraphServer, db: sa.Engine
) -> None:
    first, second = text_payload(PHONE, "halo"), text_payload(OTHER, "hello")
    value = first["entry"][0]["changes"][0]["value"]
    other = second["entry"][0]["changes"][0]["value"]
    value["contacts"] += other["contacts"]
    value["messages"] += other["messages"]
    assert post_meta(client, first).status_code == 200
    assert {request["to"] for request in graph.state.requests} == {"6281234567890", "6281298765432"}
    assert count(db, Message, direction="in") == 2


# --- statuses -----------------------------------------------------------------------------


def stored_status(db: sa.Engine, wamid: str) -> tuple[str, str | None]:
    with db.connect() as connection:
        status, error = connection.execute(
            sa.select(Message.status, Message.last_error).where(
                Message.provider_sid == storage_id(wamid)
            )
        ).one()
    return str(status), error


def test_statuses_only_move_forward(
    client: FlaskClient, graph: FakeGraphServer, db: sa.Engine
) -> None:
    chat = MetaChat(client, graph)
    chat.say("halo")
    chat.say("info")
    first, second = graph.state.wamids[0], graph.state.wamids[-1]
    assert first != second

    def status(wamid: str, value: str, error_code: int | None = None) -> tuple[str, str | None]:
        response = post_meta(client, status_payload(wamid, value, PHONE, error_code))
        assert response.status_code == 200
        return stored_status(db, wamid)

    assert status(first, "delivered")[0] == "delivered"
    assert status(first, "sent")[0] == "delivered"  # late: stays delivered
    assert status(first, "read")[0] == "read"
    assert status(first, "delivered")[0] == "read"
    failed, error = status(second, "failed", 131026)
    assert failed == "failed"
    assert error is not None and "131026" in error
    assert count(db, Message, direction="in") == 2  # statuses are no messages


def test_a_status_that_beats_our_bookkeeping_is_kept_and_nothing_else(
    client: FlaskClient, db: sa.Engine
) -> None:
    response = post_meta(client, status_payload(new_wamid(), "delivered", PHONE))
    assert response.status_code == 200
    assert count(db, Message) == 0


# --- odd and empty payloads ---------------------------------------------------------------


@pytest.mark.parametrize(
    "payload",
    [
        {"object": "whatsapp_business_account", "entry": []},
        envelope({}),
        envelope({"messages": "not a list", "statuses": [1, None, {"id": 5}]}),
        {"object": "page", "entry": [{"changes": [{"value": {"messages": [{}]}}]}]},
        message_payload(PHONE, "reaction", {"message_id": "wamid.X", "emoji": "👍"}),
        text_payload("+12", "halo"),  # not a phone number
        [],  # JSON, but not an object: refused below
    ],
)
def test_a_signed_payload_with_no_usable_message_is_acknowledged_and_stores_nothing(
    client: FlaskClient, graph: FakeGraphServer, db: sa.Engine, payload: Any
) -> None:
    response = post_meta(client, payload)
    assert response.status_code == (400 if isinstance(payload, list) else 200)
    assert count(db, Message) == 0
    assert count(db, Contact) == 0
    assert graph.state.requests == []


@pytest.mark.parametrize("body", [b"{not json", b"\xff\xfe\x00", b"[" * 40_000, b""])
def test_a_signed_malformed_body_is_a_bad_request(
    client: FlaskClient, db: sa.Engine, body: bytes
) -> None:
    response = post_meta(client, body)
    assert response.status_code == 400
    assert count(db, Message) == 0


def test_a_message_for_another_phone_number_id_is_skipped(
    client: FlaskClient, db: sa.Engine
) -> None:
    payload = text_payload(PHONE, "halo")
    payload["entry"][0]["changes"][0]["value"]["metadata"]["phone_number_id"] = "999"
    assert post_meta(client, payload).status_code == 200
    assert count(db, Message) == 0


def test_media_is_stored_with_its_id_and_type_and_answered(
    client: FlaskClient, graph: FakeGraphServer, db: sa.Engine
) -> None:
    chat = MetaChat(client, graph)
    chat.say("halo")
    content = {"id": "1479537139650973", "mime_type": "image/jpeg", "sha256": "abc"}
    wamid = new_wamid()
    reply = "\n".join(chat.send(message_payload(PHONE, "image", content, wamid=wamid)))
    assert "teks" in reply  # please write in text
    with db.connect() as connection:
        media = connection.execute(
            sa.select(Message.media).where(Message.provider_sid == storage_id(wamid))
        ).scalar_one()
    assert media == [{"kind": "image", "id": "1479537139650973", "content_type": "image/jpeg"}]


def test_a_location_with_nan_is_stored_without_coordinates(
    client: FlaskClient, db: sa.Engine
) -> None:
    place = {"latitude": float("nan"), "longitude": 106.8, "name": "Kantor", "address": "Jl. A"}
    payload = message_payload(PHONE, "location", place)
    assert b"NaN" in json.dumps(payload).encode()
    assert post_meta(client, payload).status_code == 200
    with db.connect() as connection:
        extra = connection.execute(
            sa.select(Message.extra).where(Message.direction == "in")
        ).scalar_one()
    assert extra["location"] == {"address": "Jl. A", "label": "Kantor"}


def test_control_characters_are_cleaned_on_the_way_in(client: FlaskClient, db: sa.Engine) -> None:
    payload = text_payload(PHONE, "ha\x01\x1b\ufffelo", name="Bu\x0bdi")
    assert post_meta(client, payload).status_code == 200
    with db.connect() as connection:
        body = connection.execute(sa.select(Message.body).where(Message.direction == "in"))
        assert body.scalar_one() == "halo"
        assert connection.execute(sa.select(Contact.profile_name)).scalar_one() == "Budi"


def test_the_webhook_answers_503_when_the_database_is_down(
    graph: FakeGraphServer, tmp_path: Path
) -> None:
    app = create_app(
        {
            "database_url": "postgresql+psycopg://postgres@127.0.0.1:9/none",
            "secret_key": "x",
            "instance_path": tmp_path,
            **meta_settings(graph.url),
        }
    )
    assert post_meta(app.test_client(), text_payload(PHONE, "halo")).status_code == 503


# --- sending ------------------------------------------------------------------------------


def meta_channel(graph_url: str, templates: dict[str, Any] | None = None) -> MetaChannel:
    settings = Settings(
        **{k: v for k, v in meta_settings(graph_url).items() if k != "reply_dispatch"}
    )
    return MetaChannel(settings, TemplateMap.from_dict(templates or {}))


def test_a_template_goes_out_with_its_name_language_and_parameters(
    graph: FakeGraphServer,
) -> None:
    templates = {
        "templates": {
            "reminder": {"en": {"variables": ["name", "when"], "meta_name": "eklinik_reminder"}}
        }
    }
    ref = TemplateRef("reminder", "en", {"when": "Monday 10:00", "name": "Mrs Sari"})
    result = meta_channel(graph.url, templates).send(OutboundMessage(to=PHONE, template=ref))
    assert result.provider_sid == storage_id(graph.state.wamids[0])
    [payload] = graph.state.requests
    assert payload["type"] == "template"
    assert payload["template"] == {
        "name": "eklinik_reminder",
        "language": {"code": "en"},
        "components": [
            {
                "type": "body",
                "parameters": [
                    {"type": "text", "text": "Mrs Sari"},
                    {"type": "text", "text": "Monday 10:00"},
                ],
            }
        ],
    }


def test_an_unmapped_template_is_a_permanent_error(graph: FakeGraphServer) -> None:
    with pytest.raises(TransportError) as error:
        meta_channel(graph.url).send(OutboundMessage(to=PHONE, template=TemplateRef("x", "id")))
    assert not error.value.retryable
    assert error.value.code == "template_unmapped"
    assert graph.state.requests == []


def test_up_to_three_short_answers_go_out_as_reply_buttons(graph: FakeGraphServer) -> None:
    buttons = ("Hadir", "Jadwal ulang", "Batal")
    message = OutboundMessage(to=PHONE, body="Besok jam 10.", buttons=buttons)
    meta_channel(graph.url).send(message)
    [payload] = graph.state.requests
    assert payload["type"] == "interactive"
    interactive = payload["interactive"]
    assert interactive["type"] == "button"
    assert interactive["body"] == {"text": "Besok jam 10."}
    assert [b["reply"]["title"] for b in interactive["action"]["buttons"]] == list(buttons)
    assert all(b["type"] == "reply" for b in interactive["action"]["buttons"])


@pytest.mark.parametrize(
    "buttons",
    [
        ("Satu", "Dua", "Tiga", "Empat"),  # more than three
        ("Jadwalkan ulang konsultasi saya", "Batal"),  # a title over 20 characters
    ],
)
def test_answers_that_do_not_fit_buttons_are_numbered(
    graph: FakeGraphServer, buttons: tuple[str, ...]
) -> None:
    meta_channel(graph.url).send(OutboundMessage(to=PHONE, body="Pilih:", buttons=buttons))
    [payload] = graph.state.requests
    assert payload["type"] == "text"
    assert payload["text"]["body"].startswith("Pilih:\n\n1. " + buttons[0])


@pytest.mark.parametrize(
    ("status", "code", "retryable"),
    [
        (500, 1, True),
        (503, 131016, True),
        (429, 130429, True),
        (400, 130429, True),  # throughput reached, reported as a 400
        (400, 131026, False),  # undeliverable
        (400, 131047, False),  # outside the 24-hour window
        (401, 190, False),  # the token expired
    ],
)
def test_graph_errors_keep_their_code_and_say_whether_to_retry(
    graph: FakeGraphServer, status: int, code: int, retryable: bool
) -> None:
    graph.state.fail_with = [(status, code)]
    with pytest.raises(TransportError) as error:
        meta_channel(graph.url).send(OutboundMessage(to=PHONE, body="x"))
    assert error.value.retryable is retryable
    assert error.value.code == str(code)


def test_an_unreachable_graph_api_is_a_retryable_error() -> None:
    with pytest.raises(TransportError) as error:
        meta_channel("http://127.0.0.1:9").send(OutboundMessage(to=PHONE, body="x"))
    assert error.value.retryable


def test_a_long_wamid_is_stored_as_a_stable_id_that_fits() -> None:
    wamid = new_wamid()
    assert len(wamid) > 64
    assert storage_id(wamid) == storage_id(wamid)
    assert len(storage_id(wamid)) == 64
    assert storage_id(wamid) != storage_id(new_wamid())
    assert storage_id("wamid.short") == "wamid.short"


# --- both channels, routing, settings -----------------------------------------------------


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilioServer]:
    with FakeTwilioServer() as server:
        yield server


def both_channels(graph: FakeGraphServer, twilio: FakeTwilioServer) -> dict[str, Any]:
    return {
        "transport": "twilio",
        "twilio_account_sid": "AC" + "4" * 32,
        "twilio_auth_token": AUTH_TOKEN,
        "twilio_whatsapp_from": "whatsapp:+14155238886",
        "twilio_api_base_url": twilio.url,
        **meta_settings(graph.url),
    }


def test_each_contact_is_answered_on_the_channel_it_wrote_on(
    database_url: str,
    clock: FakeClock,
    graph: FakeGraphServer,
    fake_twilio: FakeTwilioServer,
    tmp_path: Path,
) -> None:
    app = create_app(
        {
            "database_url": database_url,
            "clock": clock,
            "secret_key": "x",
            "instance_path": tmp_path,
            "public_url": PUBLIC_URL,
            **both_channels(graph, fake_twilio),
        }
    )
    client = app.test_client()
    assert "Menu utama" in "\n".join(MetaChat(client, graph).say("halo").splitlines())
    response = post_signed(client, whatsapp_form(OTHER, "halo"))
    assert "Menu utama" in "\n".join(replies_of(response))  # Twilio: inline, in TwiML
    assert {request["to"] for request in graph.state.requests} == {PHONE.lstrip("+")}
    assert fake_twilio.state.requests == []
    app.extensions["eklinik"].db.dispose()


def test_the_router_sends_on_the_named_channel_else_the_default(
    graph: FakeGraphServer, fake_twilio: FakeTwilioServer
) -> None:
    settings = Settings().with_overrides(both_channels(graph, fake_twilio)).validate()
    router = make_transport(settings, make_channels(settings))
    assert router.name == "twilio"
    router.send(OutboundMessage(to=PHONE, body="lewat meta", channel="meta"))
    for channel in (None, "twilio", "whatsapp", "sms"):
        router.send(OutboundMessage(to=PHONE, body="lewat twilio", channel=channel))
    assert graph.texts() == ["lewat meta"]
    assert [form["Body"] for form in fake_twilio.state.requests] == [["lewat twilio"]] * 4


def test_a_channel_that_cannot_send_falls_back_to_the_default(graph: FakeGraphServer) -> None:
    settings = Settings().with_overrides({"transport": "meta", **meta_settings(graph.url)})
    router = make_transport(settings.validate())
    router.send(OutboundMessage(to=PHONE, body="x", channel="twilio"))  # no Twilio account
    assert graph.texts() == ["x"]


def test_the_router_knows_which_channel_has_a_template(
    graph: FakeGraphServer, fake_twilio: FakeTwilioServer, tmp_path: Path
) -> None:
    mapping = tmp_path / "templates.toml"
    mapping.write_text('[templates.reminder.id]\nmeta_name = "eklinik_reminder"\n')
    overrides = {**both_channels(graph, fake_twilio), "whatsapp_templates": mapping}
    settings = Settings().with_overrides(overrides).validate()
    router = make_transport(settings)
    ref = TemplateRef("reminder", "id")
    assert router.has_template(ref, "meta")
    assert not router.has_template(ref, "twilio")
    assert not router.has_template(ref, None)  # the default, Twilio
    assert (
        router.find_sent(OutboundMessage(to=PHONE, channel="meta"), dt.datetime.now(dt.UTC)) is None
    )


def test_a_transport_object_receives_the_replies_of_every_channel(
    database_url: str, clock: FakeClock, graph: FakeGraphServer, tmp_path: Path
) -> None:
    recording = RecordingTransport()
    app = create_app(
        {
            "database_url": database_url,
            "clock": clock,
            "transport": recording,
            "secret_key": "x",
            "instance_path": tmp_path,
            **meta_settings(graph.url),
        }
    )
    post_meta(app.test_client(), text_payload(PHONE, "halo"))
    assert recording.sent and all(m.channel == "meta" for m in recording.sent)
    assert "Menu utama" in "\n".join(m.body for m in recording.sent)
    assert graph.state.requests == []
    app.extensions["eklinik"].db.dispose()


@pytest.mark.parametrize(
    ("env", "transport"),
    [
        ({}, "console"),
        ({"META_ACCESS_TOKEN": "t"}, "meta"),
        ({"META_ACCESS_TOKEN": "t", "TWILIO_ACCOUNT_SID": "AC1"}, "twilio"),
        ({"META_ACCESS_TOKEN": "t", "EKLINIK_TRANSPORT": "console"}, "console"),
    ],
)
def test_the_default_channel_follows_the_credentials(env: dict[str, str], transport: str) -> None:
    assert Settings.from_env(env).transport == transport


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"meta_access_token": "t"}, "META_APP_SECRET"),
        ({"meta_app_secret": "s", "meta_verify_token": "v"}, "META_ACCESS_TOKEN"),
        ({"meta_api_version": "21"}, "META_API_VERSION"),
        (
            {
                "meta_app_secret": "s",
                "meta_verify_token": "v",
                "meta_access_token": "t",
                "meta_phone_number_id": "+6281100000000",
            },
            "META_PHONE_NUMBER_ID",
        ),
        ({"meta_api_base_url": "graph.facebook.com"}, "META_API_BASE_URL"),
        ({"transport": "telegram"}, "EKLINIK_TRANSPORT"),
    ],
)
def test_meta_settings_that_cannot_work_stop_the_start(
    overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        Settings().with_overrides(overrides).validate()


def test_meta_as_default_channel_needs_its_credentials(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="META_ACCESS_TOKEN"):
        create_app({"transport": "meta", "secret_key": "x", "instance_path": tmp_path})


def test_without_meta_settings_the_webhook_refuses_everything(
    tmp_path: Path, database_url: str
) -> None:
    app = create_app({"database_url": database_url, "secret_key": "x", "instance_path": tmp_path})
    client = app.test_client()
    query = {"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"}
    assert client.get(META_WEBHOOK, query_string=query).status_code == 403
    assert post_meta(client, text_payload(PHONE, "halo")).status_code == 403
    app.extensions["eklinik"].db.dispose()


# --- the dispatcher waker -----------------------------------------------------------------


def test_the_waker_runs_a_pass_in_the_background() -> None:
    done = threading.Event()
    waker = DispatchWaker(done.set, mode="background")
    waker.wake()
    assert done.wait(timeout=10)


def test_the_waker_modes_inline_and_off_and_errors() -> None:
    calls: list[str] = []
    DispatchWaker(lambda: calls.append("inline"), mode="inline").wake()
    DispatchWaker(lambda: calls.append("off"), mode="off").wake()
    assert calls == ["inline"]

    def broken() -> None:
        raise RuntimeError("database gone")

    DispatchWaker(broken, mode="inline").wake()  # logged; the webhook still answers


def test_a_failed_send_stays_in_the_outbox_for_the_worker(
    app: Flask, client: FlaskClient, graph: FakeGraphServer, db: sa.Engine
) -> None:
    graph.state.fail_with = [(503, 131016)]
    response = post_meta(client, text_payload(PHONE, "halo"))
    assert response.status_code == 200  # the message is stored; sending is the outbox's job
    with db.connect() as connection:
        statuses = (
            connection.execute(sa.select(Message.status).where(Message.direction == "out"))
            .scalars()
            .all()
        )
    assert statuses and all(status == "pending" for status in statuses)
    app.extensions["eklinik"].clock.advance(minutes=5)
    app.extensions["eklinik"].waker.drain()
    assert "Menu utama" in "\n".join(graph.texts())
