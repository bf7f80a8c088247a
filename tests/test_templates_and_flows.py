"""Every message exists in both languages, renders, and every flow hangs together."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.config import PROJECT_ROOT
from bot.engine import ENGINE_KEYS
from bot.flows.base import END, Context, Flow, Outcome
from bot.flows.registry import FlowRegistryError, Registry, discover
from bot.messages import LANGUAGES, MessageCatalog

CATALOG = MessageCatalog(PROJECT_ROOT / "templates", {"timezone_name": "Asia/Jakarta"})


def test_every_key_exists_in_both_languages() -> None:
    keys = {lang: CATALOG.keys(lang) for lang in LANGUAGES}
    assert keys["id"], "no templates found"
    assert keys["id"] == keys["en"]


def test_registry_check_passes_for_the_real_flows() -> None:
    discover().check(CATALOG, ENGINE_KEYS)


def test_registry_check_fails_loudly_on_a_dangling_step_or_missing_template() -> None:
    broken = Flow("broken", start="first")

    @broken.step("first", prompt=("main.menu",), goes_to=("nowhere", END), says=("no.such.key",))
    def first(_ctx: Context) -> Outcome:
        return Outcome()

    with pytest.raises(FlowRegistryError) as error:
        Registry({"broken": broken}).check(CATALOG)
    message = str(error.value)
    assert "missing step 'nowhere'" in message
    assert "'no.such.key', missing in 'id'" in message and "missing in 'en'" in message


def test_registry_check_reports_a_template_missing_in_one_language(tmp_path: Path) -> None:
    for lang in LANGUAGES:
        (tmp_path / "messages" / lang).mkdir(parents=True)
    (tmp_path / "messages" / "id" / "only.txt").write_text("hanya di sini")
    flow = Flow("solo", start="one")

    @flow.step("one", prompt=("only",))
    def one(_ctx: Context) -> Outcome:
        return Outcome()

    with pytest.raises(FlowRegistryError, match="'only', missing in 'en'"):
        Registry({"solo": flow}).check(MessageCatalog(tmp_path))


def test_dates_are_written_the_indonesian_way() -> None:
    starts = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    text = CATALOG.render("manage.rescheduled", "id", code="EK-2611-0042", starts=starts)
    assert "Senin, 30 November 2026, 10.00 WIB" in text
    english = CATALOG.render("manage.rescheduled", "en", code="EK-2611-0042", starts=starts)
    assert "Monday, 30 November 2026, 10:00 WIB" in english


def test_templates_stay_short_for_whatsapp() -> None:
    for lang in LANGUAGES:
        for key in CATALOG.keys(lang):
            source = (CATALOG.root / lang / CATALOG.path_of(key)).read_text()
            assert len(source) < 1600, f"{lang}/{key} is too long for one WhatsApp message"


def _sample() -> dict[str, object]:
    from types import SimpleNamespace

    from bot.services.calendar import HoursGroup

    wib = dt.timezone(dt.timedelta(hours=7))
    starts = dt.datetime(2026, 11, 30, 10, 0, tzinfo=wib)
    week = [HoursGroup(0, 4, dt.time(9), dt.time(12))]
    item = {
        "code": "EK-2611-0042",
        "starts": starts,
        "service": "Klinik Koperasi",
        "topic": "Laporan keuangan",
        "mode": "online",
        "status": "confirmed",
        "meeting_link": "https://zoom.us/j/1",
    }
    contact = SimpleNamespace(
        name="Sari", category="koperasi_syariah", organisation="KSPPS Berkah", kecamatan="Coblong"
    )
    flow_examples: dict[str, object] = {}
    for flow in discover().flows.values():  # each flow's own variables, from its module
        flow_examples.update(flow.examples)
    return {
        **flow_examples,
        **item,
        "new_starts": starts + dt.timedelta(days=1),
        "items": [item, {**item, "meeting_link": None}],
        "slots": [starts, starts + dt.timedelta(minutes=30)],
        "services": [{"name": "Klinik Koperasi", "week": week, "topics": ["Pendirian koperasi"]}],
        "session_minutes": 30,
        "info": {"address": "Jl. Contoh 1", "maps_url": "https://maps.example", "phone": "022"},
        "contact": contact,
        "problem": "Laporan kami belum rapi",
        "limit": 1000,
        "reason": "requested",
        "office_open": False,
        "hours": week,
        "day": starts.date(),
        "last_day": starts.date(),
        "time": dt.time(8),
        "category": "umkm",
        "upcoming": ["EK-2611-0042"],
        "suggested": None,
        "name": "Sari",
        "labels": ["reservation/menu_label.txt", "info/menu_label.txt"],
        "flow": "reservation",
        "first": 1,
        "more": True,
        "words": "pajak",
        "topic_note": "pajak",
        "story": "RAT kami belum terlaksana dua tahun",
        "last_start": dt.time(11, 30),
        "closes": dt.time(12),
        "purpose": "cancel",
        "at_rest": True,
        "topics": ["Pendirian koperasi", "Akses permodalan"],
    }


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_template_renders_tidily(lang: str) -> None:
    sample = _sample()
    for key in sorted(CATALOG.keys(lang)):
        text = CATALOG.render(key, lang, **sample)
        assert text.strip(), key
        assert "\n\n\n" not in text, f"{lang}/{key} has a run of blank lines"
        assert "{{" not in text and "{%" not in text, f"{lang}/{key} leaks template syntax"
        for line in text.splitlines():
            assert line == line.rstrip(), f"{lang}/{key} has trailing spaces"
        if lang == "en":
            assert not any(w in text for w in (" atau ", "Ketik ", "Balas ", "Anda")), (
                f"en/{key} is Indonesian"
            )


def test_lists_and_conditionals_keep_their_lines_apart() -> None:
    sample = _sample()
    picked = CATALOG.render("manage.pick", "id", **sample)
    assert "dibatalkan?\n\n1. *EK-2611-0042*" in picked
    assert "Terkonfirmasi\n   Link: https://zoom.us/j/1\n2. *EK-2611-0042*" in picked
    started = CATALOG.render("handoff.started", "id", **sample)
    assert "(Senin–Jumat 09.00–12.00 WIB)" in started
    assert "berikutnya.\n\nSelama menunggu" in started
    menu = CATALOG.render("main.menu", "id", **sample)
    assert menu.splitlines()[1] == "1. Reservasi konsultasi"
