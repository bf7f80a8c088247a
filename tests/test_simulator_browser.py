"""The /simulator page in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.browser import CHROMIUM, CHROMIUM_ARGS, HAS_CHROMIUM, serve

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not HAS_CHROMIUM,
    reason="Debian's chromium is not installed (.ci/run installs it)",
)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    yield from serve(app)


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
