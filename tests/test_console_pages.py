"""The console through Flask's test client: CSRF, escaping of hostile chat content, the audit
log, roles, the 24-hour window, settings the conversation reads, and the inbox statuses."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from bot.clock import FakeClock
from bot.console.formatting import duration, number, visible
from bot.services import accounts
from storage.db import transaction
from storage.models import AdminUser, ClinicInfo, Handoff, Message, Reservation
from storage.models_console import AuditEntry, ContactNote, MeetingRoom
from tests.dialog import TYPING_SECONDS, post_signed, replies_of, whatsapp_form

PASSWORD = "sandi-rahasia-123"
PHONE = "+6281234567890"


class WebhookChat:
    """One person writing over the signed Twilio webhook (what the acceptance asks for)."""

    def __init__(self, client: FlaskClient, phone: str = PHONE) -> None:
        self.client = client
        self.phone = phone

    def say(self, text: str) -> list[str]:
        """Send `text` a few seconds after the previous message; the bot's replies."""
        clock = self.client.application.extensions["eklinik"].clock
        if isinstance(clock, FakeClock):
            clock.advance(seconds=TYPING_SECONDS)
        response = post_signed(self.client, whatsapp_form(self.phone, text))
        assert response.status_code == 200, response.data
        return replies_of(response)

    def said(self, text: str) -> str:
        """Send `text`; the replies joined."""
        return "\n".join(self.say(text))


def book_directly(app: Flask, phone: str = PHONE, mode: str = "online") -> int:
    """A registered person who wrote a moment ago holds the first free koperasi slot (made
    through the reservation service; the chat's own path is covered by the browser tests)."""
    from zoneinfo import ZoneInfo

    from bot.services import calendar, clinic, reservations
    from bot.services.contacts import get_or_create_contact

    rt = app.extensions["eklinik"]
    tz = ZoneInfo(rt.settings.timezone)
    now = rt.clock.now()
    with transaction(rt.db) as session:
        contact, _new = get_or_create_contact(session, phone, now)
        contact.name, contact.category, contact.kecamatan = "Sari Wulandari", "umkm", "Coblong"
        contact.organisation, contact.last_inbound_at = "Koperasi Maju Bersama", now
        service = clinic.active_services(session)[0]
        assert service.id is not None
        topic = clinic.topics_of(session, service.id)[0]
        slot = calendar.free_slots(session, service, now, tz, limit=1)[0]
        reservation = reservations.book(
            session,
            contact=contact,
            service=service,
            topic=topic,
            problem="Laporan keuangan kami belum rapi",
            mode=mode,
            starts_at=slot.starts_at,
            now=now,
            tz=tz,
        )
        assert reservation.id is not None
        return reservation.id


def make_account(db: sa.Engine, clock: FakeClock, username: str, password: str, role: str) -> int:
    """A console account created the way `eklinik admin create` and the accounts page do."""
    with transaction(db) as session:
        user = accounts.create_user(session, username, password, role, clock.now())
        assert user.id is not None
        return user.id


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


@pytest.fixture
def console(app: Flask, db: sa.Engine, clock: FakeClock) -> FlaskClient:
    """A browser-like client logged in as an administrator."""
    app.config["SESSION_COOKIE_SECURE"] = False
    make_account(db, clock, "rina", PASSWORD, "admin")
    client = app.test_client()
    login(client, "rina")
    return client


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> Any:
    token = csrf_of(client.get("/admin/login").get_data(as_text=True))
    return client.post(
        "/admin/login",
        data={"username": username, "password": password, "csrf_token": token},
    )


def post_form(client: FlaskClient, page: str, path: str, **data: str) -> Any:
    """Submit a form of `page` the way a browser would (with the page's CSRF token)."""
    token = csrf_of(client.get(page).get_data(as_text=True))
    return client.post(path, data={**data, "csrf_token": token})


def count(db: sa.Engine, model: type) -> int:
    with db.connect() as connection:
        return int(connection.execute(sa.select(sa.func.count()).select_from(model)).scalar_one())


def escalate(client: FlaskClient, *texts: str) -> int:
    """A person asks for a human, then writes `texts`; the handoff's id."""
    chat = WebhookChat(client)
    chat.say("halo")
    chat.say("mau bicara dengan petugas")
    for text in texts:
        assert chat.say(text) == []
    engine: sa.Engine = client.application.extensions["eklinik"].db
    with engine.connect() as connection:
        return int(connection.execute(sa.select(Handoff.id)).scalar_one())


# --- login, CSRF, roles ---------------------------------------------------------------------


def test_the_login_page_has_the_contract_fields(client: FlaskClient) -> None:
    html = client.get("/admin/login").get_data(as_text=True)
    for name in ("username", "password", "csrf_token"):
        assert f'name="{name}"' in html
    assert client.get("/admin/").status_code == 302


def test_a_post_without_a_valid_csrf_token_is_refused_and_changes_nothing(
    console: FlaskClient, db: sa.Engine
) -> None:
    before = count(db, MeetingRoom), count(db, AuditEntry)
    for data in ({}, {"csrf_token": "forged"}):
        response = console.post(
            "/admin/rooms", data={"name": "Zoom", "url": "https://zoom.example/j/1", **data}
        )
        assert response.status_code == 400
        assert "Tidak ada yang diubah" in response.get_data(as_text=True)
    assert (count(db, MeetingRoom), count(db, AuditEntry)) == before
    with db.connect() as connection:
        assert connection.execute(sa.select(AdminUser.failed_logins)).scalar_one() == 0
    # and a login without a token neither logs in nor counts as a failure
    fresh = console.application.test_client()
    response = fresh.post("/admin/login", data={"username": "rina", "password": PASSWORD})
    assert response.status_code == 400
    assert fresh.get("/admin/").status_code == 302


def test_a_wrong_password_is_refused_and_five_lock_the_account(
    app: Flask, db: sa.Engine, clock: FakeClock
) -> None:
    app.config["SESSION_COOKIE_SECURE"] = False
    make_account(db, clock, "rina", PASSWORD, "admin")
    client = app.test_client()
    assert login(client, "rina", "salah").status_code == 401
    assert login(client, "tidak-ada", "salah").status_code == 401
    for _ in range(4):
        response = login(client, "rina", "salah")
    assert response.status_code == 429
    assert login(client, "rina").status_code == 429
    clock.advance(minutes=15, seconds=1)
    assert login(client, "rina").status_code == 302
    with db.connect() as connection:
        actions = connection.execute(sa.select(AuditEntry.action)).scalars().all()
    assert actions == ["auth.locked", "auth.login"]


def test_an_open_redirect_after_login_is_not_followed(
    app: Flask, db: sa.Engine, clock: FakeClock
) -> None:
    make_account(db, clock, "rina", PASSWORD, "admin")
    client = app.test_client()
    token = csrf_of(client.get("/admin/login").get_data(as_text=True))
    response = client.post(
        "/admin/login?next=//evil.example/admin/",
        data={"username": "rina", "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/admin/"


def test_an_expert_gets_403_on_admin_pages_and_posts(
    app: Flask, db: sa.Engine, clock: FakeClock
) -> None:
    make_account(db, clock, "budi", PASSWORD, "expert")
    client = app.test_client()
    assert login(client, "budi").headers["Location"] == "/admin/book"
    for path in (
        "/admin/inbox",
        "/admin/reservations",
        "/admin/settings",
        "/admin/accounts",
        "/admin/audit",
        "/admin/experts",
        "/admin/settings/hours",
        "/admin/api/status",
    ):
        assert client.get(path).status_code == 403, path
    response = post_form(client, "/admin/book", "/admin/rooms", name="x", url="https://x.example")
    assert response.status_code == 403
    assert count(db, MeetingRoom) == 0
    assert client.get("/admin/book").status_code == 200


def test_session_cookie_flags_and_password_change_ends_other_sessions(
    app: Flask, db: sa.Engine, clock: FakeClock
) -> None:
    make_account(db, clock, "rina", PASSWORD, "admin")
    client = app.test_client()
    response = login(client, "rina")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    app.config["SESSION_COOKIE_SECURE"] = False
    first, second = app.test_client(), app.test_client()
    login(first, "rina")
    login(second, "rina")
    response = post_form(
        first,
        "/admin/password",
        "/admin/password",
        current=PASSWORD,
        new="sandi-baru-yang-panjang",
        confirm="sandi-baru-yang-panjang",
    )
    assert response.status_code == 302
    assert first.get("/admin/").status_code == 200
    assert second.get("/admin/").status_code == 302  # logged out


# --- escaping -------------------------------------------------------------------------------

HOSTILE = (
    "<script>alert('x')</script><img src=x onerror=alert(1)> \x1b[2J\x1b]0;owned\x07 \u202eabc"
)


def test_hostile_chat_content_is_shown_as_inert_text(
    console: FlaskClient, db: sa.Engine, clock: FakeClock
) -> None:
    handoff_id = escalate(console, HOSTILE)  # over the webhook (which drops what XML cannot carry)
    with transaction(db) as session:
        contact_id = session.exec(sa.select(Message.contact_id)).first()[0]  # type: ignore[call-overload]
        session.execute(sa.text("UPDATE contacts SET name = :n"), {"n": "<b>Sari</b>\x1b[31m"})
        # stored by another way in (the simulator, an import): every control character intact
        session.add(
            Message(
                contact_id=contact_id,
                direction="in",
                body=HOSTILE,
                status="held_for_human",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
        session.add(
            ContactNote(
                contact_id=contact_id, author="rina", body="<i>catatan</i>", created_at=clock.now()
            )
        )
    for page in ("/admin/inbox", f"/admin/inbox/{handoff_id}"):
        html = console.get(page).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>Sari" not in html
        assert "\x1b" not in html and "\x07" not in html and "\u202e" not in html
        assert "&lt;b&gt;Sari&lt;/b&gt;␛[31m" in html
    chat = console.get(f"/admin/inbox/{handoff_id}").get_data(as_text=True)
    assert chat.count("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;") == 2
    assert "␛[2J␛]0;owned␇" in chat and "[U+202E]abc" in chat
    assert "&lt;i&gt;catatan&lt;/i&gt;" in chat


def test_visible_shows_controls_and_keeps_text() -> None:
    assert visible("a\x1b[31mb\x00\x7f\u0085\n\tok") == "a␛[31mb␀\u2421[U+0085]\n\tok"
    assert visible("Selamat pagi 🙏") == "Selamat pagi 🙏"
    assert number(1234567) == "1.234.567" and number(12.5) == "12,5"
    assert duration(dt.timedelta(hours=2, minutes=5)) == "2 jam 5 menit"
    assert duration(dt.timedelta(days=1, hours=3)) == "1 hari 3 jam"


# --- inbox ----------------------------------------------------------------------------------


def test_inbox_lists_pending_chats_with_unread_counts_and_taking_opens_them(
    console: FlaskClient, db: sa.Engine
) -> None:
    handoff_id = escalate(console, "halo??", "kok ga dibales")
    status = console.get("/admin/api/status").get_json()
    assert status["waiting"] == 1 and status["pending"] == 1 and status["unread"] == 3
    html = console.get("/admin/inbox").get_data(as_text=True)
    assert "Menunggu" in html and "kok ga dibales" in html
    console.get(f"/admin/inbox/{handoff_id}")  # reading clears the unread count
    assert console.get("/admin/api/status").get_json()["unread"] == 0
    post_form(
        console, f"/admin/inbox/{handoff_id}", f"/admin/inbox/{handoff_id}/assign", user_id="me"
    )
    with db.connect() as connection:
        case = connection.execute(sa.select(Handoff)).one()
    assert case.status == "open" and case.assigned_to_id is not None


def test_a_reply_outside_the_24_hour_window_offers_the_template(
    console: FlaskClient, db: sa.Engine, clock: FakeClock
) -> None:
    handoff_id = escalate(console)
    clock.advance(hours=25)
    page = f"/admin/inbox/{handoff_id}"
    html = console.get(page).get_data(as_text=True)
    assert "Jendela 24 jam WhatsApp sudah tertutup" in html and "reply-text" not in html
    before = count(db, Message)
    response = post_form(console, page, f"{page}/reply", text="Halo Bu", nonce="n1")
    assert response.status_code == 302 and count(db, Message) == before
    post_form(console, page, f"{page}/template")
    with db.connect() as connection:
        row = connection.execute(
            sa.select(Message).where(Message.template_key == "console.reopen")
        ).one()
    assert row.extra["template"]["name"] == "reopen"


def test_a_double_submitted_reply_is_queued_once_and_resolve_tells_the_person(
    console: FlaskClient, db: sa.Engine
) -> None:
    handoff_id = escalate(console)
    page = f"/admin/inbox/{handoff_id}"
    for _ in range(2):
        post_form(console, page, f"{page}/reply", text="Baik Bu, kami bantu.", nonce="same")
    post_form(console, page, f"{page}/resolve")
    with db.connect() as connection:
        keys = (
            connection.execute(sa.select(Message.template_key).where(Message.status == "pending"))
            .scalars()
            .all()
        )
        case = connection.execute(sa.select(Handoff)).one()
    assert keys == ["console.reply", "console.handback"]
    assert case.status == "resolved" and case.resolved_by == "rina"


# --- reservations, settings, audit ----------------------------------------------------------


def test_confirming_an_online_session_needs_a_free_room(
    console: FlaskClient, db: sa.Engine, clock: FakeClock
) -> None:
    reservation_id = book_directly(console.application)
    page = f"/admin/reservations/{reservation_id}"
    response = post_form(console, page, f"{page}/confirm")
    assert response.status_code == 302
    assert "perlu ruang Zoom" in console.get(page).get_data(as_text=True)
    with db.connect() as connection:
        assert connection.execute(sa.select(Reservation.status)).scalar_one() == "booked"


def test_settings_change_what_the_bot_says_on_the_next_message(
    console: FlaskClient, db: sa.Engine
) -> None:
    html = console.get("/admin/").get_data(as_text=True)
    assert "Persiapan awal" in html
    post_form(
        console,
        "/admin/settings",
        "/admin/settings",
        address_id="Jl. Asia Afrika No. 99, Bandung",
        address_en="",
        maps_url_id="",
        phone_id="022-1234567",
        how_note_id="",
        yearly_target="1200",
    )
    with db.connect() as connection:
        address = connection.execute(
            sa.select(ClinicInfo.value_en).where(ClinicInfo.key == "address")
        ).scalar_one()
    assert address == "Jl. Asia Afrika No. 99, Bandung"  # English falls back to Indonesian
    chat = WebhookChat(console)
    chat.say("halo")
    assert "Jl. Asia Afrika No. 99" in chat.said("alamat klinik dimana?") + chat.said("info")


def test_every_change_is_in_the_audit_log_and_admins_can_filter_it(
    console: FlaskClient, db: sa.Engine
) -> None:
    post_form(
        console, "/admin/rooms", "/admin/rooms", name="Zoom 1", url="https://zoom.example.org/j/1"
    )
    post_form(
        console,
        "/admin/accounts",
        "/admin/accounts",
        action="create",
        username="budi",
        password="sandi-ahli-12345",
        role="expert",
    )
    post_form(
        console,
        "/admin/inbox/canned",
        "/admin/inbox/canned",
        action="add",
        title="Salam",
        body="Selamat pagi Bapak/Ibu",
    )
    with db.connect() as connection:
        rows = connection.execute(
            sa.select(AuditEntry.username, AuditEntry.action).order_by(AuditEntry.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("rina", "auth.login"),
        ("rina", "room.save"),
        ("rina", "account.create"),
        ("rina", "canned.add"),
    ]
    html = console.get("/admin/audit?action=room").get_data(as_text=True)
    table = html[html.index('id="audit-table"') :]
    assert "room.save" in table and "account.create" not in table
    assert "sandi-ahli" not in console.get("/admin/audit").get_data(as_text=True)


def test_booking_on_behalf_of_a_referred_cooperative(console: FlaskClient, db: sa.Engine) -> None:
    page = console.get("/admin/reservations/new").get_data(as_text=True)
    service_id = re.search(r'name="service_id" value="(\d+)"', page)
    topic_id = re.search(r'<option value="(\d+)"[^>]*>Pendirian koperasi', page)
    slot = re.search(r'name="starts_at" required>\s*<option value="([^"]+)"', page)
    assert service_id and topic_id and slot
    form = {
        "service_id": service_id.group(1),
        "phone": "0813-2222-3333",
        "name": "Pak Darto",
        "organisation": "KSP Sejahtera",
        "kecamatan": "Coblong",
        "category": "koperasi_konvensional",
        "topic_id": topic_id.group(1),
        "mode": "tatap_muka",
        "starts_at": slot.group(1).replace("&#43;", "+"),
        "problem": "Ingin mendirikan koperasi simpan pinjam",
        "referral": "Surat Dinas 123/2026",
    }
    bad = post_form(
        console, "/admin/reservations/new", "/admin/reservations/new", **{**form, "phone": "abc"}
    )
    assert bad.status_code == 400 and count(db, Reservation) == 0
    response = post_form(console, "/admin/reservations/new", "/admin/reservations/new", **form)
    assert response.status_code == 302, response.get_data(as_text=True)
    with db.connect() as connection:
        row = connection.execute(sa.select(Reservation)).one()
    assert row.booked_by == "rina" and row.referral == "Surat Dinas 123/2026"
    assert row.status == "booked" and row.mode == "tatap_muka"
    html = console.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pak Darto" in html and "rujukan: Surat Dinas 123/2026" in html


def test_an_expert_sees_only_their_own_sessions(
    app: Flask, console: FlaskClient, db: sa.Engine, clock: FakeClock
) -> None:
    from storage.models_console import Expert

    book_directly(app)
    ani = make_account(db, clock, "ani", PASSWORD, "expert")
    budi = make_account(db, clock, "budi", PASSWORD, "expert")
    with transaction(db) as session:
        mine = Expert(name="Ani", user_id=ani, created_at=clock.now())
        session.add(mine)
        session.add(Expert(name="Budi", user_id=budi, created_at=clock.now()))
        session.flush()
        session.execute(sa.update(Reservation).values(expert_id=mine.id, status="confirmed"))
        reservation_id = session.execute(sa.select(Reservation.id)).scalar_one()
    app.config["SESSION_COOKIE_SECURE"] = False
    as_ani, as_budi = app.test_client(), app.test_client()
    login(as_ani, "ani")
    login(as_budi, "budi")
    assert "EK-" in as_ani.get("/admin/book").get_data(as_text=True)
    assert "EK-" not in as_budi.get("/admin/book").get_data(as_text=True)
    assert as_ani.get(f"/admin/book/{reservation_id}").status_code == 200
    assert as_budi.get(f"/admin/book/{reservation_id}").status_code == 403
    # before the session nothing can be recorded
    response = post_form(
        as_ani,
        f"/admin/book/{reservation_id}",
        f"/admin/book/{reservation_id}",
        notes="x",
        recommendation="y",
    )
    assert response.status_code == 302
    with db.connect() as connection:
        assert (
            connection.execute(sa.text("SELECT count(*) FROM consultation_records")).scalar_one()
            == 0
        )


def test_a_closure_added_in_the_console_removes_that_day_from_the_slots(
    app: Flask, console: FlaskClient, db: sa.Engine, clock: FakeClock
) -> None:
    from zoneinfo import ZoneInfo

    from bot.services import calendar, clinic

    tz = ZoneInfo("Asia/Jakarta")
    tuesday = dt.date(2026, 11, 24)
    post_form(
        console,
        "/admin/settings/hours",
        "/admin/settings/hours",
        action="close",
        day=tuesday.isoformat(),
        reason="Rapat dinas",
    )
    with transaction(db) as session:
        service = clinic.active_services(session)[0]
        days = {
            slot.starts_at.astimezone(tz).date()
            for slot in calendar.free_slots(session, service, clock.now(), tz, limit=30)
        }
    assert tuesday not in days and dt.date(2026, 11, 25) in days


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/inbox",
        "/admin/inbox/canned",
        "/admin/reservations",
        "/admin/reservations?view=week&status=booked&mode=online&q=EK",
        "/admin/reservations/new",
        "/admin/book",
        "/admin/settings",
        "/admin/settings/hours",
        "/admin/settings/topics",
        "/admin/experts",
        "/admin/rooms",
        "/admin/accounts",
        "/admin/audit",
        "/admin/password",
    ],
)
def test_every_admin_page_renders_with_strict_headers(console: FlaskClient, path: str) -> None:
    book_directly(console.application)
    response = console.get(path)
    assert response.status_code == 200, path
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "onclick" not in html
    assert '<html lang="id">' in html


def test_pages_that_do_not_exist_answer_404(console: FlaskClient) -> None:
    for path in ("/admin/inbox/999", "/admin/reservations/999", "/admin/book/999", "/admin/x"):
        assert console.get(path).status_code == 404, path


def test_an_admin_lands_in_the_inbox_when_a_chat_waits(
    app: Flask, client: FlaskClient, db: sa.Engine, clock: FakeClock
) -> None:
    make_account(db, clock, "rina", PASSWORD, "admin")
    assert login(app.test_client(), "rina").headers["Location"] == "/admin/"
    escalate(client)
    assert login(app.test_client(), "rina").headers["Location"] == "/admin/inbox"


def test_media_are_links_and_only_web_links(console: FlaskClient) -> None:
    chat = WebhookChat(console)
    chat.say("halo")
    chat.say("mau bicara dengan petugas")
    for url in ("https://api.twilio.com/media/ME1", "javascript:alert(1)"):
        form = whatsapp_form(PHONE, "", NumMedia="1", MediaUrl0=url, MediaContentType0="image/jpeg")
        post_signed(console, form)
    engine: sa.Engine = console.application.extensions["eklinik"].db
    with engine.connect() as connection:
        handoff_id = connection.execute(sa.select(Handoff.id)).scalar_one()
    html = console.get(f"/admin/inbox/{handoff_id}").get_data(as_text=True)
    assert 'href="https://api.twilio.com/media/ME1"' in html and "Lampiran 1 (image/jpeg)" in html
    assert "javascript:" not in html


def test_many_failures_from_one_address_are_throttled(
    app: Flask, db: sa.Engine, clock: FakeClock
) -> None:
    make_account(db, clock, "rina", PASSWORD, "admin")
    client = app.test_client()
    for n in range(20):  # a spray over many usernames never locks one account
        assert login(client, f"tebakan{n}", "salah").status_code == 401
    response = login(client, "rina")
    assert response.status_code == 429 and "Terlalu banyak percobaan" in response.get_data(
        as_text=True
    )
    clock.advance(minutes=16)
    assert login(client, "rina").status_code == 302
