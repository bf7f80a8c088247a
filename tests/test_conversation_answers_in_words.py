"""Messages as real people write them: sentences, second thoughts, questions in words."""

from __future__ import annotations

import sqlalchemy as sa

from storage.models import Contact
from tests.booking import UP_TO_SUMMARY, register_and_reserve, reservations_of, walk
from tests.dialog import Dialog


def test_a_new_time_at_the_summary_updates_it_instead_of_booking(
    dialog: Dialog, db: sa.Engine
) -> None:
    assert "10.00 WIB" in walk(dialog, *UP_TO_SUMMARY)
    updated = dialog.said("ya tapi besok jam 11 aja")
    assert "Ringkasan" in updated and "Selasa, 24 November 2026, 11.00 WIB" in updated
    assert reservations_of(db) == []
    assert "Tatap muka" in dialog.said("ganti ke tatap muka")
    assert "Reservasi tercatat" in dialog.said("1")


def test_gak_jadi_at_the_cancel_question_keeps_the_reservation(
    dialog: Dialog, db: sa.Engine
) -> None:
    register_and_reserve(dialog)
    dialog.say("batalkan reservasi")
    dialog.say("lewati")
    assert "tetap berlaku" in dialog.said("eh gak jadi deh")
    assert reservations_of(db)[0].status == "booked"


def test_stop_in_a_question_at_rest_is_not_an_opt_out(dialog: Dialog, db: sa.Engine) -> None:
    dialog.say("halo")
    dialog.say("stop produksi karena modal habis, bisa konsultasi?")
    with db.connect() as connection:
        assert connection.execute(sa.select(Contact.opted_out_at)).scalar_one() is None


def test_a_command_word_inside_a_story_is_part_of_the_story(dialog: Dialog, db: sa.Engine) -> None:
    walk(dialog, "halo", "reservasi", "Sari", "3", "Warung Sari", "Curug", "ya", "8")
    assert "cara apa" in dialog.said("Menu kurang laku")
    assert "Menu kurang laku" in walk(dialog, "1", "1")


def test_topics_are_found_by_the_words_people_use(dialog: Dialog) -> None:
    walk(dialog, "halo", "reservasi", "Sari", "3", "Warung Sari", "Curug", "ya")
    assert "Pendirian dan izin usaha" in dialog.said("mau urus PIRT sama halal")
    dialog.say("kembali")
    assert "Laporan keuangan sederhana" in dialog.said("pajak")


def test_a_question_about_the_clinic_is_answered_directly(dialog: Dialog) -> None:
    dialog.say("halo")
    assert "gratis" in dialog.said("berapa biayanya?")
    assert "09.00–12.00" in dialog.said("jam buka klinik jam berapa?")
    assert "Jl. Contoh" in dialog.said("alamatnya dimana kak")


def test_an_english_sentence_first_gets_english(client) -> None:  # type: ignore[no-untyped-def]
    reply = Dialog(client, phone="+6289900000001").said("I need help with my business")
    # a business asking for help has come for a consultation: the booking begins, in English
    assert "Privacy notice" in reply and "Small business" in reply and "full name" in reply


def test_a_name_given_in_a_sentence(dialog: Dialog, db: sa.Engine) -> None:
    walk(dialog, "halo", "reservasi")
    assert "kecamatan" in dialog.said("nama saya Budi dari koperasi tani makmur")
    assert "Koperasi Tani Makmur" in dialog.said("Legok")
    assert "Klinik Koperasi* – pilih topik" in dialog.said("ya")
    with db.connect() as connection:
        contact = connection.execute(sa.select(Contact)).one()
    assert contact.name == "Budi" and contact.organisation == "Koperasi Tani Makmur"
    assert contact.category == "koperasi_konvensional" and contact.kecamatan == "Legok"


def test_asking_for_more_times_never_repeats_one(dialog: Dialog) -> None:
    first = walk(dialog, *UP_TO_SUMMARY[:-1])
    second = dialog.said("lainnya")
    third = dialog.said("jadwal lain")
    offered = [
        line
        for text in (first, second, third)
        for line in text.splitlines()
        if line[:2] in {f"{i}." for i in range(1, 6)}
    ]
    times = [line.split(". ", 1)[1] for line in offered]
    assert len(times) == 15 and len(set(times)) == 15


def test_restarting_during_a_handoff_keeps_the_bot_quiet(dialog: Dialog) -> None:
    dialog.say("halo")
    dialog.say("admin")
    dialog.say("stop")
    restarted = dialog.said("mulai")
    assert "Selamat datang kembali" in restarted and "Menu utama" not in restarted
    assert dialog.say("halo") == []


def test_the_summary_accepts_its_own_option_labels(client) -> None:  # type: ignore[no-untyped-def]
    indonesian = Dialog(client, phone="+6289900000002")
    walk(indonesian, *UP_TO_SUMMARY)
    assert "Reservasi tercatat" in indonesian.said("Ya, pesan sekarang")
    english = Dialog(client, phone="+6289900000003")
    walk(
        english,
        "hello",
        "book a consultation",
        "John Smith",
        "3",
        "Coffee Corner",
        "Curug",
        "ya",
        "2",
        "1",
        "We need a business permit for our coffee shop",
        "online",
        "1",
    )
    assert "Booking recorded" in english.said("Yes, book it")


def test_not_yet_is_not_a_yes(dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)
    dialog.say("batalkan reservasi")
    dialog.say("lewati")
    for hesitation in ("bentar ya", "gimana ya?"):
        assert "Balas *1*" in dialog.said(hesitation)
    assert reservations_of(db)[0].status == "booked"


def test_batal_at_the_reason_question_goes_on_to_cancel(dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)
    dialog.say("batalkan reservasi")
    assert "Batalkan *EK-" in dialog.said("batal")
    assert "sudah dibatalkan" in dialog.said("ya")
    assert reservations_of(db)[0].status == "cancelled"


def test_a_first_message_that_is_not_a_request_is_welcomed(client) -> None:  # type: ignore[no-untyped-def]
    reply = Dialog(client, phone="+6289900000004").said("Permisi, ini klinik koperasi ya?")
    assert "Selamat datang" in reply and "belum mengerti" not in reply


def test_my_reservations_from_the_middle_of_a_booking(dialog: Dialog) -> None:
    register_and_reserve(dialog)
    walk(dialog, "reservasi", "1", "1")
    assert "Reservasi Anda" in dialog.said("reservasi saya")


def test_a_day_and_time_at_the_menu_starts_a_booking(dialog: Dialog) -> None:
    register_and_reserve(dialog)
    assert "Reservasi atas nama" in dialog.said("besok jam 10 bisa?")
    for answer in ("1", "1", "1", "Kami ingin mendirikan koperasi baru di desa"):
        dialog.say(answer)
    assert "Selasa, 24 November 2026, 10.00 WIB" in dialog.said("online")


def test_hesitating_at_the_summary_books_nothing(dialog: Dialog, db: sa.Engine) -> None:
    walk(dialog, *UP_TO_SUMMARY)
    for hesitation in ("hmm bentar", "apa bisa?", "nanti dulu"):
        assert "Balas *1*" in dialog.said(hesitation)
    assert reservations_of(db) == []
    assert "Reservasi tercatat" in dialog.said("1")


def test_a_number_standing_on_its_own_beside_other_words_is_a_choice(dialog: Dialog) -> None:
    walk(dialog, "halo", "reservasi", "Sari", "1", "Koperasi Maju", "Curug")
    assert "Terima kasih" in dialog.said("siji, leres")
    assert "Tingkat kesehatan koperasi" in dialog.said("12, tp sekalian akuntansinya jg ya")


def test_a_number_inside_a_time_is_no_choice(dialog: Dialog) -> None:
    walk(dialog, "halo", "reservasi", "Sari", "1", "Koperasi Maju", "Curug", "ya")
    assert "Pendirian koperasi" not in dialog.said("jam 1, bisa?")
