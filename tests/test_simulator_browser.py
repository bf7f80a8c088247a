"""The /simulator page in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="Debian's chromium is not installed (.ci/run installs it)",
)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_chatting_in_the_simulator(live_server: str) -> None:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(live_server + "/simulator?phone=%2B6281299990000")
            page.fill("#text", "halo")
            page.click("text=Kirim")
            page.wait_for_selector(".msg.out >> text=Menu utama", timeout=15_000)
            page.fill("#text", "<b>info</b>")
            page.press("#text", "Enter")
            page.wait_for_selector(".msg.in >> text=<b>info</b>", timeout=15_000)  # shown as text
            page.fill("#text", "5")
            page.press("#text", "Enter")
            page.wait_for_selector(".msg.out >> text=Info klinik", timeout=15_000)
            bubbles = page.locator(".msg").all_inner_texts()
            assert bubbles[0] == "halo"
            assert page.locator(".msg b").count() == 0  # no HTML from a message is rendered
        finally:
            browser.close()
