"""The simulator shows WhatsApp formatting, safely, and fits a phone screen (real Chromium)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.browser import CHROMIUM, CHROMIUM_ARGS, HAS_CHROMIUM, serve

PHONE_WIDTH = 360

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    not HAS_CHROMIUM,
    reason="Debian's chromium is not installed (.ci/run installs it)",
)


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    yield from serve(app)


@pytest.fixture
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _send(page: object, text: str) -> None:
    page.fill("#text", text)  # type: ignore[attr-defined]
    page.press("#text", "Enter")  # type: ignore[attr-defined]


def test_whatsapp_marks_are_rendered_and_html_is_not(live_server: str, browser: object) -> None:
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(live_server + "/simulator?phone=%2B6281299990001")
    _send(page, "halo")
    page.wait_for_selector(".msg.out strong >> text=Menu utama", timeout=15_000)
    menu = page.locator(".msg.out").last
    assert "*Menu utama*" not in menu.inner_text()
    assert menu.locator("em").first.inner_text() == "mau konsultasi besok jam 10"
    assert "\n1. Reservasi konsultasi\n" in menu.inner_text()  # line breaks kept

    mine = "*tebal* _miring_ ~coret~ ```kode *tetap*``` <b>x</b> 2*3*4 nama_file_ini *"
    _send(page, mine)
    page.wait_for_selector(".msg.in strong >> text=tebal", timeout=15_000)
    bubble = page.locator(".msg.in").last
    assert bubble.locator("em").inner_text() == "miring"
    assert bubble.locator("s").inner_text() == "coret"
    assert bubble.locator("code").inner_text() == "kode *tetap*"
    assert bubble.locator("strong").count() == 1
    assert bubble.locator("b").count() == 0 and page.locator(".msg b").count() == 0
    assert bubble.inner_text() == "tebal miring coret kode *tetap* <b>x</b> 2*3*4 nama_file_ini *"


def test_the_header_fits_a_phone_screen(live_server: str, browser: object) -> None:
    page = browser.new_page(viewport={"width": PHONE_WIDTH, "height": 740})  # type: ignore[attr-defined]
    page.goto(live_server + "/simulator?phone=%2B6281299990002")
    title = page.locator("header h1").bounding_box()
    number = page.locator("header label").bounding_box()
    chat = page.locator("#chat").bounding_box()
    assert title is not None and number is not None and chat is not None
    # the number field sits beside or below the title, never over it
    side_by_side = number["x"] >= title["x"] + title["width"]
    below = number["y"] >= title["y"] + title["height"]
    assert side_by_side or below
    assert chat["y"] >= number["y"] + number["height"]  # the chat starts under the header
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    header = page.locator("header").bounding_box()
    assert header is not None and header["width"] <= PHONE_WIDTH
    composer = page.locator("#composer").bounding_box()
    assert composer is not None and composer["y"] + composer["height"] <= 740
