"""Courtesy and brevity: the greeting returned in kind, the person addressed, an apology to a
complaint with the offer of a person, short first replies and a one-line way back."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from bot.intents.courtesy import greeting_reply_of, is_complaint
from tests.booking import register_and_reserve
from tests.dialog import Dialog, verify_dialog

FIRST_REPLY_MAX_LINES = 8


@pytest.mark.parametrize(
    ("text", "reply"),
    [
        ("Assalamu'alaikum wr. wb.", "salam"),
        ("aslmkm pak", "salam"),
        ("Assalamualaikum, selamat pagi", "salam"),
        ("met siang kak", "siang"),
        ("Halo, selamat sore bu", "sore"),
        ("malam min", "malam"),
        ("good morning", "pagi"),
        ("sugeng enjing", "pagi"),
        ("wilujeng wengi", "malam"),
        ("sampurasun", "rampes"),
        ("kulo nuwun", "monggo"),
        ("hai kak", "hello"),
        ("hello there", "hello"),
        ("besok pagi jam 9 bisa?", None),
        ("siang ini ada jadwal?", None),
        ("mau reservasi", None),
        ("", None),
    ],
)
def test_the_greeting_to_return(text: str, reply: str | None) -> None:
    assert greeting_reply_of(text) == reply


@pytest.mark.parametrize(
    ("text", "angry"),
    [
        ("kok lama bgt sih balesnya", True),
        ("pelayanannya jelek banget", True),
        ("dari tadi ga dibales2", True),
        ("admin lemot parah", True),
        ("saya kecewa sama pelayanan dinas", True),
        ("why is nobody answering", True),
        ("this bot is useless", True),
        ("parah", True),
        ("penjualan keripik kami jelek bulan ini", False),
        ("kualitas kemasan kami kurang bagus", False),
        ("koperasi kami sudah lama berdiri", False),
        ("belum punya NIB", False),
        ("ok", False),
    ],
)
def test_what_is_a_complaint(text: str, angry: bool) -> None:
    assert is_complaint(text) is angry


def _lines(reply: str) -> int:
    return len(reply.splitlines())


def test_the_first_reply_is_short_and_returns_the_salam(client: FlaskClient) -> None:
    dialog = Dialog(client, phone="+6281200000011", profile_name="Pak Darto")
    reply = dialog.said("Assalamualaikum")
    assert reply.startswith("🔒 *Pemberitahuan privasi*")
    assert "Wa'alaikumsalam, Pak Darto!" in reply and "Menu utama" in reply
    assert _lines(reply) <= FIRST_REPLY_MAX_LINES, reply


def test_a_morning_greeting_in_english_is_returned(client: FlaskClient) -> None:
    dialog = Dialog(client, phone="+6281200000012", profile_name="Maya")
    reply = dialog.said("good morning, can we speak english")
    assert "Good morning, Maya!" in reply and "main menu" in reply
    assert _lines(reply) <= FIRST_REPLY_MAX_LINES + 1, reply


def test_sampurasun_is_answered_rampes(client: FlaskClient) -> None:
    dialog = Dialog(client, phone="+6281200000015", profile_name="Kang Asep")
    assert "Rampés, Pak Asep!" in dialog.said("sampurasun")  # the title read, as a Dinas writes


def test_a_profile_name_that_is_a_handle_is_not_used_to_address_anyone(
    client: FlaskClient,
) -> None:
    assert "Halo, Bapak/Ibu!" in Dialog(client, "+6281200000016", "dimas.ar").said("halo")
    assert "Halo, Pak Haji Dadang!" in Dialog(client, "+6281200000017", "H. Dadang").said("halo")
    assert "Halo, Bu Rina!" in Dialog(client, "+6281200000018", "Rina 🇸🇬").said("halo")


def test_a_returning_person_is_greeted_in_kind_without_a_wall(client: FlaskClient) -> None:
    dialog = Dialog(client, phone="+6281200000013", profile_name="Bu Ningsih")
    dialog.say("halo")
    reply = dialog.said("selamat siang")
    assert "Selamat siang, Bu Ningsih" in reply and "Pemberitahuan privasi" not in reply
    assert _lines(reply) <= 6, reply


def test_asking_for_help_at_rest_is_two_lines_not_the_menu_again(dialog: Dialog) -> None:
    dialog.say("halo")
    reply = dialog.said("mau tanya")
    assert "Bantuan" in reply and "Menu utama" not in reply
    assert _lines(reply) <= 2, reply


def test_a_complaint_gets_an_apology_and_the_offer_of_a_person(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama"),
            ("Darsono", "mewakili"),
            ("kok lama banget sih", ("Mohon maaf", "ketik *petugas*", "mewakili")),
            ("petugas", "petugas"),
        ],
    )


def test_a_complaint_at_rest_is_answered_without_the_menu(client: FlaskClient) -> None:
    dialog = Dialog(client, phone="+6281200000014", profile_name="Pak Joko")
    dialog.say("halo")
    reply = dialog.said("dari tadi gak dibales")
    assert "Mohon maaf atas ketidaknyamanannya, Pak Joko" in reply
    assert "Menu utama" not in reply


def test_the_menu_is_four_lines_with_the_main_action_first(dialog: Dialog) -> None:
    dialog.say("halo")
    menu = dialog.said("menu")
    lines = menu.splitlines()
    assert lines[0].startswith("*Menu utama*") and lines[1] == "1. Reservasi konsultasi"
    assert len(lines) == 4 and "7. Language / Bahasa" in lines[-1]


def test_a_complaint_mid_booking_keeps_the_question(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            *[
                ("halo", "Menu utama"),
                ("reservasi", "nama"),
                ("Bu Tini", "mewakili"),
                ("3", "nama usaha"),
                ("Keripik Bu Tini", "kecamatan"),
                ("Curug", "Curug"),
                ("ya", "klinik"),
            ],
            ("pelayanannya lelet banget", ("Mohon maaf atas ketidaknyamanannya", "klinik")),
            ("2", "topik"),
        ],
    )


def test_thanks_at_rest_names_the_registered_person(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama"),
            ("Bapak Darmaji", "mewakili"),
            ("4", "kecamatan"),
            ("Curug", "Curug"),
            ("ya", "klinik"),
            ("menu", "*Menu utama* – Pak Darmaji,"),
            ("matur nuwun", "Sama-sama, Pak Darmaji!"),
        ],
    )


def test_a_goodbye_after_booking_starts_nothing(dialog: Dialog) -> None:
    register_and_reserve(dialog)
    for goodbye in ("great, see you monday", "nanti kalo udh sehat sy daftar lg ya"):
        reply = dialog.said(goodbye)
        assert (
            "Sama-sama" in reply and "nama lengkap" not in reply and "Reservasi atas" not in reply
        )


def test_a_farewell_salam_is_answered(dialog: Dialog) -> None:
    register_and_reserve(dialog)
    assert "Wa'alaikumsalam" in dialog.said("Wassalamualaikum")


def test_saying_it_is_no_complaint_is_not_taken_for_one() -> None:
    assert not is_complaint("jadi udah dikonfirmasi blm bu? sy cuma nanya bukan komplain kok hehe")
    assert is_complaint("kok lama banget sih balesnya")


def test_a_shops_profile_name_is_not_used_to_address_the_owner(client: FlaskClient) -> None:
    assert "Halo, Bapak/Ibu!" in Dialog(client, "+6281200000019", "Barokah Cell").said("halo")
    greeting = Dialog(client, "+6281200000020", "Kiki Frozen Food").said("halo")
    assert "Halo, Bapak/Ibu!" in greeting and "Frozen" not in greeting
