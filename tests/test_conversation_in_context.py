"""Times, refusals, topics and changes read in the clinic's context, as dialogs that also check
what was stored."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from bot.clock import FakeClock
from storage.models import Handoff
from tests.booking import reservations_of
from tests.dialog import Dialog, verify_dialog

WIB = dt.timezone(dt.timedelta(hours=7))
NEW_UMKM_SELLER = [
    ("halo", "Menu"),
    ("reservasi", "nama"),
    ("Budi", "mewakili"),
    ("3", "nama usaha"),
    ("Warung Seblak Bu Budi", "kecamatan"),
    ("Cikupa", "Betul"),
    ("ya", "Klinik UMKM"),  # a business: the UMKM clinic, not asked
]
NEW_COOPERATIVE = [
    ("halo", "Menu"),
    ("reservasi", "nama"),
    ("Budi", "mewakili"),
    ("1", "nama koperasi"),
    ("Koperasi Maju", "kecamatan"),
    ("Curug", "Betul"),
    ("ya", "Klinik Koperasi"),  # a cooperative: the koperasi clinic, not asked
]


def test_jam_2_at_the_afternoon_clinic_is_two_in_the_afternoon(
    dialog: Dialog, db: sa.Engine
) -> None:
    verify_dialog(
        dialog,
        [
            ("rabu depan jam 2", "nama"),
            ("Budi", "mewakili"),
            ("3", "nama usaha"),
            ("Warung Seblak", "kecamatan"),
            ("Cikupa", "Betul"),
            ("ya", "Klinik UMKM"),
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk gerobak", "tatap muka"),
            ("online", ("Ringkasan", "Rabu, 2 Desember 2026, 14.00 WIB")),
            ("ya", "EK-"),
        ],
    )
    booked = reservations_of(db)[0]
    assert booked.starts_at == dt.datetime(2026, 12, 2, 14, tzinfo=WIB)
    assert booked.mode == "online"


def test_four_in_the_afternoon_is_told_apart_from_the_last_session(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_UMKM_SELLER,
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk gerobak", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("jam 4 sore", ("sesi terakhir mulai pukul 15.30", "klinik tutup 16.00")),
        ],
    )


def test_a_weekday_named_on_that_day_after_hours_means_next_week(
    dialog: Dialog, clock: FakeClock, db: sa.Engine
) -> None:
    clock.advance(days=3, hours=12)  # Thursday 26 November, 19.50 WIB
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE,
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk anggota", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("thursday 10am", ("Ringkasan", "Kamis, 3 Desember 2026, 10.00")),
            ("ya", "EK-"),
        ],
    )
    assert reservations_of(db)[0].starts_at == dt.datetime(2026, 12, 3, 10, tzinfo=WIB)


def test_yesterday_inside_a_story_is_part_of_the_story(dialog: Dialog, db: sa.Engine) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE,
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk anggota", "tatap muka"),
            (
                "kemarin pengurus rapat dan setuju ajukan pinjaman ke bank",
                "ceritanya kami tambahkan",
            ),
            ("online", "Senin, 23 November 2026, 10.00"),
            ("1", "kemarin pengurus rapat"),
            ("ya", "EK-"),
        ],
    )
    assert reservations_of(db)[0].problem.endswith("ajukan pinjaman ke bank")


def test_a_topic_outside_the_list_offers_the_nearest_and_keeps_the_words(
    dialog: Dialog, db: sa.Engine
) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE,
            ("pajak", ("belum ada persis", "Laporan keuangan", "Topik lain")),
            ("3", "Ceritakan"),
            ("Kami bingung soal PPh final koperasi", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "Topik lain (tulis sendiri) – pajak")),
            ("ya", "EK-"),
        ],
    )
    assert reservations_of(db)[0].problem == "[pajak] Kami bingung soal PPh final koperasi"


def test_the_topic_list_comes_a_page_at_a_time(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE[:-1],
            ("ya", ("1. Pendirian koperasi", "7. Administrasi dan kearsipan", "*lainnya*")),
            ("lainnya", ("8. Kemitraan dengan usaha besar", "13. Topik lain")),
            ("11", "Laporan keuangan"),
        ],
    )


def test_the_summary_can_change_the_problem_and_the_mode(dialog: Dialog, db: sa.Engine) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE,
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk anggota", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "3. Ubah yang lain")),
            ("3", "Bagian mana"),
            ("ubah masalah", "Ceritakan"),
            (
                "Kami butuh modal kerja untuk unit simpan pinjam",
                ("Ringkasan", "unit simpan pinjam"),
            ),
            ("ubah cara", "tatap muka"),
            ("online", ("Ringkasan", "Online")),
            ("ya", "EK-"),
        ],
    )
    booked = reservations_of(db)[0]
    assert booked.problem == "Kami butuh modal kerja untuk unit simpan pinjam"
    assert booked.mode == "online"


def test_back_never_bounces_between_the_summary_and_the_list(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE,
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk anggota", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("2", "Jadwal kosong"),  # another time: the list again
            ("1", "Ringkasan"),
            ("kembali", "Jadwal kosong"),
            ("kembali", "tatap muka"),
            ("kembali", "Ceritakan"),
        ],
    )


def test_batal_says_what_stopped_and_that_bookings_stay(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [*NEW_COOPERATIVE, ("batal", ("pengisian reservasi baru dihentikan", "tetap berlaku"))],
    )


def test_an_accidental_stop_then_mulai_continues_the_booking(dialog: Dialog, db: sa.Engine) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE,
            ("2", "Ceritakan"),
            ("stop", "tidak akan menerima pesan"),
            ("halo", None),
            ("mulai", ("aktif lagi", "lanjutkan", "Ceritakan")),
            ("Kami butuh tambahan modal untuk anggota", "tatap muka"),
        ],
    )


def test_nonsense_is_never_a_reason_to_hand_over(dialog: Dialog, db: sa.Engine) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE,
            ("'; DROP TABLE reservations; --", "belum ada persis"),
            ("🤪🤪", "Balas dengan angka"),
            ("xzq", "*petugas*"),
            ("2", "Ceritakan"),
        ],
    )
    with db.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(Handoff)).scalar() == 0


def test_todays_hours_being_over_is_said_as_it_is(dialog: Dialog, clock: FakeClock) -> None:
    clock.advance(hours=5)  # Monday 12.50 WIB: the cooperative clinic's last session was 11.30
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE,
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk anggota", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("hari ini", ("layanan hari ini sudah selesai", "Selasa, 24 November 2026")),
        ],
    )


def test_a_day_whose_last_session_is_too_close_says_so(dialog: Dialog, clock: FakeClock) -> None:
    clock.advance(hours=2, minutes=10)  # Monday 10.00 WIB: 11.30 is still ahead, but within 2 h
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE,
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk anggota", "tatap muka"),
            ("online", "Jadwal kosong"),
            (
                "hari ini",
                ("paling lambat 2 jam sebelum sesi", "11.30", "Selasa, 24 November 2026"),
            ),
        ],
    )


def test_one_long_first_message_is_not_asked_again(dialog: Dialog, db: sa.Engine) -> None:
    first = (
        "Assalamualaikum, saya Haji Sutrisno ketua KSP Maju Jaya dari Kecamatan Cikupa, "
        "mau konsultasi soal RAT kamis jam 10 online"
    )
    verify_dialog(
        dialog,
        [
            (first, ("Haji Sutrisno", "KSP Maju Jaya", "Cikupa", "Betul")),
            ("ya", ("Terima kasih", "Manajemen koperasi", "Ceritakan")),
            (
                "RAT kami belum terlaksana dua tahun karena pengurus sibuk",
                ("Ringkasan", "Online", "Kamis, 26 November 2026, 10.00"),
            ),
            ("ya", "EK-"),
        ],
    )
    booked = reservations_of(db)[0]
    assert booked.starts_at == dt.datetime(2026, 11, 26, 10, tzinfo=WIB)
    assert booked.mode == "online"
    assert booked.problem == "RAT kami belum terlaksana dua tahun karena pengurus sibuk"


def test_a_mode_someone_cannot_use_is_not_chosen(dialog: Dialog, db: sa.Engine) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE,
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk anggota", "tatap muka"),
            ("teng kantor mawon, kulo mboten saged zoom", "Jadwal kosong"),
            ("1", ("Ringkasan", "Tatap muka")),
            ("ya", "EK-"),
        ],
    )
    assert reservations_of(db)[0].mode == "tatap_muka"


def test_a_correction_in_words_at_the_summary_changes_that_part(
    dialog: Dialog, db: sa.Engine
) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE,
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk anggota", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("1", ("Ringkasan", "Akses permodalan")),
            ("topiknya laporan keuangan pak, bukan permodalan", ("Ringkasan", "Laporan keuangan")),
            ("3", "Bagian mana"),
            ("cara", "tatap muka"),  # the part to change, not a request for help
            ("tatap muka", ("Ringkasan", "Tatap muka")),
            ("ya", "EK-"),
        ],
    )
    booked = reservations_of(db)[0]
    assert booked.mode == "tatap_muka"


def test_the_story_of_the_first_message_is_offered_back(dialog: Dialog, db: sa.Engine) -> None:
    first = (
        "Selamat pagi, saya Pak Darmo ketua KSP Sumber Rejeki kecamatan Legok, RAT kami sudah "
        "dua tahun tidak terlaksana karena pengurus sibuk, mau konsultasi online"
    )
    verify_dialog(
        dialog,
        [
            (first, ("Darmo", "KSP Sumber Rejeki", "Betul")),
            ("ya", ("Yang Bapak tulis tadi", "Balas *ya*")),
            ("sudah saya tulis diatas", "Jadwal kosong"),
            ("1", ("Ringkasan", "RAT kami sudah dua tahun")),
            ("ya", "EK-"),
        ],
    )
    assert "pengurus sibuk" in reservations_of(db)[0].problem


def test_the_reservation_named_by_its_day_is_the_one_moved(dialog: Dialog, db: sa.Engine) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_COOPERATIVE,
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk anggota", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("selasa jam 9", "Ringkasan"),
            ("ya", "EK-"),
            ("2", "info program"),
            ("reservasi", "Reservasi atas nama"),
            ("1", "topik"),
            ("3", "Ceritakan"),
            ("Kami ingin memperbaiki tata kelola pengurus", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("rabu jam 10", "Ringkasan"),
            ("ya", "EK-"),
            ("yg rabu dimundurin ke jumat ya", ("Jumat, 27 November 2026")),
        ],
    )


def test_a_name_is_not_a_far_away_kecamatan(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            ("bisa kamis jam 10?", "nama lengkap"),
            ("Bambang", "mewakili"),
            ("1", "nama koperasi"),
            ("KSP Mitra Usaha", "kecamatan"),  # still asked: "Bambang" was only the name
        ],
    )


def test_a_topic_or_a_time_after_koperasi_is_no_cooperative_name(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            ("hi min, mau book konsul for my koperasi besok pagi bisa?", "nama lengkap"),
            ("Rizky Pratama", "nama koperasi"),  # not "Koperasi Besok Pagi"
        ],
    )


def test_a_question_after_a_greeting_is_answered(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            (
                "halo kak, aku mahasiswa, mau nanya gmn caranya bikin koperasi bareng temen2?",
                ("Mendirikan koperasi", "menu"),
            )
        ],
    )


def test_a_day_said_with_a_yes_at_rest_starts_a_booking(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            ("halo min, klinik umkm buka hari minggu ga?", "Minggu"),
            ("yah ga bisa ya. ya udh sabtu aja gmn", "nama lengkap"),  # not a goodbye
        ],
    )


def test_the_other_clinic_named_at_the_topic_list_switches_to_it(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            ("halo", "Menu"),
            ("reservasi", "nama"),
            ("Dedi", "mewakili"),
            ("4", "kecamatan"),
            ("Curug", "Betul"),
            ("ya", "klinik mana"),
            ("1", "Klinik Koperasi"),
            ("bukan koperasi, maksud saya umkm", ("Klinik UMKM", "pilih topik")),
            ("ganti klinik", "klinik mana"),
        ],
    )


def test_a_story_told_with_the_topic_is_offered_as_the_problem(
    dialog: Dialog, db: sa.Engine
) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_UMKM_SELLER,
            (
                "modal. saya mau ajukan KUR tapi bank terus minta dokumen yang belum saya punya",
                ("Akses permodalan", "tulis tadi", "bank terus minta dokumen"),
            ),
            ("ya", "tatap muka"),
            ("ga bisa online, hp saya jadul", "Jadwal kosong"),
            ("1", ("Ringkasan", "Tatap muka")),
            ("ya", "EK-"),
        ],
    )
    assert reservations_of(db)[0].problem.startswith("saya mau ajukan KUR")


def test_the_slot_question_gives_an_example_in_the_clinics_hours_and_takes_the_latest(
    dialog: Dialog,
) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_UMKM_SELLER,
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk gerobak", "tatap muka"),
            ("tatap muka", ("Jadwal kosong", "_senin depan jam 14_")),
            ("yg paling sore aja", ("Ringkasan", "Senin, 23 November 2026, 15.00")),
        ],
    )


def test_a_day_refused_beside_the_one_wanted_is_not_taken(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            *NEW_UMKM_SELLER,
            ("2", "Ceritakan"),
            ("Kami butuh tambahan modal untuk gerobak", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("jumat sy ga bisa, senin aja jam 1", ("Ringkasan", "Senin, 23 November 2026, 13.00")),
        ],
    )
