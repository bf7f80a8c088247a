"""Acceptance corpus: food and craft small businesses (UMKM) book the afternoon clinic. Each
conversation checks the replies and what was stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from tests.corpus import Booking, Conversation, Person, at, cases, play
from tests.dialog import Dialog, Turn

UMKM_CLINIC = "Klinik UMKM"


def registered_seller(name: str, business: str, kecamatan: str) -> list[Turn]:
    """A new seller registers through the menu, answering one question at a time."""
    return [
        ("halo", "Menu utama"),
        ("reservasi", "nama lengkap"),
        (name, "mewakili"),
        ("3", "nama usaha"),
        (business, "kecamatan"),
        (kecamatan, ("Betul", business, kecamatan)),
        ("ya", ("Terima kasih", UMKM_CLINIC, "topik")),  # a business: the UMKM clinic
    ]


CONVERSATIONS = [
    Conversation(
        "cookie_baker_has_no_official_name_but_uses_one_on_instagram",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Rina Marlina", ("Bu Rina Marlina", "mewakili")),
            ("3", "nama usaha"),
            (
                'blm ada nama usaha resmi sih, biasanya sy pake nama "Dapur Rina" di ig',
                "kecamatan",
            ),
            ("Pasar Kemis", ("Betul", "Dapur Rina")),
            ("ya", ("Terima kasih, Bu Rina Marlina", "topik")),
        ],
        Person("Rina Marlina", None, "umkm", "Dapur Rina", "Pasar Kemis"),
        (),
    ),
    Conversation(
        "hijab_seller_who_sells_online_is_still_asked_how_to_meet",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Nadia Putri", "mewakili"),
            ("3", "nama usaha"),
            ("Nadhijab", "kecamatan"),
            ("Pasar Kemis", ("Betul", "Nadhijab")),
            ("ya", "topik"),
            ("5", ("Akses pasar", "Ceritakan")),
            ("sy jualan hijab online di shopee tp tokonya sepi", "tatap muka"),
        ],
        Person("Nadia Putri", None, "umkm", "Nadhijab", "Pasar Kemis"),
        (),
    ),
    Conversation(
        "laundry_owner_corrects_the_business_name_in_a_sentence_at_the_card",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Hendra Gunawan", "mewakili"),
            ("3", "nama usaha"),
            ("Laundry Kiloan", "kecamatan"),
            ("Kelapa Dua", ("Betul", "Laundry Kiloan")),
            (
                "nama usahanya Bersih Kilat Laundry, bukan laundry kiloan",
                ("Betul", "Bersih Kilat Laundry"),
            ),
            ("ya", ("Terima kasih, Pak Hendra Gunawan", "topik")),
        ],
        Person("Hendra Gunawan", None, "umkm", "Bersih Kilat Laundry", "Kelapa Dua"),
        (),
    ),
    Conversation(
        "frozen_food_seller_gives_her_kecamatan_at_the_business_question",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Dewi Anggraini", ("Bu Dewi Anggraini", "mewakili")),
            ("3", "nama usaha"),
            ("kec. Sepatan", ("Kecamatannya sudah kami catat", "nama usaha")),
            ("belum ada", ("Betul", "Sepatan")),
            ("ya", ("Terima kasih, Bu Dewi Anggraini", "topik")),
        ],
        Person("Dewi Anggraini", None, "umkm", None, "Sepatan"),
        (),
    ),
    Conversation(
        "caterer_gives_a_business_name_and_half_past_two_on_thursday",
        [
            ("halo", "Menu utama"),
            ("mau konsultasi", "nama lengkap"),
            ("Dewi Lestari", "mewakili"),
            ("3", "nama usaha"),
            ("Dapur Dewi Catering", "kecamatan"),
            ("Curug", ("Betul", "Dapur Dewi Catering", "Curug")),
            ("ya", "topik"),
            ("2", ("Akses permodalan", "Ceritakan")),
            ("Saya butuh modal untuk beli oven besar", "tatap muka"),
            ("tatap muka", ("Jadwal kosong", "13.00")),
            ("kamis jam setengah 3", ("Ringkasan", "Kamis, 26 November 2026, 14.30")),
            ("ya", "EK-"),
        ],
        Person("Dewi Lestari", None, "umkm", "Dapur Dewi Catering", "Curug"),
        (
            Booking(
                "umkm",
                "akses_permodalan",
                "Saya butuh modal untuk beli oven besar",
                "tatap_muka",
                at(26, 14, 30),
            ),
        ),
    ),
    Conversation(
        "bamboo_weaver_asks_for_a_topic_outside_the_list_and_keeps_his_words",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Bapak Wahyu Nugroho", ("Pak Wahyu Nugroho", "mewakili")),
            ("umkm", "nama usaha"),
            ("Anyaman Bambu Wahyu", "kecamatan"),
            ("Legok", ("Betul", "UMKM", "Anyaman Bambu Wahyu", "Legok")),
            ("ya", ("Terima kasih, Pak Wahyu Nugroho", "topik")),
            ("asuransi gudang", ("belum ada persis", "Topik lain")),
            ("1", ("Topik lain", "Ceritakan")),
            ("Saya ingin tahu asuransi untuk gudang anyaman saya kalau kebakaran", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("1", ("Ringkasan", "asuransi gudang")),
            ("ya", "EK-"),
        ],
        Person("Wahyu Nugroho", "bapak", "umkm", "Anyaman Bambu Wahyu", "Legok"),
        (
            Booking(
                "umkm",
                "lainnya",
                "[asuransi gudang] Saya ingin tahu asuransi untuk gudang anyaman saya kalau "
                "kebakaran",
                "online",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "fritter_seller_describes_her_stall_when_asked_her_name",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("saya cuma jualan gorengan di depan rumah", ("bukan nama", "nama")),
            ("Sumarni", ("Sumarni", "nama usaha")),
            ("Gorengan Bu Sumarni", "kecamatan"),
            ("Pasar Kemis", ("Betul", "Sumarni", "Gorengan Bu Sumarni", "Pasar Kemis")),
            ("ya", "topik"),
            ("4", ("Kualitas produk dan kemasan", "Ceritakan")),
            ("Gorengan saya cepat lembek kalau dibungkus plastik", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "13.00")),
            ("ya", "EK-"),
        ],
        Person("Sumarni", None, "umkm", "Gorengan Bu Sumarni", "Pasar Kemis"),
        (
            Booking(
                "umkm",
                "kualitas_produk_kemasan",
                "Gorengan saya cepat lembek kalau dibungkus plastik",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "batik_maker_asks_what_to_bring_at_the_summary",
        [
            *registered_seller("Ibu Kartika Sari", "Batik Tulis Kartika", "Tigaraksa"),
            ("5", ("Akses pasar", "Ceritakan")),
            ("Saya ingin batik saya masuk ke marketplace", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("perlu bawa apa aja ya?", ("KTP", "Ringkasan")),
            ("ya", "EK-"),
        ],
        Person("Kartika Sari", "ibu", "umkm", "Batik Tulis Kartika", "Tigaraksa"),
        (
            Booking(
                "umkm",
                "akses_pasar",
                "Saya ingin batik saya masuk ke marketplace",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "coffee_roaster_asks_for_four_in_the_afternoon",
        [
            *registered_seller("Hendra Gunawan", "Kopi Robusta Hendra", "Cisauk"),
            ("3", ("Manajemen usaha", "Ceritakan")),
            ("Stok biji kopi saya sering kelebihan dan rusak", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("jam 4 sore", ("sesi terakhir mulai pukul 15.30", "tutup 16.00")),
            ("jam 3 sore", ("Ringkasan", "Senin, 23 November 2026, 15.00")),
            ("ya", "EK-"),
        ],
        Person("Hendra Gunawan", None, "umkm", "Kopi Robusta Hendra", "Cisauk"),
        (
            Booking(
                "umkm",
                "manajemen_usaha",
                "Stok biji kopi saya sering kelebihan dan rusak",
                "online",
                at(23, 15),
            ),
        ),
    ),
    Conversation(
        "chips_maker_says_who_she_is_and_what_she_needs_in_one_message",
        [
            (
                "Selamat siang, saya Ibu Nurhayati pemilik usaha Keripik Renyah Jaya di "
                "kecamatan Sepatan, mau konsultasi soal izin PIRT",
                ("Betul", "Nurhayati", "Keripik Renyah Jaya", "Sepatan"),
            ),
            ("ya", ("Terima kasih, Bu Nurhayati", "Pendirian dan izin usaha", "Ceritakan")),
            ("Keripik saya belum punya izin PIRT padahal mau masuk minimarket", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "Klinik UMKM", "13.00")),
            ("ya", "EK-"),
        ],
        Person("Nurhayati", "ibu", "umkm", "Keripik Renyah Jaya", "Sepatan"),
        (
            Booking(
                "umkm",
                "pendirian_izin_usaha",
                "Keripik saya belum punya izin PIRT padahal mau masuk minimarket",
                "tatap_muka",
                at(23, 13),
            ),
        ),
        xfail="'pemilik usaha Keripik Renyah Jaya' in the first message is not taken as the "
        "business name: its name is asked, a 'ya' and the story are refused, and 'tatap muka' "
        "is then stored as the organisation ('Tatap Muka')",
    ),
    Conversation(
        "leather_craftsman_changes_online_to_face_to_face_at_the_summary",
        [
            *registered_seller("Teguh Prasetyo", "Kerajinan Kulit Teguh", "Panongan"),
            ("7", ("Kemitraan", "Ceritakan")),
            ("Saya mencari pemasok kulit yang lebih murah", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("1", ("Ringkasan", "Online")),
            ("3", "Bagian mana"),
            ("ubah cara", "tatap muka"),
            ("tatap muka", ("Ringkasan", "Tatap muka")),
            ("ya", "EK-"),
        ],
        Person("Teguh Prasetyo", None, "umkm", "Kerajinan Kulit Teguh", "Panongan"),
        (
            Booking(
                "umkm",
                "kemitraan",
                "Saya mencari pemasok kulit yang lebih murah",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "sambal_maker_asks_how_to_get_halal_certified_at_the_topic_list",
        [
            *registered_seller("Ibu Aisyah", "Sambal Roa Aisyah", "Kosambi"),
            (
                "sertifikat halal gimana caranya?",
                ("halal.go.id", "self declare", "Pendirian dan izin usaha", "Ceritakan"),
            ),
            ("Saya mau mengurus sertifikat halal untuk sambal saya", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("ya", "EK-"),
        ],
        Person("Aisyah", "ibu", "umkm", "Sambal Roa Aisyah", "Kosambi"),
        (
            Booking(
                "umkm",
                "pendirian_izin_usaha",
                "Saya mau mengurus sertifikat halal untuk sambal saya",
                "online",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "tshirt_printer_picks_another_time_at_the_summary",
        [
            *registered_seller("Yudi Permana", "Sablon Kaos Yudi", "Rajeg"),
            ("8", ("Pendampingan usaha dan pemasaran", "Ceritakan")),
            ("Saya ingin belajar promosi di media sosial", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("1", ("Ringkasan", "Senin, 23 November 2026, 13.00")),
            ("2", "Jadwal kosong"),
            ("selasa jam 3", ("Ringkasan", "Selasa, 24 November 2026, 15.00")),
            ("ya", "EK-"),
        ],
        Person("Yudi Permana", None, "umkm", "Sablon Kaos Yudi", "Rajeg"),
        (
            Booking(
                "umkm",
                "pendampingan_pemasaran",
                "Saya ingin belajar promosi di media sosial",
                "online",
                at(24, 15),
            ),
        ),
    ),
    Conversation(
        "cake_seller_sends_emoji_and_gibberish_and_is_not_handed_over",
        [
            *registered_seller("Lilis Suryani", "Kue Basah Lilis", "Mauk"),
            ("9", ("Laporan keuangan sederhana", "Ceritakan")),
            ("Catatan kas saya campur dengan uang belanja rumah", "tatap muka"),
            ("😂😂😂", ("tatap muka", "online")),
            ("asdfgh", ("menu", "petugas")),
            ("tatap muka", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("ya", "EK-"),
        ],
        Person("Lilis Suryani", None, "umkm", "Kue Basah Lilis", "Mauk"),
        (
            Booking(
                "umkm",
                "laporan_keuangan_sederhana",
                "Catatan kas saya campur dengan uang belanja rumah",
                "tatap_muka",
                at(23, 13),
            ),
        ),
        handoffs=(),
    ),
    Conversation(
        "meatball_seller_stops_the_booking_and_starts_again",
        [
            *registered_seller("Bambang Sutejo", "Bakso Pak Bambang", "Teluknaga"),
            ("batal", ("dihentikan", "tetap berlaku", "Menu utama")),
            ("reservasi", ("Bambang Sutejo", "Bakso Pak Bambang", "Lanjut")),
            ("1", "topik"),
            ("2", ("Akses permodalan", "Ceritakan")),
            ("Saya mau pinjam KUR untuk buka cabang", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("ya", "EK-"),
        ],
        Person("Bambang Sutejo", None, "umkm", "Bakso Pak Bambang", "Teluknaga"),
        (
            Booking(
                "umkm",
                "akses_permodalan",
                "Saya mau pinjam KUR untuk buka cabang",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "tailor_complains_about_the_questions_and_is_apologised_to",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("kok ribet banget sih, dari tadi ditanya terus!", ("maaf", "nama", "petugas")),
            ("Rina Marlina", ("Rina Marlina", "mewakili")),
            ("3", "nama usaha"),
            ("Rina Jahit", "kecamatan"),
            ("Cikupa", ("Betul", "Rina Jahit")),
            ("ya", ("Terima kasih", "klinik")),
        ],
        Person("Rina Marlina", None, "umkm", "Rina Jahit", "Cikupa"),
        (),
    ),
    Conversation(
        "cracker_maker_pages_the_topics_and_goes_back_from_the_summary_to_the_mode",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Ani Rahayu", "mewakili"),
            ("3", "nama usaha"),
            ("Rengginang Ani", "kecamatan"),
            ("Sepatan Timur", ("Betul", "Rengginang Ani", "Sepatan Timur")),
            ("ya", ("Klinik UMKM", "lainnya")),
            ("lainnya", ("9. Laporan keuangan sederhana", "Topik lain")),
            ("9", ("Laporan keuangan sederhana", "Ceritakan")),
            ("Saya belum pernah mencatat untung rugi", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("1", ("Ringkasan", "Online")),
            ("kembali", "Jadwal kosong"),
            ("kembali", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "Tatap muka")),
            ("ya", "EK-"),
        ],
        Person("Ani Rahayu", None, "umkm", "Rengginang Ani", "Sepatan Timur"),
        (
            Booking(
                "umkm",
                "laporan_keuangan_sederhana",
                "Saya belum pernah mencatat untung rugi",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "new_seller_has_no_business_name_yet",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Yusuf Maulana", "mewakili"),
            ("3", ("nama usaha", "belum ada")),
            ("belum ada", "kecamatan"),
            ("Cikupa", ("Betul", "UMKM", "Cikupa")),
            ("ya", ("Terima kasih, Pak Yusuf Maulana", "topik")),
            ("1", ("Pendirian dan izin usaha", "Ceritakan")),
            ("Saya baru mau mulai jualan kopi keliling dan belum punya izin", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("3", ("Ringkasan", "14.00")),
            ("ya", "EK-"),
        ],
        Person("Yusuf Maulana", None, "umkm", None, "Cikupa"),
        (
            Booking(
                "umkm",
                "pendirian_izin_usaha",
                "Saya baru mau mulai jualan kopi keliling dan belum punya izin",
                "online",
                at(23, 14),
            ),
        ),
    ),
    Conversation(
        "baker_answers_the_clinic_question_with_day_time_and_topic",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Hendro Wibowo", "mewakili"),
            ("3", "nama usaha"),
            ("Roti Hendro", "kecamatan"),
            ("kec. balaraja kab. tangerang", ("Betul", "Roti Hendro", "Balaraja")),
            ("ya", "klinik"),
            (
                "mau konsultasi hari jumat jam 1 siang soal NIB",
                ("Pendirian dan izin usaha", "Ceritakan"),
            ),
            ("Roti saya belum punya NIB dan mau dititip di kantin sekolah", "tatap muka"),
            ("tatap muka", ("Ringkasan", "Klinik UMKM", "Jumat, 27 November 2026, 13.00")),
            ("ya", "EK-"),
        ],
        Person("Hendro Wibowo", None, "umkm", "Roti Hendro", "Balaraja"),
        (
            Booking(
                "umkm",
                "pendirian_izin_usaha",
                "Roti saya belum punya NIB dan mau dititip di kantin sekolah",
                "tatap_muka",
                at(27, 13),
            ),
        ),
        xfail="at the clinic question, 'mau konsultasi hari jumat jam 1 siang soal NIB' (topic "
        "NIB means the UMKM clinic, and a day and time) gets 'Pilih nomor klinik dari daftar "
        "ya.': nothing of it is kept",
    ),
    Conversation(
        "seblak_seller_refuses_online_and_asks_for_one_oclock",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Lina Marlina", "mewakili"),
            ("3", "nama usaha"),
            ("Seblak Lina", "kecamatan"),
            ("Curug", ("Betul", "Seblak Lina")),
            ("ya", "topik"),
            ("2", ("Akses permodalan", "Ceritakan")),
            ("Saya butuh modal untuk gerobak kedua", "tatap muka"),
            ("jangan online, tatap muka aja", "Jadwal kosong"),
            ("jam 1 siang", ("Ringkasan", "Tatap muka", "Senin, 23 November 2026, 13.00")),
            ("ya", "EK-"),
        ],
        Person("Lina Marlina", None, "umkm", "Seblak Lina", "Curug"),
        (
            Booking(
                "umkm",
                "akses_permodalan",
                "Saya butuh modal untuk gerobak kedua",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "chips_maker_asks_about_pirt_and_halal_online_on_tuesday_in_one_message",
        [
            (
                'selamat siang, saya Rina pemilik usaha keripik singkong "Renyah Rina" di '
                "Cikupa. mau konsultasi cara urus PIRT dan label halal. bisa online lewat zoom "
                "hari selasa jam 2 siang?",
                ("Selamat siang, Bu Rina", "Betul", "Renyah Rina"),
            ),
            # two permit words outweigh one packaging word ("label")
            ("1", ("Pendirian dan izin usaha", "cara urus PIRT dan label halal")),
            ("iya", ("Ringkasan", "Selasa, 24 November 2026, 14.00", "Online")),
            ("1", "EK-"),
        ],
        Person("Rina", None, "umkm", "Renyah Rina", "Cikupa"),
        (
            Booking(
                "umkm",
                "pendirian_izin_usaha",
                "cara urus PIRT dan label halal",
                "online",
                at(24, 14),
            ),
        ),
    ),
    Conversation(
        "caterer_greets_e_klinik_by_name_and_announces_her_problem",
        [
            ("Halo E-Klinik", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Dewi Lestari", "mewakili"),
            ("3", "nama usaha"),
            ("Catering Dewi", "kecamatan"),
            ("Cikupa", "Betul"),
            ("ya", "topik"),
            ("9", ("Laporan keuangan sederhana", "Ceritakan")),
            # "E-Klinik" in a greeting chose no way of meeting: it is asked
            (
                "Masalahnya: pembukuan katering saya masih campur dengan uang rumah tangga",
                "tatap muka",
            ),
            ("online", "Jadwal kosong"),
            ("1", ("Ringkasan", "Pembukuan katering")),
            ("ya", "EK-"),
        ],
        Person("Dewi Lestari", None, "umkm", "Catering Dewi", "Cikupa"),
        (
            Booking(
                "umkm",
                "laporan_keuangan_sederhana",
                "Pembukuan katering saya masih campur dengan uang rumah tangga",
                "online",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "grocer_tells_her_trouble_and_asks_bisa_dibantu",
        [
            # a story that asks for help books; "catatan keuangan saya berantakan" is no name
            # and "warung sembako" in small letters describes the trade, it is no name either
            (
                "Saya punya warung sembako di Kelapa Dua, catatan keuangan saya berantakan dan "
                "uang warung sering kepake buat dapur. Bisa dibantu?",
                ("UMKM", "Kelapa Dua", "nama lengkap"),
            ),
            ("Siti Rahayu", ("Bu Siti Rahayu", "nama usaha")),
            ("blm", ("Betul", "Ibu Siti Rahayu", "Kelapa Dua")),  # no name yet
            ("ya", ("Laporan keuangan sederhana", "Yang Ibu tulis tadi", "sering kepake")),
            ("ya", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("1", ("Ringkasan", "13.00")),
            ("ya", "EK-"),
        ],
        Person("Siti Rahayu", None, "umkm", None, "Kelapa Dua"),
        (
            Booking(
                "umkm",
                "laporan_keuangan_sederhana",
                "catatan keuangan saya berantakan dan uang warung sering kepake buat dapur",
                "online",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "rice_seller_names_his_topic_with_a_question_about_his_loan",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Abdul Rohman", "mewakili"),
            ("3", "nama usaha"),
            ("Warung Beras Rohman", "kecamatan"),
            ("Balaraja", "Betul"),
            ("ya", "pilih topik"),
            # a question about his own loan is his problem, not a question about the list
            (
                "saya mau tanya modal, ada pinjaman buat nambah stok beras gak? bunga rendah",
                ("Akses permodalan", "Yang Bapak tulis tadi", "stok beras"),
            ),
            ("ya", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "13.00")),
            ("ya", "EK-"),
        ],
        Person("Abdul Rohman", None, "umkm", "Warung Beras Rohman", "Balaraja"),
        (
            Booking(
                "umkm",
                "akses_permodalan",
                "saya mau tanya modal, ada pinjaman buat nambah stok beras gak? bunga rendah",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "ojol_driver_says_his_job_first_and_corrects_his_name_in_a_sentence",
        [
            # "saya driver ojol" is his work, not his name; the business is noted
            ("saya driver ojol, rencana mau buka usaha gerobak kopi", ("UMKM", "nama lengkap")),
            ("iyaa agus kak", ("Pak Agus", "nama usaha")),  # "iyaa" is no part of the name
            ("belum ada", "kecamatan"),
            ("Cikupa", ("Betul", "Bapak Agus")),
            # the full name in a sentence at the card replaces the short one
            (
                "nama saya Agus Setiawan, yg lain sudah benar",
                ("Betul", "Bapak Agus Setiawan"),
            ),
            ("ya", ("Terima kasih, Pak Agus Setiawan", "pilih topik")),
            (
                "modal, butuh modal buat beli gerobak sama mesin kopi",
                ("Akses permodalan", "Yang Bapak tulis tadi", "mesin kopi"),
            ),
            ("ya", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "13.00")),
            ("ya", "EK-"),
        ],
        Person("Agus Setiawan", None, "umkm", None, "Cikupa"),
        (
            Booking(
                "umkm",
                "akses_permodalan",
                "butuh modal buat beli gerobak sama mesin kopi",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "hijab_seller_asks_about_online_marketing_and_is_asked_how_to_meet",
        [
            ("halo", "Menu utama"),
            # "pemasaran online" is her subject, not the way of meeting
            ("mau konsultasi pemasaran online", ("nama lengkap",)),
            ("Rina Marlina", "mewakili"),
            ("3", "nama usaha"),
            ("Hijab Rina", "kecamatan"),
            ("Cikupa", "Betul"),
            ("ya", "Akses pasar"),
            ("produk hijab saya kurang dikenal orang di instagram", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "Tatap muka")),
            ("ya", "EK-"),
        ],
        Person("Rina Marlina", None, "umkm", "Hijab Rina", "Cikupa"),
        (
            Booking(
                "umkm",
                "akses_pasar",
                "produk hijab saya kurang dikenal orang di instagram",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "tempe_maker_answers_whom_he_represents_with_his_trade",
        [
            ("mau konsul", "nama lengkap"),
            ("Agus Salim", "mewakili"),
            ("saya pembuat tempe di Rajeg", "nama usaha"),
            ("Tempe Bu Sri", ("Betul", "UMKM", "Tempe Bu Sri", "Rajeg")),
        ],
        None,
        (),
    ),
    Conversation(
        "caterer_gives_her_name_after_the_word_nama",
        [
            (
                'pagi kak mau booking klinik umkm. nama siti nurhaliza, usaha catering "Dapur '
                'Siti" di curug',
                ("Betul", "Siti Nurhaliza", "Dapur Siti", "Curug"),
            ),
        ],
        None,
        (),
    ),
    Conversation(
        "seller_answers_y_at_the_business_name_question",
        [
            ("mau konsul", "nama lengkap"),
            ("Rina Marlina", "mewakili"),
            ("3", "nama usaha"),
            ("y", "nama usaha"),
            ("Toko Rina", "kecamatan"),
        ],
        None,
        (),
    ),
    Conversation(
        "hijab_reseller_repeats_her_shop_name_with_a_remark",
        [
            ("mau konsul", "nama lengkap"),
            ("Putri Ayu", "mewakili"),
            ("3", "nama usaha"),
            ("kan udah aku bilang kak, Putri Hijab Store 😅", "kecamatan"),
            ("Cisauk", ("Betul", "Putri Hijab Store\n")),
        ],
        None,
        (),
    ),
    Conversation(
        "martabak_seller_sells_by_the_roadside_which_is_no_kecamatan",
        [
            (
                "sy jualan martabak manis & telor di pinggir jalan, mau nanya soal ngurus NIB nih",
                "nama lengkap",
            ),
            ("Jaka Permana", "nama usaha"),
            ("belum ada", "kecamatan"),
        ],
        None,
        (),
    ),
    Conversation(
        "coffee_seller_corrects_the_hour_at_the_summary_and_keeps_the_day",
        [
            ("mau konsul", "nama lengkap"),
            ("Nadia Safitri", "mewakili"),
            ("3", "nama usaha"),
            ("Kopi Nadia", "kecamatan"),
            ("Kelapa Dua", "Betul"),
            ("ya", "topik"),
            ("5", "Ceritakan"),
            ("followers IG kami stuck di 300an, jualan sepi", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("selasa jam 3 sore", ("Ringkasan", "Selasa, 24 November 2026, 15.00")),
            ("eh salah kak, maksudku jam 2 bukan jam 3", "Selasa, 24 November 2026, 14.00"),
        ],
        Person("Nadia Safitri", None, "umkm", "Kopi Nadia", "Kelapa Dua"),
        (),
    ),
    Conversation(
        "caterer_named_umi_keeps_her_first_name_and_a_remark_leaves_the_shop_name",
        [
            ("mau konsul", "nama lengkap"),
            ("nama sy Umi Kulsum", ("Umi Kulsum", "mewakili")),
            ("3", "nama usaha"),
            ("Es Teh Segerr (pake 2 r ya kak)", "kecamatan"),
            ("Cisoka", ("Betul", "Es Teh Segerr\n")),
        ],
        None,
        (),
    ),
    Conversation(
        "nasi_uduk_seller_asks_for_a_morning_at_the_afternoon_clinic",
        [
            ("mau konsul", "nama lengkap"),
            ("Haji Mamat", "mewakili"),
            ("3", "nama usaha"),
            ("Nasi Uduk Mamat", "kecamatan"),
            ("Sepatan Timur", "Betul"),
            ("ya", "pilih topik"),
            ("2", "Ceritakan"),
            ("KUR saya ditolak karena SLIK OJK, gimana ya caranya", "cara apa"),
            ("tatap muka", "Jadwal kosong"),
            ("kl selasa pagi bisa?", ("tidak ada jadwal pagi", "13.00–16.00", "Selasa")),
            (
                "emg ga ada yg pagi ya? sy siang jualan",
                ("tidak ada jadwal pagi", "Selasa, 24 November 2026, 13.00", "!belum menangkap"),
            ),
            ("1", "Ringkasan"),
            ("ya", "EK-"),
        ],
        Person("Mamat", "haji", "umkm", "Nasi Uduk Mamat", "Sepatan Timur"),
        (
            Booking(
                "umkm",
                "akses_permodalan",
                "KUR saya ditolak karena SLIK OJK, gimana ya caranya",
                "tatap_muka",
                at(24, 13),
            ),
        ),
    ),
    Conversation(
        "cookie_maker_picks_a_number_then_asks_about_zoom_in_the_same_bubble",
        [
            ("mau konsul", "nama lengkap"),
            ("Kiki", "mewakili"),
            ("3", "nama usaha"),
            ("Kiki Cookies", "kecamatan"),
            ("Cikupa", "Betul"),
            ("ya", "pilih topik"),
            ("1", "Ceritakan"),
            ("mau urus PIRT buat kue kering rumahan", "cara apa"),
            ("online", "Jadwal kosong"),
            (
                "2 ya kak. btw ini online kan? zoomnya gimana",
                ("Ringkasan", "13.30", "!belum menangkap"),
            ),
        ],
        Person("Kiki", None, "umkm", "Kiki Cookies", "Cikupa"),
        (),
    ),
]


@pytest.mark.parametrize("conversation", cases(CONVERSATIONS))
def test_small_business_conversation(
    conversation: Conversation, dialog: Dialog, db: sa.Engine, clock: FakeClock
) -> None:
    play(conversation, dialog, db, clock)
