"""Javanese and Sundanese everyday words (days, times, yes, no, thanks, numbers) and requests
to switch language in any wording."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from flask.testing import FlaskClient

from bot.intents import classify, detect_language_choice, parse_date, parse_time
from tests.booking import reservations_of
from tests.conftest import JAKARTA
from tests.dialog import Dialog, verify_dialog

MONDAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("sesuk mawon", dt.date(2026, 11, 24)),
        ("mbenjing enjing", dt.date(2026, 11, 24)),
        ("isukan tabuh salapan", dt.date(2026, 11, 24)),
        ("kamis payun", dt.date(2026, 12, 3)),
        ("rebo ngarep jam loro", dt.date(2026, 12, 2)),
        ("dinten jemuwah", dt.date(2026, 11, 27)),
        ("poe salasa", dt.date(2026, 11, 24)),
        ("ayeuna tiasa?", MONDAY),
        ("pageto", dt.date(2026, 11, 25)),
    ],
)
def test_regional_days(text: str, day: dt.date) -> None:
    assert parse_date(text, MONDAY) == day


@pytest.mark.parametrize(
    ("text", "time"),
    [
        ("sesuk jam setengah loro", dt.time(1, 30)),  # the clinic's context makes it 13.30
        ("jam sedoso enjing", dt.time(10, 0)),
        ("tabuh tilu sonten", dt.time(15, 0)),
        ("jam siji awan", dt.time(13, 0)),
        ("jam setengah sewelas", dt.time(10, 30)),
        ("tabuh dalapan isuk", dt.time(8, 0)),
    ],
)
def test_regional_times(text: str, time: dt.time) -> None:
    assert parse_time(text) == time


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("muhun leres", "yes"),
        ("nggih leres pak", "yes"),
        ("sampun leres", "yes"),
        ("inggih", "yes"),
        ("mboten", "no"),
        ("henteu", "no"),
        ("sanes", "no"),
        ("matur nuwun sanget", "thanks"),
        ("hatur nuhun pisan", "thanks"),
        ("bisa ngobrol sm orang aja ga?", "human"),
        ("mau ngobrol sama orangnya langsung", "human"),
    ],
)
def test_regional_yes_no_thanks_and_asking_for_a_person(text: str, intent: str) -> None:
    match = classify(text)
    assert match is not None and match.name == intent


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("english please?", "en"),
        ("can we speak english", "en"),
        ("do you speak english?", "en"),
        ("in english pls", "en"),
        ("Could we continue in English?", "en"),
        ("is there an english version", "en"),
        ("sorry, I can't read indonesian", "en"),
        ("bahasa indonesia aja", "id"),
        ("punten, bahasa indonesia wae", "id"),
        ("saya tidak bisa bahasa inggris", "id"),
        ("can i book in english", None),
    ],
)
def test_language_requests_in_any_wording(text: str, lang: str | None) -> None:
    assert detect_language_choice(text) == lang


def test_a_javanese_speaker_books_tomorrow_at_half_past_one(
    client: FlaskClient, db: sa.Engine
) -> None:
    dialog = Dialog(client, phone="+6281300000021", profile_name="Mbah Karto")
    verify_dialog(
        dialog,
        [
            ("sugeng enjing", "Menu utama"),  # the greeting in kind: test_courtesy
            ("reservasi", "nama"),
            ("Karto Wiyono", "mewakili"),
            ("3", "nama usaha"),
            ("Gethuk Mbah Karto", "kecamatan"),
            ("Balaraja", "Balaraja"),
            ("nggih", "klinik"),
            ("loro", "topik"),
            ("siji", "Ceritakan"),
            ("Kulo badhe ngurus NIB kagem usaha gethuk", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("sesuk jam setengah loro", ("Ringkasan", "Selasa, 24 November 2026, 13.30 WIB")),
            ("nggih leres", "Reservasi tercatat"),
            ("matur nuwun", "Sama-sama"),
        ],
    )
    [reservation] = reservations_of(db)
    assert reservation.starts_at == dt.datetime(2026, 11, 24, 13, 30, tzinfo=JAKARTA)
    assert reservation.mode == "tatap_muka" and reservation.status == "booked"


def test_a_sundanese_speaker_confirms_with_muhun_leres(client: FlaskClient, db: sa.Engine) -> None:
    dialog = Dialog(client, phone="+6281300000022", profile_name="Teh Euis")
    verify_dialog(
        dialog,
        [
            ("sampurasun", "Menu utama"),
            ("reservasi", "nama"),
            ("Euis Komariah", "mewakili"),
            ("1", "nama koperasi"),
            ("Koperasi Wanita Sauyunan", "kecamatan"),
            ("Cisoka", "Cisoka"),
            ("muhun", "klinik"),
            ("hiji", "topik"),
            ("tilu", "Ceritakan"),
            ("Pengurus koperasi kami belum paham cara rapat anggota tahunan", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("kemis payun tabuh 10", ("Ringkasan", "Kamis, 3 Desember 2026, 10.00 WIB")),
            ("muhun leres", "Reservasi tercatat"),
            ("hatur nuhun", "Sama-sama"),
        ],
    )
    [reservation] = reservations_of(db)
    assert reservation.starts_at == dt.datetime(2026, 12, 3, 10, 0, tzinfo=JAKARTA)
    assert reservation.mode == "online"


def test_an_english_speaker_switches_in_their_own_words_and_back(client: FlaskClient) -> None:
    dialog = Dialog(client, phone="+6281300000023", profile_name="Rina")
    verify_dialog(
        dialog,
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama"),
            ("could you reply in english?", ("switched to English", "name")),
            ("Rina Marlina", "1. A cooperative"),
            ("bahasa indonesia aja", ("Bahasa diganti", "mewakili")),
        ],
    )
