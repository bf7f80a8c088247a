"""The Twilio channel: its webhook (signatures, bad input, duplicates, odd content, long
replies, status callbacks), TwiML well-formed for any text, and what it sends."""

from __future__ import annotations

import json
import re
import threading
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twilio.request_validator import RequestValidator

from bot.config import PROJECT_ROOT, Settings
from bot.transports.base import OutboundMessage, TemplateRef, TransportError
from bot.transports.templates import TemplateMap
from bot.transports.twilio import TwilioChannel
from storage.models import Contact, Message
from tests.dialog import (
    AUTH_TOKEN,
    PUBLIC_URL,
    TYPING_SECONDS,
    WEBHOOK,
    new_sid,
    post_signed,
    replies_of,
    sign,
    whatsapp_form,
)
from tests.fakes import FakeTwilioServer

PHONE = "+6281234567890"


class TwilioChat:
    """One person writing through the signed Twilio webhook; returns the TwiML replies."""

    def __init__(self, client: FlaskClient, phone: str = PHONE) -> None:
        self.client, self.phone = client, phone

    def say(self, text: str, **fields: str) -> list[str]:
        self.client.application.extensions["eklinik"].clock.advance(seconds=TYPING_SECONDS)
        response = post_signed(self.client, whatsapp_form(self.phone, text, **fields))
        assert response.status_code == 200, response.data
        return replies_of(response)

    def said(self, text: str, **fields: str) -> str:
        return "\n".join(self.say(text, **fields))


def count(db: sa.Engine, model: type, **where: object) -> int:
    query = sa.select(sa.func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    with db.connect() as connection:
        return int(connection.execute(query).scalar_one())


def test_signed_whatsapp_message_gets_an_indonesian_twiml_reply(
    client: FlaskClient, db: sa.Engine
) -> None:
    response = post_signed(client, whatsapp_form(PHONE, "halo"))
    assert response.status_code == 200
    assert response.mimetype == "application/xml"
    text = "\n".join(replies_of(response))
    assert "Pemberitahuan privasi" in text
    assert "Menu utama" in text
    assert count(db, Message, direction="in") == 1
    assert count(db, Contact, phone=PHONE) == 1


def test_missing_signature_is_refused_and_nothing_is_stored(
    client: FlaskClient, db: sa.Engine
) -> None:
    response = client.post(WEBHOOK, data=whatsapp_form(PHONE, "halo"))
    assert response.status_code == 403
    assert count(db, Message) == 0
    assert count(db, Contact) == 0


def test_tampered_body_is_refused(client: FlaskClient, db: sa.Engine) -> None:
    form = whatsapp_form(PHONE, "halo")
    signature = sign(WEBHOOK, form)
    form["Body"] = "batal semua reservasi"
    response = client.post(WEBHOOK, data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403
    assert count(db, Message) == 0


def test_signature_for_another_url_is_refused(client: FlaskClient, db: sa.Engine) -> None:
    form = whatsapp_form(PHONE, "halo")
    signature = sign("/webhooks/other", form)
    response = client.post(WEBHOOK, data=form, headers={"X-Twilio-Signature": signature})
    assert response.status_code == 403


def test_a_signature_over_the_url_with_its_port_is_accepted(
    client: FlaskClient, db: sa.Engine
) -> None:
    # Twilio signs the URL either with or without the port: both are the same webhook
    form = whatsapp_form(PHONE, "halo")
    with_port = str(
        RequestValidator(AUTH_TOKEN).compute_signature(
            PUBLIC_URL.replace(".org", ".org:443") + WEBHOOK, form
        )
    )
    response = client.post(WEBHOOK, data=form, headers={"X-Twilio-Signature": with_port})
    assert response.status_code == 200
    assert count(db, Message, provider_sid=form["MessageSid"]) == 1


def test_signature_from_another_account_is_refused(client: FlaskClient, db: sa.Engine) -> None:
    form = whatsapp_form(PHONE, "halo")
    response = client.post(
        WEBHOOK, data=form, headers={"X-Twilio-Signature": sign(WEBHOOK, form, token="other-token")}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"From": ""}, "From"),
        ({"From": "+6281234567890"}, "WhatsApp"),
        ({"From": "sms:+6281234567890"}, "WhatsApp"),
        ({"From": "whatsapp:12ab"}, "phone"),
        ({"MessageSid": "", "SmsMessageSid": "", "SmsSid": ""}, "MessageSid"),
        ({"MessageSid": "SM<script>", "SmsMessageSid": ""}, "MessageSid"),
    ],
)
def test_malformed_payloads_get_400_and_store_nothing(
    client: FlaskClient, db: sa.Engine, change: dict[str, str], reason: str
) -> None:
    form = whatsapp_form(PHONE, "halo")
    form.update(change)
    form = {k: v for k, v in form.items() if v != "" or k == "Body"}
    response = post_signed(client, form)
    assert response.status_code == 400
    assert reason.lower() in response.get_data(as_text=True).lower()
    assert count(db, Message) == 0
    assert count(db, Contact) == 0


def test_oversized_request_gets_413(client: FlaskClient, db: sa.Engine) -> None:
    form = whatsapp_form(PHONE, "x" * 200_000)
    response = post_signed(client, form)
    assert response.status_code == 413
    assert count(db, Message) == 0


def test_repeated_message_sid_is_acknowledged_and_processed_once(
    client: FlaskClient, db: sa.Engine
) -> None:
    form = whatsapp_form(PHONE, "halo")
    first = post_signed(client, form)
    second = post_signed(client, form)
    assert first.status_code == second.status_code == 200
    assert replies_of(first)
    # Twilio gave up on the first answer, or it got lost: the redelivery gets the same replies
    assert replies_of(second) == replies_of(first)
    assert count(db, Message, direction="in") == 1
    assert count(db, Message, direction="out") == len(replies_of(first))


def test_simultaneous_duplicates_are_processed_once(app, db: sa.Engine) -> None:  # type: ignore[no-untyped-def]
    form = whatsapp_form(PHONE, "halo")
    results: list[list[str]] = []
    barrier = threading.Barrier(4)

    def deliver() -> None:
        local_client = app.test_client()
        barrier.wait()
        response = post_signed(local_client, form)
        assert response.status_code == 200
        results.append(replies_of(response))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4
    assert results[0] and all(replies == results[0] for replies in results)
    assert count(db, Message, direction="in") == 1
    assert count(db, Message, direction="out") == len(results[0])
    assert count(db, Contact) == 1


@pytest.mark.parametrize(
    "body",
    [
        "halo 👋🏽🇮🇩 kak",
        "ha\u200blo\u200d\ufeff",
        "<script>alert('x')</script><b>halo</b>",
        "halo\x00\x01\x02\x1b[31m",
        "'; DROP TABLE contacts; --",
        "مرحبا 你好 привет",
        "\U0001f600" * 500,
    ],
)
def test_odd_content_is_stored_as_text_and_answered(
    client: FlaskClient, db: sa.Engine, body: str
) -> None:
    form = whatsapp_form(PHONE, body, ProfileName="<img src=x onerror=alert(1)> Budi 🌾\u200b")
    response = post_signed(client, form)
    assert response.status_code == 200
    assert replies_of(response)
    with db.connect() as connection:
        stored = connection.execute(
            sa.select(Message.body).where(Message.direction == "in")
        ).scalar_one()
        name = connection.execute(sa.select(Contact.profile_name)).scalar_one()
    assert stored == "".join(c for c in body if c >= " " or c in "\t\n\r")
    assert name.startswith("<img src=x")


def test_media_only_message_is_stored_and_answered(client: FlaskClient, db: sa.Engine) -> None:
    TwilioChat(client).say("halo")
    form = whatsapp_form(
        PHONE,
        "",
        NumMedia="1",
        MediaUrl0="https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1",
        MediaContentType0="image/jpeg",
        MessageType="image",
    )
    response = post_signed(client, form)
    assert response.status_code == 200
    assert "teks" in "\n".join(replies_of(response))
    with db.connect() as connection:
        media = connection.execute(
            sa.select(Message.media).where(Message.provider_sid == form["MessageSid"])
        ).scalar_one()
    assert media == [{"url": form["MediaUrl0"], "content_type": "image/jpeg"}]


def test_location_message_is_parsed(client: FlaskClient, db: sa.Engine) -> None:
    form = whatsapp_form(
        PHONE,
        "",
        Latitude="-6.2000",
        Longitude="106.8166",
        Address="Jl. Merdeka",
        Label="Kantor",
        MessageType="location",
    )
    response = post_signed(client, form)
    assert response.status_code == 200
    with db.connect() as connection:
        extra = connection.execute(
            sa.select(Message.extra).where(Message.provider_sid == form["MessageSid"])
        ).scalar_one()
    assert extra["location"]["latitude"] == pytest.approx(-6.2)
    assert extra["location"]["label"] == "Kantor"


def test_button_reply_is_understood_by_its_text(client: FlaskClient, db: sa.Engine) -> None:
    dialog = TwilioChat(client)
    dialog.say("halo")
    text = dialog.said(
        "", ButtonPayload="menu_info", ButtonText="Info klinik", MessageType="button"
    )
    assert "Info klinik" in text
    with db.connect() as connection:
        extras = (
            connection.execute(sa.select(Message.extra).where(Message.direction == "in"))
            .scalars()
            .all()
        )
    assert {"payload": "menu_info", "text": "Info klinik"} in [e.get("button") for e in extras if e]


def test_long_reply_is_split_at_line_boundaries() -> None:
    from bot.config import Settings
    from bot.transports.twilio import TwilioChannel

    lines = [(f"{i}. " + "topik konsultasi yang panjang sekali " * 3).strip() for i in range(60)]
    parts = TwilioChannel(Settings()).split("\n".join(lines))
    assert len(parts) > 1
    assert all(len(part) <= 1600 for part in parts)
    assert "\n".join(parts) == "\n".join(lines)


def test_status_callback_moves_forward_only(client: FlaskClient, db: sa.Engine, app) -> None:  # type: ignore[no-untyped-def]
    rt = app.extensions["eklinik"]
    sid = new_sid()
    with db.begin() as connection:
        connection.execute(
            sa.insert(Contact).values(phone=PHONE, language="id", created_at=rt.clock.now())
        )
        contact_id = connection.execute(sa.select(Contact.id)).scalar_one()
        connection.execute(
            sa.insert(Message).values(
                contact_id=contact_id,
                direction="out",
                provider_sid=sid,
                body="x",
                status="sent",
                channel="whatsapp",
                attempts=1,
                created_at=rt.clock.now(),
                updated_at=rt.clock.now(),
            )
        )

    def status(value: str) -> str:
        form = {"MessageSid": sid, "MessageStatus": value, "AccountSid": "AC" + "0" * 32}
        response = post_signed(client, form, path="/webhooks/twilio/status")
        assert response.status_code == 204
        with db.connect() as connection:
            return str(
                connection.execute(
                    sa.select(Message.status).where(Message.provider_sid == sid)
                ).scalar_one()
            )

    assert status("delivered") == "delivered"
    assert status("sent") == "delivered"
    assert status("read") == "read"
    assert status("delivered") == "read"


def test_status_callback_needs_a_signature(client: FlaskClient) -> None:
    response = client.post(
        "/webhooks/twilio/status", data={"MessageSid": new_sid(), "MessageStatus": "sent"}
    )
    assert response.status_code == 403


def test_healthz(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_a_long_reply_goes_out_as_several_messages(client: FlaskClient, db: sa.Engine) -> None:
    from storage.models import Service, Topic

    with db.begin() as connection:
        service_id = connection.execute(
            sa.select(Service.id).where(Service.code == "umkm")
        ).scalar_one()
        for i in range(80):
            connection.execute(
                sa.insert(Topic).values(
                    service_id=service_id,
                    code=f"extra_{i}",
                    name_id=f"Topik tambahan nomor {i} untuk pelaku usaha",
                    name_en=f"Extra topic {i}",
                    position=100 + i,
                    active=True,
                )
            )
    dialog = TwilioChat(client)
    dialog.say("halo")
    dialog.say("info")
    parts = dialog.say("3")
    assert len(parts) > 1
    assert all(len(part) <= 1600 for part in parts)
    assert "Topik tambahan nomor 79 untuk pelaku usaha" in parts[-1]
    assert not any(part.startswith(" ") for part in parts)


def test_healthz_is_503_when_the_database_is_down(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot import create_app

    app = create_app(
        {
            "database_url": "postgresql+psycopg://postgres@127.0.0.1:9/none",
            "secret_key": "x",
            "instance_path": tmp_path,
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_a_failing_step_keeps_the_message_and_apologises(
    client: FlaskClient, db: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.flows.main import flow

    def broken(_ctx: object) -> None:
        raise RuntimeError("bug in a flow")

    monkeypatch.setattr(flow.steps["menu"], "handle", broken)
    form = whatsapp_form(PHONE, "halo")
    first = replies_of(post_signed(client, form))
    assert "gangguan" in "\n".join(first)
    assert replies_of(post_signed(client, form)) == first  # a retry is not processed again
    with db.connect() as connection:
        status = connection.execute(
            sa.select(Message.status).where(Message.direction == "in")
        ).scalar_one()
    assert status == "failed"


def test_a_message_that_cannot_be_stored_is_refused_so_twilio_keeps_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot import create_app

    app = create_app(
        {
            "database_url": "postgresql+psycopg://postgres@127.0.0.1:9/none",
            "secret_key": "x",
            "instance_path": tmp_path,
            "twilio_auth_token": AUTH_TOKEN,
            "public_url": PUBLIC_URL,
        }
    )
    response = post_signed(app.test_client(), whatsapp_form(PHONE, "halo"))
    assert response.status_code == 503


def test_without_a_public_url_the_signature_covers_the_request_url(  # type: ignore[no-untyped-def]
    database_url, tmp_path
) -> None:
    from twilio.request_validator import RequestValidator

    from bot import create_app

    app = create_app(
        {
            "database_url": database_url,
            "secret_key": "x",
            "instance_path": tmp_path,
            "twilio_auth_token": AUTH_TOKEN,
        }
    )
    client = app.test_client()
    form = whatsapp_form(PHONE, "halo")
    right = RequestValidator(AUTH_TOKEN).compute_signature("http://localhost/webhooks/twilio", form)
    wrong = sign(WEBHOOK, form)  # signed for the public URL, which this app does not know
    assert client.post(WEBHOOK, data=form, headers={"X-Twilio-Signature": wrong}).status_code == 403
    assert client.post(WEBHOOK, data=form, headers={"X-Twilio-Signature": right}).status_code == 200
    app.extensions["eklinik"].db.dispose()


def test_unknown_settings_are_refused() -> None:
    from bot import create_app

    with pytest.raises(ValueError, match="databse_url"):
        create_app({"databse_url": "sqlite://"})
    with pytest.raises(ValueError, match="timezone"):
        create_app({"timezone": "Asia/Atlantis", "secret_key": "x"})


# --- characters XML cannot carry, and locations that are not numbers (issue 10) -------------

NOT_XML = "\x01\x02\x08\x0b\x0c\x1b\x1f\ufffe\uffff"
ANY_CHARACTER = st.one_of(
    st.characters(),
    st.characters(categories=["Cs"]),  # lone surrogates
    st.sampled_from("\x00\x01\x0b\x1b\t\n\r\ufffe\uffff&<>]]>\"'"),
)


@given(st.lists(st.text(ANY_CHARACTER, max_size=40), max_size=4))
def test_twiml_is_well_formed_for_any_text(texts: list[str]) -> None:
    from bot.inbound import safe_text
    from bot.transports.twilio import twiml_document

    root = ET.fromstring(twiml_document(texts).encode("utf-8"))
    assert [node.text or "" for node in root.iter("Message")] == [safe_text(t) for t in texts]


def test_clean_text_drops_what_xml_cannot_carry_and_keeps_the_rest() -> None:
    from bot.inbound import clean_text

    assert clean_text(f"ha{NOT_XML}\x00\ud800lo\t\n\r 👋🏽\u200b") == "halo\t\n\r 👋🏽\u200b"


def test_control_characters_in_a_message_and_profile_name_never_break_the_answer(
    client: FlaskClient, db: sa.Engine
) -> None:
    form = whatsapp_form(PHONE, f"ha{NOT_XML}lo", ProfileName=f"Bu{NOT_XML}di")
    response = post_signed(client, form)
    assert response.status_code == 200
    assert "Menu utama" in "\n".join(replies_of(response))  # parsed: well-formed
    with db.connect() as connection:
        body = connection.execute(sa.select(Message.body).where(Message.direction == "in"))
        name = connection.execute(sa.select(Contact.profile_name)).scalar_one()
        assert body.scalar_one() == "halo"
    assert name == "Budi"


def test_a_stored_name_with_control_characters_still_gives_well_formed_twiml(
    client: FlaskClient, db: sa.Engine
) -> None:
    dialog = TwilioChat(client)
    dialog.say("halo")
    with db.begin() as connection:  # stored before the inbound cleaning existed
        connection.execute(sa.update(Contact).values(name=f"Bu{NOT_XML}di"))
    menu = dialog.said("menu")  # parsed: well-formed
    assert re.search(r"Bu\s*di", menu)
    assert not set(NOT_XML) & set(menu)


@given(body=st.text(st.characters(exclude_categories=["Cs"]), max_size=60))
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_unicode_message_gets_a_well_formed_answer(client: FlaskClient, body: str) -> None:
    response = post_signed(client, whatsapp_form(PHONE, body, ProfileName=body[:20]))
    assert response.status_code == 200
    replies_of(response)  # raises unless well-formed


@pytest.mark.parametrize("latitude", ["nan", "NaN", "inf", "-Infinity", "1e400", "91", "utara"])
def test_a_location_without_finite_coordinates_is_stored_without_them(
    client: FlaskClient, db: sa.Engine, latitude: str
) -> None:
    form = whatsapp_form(
        PHONE, "", Latitude=latitude, Longitude="106.8166", Address="Jl. Merdeka 1", Label="Kantor"
    )
    response = post_signed(client, form)
    assert response.status_code == 200
    with db.connect() as connection:
        extra = connection.execute(
            sa.select(Message.extra).where(Message.provider_sid == form["MessageSid"])
        ).scalar_one()
    assert extra["location"] == {"address": "Jl. Merdeka 1", "label": "Kantor"}


def test_a_bare_nan_location_is_stored_as_a_message_without_location(
    client: FlaskClient, db: sa.Engine
) -> None:
    form = whatsapp_form(PHONE, "", Latitude="nan", Longitude="nan", MessageType="location")
    assert post_signed(client, form).status_code == 200
    assert post_signed(client, form).status_code == 200  # a redelivery is no different
    with db.connect() as connection:
        extra = connection.execute(
            sa.select(Message.extra).where(Message.provider_sid == form["MessageSid"])
        ).scalar_one()
    assert "location" not in (extra or {})


def test_a_failed_status_keeps_the_providers_error_code(
    client: FlaskClient, db: sa.Engine, app
) -> None:  # type: ignore[no-untyped-def]
    rt = app.extensions["eklinik"]
    sid = new_sid()
    with db.begin() as connection:
        connection.execute(
            sa.insert(Contact).values(phone=PHONE, language="id", created_at=rt.clock.now())
        )
        contact_id = connection.execute(sa.select(Contact.id)).scalar_one()
        connection.execute(
            sa.insert(Message).values(
                contact_id=contact_id,
                direction="out",
                provider_sid=sid,
                body="x",
                status="sent",
                channel="twilio",
                attempts=1,
                created_at=rt.clock.now(),
                updated_at=rt.clock.now(),
            )
        )
    form = {"MessageSid": sid, "MessageStatus": "undelivered", "ErrorCode": "63024"}
    assert post_signed(client, form, path="/webhooks/twilio/status").status_code == 204
    with db.connect() as connection:
        status, error = connection.execute(
            sa.select(Message.status, Message.last_error).where(Message.provider_sid == sid)
        ).one()
    assert status == "undelivered"
    assert "63024" in error


def test_a_status_callback_without_its_fields_is_a_bad_request(client: FlaskClient) -> None:
    response = post_signed(client, {"MessageSid": new_sid()}, path="/webhooks/twilio/status")
    assert response.status_code == 400
    assert "MessageStatus" in response.get_data(as_text=True)


# --- what the Twilio channel sends: templates, buttons, validity ---------------------------

ACCOUNT = "AC" + "2" * 32
REMINDER_SID = "HX" + "1" * 32
QUICK_REPLY_SID = "HX" + "3" * 32
TEMPLATES = f"""
[templates.reminder.id]
variables = ["name", "when"]
twilio_content_sid = "{REMINDER_SID}"
meta_name = "eklinik_reminder"

[templates.only_meta.id]
meta_name = "eklinik_only_meta"

[twilio.quick_reply]
3 = "{QUICK_REPLY_SID}"
"""


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilioServer]:
    with FakeTwilioServer() as server:
        yield server


def twilio_channel(base_url: str, templates: str = TEMPLATES) -> TwilioChannel:
    return TwilioChannel(
        Settings(
            twilio_account_sid=ACCOUNT,
            twilio_auth_token="secret",
            twilio_whatsapp_from="whatsapp:+14155238886",
            twilio_api_base_url=base_url,
        ),
        TemplateMap.from_dict(tomllib.loads(templates)),
    )


def test_a_template_reference_goes_out_as_its_content_sid(fake_twilio: FakeTwilioServer) -> None:
    ref = TemplateRef("reminder", "id", {"when": "Senin 10:00", "name": "Ibu Sari"})
    twilio_channel(fake_twilio.url).send(OutboundMessage(to=PHONE, template=ref))
    [form] = fake_twilio.state.requests
    assert form["ContentSid"] == [REMINDER_SID]
    assert json.loads(form["ContentVariables"][0]) == {"1": "Ibu Sari", "2": "Senin 10:00"}
    assert "Body" not in form


@pytest.mark.parametrize(
    ("ref", "code"),
    [
        (TemplateRef("unknown", "id"), "template_unmapped"),
        (TemplateRef("reminder", "en", {"name": "x", "when": "y"}), "template_unmapped"),
        (TemplateRef("only_meta", "id"), "template_unmapped"),
        (TemplateRef("reminder", "id", {"name": "Sari"}), "template_variables"),
    ],
)
def test_a_template_that_cannot_be_sent_is_a_permanent_error(
    fake_twilio: FakeTwilioServer, ref: TemplateRef, code: str
) -> None:
    with pytest.raises(TransportError) as error:
        twilio_channel(fake_twilio.url).send(OutboundMessage(to=PHONE, template=ref))
    assert not error.value.retryable
    assert error.value.code == code
    assert fake_twilio.state.requests == []


def test_buttons_without_a_quick_reply_template_become_numbered_text(
    fake_twilio: FakeTwilioServer,
) -> None:
    message = OutboundMessage(to=PHONE, body="Apakah Bapak/Ibu hadir?", buttons=("Ya", "Tidak"))
    twilio_channel(fake_twilio.url).send(message)
    [form] = fake_twilio.state.requests
    assert form["Body"] == ["Apakah Bapak/Ibu hadir?\n\n1. Ya\n2. Tidak"]


def test_buttons_with_a_quick_reply_template_go_out_as_buttons(
    fake_twilio: FakeTwilioServer,
) -> None:
    buttons = ("Hadir", "Jadwal ulang", "Batal")
    message = OutboundMessage(to=PHONE, body="Besok jam 10.", buttons=buttons, validity_seconds=600)
    twilio_channel(fake_twilio.url).send(message)
    [form] = fake_twilio.state.requests
    assert form["ContentSid"] == [QUICK_REPLY_SID]
    variables = json.loads(form["ContentVariables"][0])
    assert variables == {"1": "Besok jam 10.", "2": "Hadir", "3": "Jadwal ulang", "4": "Batal"}
    assert form["ValidityPeriod"] == ["600"]


def test_the_example_template_mapping_loads() -> None:
    mapping = TemplateMap.load(PROJECT_ROOT / "docs" / "whatsapp-templates.example.toml")
    assert mapping.entries


@pytest.mark.parametrize(
    "text",
    [
        "[templates.reminder.id]\nvariables = ['a']\n",  # neither channel
        "[templates.reminder.id]\ntwilio_content_sid = 'HX12'\n",  # not a ContentSid
        "[templates.reminder.id]\nmeta_name = 'Eklinik Reminder'\n",  # not a Meta name
        "[templates.reminder.id]\nmeta_name = 'x'\nmeta_langauge = 'id'\n",  # a typo
        "[twilio.quick_reply]\nthree = 'HX" + "1" * 32 + "'\n",
        "templates = 3\n",
        "[templates.reminder\n",  # not TOML
    ],
)
def test_a_broken_template_mapping_stops_the_start(tmp_path, text: str) -> None:  # type: ignore[no-untyped-def]
    from bot import create_app

    path = tmp_path / "templates.toml"
    path.write_text(text)
    with pytest.raises(ValueError, match="EKLINIK_WHATSAPP_TEMPLATES"):
        create_app(
            {
                "database_url": f"sqlite:///{tmp_path / 'x.db'}",
                "secret_key": "x",
                "instance_path": tmp_path,
                "whatsapp_templates": path,
            }
        )


def test_a_missing_template_mapping_file_stops_the_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="EKLINIK_WHATSAPP_TEMPLATES"):
        Settings.from_env({"EKLINIK_WHATSAPP_TEMPLATES": str(tmp_path / "none.toml")}).validate()
