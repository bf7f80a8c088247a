"""Acceptance corpus: elderly people, who write long single messages, call the bot "nak", and
tell stories. Each conversation checks the replies and what was stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from tests.corpus import ANY, Booking, Conversation, Person, at, cases, play
from tests.dialog import Dialog

# An elderly chairman's letter with everything in it, and what it must leave behind.
DARMAWAN_LETTER = (
    "Assalamualaikum wr wb. Saya H. Darmawan, ketua Koperasi Serba Usaha Tani Makmur di "
    "kecamatan Pasar Kemis. Kami ingin konsultasi soal RAT yang sudah 2 tahun belum "
    "dilaksanakan, anggota mulai resah. Kalau bisa hari rabu jam 10 pagi, datang langsung ke "
    "kantor. Terima kasih"
)
DARMAWAN = Person(
    "Darmawan", "haji", "koperasi_konvensional", "Koperasi Serba Usaha Tani Makmur", "Pasar Kemis"
)
DARMAWAN_RAT = Booking(
    "koperasi",
    "manajemen_koperasi",
    "RAT yang sudah 2 tahun belum dilaksanakan, anggota mulai resah",
    "tatap_muka",
    at(25, 10),
)

CONVERSATIONS = [
    Conversation(
        "village_head_writes_a_letter_with_numbers_that_are_no_menu_choices",
        [
            (
                "Assalamualaikum. Perkenalkan, nama saya Bapak Suharjono, ketua Koperasi Serba "
                "Usaha Tani Makmur di Kecamatan Jayanti. Koperasi kami sudah berdiri 6 tahun, "
                "anggotanya 85 orang, tetapi sudah dua tahun belum mengadakan RAT. Saya mohon "
                "bisa dibantu konsultasi soal RAT tersebut.",
                ("Pak Suharjono", "Betul", "Koperasi Serba Usaha Tani Makmur", "Jayanti"),
            ),
        ],
        None,
        (),
    ),
    Conversation(
        "retired_soldier_gives_a_cooperative_name_with_dan_in_it",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Darsono", ("Pak Darsono", "mewakili")),
            ("1", "nama koperasi"),
            ("Koperasi Warakauri dan Purnawirawan Bhakti Sejahtera.", "kecamatan"),
            ("Tigaraksa", ("Betul", "Koperasi Warakauri dan Purnawirawan Bhakti Sejahtera")),
            ("ya", "topik"),
        ],
        Person(
            "Darsono",
            None,
            "koperasi_konvensional",
            "Koperasi Warakauri dan Purnawirawan Bhakti Sejahtera",
            "Tigaraksa",
        ),
        (),
    ),
    Conversation(
        "hajjah_writes_a_formal_letter_opening_with_dengan_hormat",
        [
            (
                "Dengan hormat,\nSaya Hj. Siti Rohmah, bendahara Koperasi Wanita Melati di "
                "Panongan. Kami ingin berkonsultasi mengenai laporan keuangan koperasi.",
                ("Ibu Hajjah Siti Rohmah", "Koperasi Wanita Melati", "Panongan"),
            ),
        ],
        None,
        (),
    ),
    Conversation(
        "haji_chooses_online_because_the_office_is_far_and_names_next_monday",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("H. Abdul Rahman, S.E.", "mewakili"),
            ("1", "nama koperasi"),
            ("KUD Mina Jaya", "kecamatan"),
            ("Mauk", ("Betul", "KUD Mina Jaya")),
            ("ya", "topik"),
            ("2", ("Akses permodalan", "Ceritakan")),
            ("RAT kami sudah 2 tahun belum dilaksanakan", "tatap muka"),
            (
                "Online saja, saya sdh sepuh jauh ke kantor. Senin depan jam 10 bisa?",
                ("Ringkasan", "Online", "Senin, 30 November 2026, 10.00"),
            ),
            ("ya", "EK-"),
        ],
        Person("Abdul Rahman, S.E.", "haji", "koperasi_konvensional", "KUD Mina Jaya", "Mauk"),
        (
            Booking(
                "koperasi",
                "akses_permodalan",
                "RAT kami sudah 2 tahun belum dilaksanakan",
                "online",
                at(30, 10),
            ),
        ),
    ),
    Conversation(
        "haji_chairman_writes_everything_in_one_long_first_message",
        [
            (
                "Assalamualaikum wr wb. Perkenalkan saya Bapak Haji Mukhtar, ketua Koperasi "
                "Serba Usaha Al Barokah di kecamatan Balaraja. Kami mau konsultasi tentang "
                "laporan keuangan, bisa hari rabu jam 10 tatap muka? Terima kasih.",
                ("Betul", "Haji Mukhtar", "Koperasi Serba Usaha Al Barokah", "Balaraja"),
            ),
            ("ya betul", ("Terima kasih, Pak Haji Mukhtar", "Laporan keuangan", "Ceritakan")),
            (
                "Laporan SHU tahun lalu belum selesai karena bendahara kami sakit",
                ("Ringkasan", "Tatap muka", "Rabu, 25 November 2026, 10.00"),
            ),
            ("ya", "EK-"),
        ],
        Person(
            "Mukhtar",
            "haji",
            "koperasi_konvensional",
            "Koperasi Serba Usaha Al Barokah",
            "Balaraja",
        ),
        (
            Booking(
                "koperasi",
                "laporan_keuangan",
                "Laporan SHU tahun lalu belum selesai karena bendahara kami sakit",
                "tatap_muka",
                at(25, 10),
            ),
        ),
    ),
    Conversation(
        "hajjah_cookie_baker_introduces_herself_and_her_wish_in_one_message",
        [
            (
                "Selamat pagi nak, saya Ibu Hajjah Rohimah, jualan kue kering namanya Kue Kering "
                "Bu Imah, di Curug. Mau tanya soal kemasan, kapan bisa ketemu?",
                ("Betul", "Rohimah", "Kue Kering Bu Imah", "Curug"),
            ),
            (
                "iya",
                ("Terima kasih, Bu Hajjah Rohimah", "Kualitas produk dan kemasan", "Ceritakan"),
            ),
            ("Kemasan kue saya masih plastik biasa, mau dibuat lebih bagus", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "Klinik UMKM", "13.00")),
            ("ya", "EK-"),
        ],
        Person("Rohimah", "hajjah", "umkm", "Kue Kering Bu Imah", "Curug"),
        (
            Booking(
                "umkm",
                "kualitas_produk_kemasan",
                "Kemasan kue saya masih plastik biasa, mau dibuat lebih bagus",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "grandfather_reminds_that_he_already_gave_his_name",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            (
                "lho tadi kan sudah saya tulis nak, namanya Pak Darto",
                ("maaf", "Pak Darto", "mewakili"),
            ),
            ("1", "nama koperasi"),
            ("KSU Karya Tani", "kecamatan"),
            ("Mekar Baru", ("Betul", "Bapak Darto", "KSU Karya Tani", "Mekar Baru")),
            ("ya", ("Terima kasih, Pak Darto", "klinik")),
        ],
        Person("Darto", "bapak", "koperasi_konvensional", "KSU Karya Tani", "Mekar Baru"),
        (),
    ),
    Conversation(
        "cooperative_mother_tells_her_problem_in_two_bubbles",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Ibu Suminah", ("Bu Suminah", "mewakili")),
            ("1", "nama koperasi"),
            ("KSP Sumber Makmur", "kecamatan"),
            ("Gunung Kaler", ("Betul", "Gunung Kaler")),
            ("ya", "topik"),
            ("2", ("Akses permodalan", "Ceritakan")),
            ("Koperasi kami kekurangan modal untuk pinjaman anggota", "tatap muka"),
            (
                "terus anggota juga banyak yang menunggak bayar cicilan",
                ("ceritanya kami tambahkan", "tatap muka"),
            ),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "menunggak")),
            ("ya", "EK-"),
        ],
        Person("Suminah", "ibu", "koperasi_konvensional", "KSP Sumber Makmur", "Gunung Kaler"),
        (
            Booking(
                "koperasi",
                "akses_permodalan",
                "Koperasi kami kekurangan modal untuk pinjaman anggota. terus anggota juga "
                "banyak yang menunggak bayar cicilan",
                "tatap_muka",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "retired_teacher_writes_the_date_the_old_way",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Pak Harun Al Rasyid", ("Pak Harun Al Rasyid", "mewakili")),
            ("1", "nama koperasi"),
            ("KPRI Pensiunan Sejahtera", "kecamatan"),
            ("Kosambi", ("Betul", "KPRI Pensiunan Sejahtera")),
            ("ya", "topik"),
            ("3", "Ceritakan"),
            ("Pengurus kami sudah tua tua semua dan belum ada regenerasi", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("tgl 1 desember jam 9 pagi", ("Ringkasan", "Selasa, 1 Desember 2026, 09.00")),
            ("ya", "EK-"),
        ],
        Person(
            "Harun Al Rasyid",
            "bapak",
            "koperasi_konvensional",
            "KPRI Pensiunan Sejahtera",
            "Kosambi",
        ),
        (
            Booking(
                "koperasi",
                "manajemen_koperasi",
                "Pengurus kami sudah tua tua semua dan belum ada regenerasi",
                "tatap_muka",
                at(1, 9, month=12),
            ),
        ),
    ),
    Conversation(
        "grandmother_asks_the_office_address_while_choosing_a_time",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Ibu Marsinah", ("Bu Marsinah", "mewakili")),
            ("3", "nama usaha"),
            ("Emping Melinjo Marsinah", "kecamatan"),
            ("Kresek", ("Betul", "Emping Melinjo Marsinah")),
            ("ya", "topik"),
            ("4", ("Kualitas produk dan kemasan", "Ceritakan")),
            ("Emping saya mau dijual ke toko oleh oleh", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("alamat kantornya dimana ya nak?", ("Alamat", "Jl. Contoh", "Jadwal kosong")),
            ("1", "Ringkasan"),
            ("ya", "EK-"),
        ],
        Person("Marsinah", "ibu", "umkm", "Emping Melinjo Marsinah", "Kresek"),
        (
            Booking(
                "umkm",
                "kualitas_produk_kemasan",
                "Emping saya mau dijual ke toko oleh oleh",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "farmer_sends_stop_by_mistake_and_continues_with_mulai",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Pak Sudirman", ("Pak Sudirman", "mewakili")),
            ("1", "nama koperasi"),
            ("KUD Jaya Tani", "kecamatan"),
            ("Sukamulya", ("Betul", "Sukamulya")),
            ("ya", "topik"),
            ("2", "Ceritakan"),
            ("Kami ingin pinjaman dari LPDB", "tatap muka"),
            ("stop", ("tidak akan menerima pesan", "mulai")),
            ("mulai", ("aktif lagi", "lanjutkan", "tatap muka")),
            ("tatap muka", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("ya", "EK-"),
        ],
        Person("Sudirman", "bapak", "koperasi_konvensional", "KUD Jaya Tani", "Sukamulya"),
        (
            Booking(
                "koperasi",
                "akses_permodalan",
                "Kami ingin pinjaman dari LPDB",
                "tatap_muka",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "fisherman_grandfather_asks_for_sunday",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Mbah Warsito", ("Warsito", "mewakili")),
            ("4", "kecamatan"),
            ("Kronjo", ("Betul", "Kronjo")),
            ("ya", "klinik"),
            ("1", "topik"),
            ("1", ("Pendirian koperasi", "Ceritakan")),
            ("Saya dan tetangga ingin mendirikan koperasi nelayan", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            (
                "bisa hari minggu nak? soalnya hari biasa saya melaut",
                ("hari Minggu", "Jadwal kosong"),
            ),
            ("senin depan jam 10", ("Ringkasan", "Senin, 30 November 2026, 10.00")),
            ("ya", "EK-"),
        ],
        Person("Warsito", None, "warga", None, "Kronjo"),
        (
            Booking(
                "koperasi",
                "pendirian_koperasi",
                "Saya dan tetangga ingin mendirikan koperasi nelayan",
                "tatap_muka",
                at(30, 10),
            ),
        ),
    ),
    Conversation(
        "disappointed_visitor_complains_in_her_first_message",
        [
            ("halo", "Menu utama"),
            (
                "saya kecewa sekali, minggu lalu sudah datang jauh-jauh ke kantor dinas tapi "
                "tidak ada petugas yang melayani",
                ("Mohon maaf", "petugas"),
            ),
        ],
        None,
        (),
    ),
    Conversation(
        "hajjah_tells_a_long_story_with_days_in_it",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Ibu Hajjah Khadijah", ("Bu Hajjah Khadijah", "mewakili")),
            ("2", "nama koperasi"),
            ("KSPPS Nurul Iman", "kecamatan"),
            ("Rajeg", ("Betul", "Koperasi syariah", "Rajeg")),
            ("ya", "topik"),
            ("3", ("Manajemen koperasi", "Ceritakan")),
            (
                "Begini nak, kemarin sore pengurus rapat, rencananya minggu depan mau RAT tapi "
                "laporan belum siap, kami bingung harus mulai dari mana karena bendahara lama "
                "sudah meninggal dunia dan bukunya tidak lengkap",
                "tatap muka",
            ),
            ("tatap muka", ("Jadwal kosong", "Senin, 23 November 2026, 10.00")),
            ("1", ("Ringkasan", "bendahara lama")),
            ("ya", "EK-"),
        ],
        Person("Khadijah", "hajjah", "koperasi_syariah", "KSPPS Nurul Iman", "Rajeg"),
        (
            Booking(
                "koperasi",
                "manajemen_koperasi",
                "Kemarin sore pengurus rapat, rencananya minggu depan mau RAT "
                "tapi laporan belum siap, kami bingung harus mulai dari mana karena bendahara "
                "lama sudah meninggal dunia dan bukunya tidak lengkap",
                "tatap_muka",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "widower_would_rather_talk_to_a_person_and_waits_for_staff",
        [
            ("halo", "Menu utama"),
            (
                "saya mau bicara langsung dengan petugas saja nak, saya kurang paham pakai hp",
                ("petugas", "di luar jam layanan"),
            ),
            ("terima kasih nak, saya tunggu", None),
        ],
        None,
        (),
        handoffs=("pending",),
    ),
    Conversation(
        "haji_asks_for_a_consultation_on_an_overdue_rat_in_one_letter",
        [
            (
                DARMAWAN_LETTER,
                ("Wa'alaikumsalam, Pak Haji Darmawan", "Betul", "Pasar Kemis"),
            ),
            # the subject of his request is the problem; the wish for a time and mode is not
            ("1", ("Manajemen koperasi", "Yang Bapak tulis tadi", "anggota mulai resah")),
            ("ya", ("Ringkasan", "Rabu, 25 November 2026, 10.00", "Tatap muka")),
            ("ya", "EK-"),
        ],
        DARMAWAN,
        (DARMAWAN_RAT,),
    ),
    Conversation(
        "hajjah_writes_a_formal_letter_whose_courtesies_are_not_the_problem",
        [
            (
                "Selamat siang Bapak/Ibu petugas yang saya hormati. Mohon maaf mengganggu "
                "waktunya. Saya Hj. Suryani, ketua Koperasi Wanita Melati di Cikupa. Anggota kami "
                "banyak yang menunggak pinjaman sehingga kas koperasi kosong. Mohon dijadwalkan "
                "konsultasi hari selasa jam 10 secara online. Atas perhatian dan bantuannya saya "
                "ucapkan terima kasih",
                ("Selamat siang, Bu Hajjah Suryani", "Betul", "Koperasi Wanita Melati"),
            ),
            ("1", ("Tingkat kesehatan koperasi", "Yang Ibu tulis tadi", "kas koperasi kosong")),
            ("ya", ("Ringkasan", "Selasa, 24 November 2026, 10.00", "Online")),
            ("ya", "EK-"),
        ],
        Person("Suryani", "hajjah", "koperasi_konvensional", "Koperasi Wanita Melati", "Cikupa"),
        (
            Booking(
                "koperasi",
                "kesehatan_koperasi",
                "Anggota kami banyak yang menunggak pinjaman sehingga kas koperasi kosong",
                "online",
                at(24, 10),
            ),
        ),
    ),
    Conversation(
        "haji_confirms_his_problem_with_a_sentence_that_is_not_added_to_it",
        [
            (
                DARMAWAN_LETTER,
                ("Wa'alaikumsalam, Pak Haji Darmawan", "Betul"),
            ),
            ("1", ("Manajemen koperasi", "Yang Bapak tulis tadi")),
            ("Ya betul, itu masalahnya Nak.", ("Ringkasan", "Rabu, 25 November 2026, 10.00")),
            ("ya", "EK-"),
        ],
        DARMAWAN,
        (DARMAWAN_RAT,),
    ),
    Conversation(
        "chairman_introduces_himself_between_commas_and_signs_his_letter",
        [
            (
                "Assalamualaikum wr. wb. Dengan hormat, perkenankan saya, H. Sukardi, selaku "
                "Ketua KSU Tani Makmur di Kecamatan Pasar Kemis, menyampaikan maksud untuk "
                "berkonsultasi tentang RAT yang belum terlaksana. Hormat saya, H. Sukardi",
                ("Wa'alaikumsalam", "Betul", "Sukardi", "KSU Tani Makmur", "Pasar Kemis"),
            ),
        ],
        None,
        (),
    ),
    Conversation(
        "slow_typist_tells_her_problem_one_word_per_bubble",
        [
            ("mau konsul", "nama lengkap"),
            ("Sri Wahyuni", "mewakili"),
            ("3", "nama usaha"),
            ("Keripik Sri", "kecamatan"),
            ("Legok", "Betul"),
            ("ya", "topik"),
            ("kemasan", ("Kualitas produk dan kemasan", "Ceritakan")),
            ("keripik", "lebih lengkap"),
            ("saya", "keripik saya"),
            ("masih", "keripik saya masih"),
            ("plastik", "keripik saya masih plastik"),
            ("ya", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("ya", "EK-"),
        ],
        Person("Sri Wahyuni", None, "umkm", "Keripik Sri", "Legok"),
        (
            Booking(
                "umkm",
                "kualitas_produk_kemasan",
                "keripik saya masih plastik",
                "online",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "chairman_asks_three_numbered_questions_in_a_letter_before_booking",
        [
            (
                "Assalamualaikum Wr. Wb.\n\nKepada Yth. Kepala Dinas Koperasi dan UMKM "
                "Kabupaten Tangerang\nc.q. Pengelola Klinik Koperasi\ndi tempat\n\nDengan "
                "hormat,\nSaya yang bertanda tangan di bawah ini, Drs. H. Abdul Manan, Ketua "
                'Koperasi Simpan Pinjam "Bina Usaha Mandiri" Kecamatan Curug, ingin '
                "menanyakan beberapa hal sebagai berikut:\n1. Apakah layanan konsultasi di "
                "klinik ini dipungut biaya?\n2. Dokumen apa saja yang perlu kami bawa apabila "
                "hendak berkonsultasi secara langsung?\n3. Di mana alamat kantor klinik dan jam "
                "berapa buka?\n\nDemikian surat ini saya sampaikan.\n\nHormat saya,\nDrs. H. "
                "Abdul Manan",
                ("gratis", "Bawa KTP", "Alamat", "Jam layanan", "menu"),
            ),
        ],
        None,
        (),
    ),
    Conversation(
        "chairman_of_a_ksu_in_pasar_kemis_writes_a_formal_letter_about_his_rat",
        [
            (
                "Assalamualaikum warahmatullahi wabarakatuh.\n\nYth. Bapak/Ibu Pengelola "
                "Klinik Koperasi Dinas Koperasi dan UMKM Kabupaten Tangerang,\n\nDengan "
                "hormat, perkenankan saya, H. Sukardi, selaku Ketua Koperasi Serba Usaha "
                '"Tani Makmur Sejahtera" yang berkedudukan di Kecamatan Pasar Kemis, '
                "menyampaikan maksud untuk berkonsultasi. Koperasi kami sudah berdiri sejak "
                "tahun 1998 namun belum pernah melaksanakan RAT secara tertib selama tiga tahun "
                "terakhir, dan pengurus bingung menyusun laporan pertanggungjawaban.\n\nMohon "
                "kiranya kami dapat dijadwalkan untuk bertemu langsung di kantor Dinas, karena "
                "saya sudah sepuh dan kurang paham Zoom. Kalau bisa hari Rabu pagi.\n\nHormat "
                "saya,\nH. Sukardi",
                ("Wa'alaikumsalam", "Betul", "Bapak Haji Sukardi", "Pasar Kemis"),
            ),
            (
                "ya, betul nama saya Haji Sukardi. Mohon maaf saya sudah tua.",
                (
                    "Terima kasih, Pak Haji Sukardi",
                    "Manajemen koperasi",
                    "_Koperasi kami sudah berdiri sejak tahun 1998",
                ),
            ),
            ("ya", ("Jadwal kosong", "Rabu, 25 November 2026, 09.00")),
        ],
        Person("Sukardi", "haji", "koperasi_konvensional", ANY, "Pasar Kemis"),
        (),
    ),
    Conversation(
        "chairman_fills_his_letter_in_like_a_form",
        [
            (
                "Dengan hormat,\nNama : Drs. Bambang Hadi Prayitno\nJabatan : Ketua Pengurus\n"
                "Koperasi : KSP Sejahtera Mandiri\nKecamatan : Cikupa\n\nAdapun pokok "
                "permasalahan yang kami hadapi adalah banyaknya pinjaman anggota yang macet "
                "sejak dua tahun terakhir. Mohon dijadwalkan konsultasi.",
                ("Betul", "Bapak Bambang Hadi Prayitno\n", "KSP Sejahtera Mandiri", "Cikupa"),
            ),
            ("ya", ("Tingkat kesehatan koperasi", "Banyaknya pinjaman anggota yang macet")),
        ],
        Person(
            "Bambang Hadi Prayitno",
            "bapak",
            "koperasi_konvensional",
            "KSP Sejahtera Mandiri",
            "Cikupa",
        ),
        (),
    ),
    Conversation(
        "slow_typist_writes_a_short_problem_and_half_of_tatap_muka",
        [
            ("mau konsul", "nama lengkap"),
            ("Sri Wahyuni", "mewakili"),
            ("3", "nama usaha"),
            ("belum ada", "kecamatan"),
            ("Legok", "Betul"),
            ("ya", "topik"),
            ("2", "Ceritakan"),
            ("mau pinjam", "tatap muka"),
            ("buat usaha", "ceritanya kami tambahkan"),
            ("jahit", "ceritanya kami tambahkan"),
            ("tatap", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("ya", "EK-"),
        ],
        Person("Sri Wahyuni", None, "umkm", None, "Legok"),
        (
            Booking(
                "umkm",
                "akses_permodalan",
                "mau pinjam buat usaha jahit",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "chairman_confirms_the_summary_in_a_courteous_sentence",
        [
            ("mau konsul", "nama lengkap"),
            ("Suparno", "mewakili"),
            ("1", "nama koperasi"),
            ("KUD Tani Makmur", "kecamatan"),
            ("Sukadiri", ("Betul", "Sukadiri")),
            ("ya", "pilih topik"),
            ("banyak anggota nunggak bayar pinjaman", "Tingkat kesehatan koperasi"),
            ("tatap muka", "Jadwal kosong"),
            ("1", "Ringkasan"),
            (
                "Sudah benar. Silakan dipesankan. Terima kasih banyak atas bantuannya.",
                "EK-2611-0001",
            ),
        ],
        Person("Suparno", None, "koperasi_konvensional", "KUD Tani Makmur", "Sukadiri"),
        (
            Booking(
                "koperasi",
                "kesehatan_koperasi",
                "banyak anggota nunggak bayar pinjaman",
                "tatap_muka",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "treasurer_agrees_to_her_card_and_goes_on_with_her_story",
        [
            ("mau konsul", "nama lengkap"),
            ("Nurhasanah", "mewakili"),
            ("1", "nama koperasi"),
            ("Koperasi Wanita Melati", "kecamatan"),
            ("Balaraja", "Betul"),
            (
                "Iya nak. Begini, kami bingung cara menghitung SHU tahun ini. Kami takut salah "
                "hitung",
                ("sudah kami simpan", "Laporan keuangan", "bingung cara menghitung SHU"),
            ),
        ],
        Person("Nurhasanah", None, "koperasi_konvensional", "Koperasi Wanita Melati", "Balaraja"),
        (),
    ),
    Conversation(
        "chairman_corrects_the_day_with_a_complaint_at_the_summary",
        [
            ("mau konsul", "nama lengkap"),
            ("Suparman", "mewakili"),
            ("1", "nama koperasi"),
            ("KSU Tani Jaya", "kecamatan"),
            ("Rajeg", "Betul"),
            ("ya", "pilih topik"),
            ("3", "Ceritakan"),
            ("RAT kami belum terlaksana dua tahun", "cara apa"),
            ("tatap muka", "Jadwal kosong"),
            (
                "Mohon maaf nak, hari Selasa saya ada pengajian. Apakah hari Rabu pagi bisa? "
                "sekitar jam sembilan",
                ("Ringkasan", "Rabu, 25 November 2026, 09.00"),
            ),
            ("Lho nak, kok Rabu? Saya mintanya hari Kamis", ("Kamis, 26 November 2026",)),
        ],
        Person("Suparman", None, "koperasi_konvensional", "KSU Tani Jaya", "Rajeg"),
        (),
    ),
]


@pytest.mark.parametrize("conversation", cases(CONVERSATIONS))
def test_elderly_person_conversation(
    conversation: Conversation, dialog: Dialog, db: sa.Engine, clock: FakeClock
) -> None:
    play(conversation, dialog, db, clock)
