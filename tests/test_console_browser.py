"""The console in a real browser (Debian's Chromium driven by Playwright), with the app behind
a live server on 127.0.0.1, people writing over the signed webhook, and the outbox sending to
a fake Twilio server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask

from bot.clock import FakeClock
from bot.config import PROJECT_ROOT
from bot.outbox import dispatch_due
from storage.db import transaction
from storage.models import Handoff, Reservation
from storage.models_console import Expert, MeetingRoom
from tests.booking import register_and_reserve
from tests.browser import CHROMIUM, CHROMIUM_ARGS, HAS_CHROMIUM, serve
from tests.fakes import FakeTwilioServer
from tests.test_console_pages import WebhookChat, book_directly, make_account

WAIT = 15_000  # ms: generous for a loaded CI machine; nothing here waits on purpose
PASSWORD = "sandi-rahasia-123"
ROOM_URL = "https://zoom.example.org/j/8123456789"
SCREENSHOT = PROJECT_ROOT / "docs" / "console.png"

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not HAS_CHROMIUM,
    reason="Debian's chromium is not installed (.ci/run installs it)",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the whole module; each test gets a fresh context."""
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def fake_twilio() -> Iterator[FakeTwilioServer]:
    with FakeTwilioServer() as server:
        yield server


@pytest.fixture
def app_overrides(fake_twilio: FakeTwilioServer) -> dict[str, Any]:
    """The app sends through Twilio's REST API, answered by the fake server."""
    return {
        "transport": "twilio",
        "twilio_account_sid": "AC" + "1" * 32,
        "twilio_whatsapp_from": "whatsapp:+14155238886",
        "twilio_api_base_url": fake_twilio.url,
    }


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    app.config["SESSION_COOKIE_SECURE"] = False  # plain http on 127.0.0.1
    yield from serve(app)


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server, viewport={"width": 1280, "height": 900}, locale="id-ID"
    )
    context.set_default_timeout(WAIT)
    tab = context.new_page()
    tab.on("dialog", lambda dialog: dialog.accept())  # the confirm() of destructive actions
    yield tab
    context.close()


@pytest.fixture
def admin(db: sa.Engine, clock: FakeClock) -> str:
    make_account(db, clock, "rina", PASSWORD, "admin")
    return "rina"


def log_in(page: Any, username: str, password: str = PASSWORD) -> None:
    page.goto("/admin/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button:has-text('Masuk')")


def send_outbox(app: Flask) -> None:
    rt = app.extensions["eklinik"]
    dispatch_due(rt.db, rt.transport, rt.clock)


def bodies(fake: FakeTwilioServer) -> list[str]:
    with fake.state.lock:
        return [form.get("Body", [""])[0] for form in fake.state.requests]


def add_room(db: sa.Engine, clock: FakeClock, name: str = "Zoom Klinik 1") -> None:
    with transaction(db) as session:
        session.add(MeetingRoom(name=name, url=ROOM_URL, passcode="246810", created_at=clock.now()))


def the_reservation(db: sa.Engine) -> Reservation:
    with transaction(db) as session:
        return session.exec(sa.select(Reservation)).scalars().one()  # type: ignore[call-overload]


# --- tests ----------------------------------------------------------------------------------


def test_login_form_and_lockout(page: Any, admin: str, clock: FakeClock) -> None:
    page.goto("/admin/reservations")
    assert page.url.endswith("/admin/login?next=/admin/reservations")
    for name in ("username", "password", "csrf_token"):
        assert page.locator(f"form [name={name}]").count() == 1
    for _ in range(5):
        log_in(page, admin, "salah-sekali")
    page.wait_for_selector("text=Akun dikunci sementara")
    log_in(page, admin)  # the right password does not open a locked account
    page.wait_for_selector("text=Akun dikunci sementara")
    clock.advance(minutes=16)
    log_in(page, admin)
    page.wait_for_selector("h1:has-text('Selamat datang')")
    page.click("button:has-text('Keluar')")
    page.wait_for_selector("text=Anda sudah keluar")
    page.goto("/admin/")
    assert "/admin/login" in page.url


def test_a_booking_is_confirmed_with_a_link_that_reaches_the_person(
    page: Any,
    admin: str,
    app: Flask,
    client: Any,
    db: sa.Engine,
    clock: FakeClock,
    fake_twilio: FakeTwilioServer,
) -> None:
    chat = WebhookChat(client)
    assert "EK-" in register_and_reserve(chat)  # type: ignore[arg-type]
    code = the_reservation(db).code
    add_room(db, clock)
    log_in(page, admin)
    page.goto("/admin/reservations?view=week&date=2026-11-23")
    page.click(f"a:has-text('{code}')")
    page.wait_for_selector(f"h1:has-text('{code}')")
    assert "Laporan keuangan kami belum rapi" in page.inner_text("main")
    assert page.locator("#room_id option:checked").inner_text().startswith("Zoom Klinik 1")
    page.click("#confirm-button")
    page.wait_for_selector("text=Reservasi dikonfirmasi")
    page.click("#confirm-button")  # a second click sends no second message
    page.wait_for_selector("text=Reservasi dikonfirmasi")
    send_outbox(app)
    sent = [b for b in bodies(fake_twilio) if "dikonfirmasi" in b]
    assert len(sent) == 1 and ROOM_URL in sent[0] and "246810" in sent[0] and code in sent[0]
    page.reload()
    page.wait_for_selector(".msg.staff >> text=diterima Twilio")  # its delivery status
    page.goto("/admin/reservations?view=week&date=2026-11-23")
    page.wait_for_selector("td .chip:has-text('Terkonfirmasi')")


def test_reschedule_and_cancel_from_the_console_reach_the_person(
    page: Any,
    admin: str,
    app: Flask,
    client: Any,
    db: sa.Engine,
    fake_twilio: FakeTwilioServer,
) -> None:
    book_directly(app)
    reservation = the_reservation(db)
    log_in(page, admin)
    page.goto("/admin/reservations?view=week&date=2026-11-23")
    page.wait_for_selector("td .chip:has-text('Menunggu konfirmasi')")
    if not SCREENSHOT.exists() or os.environ.get("EKLINIK_UPDATE_SCREENSHOTS"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.set_viewport_size({"width": 1100, "height": 640})
        page.screenshot(path=str(SCREENSHOT))
        page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/admin/reservations/{reservation.id}")
    new_time = page.locator("#starts_at option").nth(2)
    label = new_time.inner_text()
    page.select_option("#starts_at", index=2)
    page.fill("#move-note", "Tenaga ahli berhalangan pada jam semula")
    page.click("#reschedule-button")
    page.wait_for_selector("text=Jadwal diubah")
    send_outbox(app)
    [moved] = [b for b in bodies(fake_twilio) if "diubah oleh petugas" in b]
    assert reservation.code in moved and label.split(" (")[0].split(" ")[-1] in moved
    assert "Tenaga ahli berhalangan" in moved
    page.fill("#reason", "Kantor tutup untuk rapat dinas")
    page.click("#cancel-button")
    page.wait_for_selector("text=Reservasi dibatalkan")
    send_outbox(app)
    [cancelled] = [b for b in bodies(fake_twilio) if "dibatalkan" in b]
    assert "Kantor tutup untuk rapat dinas" in cancelled
    assert the_reservation(db).status == "cancelled"


def test_an_escalated_chat_is_answered_from_the_inbox_and_handed_back(
    page: Any,
    admin: str,
    app: Flask,
    client: Any,
    db: sa.Engine,
    clock: FakeClock,
    fake_twilio: FakeTwilioServer,
) -> None:
    clock.advance(hours=2)  # 09:50 WIB: the office is open
    log_in(page, admin)
    page.goto("/admin/inbox/canned")
    page.fill("#new-title", "Salam pagi")
    page.fill("#new-body", "Selamat pagi Bapak/Ibu, terima kasih sudah menghubungi klinik.")
    page.click("button:has-text('Tambah')")
    page.wait_for_selector("text=Balasan cepat ditambahkan")
    page.goto("/admin/inbox")
    page.wait_for_selector("text=Tidak ada chat yang menunggu")
    chat = WebhookChat(client)
    chat.say("halo")
    assert "petugas" in chat.said("saya mau bicara dengan petugas")
    chat.say("<script>alert(1)</script> tolong \x1b[31mcepat\x1b[0m")
    # the list refreshes by itself and the badge shows the waiting chat
    page.wait_for_selector("#inbox-badge:has-text('1')")
    page.wait_for_selector("td a:has-text('Ibu Sari')")
    page.click("td a:has-text('Ibu Sari')")
    page.wait_for_selector(".msg.in >> text=<script>alert(1)</script>")  # shown as text
    assert page.locator(".history script").count() == 0
    shown = page.inner_text(".history")
    assert "tolong" in shown and "\x1b" not in shown  # an escape code never reaches the page
    page.select_option("#canned", label="Salam pagi")  # inserted into the reply box
    assert "terima kasih sudah menghubungi" in page.input_value("#reply-text")
    page.fill("#reply-text", "Selamat pagi Bu Sari, saya Rina dari klinik. Ada yang bisa dibantu?")
    page.click("button:has-text('Kirim balasan')")
    page.wait_for_selector("text=Balasan masuk antrean kirim")
    assert page.inner_text("#chat-status") == "Ditangani"
    send_outbox(app)
    assert any("saya Rina dari klinik" in b for b in bodies(fake_twilio))
    page.reload()
    page.wait_for_selector(".msg.staff >> text=diterima Twilio")
    # while a staff member has the chat, the bot stays silent, even on "menu"
    assert chat.say("baik, terima kasih") == []
    page.wait_for_selector("#chat-news", state="visible")  # the open chat page says so
    assert chat.say("menu") == []
    page.click("#resolve-button")
    page.wait_for_selector("text=Percakapan selesai")
    send_outbox(app)
    assert any("asisten otomatis kembali" in b for b in bodies(fake_twilio))
    assert "Menu utama" in chat.said("menu")


def test_a_pending_chat_goes_back_to_the_bot_on_menu(
    page: Any, admin: str, client: Any, db: sa.Engine
) -> None:
    chat = WebhookChat(client)
    chat.say("halo")
    chat.say("admin")
    reply = chat.said("menu")
    with transaction(db) as session:
        case = session.exec(sa.select(Handoff)).scalars().one()  # type: ignore[call-overload]
    if "Menu utama" not in reply:
        pytest.xfail("the engine does not yet give a pending chat back on 'menu' (lead's part)")
    assert case.status == "resolved" and case.resolved_by == "bot"
    log_in(page, admin)
    page.goto("/admin/inbox")
    page.wait_for_selector("text=bot (orangnya mengetik menu)")


def test_the_expert_records_a_recommendation_that_reaches_the_person(
    page: Any,
    admin: str,
    app: Flask,
    client: Any,
    db: sa.Engine,
    clock: FakeClock,
    fake_twilio: FakeTwilioServer,
) -> None:
    make_account(db, clock, "budi", PASSWORD, "expert")
    book_directly(app)
    add_room(db, clock)
    with transaction(db) as session:
        user_id = session.execute(sa.text("SELECT id FROM admin_users WHERE username='budi'"))
        session.add(
            Expert(name="Dr. Budi Santoso", user_id=user_id.scalar_one(), created_at=clock.now())
        )
    reservation = the_reservation(db)
    log_in(page, admin)
    page.goto(f"/admin/reservations/{reservation.id}")
    page.select_option("#expert_id", label="Dr. Budi Santoso")
    page.click("#confirm-button")
    page.wait_for_selector("text=Reservasi dikonfirmasi")
    page.click("button:has-text('Keluar')")
    clock.advance(hours=3)  # the session has taken place
    log_in(page, "budi")
    page.wait_for_selector("h1:has-text('Buku konsultasi')")
    page.click(f"a:has-text('{reservation.code}')")
    page.click("#complete-button")
    page.wait_for_selector("text=Sesi ditandai selesai")
    page.fill("#notes", "Pembukuan belum memisahkan kas usaha dan pribadi.")
    page.fill("#recommendation", "1. Pisahkan rekening usaha.\n2. Catat kas harian di buku kas.")
    page.click("#save-book")
    page.wait_for_selector("text=Buku konsultasi disimpan")
    page.click("#send-recommendation")
    page.wait_for_selector("text=Rekomendasi masuk antrean kirim")
    send_outbox(app)
    [sent] = [b for b in bodies(fake_twilio) if "rekomendasi" in b.lower()]
    assert "Pisahkan rekening usaha" in sent and "Dr. Budi Santoso" in sent


def test_an_expert_cannot_open_admin_pages(page: Any, db: sa.Engine, clock: FakeClock) -> None:
    make_account(db, clock, "budi", PASSWORD, "expert")
    log_in(page, "budi")
    page.wait_for_selector("h1:has-text('Buku konsultasi')")
    assert page.locator("nav a:has-text('Kotak masuk')").count() == 0
    for path in (
        "/admin/inbox",
        "/admin/reservations",
        "/admin/accounts",
        "/admin/settings",
        "/admin/rooms",
        "/admin/audit",
    ):
        response = page.goto(path)
        assert response.status == 403, path
        assert "Tidak diizinkan" in page.inner_text("main")


def test_the_console_sends_a_strict_content_security_policy(page: Any, admin: str) -> None:
    response = page.goto("/admin/login")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert Path(PROJECT_ROOT / "bot" / "console" / "static" / "console.js").exists()
