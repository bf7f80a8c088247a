"""Acceptance corpus: people who already booked come back to see, move or cancel their
reservations, ask for a person, or stop messages by mistake. Each conversation checks the
replies and the reservations as stored."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from tests.corpus import Booking, Conversation, Person, Wait, at, cases, play
from tests.dialog import Dialog, Turn

SARI = Person("Sari Wulandari", "ibu", "koperasi_konvensional", "Koperasi Maju Bersama", "Cikupa")
PROBLEM = "Laporan keuangan kami belum rapi sejak tahun lalu"


def booked(
    slot: str = "1", when: str = "Senin, 23 November 2026, 10.00", code: str = "EK-2611-0001"
) -> list[Turn]:
    """Sari registers her cooperative and books an online session on financial reports."""
    return [
        ("halo", "Menu utama"),
        ("reservasi", "nama lengkap"),
        ("Sari Wulandari", "mewakili"),
        ("1", "nama koperasi"),
        ("Koperasi Maju Bersama", "kecamatan"),
        ("Cikupa", ("Betul", "Cikupa")),
        ("ya", "topik"),
        ("11", ("Laporan keuangan", "Ceritakan")),
        (PROBLEM, "tatap muka"),
        ("2", "Jadwal kosong"),
        (slot, ("Ringkasan", when)),
        ("ya", (code, when)),
    ]


def financial_report(starts: dt.datetime, status: str = "booked") -> Booking:
    """Sari's online consultation on financial reports, starting then."""
    return Booking("koperasi", "laporan_keuangan", PROBLEM, "online", starts, status)


# Two other cooperatives take both seats of Tuesday 09.00 at the cooperative clinic.
FILL_TUESDAY_NINE = tuple(
    (
        "halo",
        "reservasi",
        name,
        "1",
        org,
        "Curug",
        "ya",
        "1",
        "2",
        "Butuh modal untuk anggota",
        "online",
        "selasa jam 9",
        "ya",
    )
    for name, org in (("Andi Wijaya", "Koperasi Satu"), ("Budi Hartono", "Koperasi Dua"))
)

CONVERSATIONS = [
    Conversation(
        "treasurer_checks_her_reservation_an_hour_later",
        [
            *booked(),
            Wait(hours=1),
            ("reservasi saya", ("EK-2611-0001", "Senin, 23 November 2026, 10.00", "Online")),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_cancels_the_wednesday_one_of_two_by_naming_the_day",
        [
            *booked(),
            ("reservasi", ("Sari Wulandari", "Lanjut")),
            ("1", "topik"),
            ("3", ("Manajemen koperasi", "Ceritakan")),
            ("Pengurus belum paham tugas pengawas", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("rabu jam 9", ("Ringkasan", "Rabu, 25 November 2026, 09.00")),
            ("ya", "EK-2611-0002"),
            Wait(hours=1),
            ("tolong batalkan yang hari rabu ya", ("EK-2611-0002", "Rabu, 25 November 2026")),
            ("ya", ("EK-2611-0002", "dibatalkan")),
        ],
        SARI,
        (
            financial_report(at(23, 10)),
            Booking(
                "koperasi",
                "manajemen_koperasi",
                "Pengurus belum paham tugas pengawas",
                "tatap_muka",
                at(25, 9),
                "cancelled",
            ),
        ),
    ),
    Conversation(
        "treasurer_asks_to_push_it_back_to_thursday",
        [
            *booked(),
            Wait(hours=1),
            (
                "bisa dimundurin ke kamis jam 10 ga?",
                ("EK-2611-0001", "Kamis, 26 November 2026, 10.00"),
            ),
            ("ya", ("dipindah", "Kamis, 26 November 2026, 10.00")),
        ],
        SARI,
        (financial_report(at(26, 10)),),
    ),
    Conversation(
        "treasurer_moves_it_in_english",
        [
            *booked(),
            Wait(hours=1),
            ("move it to friday 9am", ("EK-2611-0001", "27 November 2026, 09.00")),
            ("yes", "27 November 2026, 09.00"),
        ],
        SARI,
        (financial_report(at(27, 9)),),
    ),
    Conversation(
        "treasurer_says_she_wants_to_move_the_existing_one_not_a_new_booking",
        [
            *booked(),
            Wait(hours=1),
            (
                "bukan mau daftar baru, saya mau geser jadwal yang sudah ada",
                ("EK-2611-0001", "jadwal baru"),
            ),
            ("selasa jam 11", ("EK-2611-0001", "Selasa, 24 November 2026, 11.00")),
            ("ya", "dipindah"),
        ],
        SARI,
        (financial_report(at(24, 11)),),
    ),
    Conversation(
        "treasurer_sends_her_reservation_code",
        [
            *booked(),
            Wait(hours=1),
            ("EK-2611-0001", ("EK-2611-0001", "Senin, 23 November 2026, 10.00", "Ubah jadwal")),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_cannot_attend_and_picks_a_new_time",
        [
            *booked(),
            Wait(hours=1),
            ("maaf saya tidak bisa hadir senin", ("EK-2611-0001", "jadwal baru")),
            ("selasa jam 10", ("EK-2611-0001", "Selasa, 24 November 2026, 10.00")),
            ("ya", "dipindah"),
        ],
        SARI,
        (financial_report(at(24, 10)),),
    ),
    Conversation(
        "treasurer_tries_christmas_eve_then_takes_the_monday_after",
        [
            *booked(),
            Wait(hours=1),
            ("ubah jadwal", "jadwal baru"),
            ("24 desember jam 10", ("libur nasional", "Cuti bersama Natal", "28 Desember")),
            ("28 desember jam 10", ("EK-2611-0001", "Senin, 28 Desember 2026, 10.00")),
            ("ya", "dipindah"),
        ],
        SARI,
        (financial_report(at(28, 10, month=12)),),
    ),
    Conversation(
        "treasurer_cancels_from_the_menu_with_a_reason",
        [
            *booked(),
            ("4", ("EK-2611-0001", "alasan")),
            ("jadwal bentrok dengan rapat desa", ("Batalkan", "EK-2611-0001")),
            ("1", ("EK-2611-0001", "dibatalkan")),
            ("reservasi saya", "belum punya reservasi"),
        ],
        SARI,
        (financial_report(at(23, 10), "cancelled"),),
    ),
    Conversation(
        "treasurer_starts_cancelling_then_changes_her_mind",
        [
            *booked(),
            ("batalkan reservasi", ("EK-2611-0001", "alasan")),
            ("ga jadi deh", ("EK-2611-0001", "tetap berlaku")),
            ("reservasi saya", "EK-2611-0001"),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_asks_for_staff_then_takes_the_bot_back_to_see_her_booking",
        [
            *booked(),
            ("petugas", ("petugas", "di luar jam layanan")),
            ("halo? ada orang?", None),  # waiting for staff: the bot keeps quiet
            ("menu", "Menu utama"),
            ("2", ("EK-2611-0001", "Senin, 23 November 2026, 10.00")),
        ],
        SARI,
        (financial_report(at(23, 10)),),
        handoffs=("resolved",),
    ),
    Conversation(
        "treasurer_wants_a_full_tuesday_slot_and_takes_the_next",
        [
            *booked(code="EK-2611-0003"),
            Wait(hours=1),
            ("ubah jadwal", "jadwal baru"),
            ("selasa jam 9", ("sudah penuh", "09.30")),
            ("selasa jam 9.30", ("EK-2611-0003", "Selasa, 24 November 2026, 09.30")),
            ("ya", "dipindah"),
        ],
        SARI,
        (financial_report(at(24, 9, 30)),),
        others=FILL_TUESDAY_NINE,
    ),
    Conversation(
        "treasurer_wants_to_move_to_today_after_the_clinic_closed",
        [
            *booked("5", "Selasa, 24 November 2026, 09.00"),
            Wait(hours=5),  # Monday 12.51: the cooperative clinic's last session was 11.30
            ("ubah jadwal", "jadwal baru"),
            ("hari ini jam 11.30", ("hari ini sudah selesai", "Selasa")),
            ("rabu jam 11.30", ("EK-2611-0001", "Rabu, 25 November 2026, 11.30")),
            ("ya", "dipindah"),
        ],
        SARI,
        (financial_report(at(25, 11, 30)),),
    ),
    Conversation(
        "english_treasurer_cancels_her_only_booking",
        [
            *booked(),
            Wait(hours=1),
            ("please cancel my booking", ("EK-2611-0001",)),
            ("skip", ("EK-2611-0001",)),
            ("1", ("EK-2611-0001",)),
        ],
        SARI,
        (financial_report(at(23, 10), "cancelled"),),
    ),
    Conversation(
        "treasurer_asks_if_it_can_be_postponed_without_a_date",
        [
            *booked(),
            Wait(hours=1),
            ("bisa diundur ga?", ("EK-2611-0001", "jadwal baru")),
            ("3", ("EK-2611-0001", "Selasa, 24 November 2026, 09.00")),
            ("ya", ("dipindah", "Selasa, 24 November 2026, 09.00")),
        ],
        SARI,
        (financial_report(at(24, 9)),),
    ),
    Conversation(
        "treasurer_cancels_the_monday_one_in_chat_words",
        [
            *booked(),
            Wait(hours=1),
            ("yg senin batalin aja deh", ("EK-2611-0001", "Senin, 23 November 2026")),
            ("lewati", ("Batalkan", "EK-2611-0001")),
            ("1", ("EK-2611-0001", "dibatalkan")),
        ],
        SARI,
        (financial_report(at(23, 10), "cancelled"),),
    ),
    Conversation(
        "treasurer_switches_her_session_to_face_to_face_in_her_own_words",
        [
            *booked(),
            Wait(hours=1),
            (
                "yg senin bisa diganti jadi tatap muka aja ga? sy mau dateng ke kantor",
                ("EK-2611-0001", "Tatap muka", "mengonfirmasi ulang"),
            ),
            ("reservasi saya", ("EK-2611-0001", "Tatap muka")),
        ],
        SARI,
        (Booking("koperasi", "laporan_keuangan", PROBLEM, "tatap_muka", at(23, 10)),),
    ),
    Conversation(
        "treasurer_forgot_what_time_she_booked",
        [
            *booked(),
            Wait(hours=1),
            ("kak maaf, sy daftar jam brp ya td?", ("EK-2611-0001", "Senin, 23 November 2026")),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_shifts_it_with_a_day_and_time_in_one_message",
        [
            *booked(),
            Wait(hours=1),
            ("geser ke selasa jam 11 bs?", ("EK-2611-0001", "Selasa, 24 November 2026, 11.00")),
            ("ya", ("dipindah", "Selasa, 24 November 2026, 11.00")),
        ],
        SARI,
        (financial_report(at(24, 11)),),
    ),
    Conversation(
        "treasurer_cancels_and_her_reason_says_ga_jadi",
        [
            *booked(),
            Wait(hours=1),
            ("batalkan reservasi", ("EK-2611-0001", "alasan")),
            (
                "pengurus sudah bisa bantu langsung, jadi ga jadi konsultasi dulu",
                ("Batalkan", "EK-2611-0001"),
            ),
            ("ya", ("EK-2611-0001", "dibatalkan")),
        ],
        SARI,
        (financial_report(at(23, 10), "cancelled"),),
    ),
    Conversation(
        "treasurer_calls_for_attention_with_min_and_is_answered",
        [
            *booked(),
            Wait(hours=1),
            ("min", "Menu utama"),
            ("reservasi saya", "EK-2611-0001"),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_presses_stop_by_mistake_and_says_so",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Sari Wulandari", "mewakili"),
            ("1", "nama koperasi"),
            ("stop", "tidak akan menerima pesan"),
            ("eh maaf kepencet, lanjut", ("Selamat datang kembali", "nama koperasi")),
            ("Koperasi Maju Bersama", "kecamatan"),
        ],
        None,
        (),
    ),
    Conversation(
        "treasurer_waits_for_staff_and_asks_again_an_hour_later",
        [
            *booked(),
            ("saya mau bicara dengan petugas saja", "petugas"),
            ("tolong ya", None),  # staff have it: the bot stays quiet
            Wait(hours=1),
            ("halo? kok belum dibalas", ("sudah kami teruskan", "menu")),
            ("menu", "Menu utama"),
        ],
        SARI,
        (financial_report(at(23, 10)),),
        ("resolved",),
    ),
    Conversation(
        "treasurer_would_rather_come_in_person_after_all",
        [
            *booked(),
            Wait(hours=1),
            (
                "mba, yg senin ga jadi online deh, dateng langsung aja",
                ("EK-2611-0001", "Tatap muka"),
            ),
        ],
        SARI,
        (Booking("koperasi", "laporan_keuangan", PROBLEM, "tatap_muka", at(23, 10)),),
    ),
    Conversation(
        "treasurer_cancels_because_her_child_is_ill",
        [
            *booked(),
            Wait(hours=1),
            (
                "bu maaf sy mau batalin konsul yg senin, anak sy demam tinggi",
                ("Batalkan", "EK-2611-0001"),
            ),
            ("ya", ("EK-2611-0001", "dibatalkan")),
            ("terima kasih bu, semoga lain kali bisa", "Sama-sama"),
        ],
        SARI,
        (financial_report(at(23, 10), "cancelled"),),
    ),
    Conversation(
        "treasurer_refuses_the_day_offered_and_gets_the_days_after",
        [
            *booked(),
            Wait(hours=1),
            ("ubah jadwal", ("jadwal baru", "Selasa, 24 November 2026")),
            (
                "selasa saya tidak bisa sama sekali, rapatnya seharian",
                ("Rabu, 25 November 2026",),
            ),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_names_only_a_date_and_moves_the_one_she_has",
        [
            *booked(),
            Wait(hours=1),
            ("tgl 25 bisa?", ("Lanjut", "Ubah jadwal reservasi *EK-2611-0001*")),
            ("3", ("EK-2611-0001", "Rabu, 25 November 2026")),
            ("1", ("EK-2611-0001", "Rabu, 25 November 2026, 09.00")),
            ("ya", "dipindah"),
        ],
        SARI,
        (financial_report(at(25, 9)),),
    ),
    Conversation(
        "treasurer_fears_her_connection_and_comes_in_person_instead",
        [
            *booked(),
            Wait(hours=1),
            (
                "bisa diganti jadi dateng langsung aja ga? wifi di rumah jelek takut putus2 "
                "pas zoom",
                ("EK-2611-0001", "Tatap muka"),
            ),
        ],
        SARI,
        (Booking("koperasi", "laporan_keuangan", PROBLEM, "tatap_muka", at(23, 10)),),
    ),
    Conversation(
        "treasurer_names_her_code_and_the_way_of_meeting",
        [
            *booked(),
            Wait(hours=1),
            ("EK-2611-0001 mau diubah ke tatap muka kak", ("EK-2611-0001", "Tatap muka")),
        ],
        SARI,
        (Booking("koperasi", "laporan_keuangan", PROBLEM, "tatap_muka", at(23, 10)),),
    ),
    Conversation(
        "treasurer_asks_for_staff_then_changes_her_mind",
        [
            ("halo", "Menu utama"),
            ("saya mau bicara dengan petugas", "petugas"),
            ("eh ga jadi, sy daftar sendiri aja", ("kami batalkan", "Menu utama")),
            ("reservasi", "nama lengkap"),
        ],
        None,
        (),
        ("resolved",),
    ),
    Conversation(
        "teacher_greets_the_staff_formally_and_is_not_handed_over",
        [("Selamat pagi Bapak/Ibu petugas Klinik Koperasi.", ("Selamat pagi", "Menu utama"))],
        None,
        (),
    ),
    Conversation(
        "treasurer_asks_whether_tuesday_works_and_is_offered_tuesday",
        [
            *booked(),
            Wait(hours=1),
            ("ubah jadwal", "jadwal baru"),
            ("selasa bisa ga?", ("Selasa, 24 November 2026",)),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_asks_about_zoom_on_her_phone_after_booking_and_thanks",
        [
            *booked(),
            Wait(hours=1),
            ("zoom nya nanti pake hp bisa kan?", ("Zoom", "Play Store")),
            ("makasih ya", ("Sama-sama", "Sari Wulandari")),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_thanks_after_seeing_her_reservations_and_gets_no_menu",
        [
            *booked(),
            Wait(hours=1),
            ("reservasi saya", "EK-2611-0001"),
            ("ok makasih", ("Sama-sama", "Sari Wulandari")),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_cannot_come_because_of_a_death_and_it_is_cancelled_not_moved_online",
        [
            *booked(),
            Wait(hours=1),
            # "ga jadi dateng" refuses coming; it asks for no other way of meeting
            (
                "mohon maaf, nanti sy ga jadi dateng. bapak mertua sy meninggal, sy hrs pulang "
                "kampung",
                ("Batalkan", "EK-2611-0001"),
            ),
            ("ya", "sudah dibatalkan"),
        ],
        SARI,
        (financial_report(at(23, 10), "cancelled"),),
    ),
    Conversation(
        "treasurer_asks_whether_her_consultation_can_be_in_person_instead",
        [
            *booked(),
            Wait(hours=1),
            (
                "Apakah konsultasinya bisa tatap muka saja? jamnya tetap",
                ("EK-2611-0001", "Tatap muka"),
            ),
        ],
        SARI,
        (Booking("koperasi", "laporan_keuangan", PROBLEM, "tatap_muka", at(23, 10)),),
    ),
    Conversation(
        "treasurer_cancels_in_one_sentence_with_her_reason",
        [
            *booked(),
            Wait(hours=1),
            (
                "jadwal saya senin batal aja ya, ada acara keluarga",
                ("Batalkan", "EK-2611-0001"),
            ),
            ("ya", ("EK-2611-0001", "dibatalkan")),
        ],
        SARI,
        (financial_report(at(23, 10), "cancelled"),),
    ),
    Conversation(
        "treasurer_pushes_her_session_back_an_hour",
        [
            *booked(),
            Wait(hours=1),
            (
                "bu, bisa dimundurin satu jam? sy masih di pasar",
                ("EK-2611-0001", "Senin, 23 November 2026, 11.00"),
            ),
            ("ya", "dipindah"),
        ],
        SARI,
        (financial_report(at(23, 11)),),
    ),
    Conversation(
        "treasurer_moves_to_next_week_at_the_same_time",
        [
            *booked(),
            Wait(hours=1),
            (
                "next week same time please, something came up",
                ("EK-2611-0001", "Senin, 30 November 2026, 10.00"),
            ),
            ("ya", "dipindah"),
        ],
        SARI,
        (financial_report(at(30, 10)),),
    ),
    Conversation(
        "treasurer_keeps_the_hour_and_names_another_day",
        [
            *booked(),
            Wait(hours=1),
            (
                "kalau hari kamis jam yang sama bisa ga bu?",
                ("EK-2611-0001", "Kamis, 26 November 2026, 10.00"),
            ),
            ("ya", "dipindah"),
        ],
        SARI,
        (financial_report(at(26, 10)),),
    ),
    Conversation(
        "treasurer_asks_whether_it_is_confirmed_yet",
        [
            *booked(),
            Wait(hours=1),
            (
                "udah dikonfirmasi belum kak?",
                ("EK-2611-0001", "Menunggu konfirmasi petugas"),
            ),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_asks_for_the_zoom_link_from_her_list",
        [
            *booked(),
            Wait(hours=1),
            ("reservasi saya", ("EK-2611-0001", "Ubah jadwal")),
            ("link zoom nya kak, buat nanti", ("link Zoom dikirim", "menu")),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "javanese_treasurer_cancels_with_her_reason_in_one_message",
        [
            *booked(),
            Wait(hours=1),
            (
                "mbak ngapunten, kulo mboten saged rawuh, wonten layatan tonggo. dibatalke "
                "mawon nggih",
                ("Batalkan", "EK-2611-0001"),
            ),
            ("nggih", ("EK-2611-0001", "dibatalkan")),
        ],
        SARI,
        (financial_report(at(23, 10), "cancelled"),),
    ),
    Conversation(
        "sundanese_treasurer_asks_to_see_her_reservation",
        [
            *booked(),
            Wait(hours=1),
            ("teh, tiasa ningal reservasi abdi?", ("Reservasi Anda", "EK-2611-0001")),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "english_treasurer_asks_what_she_has_booked",
        [
            *booked(),
            Wait(hours=1),
            ("hello again, can you show me what I have booked?", ("EK-2611-0001",)),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_pushes_it_back_an_hour_because_of_a_guest_at_another_time",
        [
            *booked(),
            Wait(hours=1),
            (
                "kak bisa mundur sejam ga? ada tamu jam 9an",
                ("EK-2611-0001", "Senin, 23 November 2026, 11.00"),
            ),
            ("mangga", "dipindah"),
        ],
        SARI,
        (financial_report(at(23, 11)),),
    ),
    Conversation(
        "treasurer_moves_it_to_thursday_keeping_the_hour",
        [
            *booked(),
            Wait(hours=1),
            (
                "bu, tolong pindahin ke kamis ya, jamnya tetep sama",
                ("EK-2611-0001", "Kamis, 26 November 2026, 10.00"),
            ),
            ("iya btl", "dipindah"),
        ],
        SARI,
        (financial_report(at(26, 10)),),
    ),
    Conversation(
        "treasurer_asks_whether_the_zoom_link_is_there_yet",
        [
            *booked(),
            Wait(hours=1),
            ("link zoomnya udh ada blm kak? biar sy siapin laptop", "link Zoom dikirim"),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_asks_whether_staff_confirmed_it_and_gets_her_list",
        [
            *booked(),
            Wait(hours=1),
            ("udh dikonfirmasi blm ya sm petugasnya?", ("Reservasi Anda", "EK-2611-0001")),
        ],
        SARI,
        (financial_report(at(23, 10)),),
        (),
    ),
    Conversation(
        "treasurer_asks_from_her_list_to_come_in_person",
        [
            *booked(),
            Wait(hours=1),
            ("reservasi saya", ("EK-2611-0001", "Ubah jadwal")),
            (
                "yg senin itu dateng langsung aja deh bu, sinyal di rumah jelek",
                ("EK-2611-0001", "Tatap muka"),
            ),
        ],
        SARI,
        (Booking("koperasi", "laporan_keuangan", PROBLEM, "tatap_muka", at(23, 10)),),
    ),
    Conversation(
        "treasurer_moves_it_to_a_weekday_and_says_why_after_her_question",
        [
            *booked(),
            Wait(hours=1),
            (
                "bu, reservasi sy yg senin bisa dipindah ke rabu jam 10 ga? senin rame",
                ("EK-2611-0001", "Rabu, 25 November 2026, 10.00"),
            ),
            ("ya", "dipindah"),
        ],
        SARI,
        (financial_report(at(25, 10)),),
    ),
    Conversation(
        "treasurer_books_a_second_session_online_and_the_first_stays_face_to_face",
        [
            *booked(),
            Wait(hours=2),
            (
                "sekalian daftar 1 lagi ya soal modal anggota, lewat zoom aja, rabu jam 10",
                ("Sari Wulandari", "Lanjut"),
            ),
            ("1", "Akses permodalan"),
            ("Modal untuk simpan pinjam anggota kurang", ("Ringkasan", "Online", "Rabu")),
            ("ya", "EK-2611-0002"),
        ],
        SARI,
        (
            financial_report(at(23, 10)),
            Booking(
                "koperasi",
                "akses_permodalan",
                "Modal untuk simpan pinjam anggota kurang",
                "online",
                at(25, 10),
            ),
        ),
    ),
    Conversation(
        "treasurer_names_her_own_time_as_too_early_when_moving_it",
        [
            *booked("5", "Selasa, 24 November 2026, 09.00"),
            Wait(hours=1),
            (
                "yg selasa bisa diganti ga? jam 9 kepagian buat saya",
                ("Pilih jadwal baru", "!penuh"),
            ),
        ],
        SARI,
        (financial_report(at(24, 9)),),
    ),
    Conversation(
        "treasurer_is_not_coming_at_ten_but_tomorrow_at_the_same_time",
        [
            *booked(),
            Wait(hours=1),
            (
                "maaf bu, saya ga jadi dateng jam 10, ada urusan mendadak. besok aja ya jam "
                "segitu juga",
                ("Pindahkan", "Selasa, 24 November 2026, 10.00", "!Batalkan"),
            ),
            ("ya", "sudah dipindah"),
        ],
        SARI,
        (financial_report(at(24, 10)),),
    ),
    Conversation(
        "treasurer_asked_for_a_reason_moves_it_instead",
        [
            *booked(),
            Wait(hours=1),
            ("batalkan reservasi", "alasannya"),
            (
                "ada tetangga meninggal. eh sebentar bu, bisa dipindah saja? rabu jam 10",
                ("Pindahkan", "Rabu, 25 November 2026, 10.00"),
            ),
            ("ya", "sudah dipindah"),
        ],
        SARI,
        (financial_report(at(25, 10)),),
    ),
    Conversation(
        "treasurer_cancels_while_a_move_waits_for_her_yes",
        [
            *booked(),
            Wait(hours=1),
            ("bisa dimundurin sejam?", ("Pindahkan", "11.00")),
            Wait(hours=1),
            (
                "yaudah bu batalin aja deh, barusan dipanggil rapat mendadak sama pengurus",
                ("Batalkan *EK-2611-0001*", "!tidak ada yang diubah"),
            ),
            ("ya", "sudah dibatalkan"),
        ],
        SARI,
        (
            Booking(
                "koperasi",
                "laporan_keuangan",
                PROBLEM,
                "online",
                at(23, 10),
                "cancelled",
            ),
        ),
    ),
    Conversation(
        "treasurer_afraid_it_falls_through_asks_whether_it_is_confirmed",
        [
            *booked(),
            Wait(hours=1),
            (
                "lah terus reservasi sy udh dikonfirmasi blm sih? takut ga jadi",
                ("EK-2611-0001", "Menunggu konfirmasi", "!Membatalkan"),
            ),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_comes_in_person_instead_of_zoom",
        [
            *booked(),
            Wait(hours=1),
            ("could I just come in person instead of zoom?", "Tatap muka"),
        ],
        SARI,
        (Booking("koperasi", "laporan_keuangan", PROBLEM, "tatap_muka", at(23, 10)),),
    ),
    Conversation(
        "treasurer_lists_what_she_booked_and_asks_about_the_link",
        [
            *booked(),
            Wait(hours=1),
            (
                "jadwal aku yg udh kedaftar apa aja ya? sama zoom nya nanti dikirim ke sini kan",
                ("EK-2611-0001", "!cara konsultasinya"),
            ),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_thanks_a_day_later_and_is_thanked_back",
        [
            *booked(),  # the question about programme news is left open
            Wait(days=2),
            ("makasih ya bu", ("Sama-sama", "!mulai dari awal", "!Menu utama")),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_asks_whether_her_zoom_session_is_fixed_and_when_the_link_comes",
        [
            *booked(),
            ("tidak usah", "tidak akan mengirim"),
            Wait(hours=1),
            (
                "kak, jadwal zoom aku nanti udah fix kan? link zoomnya kapan dikirim ya",
                ("EK-2611-0001", "Menunggu konfirmasi", "!tidak ada yang diubah"),
            ),
            (
                "kak sorry bgt, konsul aku cancel ya. ternyata laporan kami udah diperiksa akuntan",
                ("Batalkan", "EK-2611-0001"),
            ),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
    Conversation(
        "treasurer_thanks_and_asks_to_postpone_an_hour_in_one_message",
        [
            *booked(),
            ("tidak usah", "tidak akan mengirim"),
            Wait(hours=1),
            (
                "oke makasih. satu lagi, ternyata saya masih ngajar, tolong diundur sejam ya",
                ("Pindahkan", "11.00"),
            ),
        ],
        SARI,
        (financial_report(at(23, 10)),),
    ),
]


@pytest.mark.parametrize("conversation", cases(CONVERSATIONS))
def test_managing_reservations_conversation(
    conversation: Conversation, dialog: Dialog, db: sa.Engine, clock: FakeClock
) -> None:
    play(conversation, dialog, db, clock)
