"""A question asked again shows what it showed before: the day the person asked for is kept
through help, a language switch, a side question and "kembali"."""

from __future__ import annotations

from tests.dialog import Dialog, verify_dialog

THURSDAY = "Kamis, 26 November 2026"
TO_THE_SLOTS = [
    ("sy mau konsul kamis jam 14", "nama"),
    ("Budi Santoso", "mewakili"),
    ("1", "nama koperasi"),
    ("Koperasi Maju", "kecamatan"),
    ("Curug", "Betul"),
    ("ya", "topik"),
    ("2", "ceritakan"),
    ("Kami butuh tambahan modal untuk anggota", "tatap muka"),
    ("online", ("14.00 di luar jam layanan", THURSDAY)),
]


def test_help_keeps_the_day_asked_for(dialog: Dialog) -> None:
    verify_dialog(dialog, [*TO_THE_SLOTS, ("bantuan", ("Bantuan", THURSDAY))])


def test_a_language_switch_keeps_the_day_asked_for(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            *TO_THE_SLOTS,
            ("english", ("Language switched", "Thursday, 26 November 2026")),
            ("indonesia", THURSDAY),
        ],
    )


def test_a_side_question_keeps_the_day_asked_for(dialog: Dialog) -> None:
    verify_dialog(dialog, [*TO_THE_SLOTS, ("alamatnya dimana?", ("Alamat", THURSDAY))])


def test_going_back_and_forth_keeps_the_day_asked_for(dialog: Dialog) -> None:
    verify_dialog(
        dialog, [*TO_THE_SLOTS, ("kembali", "tatap muka"), ("online", THURSDAY), ("1", "Ringkasan")]
    )
