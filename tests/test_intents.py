"""Table-driven tests of bot.intents: classify, parse_date, parse_time and the helpers."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.intents import (
    INTENTS,
    IntentMatch,
    classify,
    detect_language_choice,
    match_option,
    normalize,
    parse_date,
    parse_time,
    preload,
)
from bot.intents.reading import Reading
from tests.intent_cases import (
    CLASSIFY,
    DATES,
    LANGUAGE,
    NORMALIZE,
    OPTIONS,
    SUNDAY,
    TIMES,
)

# --- classify ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), CLASSIFY)
def test_classify(text: str, expected: str | None) -> None:
    match = classify(text)
    assert (match.name if match else None) == expected, match


def test_every_intent_is_covered_by_the_table() -> None:
    assert {name for _, name in CLASSIFY if name} == set(INTENTS)


def test_intent_match_shape() -> None:
    match = classify("batal")
    assert isinstance(match, IntentMatch)
    assert match.name == "cancel"
    assert match.score == 100.0
    assert match.lang == "id"
    with pytest.raises(dataclasses.FrozenInstanceError):
        match.name = "other"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("reservasi", "id"),
        ("make a reservation", "en"),
        ("thx", "en"),
        ("makasih", "id"),
        ("thank you", "en"),
        ("ok", None),
        ("menu", None),
        ("halo", "id"),
        ("hello", "en"),
    ],
)
def test_classify_language(text: str, lang: str | None) -> None:
    match = classify(text)
    assert match is not None
    assert match.lang == lang


def test_scores_are_in_range_and_typos_score_lower() -> None:
    exact = classify("reservasi")
    typo = classify("resevasi")
    assert exact is not None and typo is not None
    assert exact.score == 100.0
    assert 80.0 <= typo.score < exact.score


def test_command_inside_a_long_sentence_scores_lower_than_alone() -> None:
    alone = classify("alamat")
    long = classify("alamat kantor dinas koperasi dimana ya")
    assert alone is not None and long is not None
    assert long.score < alone.score


@pytest.mark.parametrize(
    "text",
    [
        "\x00\x01\x02",
        "\u200b\u200b",
        "<script>alert(1)</script>",
        "a" * 10_000,
        "halo " * 2_000,
        "stop " + "x" * 10_000,
        "𝕙𝕒𝕝𝕠",
        "مرحبا بك",
        "こんにちは",
        "🙂" * 500,
        "\ud800",
        "%s %d {0} \\n",
    ],
)
def test_never_raises_on_odd_input(text: str) -> None:
    match = classify(text)
    assert match is None or match.name in INTENTS
    parse_date(text, SUNDAY)
    parse_time(text)
    normalize(text)
    detect_language_choice(text)
    match_option(text, ["Satu", "Dua"])


def test_non_string_input_gives_none() -> None:
    assert classify(None) is None  # type: ignore[arg-type]
    assert parse_date(None, SUNDAY) is None  # type: ignore[arg-type]
    assert parse_time(None) is None  # type: ignore[arg-type]


def test_stop_wins_in_a_long_message() -> None:
    text = "terima kasih atas informasinya selama ini, tolong berhenti kirim pesan ya"
    match = classify(text)
    assert match is not None and match.name == "stop"


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "today", "expected"), DATES)
def test_parse_date(text: str, today: dt.date, expected: dt.date | None) -> None:
    assert parse_date(text, today) == expected


def test_weekday_alone_counts_today_but_depan_never_does() -> None:
    for offset in range(7):
        today = SUNDAY + dt.timedelta(days=offset)
        monday = parse_date("senin", today)
        next_monday = parse_date("senin depan", today)
        assert monday is not None and next_monday is not None
        assert monday.weekday() == 0 and 0 <= (monday - today).days < 7
        assert next_monday.weekday() == 0 and 0 < (next_monday - today).days <= 7


def test_parse_date_accepts_a_datetime_as_today() -> None:
    now = dt.datetime(2026, 11, 22, 15, 30)
    assert parse_date("besoknya", now) == dt.date(2026, 11, 23)


def test_day_of_month_rolls_over_the_year_end() -> None:
    assert parse_date("tgl 5", dt.date(2026, 12, 20)) == dt.date(2027, 1, 5)
    assert parse_date("tgl 30", dt.date(2027, 1, 31)) == dt.date(2027, 3, 30)


# --- times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), TIMES)
def test_parse_time(text: str, expected: str | None) -> None:
    result = parse_time(text)
    assert (result.strftime("%H:%M") if result else None) == expected


# --- helpers -------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), NORMALIZE)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


@pytest.mark.parametrize(("text", "expected"), LANGUAGE)
def test_detect_language_choice(text: str, expected: str | None) -> None:
    assert detect_language_choice(text) == expected


@pytest.mark.parametrize(("text", "options", "expected"), OPTIONS)
def test_match_option(text: str, options: list[str], expected: int | None) -> None:
    assert match_option(text, options) == expected


def test_match_option_accepts_any_sequence() -> None:
    assert match_option("2", ("Ya", "Tidak")) == 1
    assert match_option("tidak", ("Ya", "Tidak")) == 1


def test_preload_builds_everything_without_error() -> None:
    preload()
    assert classify("menu") == IntentMatch("menu", 100.0, None)


def test_the_intent_names_are_the_contract() -> None:
    """DESIGN's names, derived from the phrase data (a new table there is a new intent)."""
    assert set(INTENTS) == {
        "greeting",
        "menu",
        "reserve",
        "my_reservations",
        "reschedule",
        "cancel",
        "info",
        "human",
        "help",
        "back",
        "yes",
        "no",
        "thanks",
        "stop",
        "start",
    }


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("eh sorry aku lanjut pake bahasa indo aja ya biar gampang", "id"),
        ("bisa pake bahasa indonesia aja ga balesnya?", "id"),
        ("can you reply in english, my indonesian is bad", "en"),
        ("yg umkm. bisa bahasa indonesia aja ga sih?", "id"),  # "ga" asks, it denies nothing
        ("bisa pake bahasa inggris ga?", "en"),
        # a language named, not asked for
        ("label kemasan kami pakai bahasa inggris semua, apa boleh?", None),
        ("konsultannya bisa ngomong bahasa inggris ga ya kalau perlu?", None),
        ("saya mau ekspor, katalog harus pakai bahasa inggris ya?", None),
    ],
)
def test_a_longer_sentence_asks_to_switch_language_only_to_use_one(
    text: str, language: str | None
) -> None:
    assert Reading(text).language_switch == language


@pytest.mark.parametrize("text", ["Koperasi kami sdh 3 th tdk RAT", "udah 2 thn ga rat"])
def test_years_written_short_are_no_day_of_the_month(text: str) -> None:
    assert parse_date(text, dt.date(2026, 11, 26)) is None
