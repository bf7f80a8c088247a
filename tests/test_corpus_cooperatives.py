"""Acceptance corpus: officers of cooperatives (KSP, KSPPS/BMT, KUD, KPRI) book consultations.
Each conversation checks the replies and what was stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from tests.corpus import ANY, Booking, Conversation, Person, at, cases, play
from tests.dialog import Dialog

# Two other cooperatives take both seats of Monday 10.00 at the cooperative clinic.
FILLS_MONDAY_TEN = tuple(
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
        "1",
        "ya",
    )
    for name, org in (("Andi Wijaya", "Koperasi Satu"), ("Budi Hartono", "Koperasi Dua"))
)

CONVERSATIONS = [
    Conversation(
        "kud_secretary_speaks_of_its_fertiliser_business_and_gets_the_cooperative_clinic",
        [
            ("punten", "Menu utama"),
            (
                "abdi sekretaris KUD Mekar Tani, Kresek. bade konsultasi ngeunaan usaha "
                "penyaluran pupuk ka anggota patani",
                ("KUD Mekar Tani", "nama lengkap"),
            ),
            ("Ujang Sutisna", ("Betul", "KUD Mekar Tani", "Kresek")),
            ("muhun leres", ("Terima kasih, Pak Ujang Sutisna", "Klinik Koperasi")),
        ],
        Person("Ujang Sutisna", None, "koperasi_konvensional", "KUD Mekar Tani", "Kresek"),
        (),
    ),
    Conversation(
        "womens_cooperative_secretary_corrects_two_fields_in_one_message",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Yanti", ("Bu Yanti", "mewakili")),
            ("1", "nama koperasi"),
            ("Kopwan Melati", "kecamatan"),
            ("Sepatan", ("Betul", "Sepatan")),
            (
                "eh namanya lengkapnya Yanti Kusumawati ya. trus kecamatannya salah, harusnya "
                "Sepatan Timur",
                ("Betul", "Yanti Kusumawati", "Sepatan Timur"),
            ),
            ("ya", ("Terima kasih, Bu Yanti Kusumawati", "topik")),
        ],
        Person("Yanti Kusumawati", None, "koperasi_konvensional", kecamatan="Sepatan Timur"),
        (),
    ),
    Conversation(
        "treasurer_asks_two_things_at_once_before_booking",
        [
            ("halo", "Menu utama"),
            ("buka hari apa aja ya? terus bayar ga?", ("Jam layanan", "gratis")),
        ],
        None,
        (),
    ),
    Conversation(
        "ksp_treasurer_names_the_kind_of_cooperative_then_its_name",
        [
            ("Selamat pagi", "Menu utama"),
            ("mau daftar konsultasi", "nama lengkap"),
            ("Bu Ratna Dewi", ("Bu Ratna Dewi", "mewakili")),
            ("koperasi simpan pinjam", "nama koperasi"),
            ("KSP Sejahtera Bersama", "kecamatan"),
            ("pasar kemis", ("Betul", "KSP Sejahtera Bersama", "Pasar Kemis")),
            ("iya benar", ("Terima kasih, Bu Ratna Dewi", "topik")),
            ("pembukuan", ("Laporan keuangan", "Ceritakan")),
            ("Neraca kami tidak seimbang sejak pergantian bendahara", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("rabu jam 9", ("Ringkasan", "Rabu, 25 November 2026, 09.00")),
            ("betul", "EK-"),
        ],
        Person(
            "Ratna Dewi", "ibu", "koperasi_konvensional", "KSP Sejahtera Bersama", "Pasar Kemis"
        ),
        (
            Booking(
                "koperasi",
                "laporan_keuangan",
                "Neraca kami tidak seimbang sejak pergantian bendahara",
                "tatap_muka",
                at(25, 9),
            ),
        ),
    ),
    Conversation(
        "kspps_officer_says_not_an_ordinary_cooperative_but_syariah",
        [
            ("Assalamualaikum", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Nama saya Fatimah Zahra", ("Fatimah Zahra", "mewakili")),
            ("bukan koperasi biasa, syariah", "nama koperasi"),
            ("KSPPS Al Ikhlas", "kecamatan"),
            ("kelapa dua", ("Koperasi syariah", "KSPPS Al Ikhlas", "Kelapa Dua")),
            ("ya", "topik"),
            ("akses permodalan", ("Akses permodalan", "Ceritakan")),
            (
                "Kami ingin tahu cara mengajukan pembiayaan dana bergulir untuk anggota",
                "tatap muka",
            ),
            ("online", "Jadwal kosong"),
            ("2", ("Ringkasan", "10.30")),
            ("ya", "EK-"),
        ],
        Person("Fatimah Zahra", None, "koperasi_syariah", "KSPPS Al Ikhlas", "Kelapa Dua"),
        (
            Booking(
                "koperasi",
                "akses_permodalan",
                "Kami ingin tahu cara mengajukan pembiayaan dana bergulir untuk anggota",
                "online",
                at(23, 10, 30),
            ),
        ),
    ),
    Conversation(
        "kud_chairman_names_his_cooperative_first_and_asks_the_cost_mid_booking",
        [
            ("selamat siang pak", "Menu utama"),
            ("saya ketua KUD Sumber Rejeki mau konsultasi", "nama lengkap"),
            ("Pak Darmono", ("Pak Darmono", "kecamatan")),
            ("Tigaraksa", ("Betul", "KUD Sumber Rejeki", "Tigaraksa")),
            ("ya", ("Terima kasih, Pak Darmono", "topik")),
            ("ini bayar tidak?", ("gratis", "pilih topik")),
            ("3", ("Manajemen koperasi", "Ceritakan")),
            ("Pengurus dan pengawas sering berselisih soal pembagian tugas", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "Senin, 23 November 2026, 10.00")),
            ("ya", "EK-"),
        ],
        Person("Darmono", "bapak", "koperasi_konvensional", "KUD Sumber Rejeki", "Tigaraksa"),
        (
            Booking(
                "koperasi",
                "manajemen_koperasi",
                "Pengurus dan pengawas sering berselisih soal pembagian tugas",
                "tatap_muka",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "kpri_treasurer_asks_about_tax_and_picks_the_nearest_topic",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Ibu Endang Susilowati", ("Bu Endang Susilowati", "mewakili")),
            ("1", "nama koperasi"),
            # the kecamatan ending the name is taken, not asked again
            ("KPRI Guru Sejahtera Curug", ("Betul", "KPRI Guru Sejahtera Curug", "Curug")),
            ("ya", "topik"),
            ("urusan pajak koperasi", ("belum ada persis", "Laporan keuangan", "Topik lain")),
            ("1", ("Laporan keuangan", "Ceritakan")),
            ("Kami tidak tahu apakah SHU anggota kena pajak", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("1", ("Ringkasan", "Online")),
            ("ya", ("EK-", "Link Zoom")),
        ],
        Person(
            "Endang Susilowati",
            "ibu",
            "koperasi_konvensional",
            "KPRI Guru Sejahtera Curug",
            "Curug",
        ),
        (
            Booking(
                "koperasi",
                "laporan_keuangan",
                "Kami tidak tahu apakah SHU anggota kena pajak",
                "online",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "ksp_manager_corrects_the_kecamatan_at_the_confirmation",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Agus Salim", "mewakili"),
            ("1", "nama koperasi"),
            ("KSP Mitra Usaha", "kecamatan"),
            ("Balaraja", ("Betul", "Balaraja")),
            ("2", "Bagian mana"),
            ("ubah kecamatan", "kecamatan"),
            ("Legok", ("Betul", "Legok", "KSP Mitra Usaha", "Agus Salim")),
            ("ya", "topik"),
            ("2", "Ceritakan"),
            ("Kami perlu modal tambahan untuk pinjaman anggota", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("ya", "EK-"),
        ],
        Person("Agus Salim", None, "koperasi_konvensional", "KSP Mitra Usaha", "Legok"),
        (
            Booking(
                "koperasi",
                "akses_permodalan",
                "Kami perlu modal tambahan untuk pinjaman anggota",
                "online",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "bmt_hajjah_goes_back_to_change_the_topic",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Hj. Siti Maryam", ("Hajjah Siti Maryam", "mewakili")),
            ("2", "nama koperasi"),
            ("BMT Berkah Ummat", "kecamatan"),
            ("cikupa", ("Koperasi syariah", "BMT Berkah Ummat", "Cikupa")),
            ("ya", ("Terima kasih", "topik")),
            ("2", ("Akses permodalan", "Ceritakan")),
            ("kembali", "pilih topik"),
            ("3", ("Manajemen koperasi", "Ceritakan")),
            ("Kami belum pernah mengadakan RAT sejak berdiri", "tatap muka"),
            ("2", "Jadwal kosong"),
            ("1", ("Ringkasan", "Manajemen koperasi")),
            ("ya", "EK-"),
        ],
        Person("Siti Maryam", "hajjah", "koperasi_syariah", "BMT Berkah Ummat", "Cikupa"),
        (
            Booking(
                "koperasi",
                "manajemen_koperasi",
                "Kami belum pernah mengadakan RAT sejak berdiri",
                "online",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "kud_secretary_asks_for_a_full_slot_and_takes_the_next_one",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Slamet Riyadi", "mewakili"),
            ("1", "nama koperasi"),
            ("KUD Tani Jaya", "kecamatan"),
            ("Jambe", ("Betul", "Jambe")),
            ("ya", "topik"),
            ("2", "Ceritakan"),
            ("Petani anggota butuh pinjaman untuk pupuk", "tatap muka"),
            ("tatap muka", ("Jadwal kosong", "10.30")),
            ("hari ini jam 10", ("sudah penuh", "10.30")),
            ("1", ("Ringkasan", "Senin, 23 November 2026, 10.30")),
            ("ya", "EK-"),
        ],
        Person("Slamet Riyadi", None, "koperasi_konvensional", "KUD Tani Jaya", "Jambe"),
        (
            Booking(
                "koperasi",
                "akses_permodalan",
                "Petani anggota butuh pinjaman untuk pupuk",
                "tatap_muka",
                at(23, 10, 30),
            ),
        ),
        others=FILLS_MONDAY_TEN,
    ),
    Conversation(
        "ksp_chairman_asks_for_christmas_day_and_is_told_it_is_a_holiday",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Yohanes Tambunan", "mewakili"),
            ("1", "nama koperasi"),
            ("KSP Kasih Karunia", "kecamatan"),
            ("Kelapa Dua", ("Betul", "Kelapa Dua")),
            ("ya", "topik"),
            ("3", "Ceritakan"),
            ("Kami ingin memperbaiki AD/ART", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("tanggal 25 desember jam 10", ("libur nasional", "Hari Raya Natal", "28 Desember")),
            ("jumat 18 desember jam 10", ("Ringkasan", "Jumat, 18 Desember 2026, 10.00")),
            ("ya", "EK-"),
        ],
        Person(
            "Yohanes Tambunan", None, "koperasi_konvensional", "KSP Kasih Karunia", "Kelapa Dua"
        ),
        (
            Booking(
                "koperasi",
                "manajemen_koperasi",
                "Kami ingin memperbaiki AD/ART",
                "online",
                at(18, 10, month=12),
            ),
        ),
    ),
    Conversation(
        "kspps_ustadz_asks_for_saturday_and_takes_next_monday",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Ustadz Hasan Basri", ("Pak Hasan Basri", "mewakili")),
            ("2", "nama koperasi"),
            ("KSPPS Baitul Maal Sejahtera", "kecamatan"),
            ("Cisoka", ("Koperasi syariah", "Cisoka")),
            ("ya", "topik"),
            ("12", ("Tingkat kesehatan koperasi", "Ceritakan")),
            ("Predikat kesehatan koperasi kami turun jadi cukup sehat", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("sabtu jam 10", ("tidak buka pada hari Sabtu", "Senin–Jumat")),
            ("senin depan jam 9", ("Ringkasan", "Senin, 30 November 2026, 09.00")),
            ("ya", "EK-"),
        ],
        Person("Hasan Basri", "bapak", "koperasi_syariah", "KSPPS Baitul Maal Sejahtera", "Cisoka"),
        (
            Booking(
                "koperasi",
                "kesehatan_koperasi",
                "Predikat kesehatan koperasi kami turun jadi cukup sehat",
                "online",
                at(30, 9),
            ),
        ),
    ),
    Conversation(
        "kpri_secretary_asks_for_noon_after_the_last_session",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Pak Suparman", ("Pak Suparman", "mewakili")),
            ("1", "nama koperasi"),
            ("KPRI Bhakti Praja", "kecamatan"),
            ("Tigaraksa", ("Betul", "KPRI Bhakti Praja")),
            ("ya", ("Terima kasih, Pak Suparman", "topik")),
            ("7", ("Administrasi dan kearsipan", "Ceritakan")),
            ("Buku anggota kami masih manual dan sering hilang", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("besok jam 12", ("sesi terakhir mulai pukul 11.30", "tutup 12.00")),
            ("besok jam 11.30", ("Ringkasan", "Selasa, 24 November 2026, 11.30")),
            ("ya", "EK-"),
        ],
        Person("Suparman", "bapak", "koperasi_konvensional", "KPRI Bhakti Praja", "Tigaraksa"),
        (
            Booking(
                "koperasi",
                "administrasi_kearsipan",
                "Buku anggota kami masih manual dan sering hilang",
                "tatap_muka",
                at(24, 11, 30),
            ),
        ),
    ),
    Conversation(
        "ksp_officer_asks_for_a_person_then_takes_the_bot_back_with_menu",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Rudi Hermawan", "mewakili"),
            ("1", "nama koperasi"),
            ("KSP Dana Mandiri", "kecamatan"),
            ("Cikupa", ("Betul", "Cikupa")),
            ("ya", "klinik"),
            ("saya mau bicara dengan petugas saja", "petugas"),
            ("menu", ("Menu utama", "Rudi Hermawan")),
            ("1", ("Rudi Hermawan", "KSP Dana Mandiri", "Lanjut")),
            ("1", "topik"),
            ("6", ("SDM dan kelembagaan", "Ceritakan")),
            ("Karyawan kami belum pernah ikut pelatihan akuntansi", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("2", ("Ringkasan", "10.30")),
            ("ya", "EK-"),
        ],
        Person("Rudi Hermawan", None, "koperasi_konvensional", "KSP Dana Mandiri", "Cikupa"),
        (
            Booking(
                "koperasi",
                "sdm_kelembagaan",
                "Karyawan kami belum pernah ikut pelatihan akuntansi",
                "tatap_muka",
                at(23, 10, 30),
            ),
        ),
        handoffs=("resolved",),
    ),
    Conversation(
        "kud_fisherman_asks_where_the_zoom_link_comes_while_choosing_a_time",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Sutarji", "mewakili"),
            ("1", "nama koperasi"),
            ("KUD Mina Bahari", "kecamatan"),
            ("Kronjo", ("Betul", "Kronjo")),
            ("ya", "topik"),
            ("5", ("Akses pasar", "Ceritakan")),
            ("Hasil tangkapan ikan anggota sulit dijual ke pasar modern", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("nanti link zoomnya dikirim kemana?", ("chat WhatsApp ini", "Jadwal kosong")),
            ("3", ("Ringkasan", "11.00")),
            ("ya", "EK-"),
        ],
        Person("Sutarji", None, "koperasi_konvensional", "KUD Mina Bahari", "Kronjo"),
        (
            Booking(
                "koperasi",
                "akses_pasar",
                "Hasil tangkapan ikan anggota sulit dijual ke pasar modern",
                "online",
                at(23, 11),
            ),
        ),
    ),
    Conversation(
        "ksp_secretary_changes_the_topic_by_name_at_the_summary",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Wahyuni Kartika", "mewakili"),
            ("1", "nama koperasi"),
            ("KSP Citra Mandiri", "kecamatan"),
            ("Pasar Kemis", ("Betul", "KSP Citra Mandiri", "Pasar Kemis")),
            ("ya", "topik"),
            ("2", ("Akses permodalan", "Ceritakan")),
            ("Anggota kami ingin pinjaman lebih besar", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("1", ("Ringkasan", "Akses permodalan")),
            ("3", "Bagian mana"),
            ("ubah topik", "pilih topik"),
            ("laporan keuangan", ("Ringkasan", "Laporan keuangan", "pinjaman lebih besar")),
            ("ya", "EK-"),
        ],
        Person(
            "Wahyuni Kartika", None, "koperasi_konvensional", "KSP Citra Mandiri", "Pasar Kemis"
        ),
        (
            Booking(
                "koperasi",
                "laporan_keuangan",
                "Anggota kami ingin pinjaman lebih besar",
                "online",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "kud_clerk_pastes_code_and_emoji_at_the_name_question_and_is_not_handed_over",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("'; DELETE FROM contacts; --", ("bukan nama", "misalnya")),
            ("🙈🙈", ("nama", "misalnya")),
            ("Irfan Hakim", ("Irfan Hakim", "mewakili")),
            ("1", "nama koperasi"),
            ("KUD Sinar Tani", "kecamatan"),
            ("Cisoka", ("Betul", "Irfan Hakim", "KUD Sinar Tani", "Cisoka")),
            ("ya", ("Terima kasih", "klinik")),
        ],
        Person("Irfan Hakim", None, "koperasi_konvensional", "KUD Sinar Tani", "Cisoka"),
        (),
        handoffs=(),
    ),
    Conversation(
        "bmt_manager_writes_her_title_in_lower_case",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("hj. nurlela", ("Bu Hajjah Nurlela", "mewakili")),
            ("koperasi syariah", "nama koperasi"),
            ("BMT Amanah Sejahtera", "kecamatan"),
            ("Sepatan", ("Betul", "Koperasi syariah", "BMT Amanah Sejahtera", "Sepatan")),
            ("ya", ("Terima kasih, Bu Hajjah Nurlela", "klinik")),
        ],
        Person("Nurlela", "hajjah", "koperasi_syariah", "BMT Amanah Sejahtera", "Sepatan"),
        (),
    ),
    Conversation(
        "ksp_manager_asks_the_difference_between_the_modes_then_wants_next_week",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Dodi Setiawan", "mewakili"),
            ("1", "nama koperasi"),
            ("KSP Berkah Bersama", "kecamatan"),
            ("Cikupa", ("Betul", "KSP Berkah Bersama")),
            ("ya", "topik"),
            ("2", ("Akses permodalan", "Ceritakan")),
            ("Kami mau pinjam modal ke bank", "cara apa"),
            ("apa bedanya tatap muka sama online?", ("Zoom", "cara apa")),
            ("online", "Jadwal kosong"),
            ("besok pagi", ("Jadwal kosong", "Selasa, 24 November 2026, 09.00")),
            ("minggu depan", ("Jadwal kosong", "Senin, 30 November 2026, 09.00")),
            ("2", ("Ringkasan", "Online", "Senin, 30 November 2026, 09.30")),
            ("ya", "EK-"),
        ],
        Person("Dodi Setiawan", None, "koperasi_konvensional", "KSP Berkah Bersama", "Cikupa"),
        (
            Booking(
                "koperasi",
                "akses_permodalan",
                "Kami mau pinjam modal ke bank",
                "online",
                at(30, 9, 30),
            ),
        ),
        xfail="'apa bedanya tatap muka sama online?' at the mode question is taken as an answer "
        "(a mode is chosen silently and the slot list shown); the question is never answered",
    ),
    Conversation(
        "kud_chairman_introduces_himself_at_rest_and_tells_the_problem_at_the_topic_list",
        [
            ("halo", "Menu utama"),
            # an introduction has come for a consultation: the booking begins with it noted
            ("sy ketua KUD Tani Makmur di Kresek", ("KUD Tani Makmur", "Kresek", "nama lengkap")),
            ("Sudarto", ("Pak Sudarto", "Betul", "KUD Tani Makmur")),
            ("1", "pilih topik"),
            # the words after "ga RAT" are kept in the story, not cut with the negation
            (
                "soal RAT, udah 3 taun ga RAT krn pengurus pada sibuk",
                ("Manajemen koperasi", "udah 3 taun ga RAT krn pengurus pada sibuk"),
            ),
            ("ya", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "Senin, 23 November 2026, 10.00")),
            ("ya", "EK-"),
        ],
        Person("Sudarto", None, "koperasi_konvensional", "KUD Tani Makmur", "Kresek"),
        (
            Booking(
                "koperasi",
                "manajemen_koperasi",
                "udah 3 taun ga RAT krn pengurus pada sibuk",
                "tatap_muka",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "kopkar_officer_corrects_the_cooperative_name_in_her_own_words",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Lina Marlina", "mewakili"),
            ("1", "nama koperasi"),
            ("Kopkar Sinar", "kecamatan"),
            ("Cikupa", ("Betul", "Kopkar Sinar")),
            # "nama kopnya ..." changes the cooperative's name, not hers
            ("nama kopnya Kopkar Sinar Jaya aja bu", ("Betul", "Ibu Lina Marlina", "Sinar Jaya")),
            ("ya", ("Terima kasih, Bu Lina Marlina", "pilih topik")),
        ],
        Person("Lina Marlina", None, "koperasi_konvensional", "KOPKAR Sinar Jaya", "Cikupa"),
        (),
    ),
    Conversation(
        "kud_chairman_names_a_distributor_and_stays_at_the_cooperative_clinic",
        [
            # "distributor" is a word of the UMKM clinic's topics; a KUD still goes to its own
            (
                "sy Darto ketua KUD Sri Rejeki di Kresek, mau konsul soal kios pupuk subsidi, "
                "kuota dari distributor sering kurang",
                ("Betul", "KUD Sri Rejeki", "Kresek"),
            ),
            ("1", ("Klinik Koperasi", "pilih topik")),
        ],
        Person("Darto", None, "koperasi_konvensional", "KUD Sri Rejeki", "Kresek"),
        (),
    ),
    Conversation(
        "chairman_books_in_one_message_and_his_unheld_meeting_does_not_deny_the_visit",
        [
            (
                "Halo, saya Budi Santoso ketua Koperasi Maju Jaya di Kresek, mau konsultasi "
                "soal RAT yang belum terlaksana, tatap muka besok jam 10",
                ("Betul", "Budi Santoso", "Koperasi Maju Jaya", "Kresek"),
            ),
            ("ya", ("Terima kasih, Pak Budi Santoso", "RAT yang belum terlaksana")),
            ("ya", ("Ringkasan", "Tatap muka", "Selasa, 24 November 2026, 10.00")),
            ("ya", "EK-"),
        ],
        Person("Budi Santoso", None, "koperasi_konvensional", "Koperasi Maju Jaya", "Kresek"),
        (
            Booking(
                "koperasi",
                "manajemen_koperasi",
                "RAT yang belum terlaksana",
                "tatap_muka",
                at(24, 10),
            ),
        ),
    ),
    Conversation(
        "ksu_chairman_apologises_and_denies_the_topic_in_his_story",
        [
            (
                "Assalamualaikum. Saya H. Sukardi, Ketua KSU Tani Makmur di Pasar Kemis, mau "
                "konsultasi soal pemasaran hasil panen anggota",
                ("Wa'alaikumsalam", "Betul", "Sukardi", "KSU Tani Makmur"),
            ),
            ("ya", ("Pak Haji Sukardi", "Pendampingan usaha dan pemasaran")),
            (
                "Mohon maaf, bukan soal pemasaran. Masalah kami adalah koperasi sudah tiga "
                "tahun tidak melaksanakan RAT dan anggota mulai resah",
                ("Manajemen koperasi", "Koperasi sudah tiga tahun tidak melaksanakan RAT"),
            ),
            ("ya", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("ya", "EK-"),
        ],
        Person("Sukardi", "haji", "koperasi_konvensional", "KSU Tani Makmur", "Pasar Kemis"),
        (
            Booking(
                "koperasi",
                "manajemen_koperasi",
                "Koperasi sudah tiga tahun tidak melaksanakan RAT dan anggota mulai resah",
                "tatap_muka",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "employees_cooperative_secretary_asks_about_its_bylaws_not_its_staff",
        [
            (
                "Selamat pagi, saya Dewi Lestari sekretaris Koperasi Karyawan Sinar Abadi di "
                "Pasar Kemis. Kami mau revisi AD/ART karena mau tambah unit usaha toko",
                ("Betul", "Dewi Lestari", "Koperasi Karyawan Sinar Abadi"),
            ),
            ("ya", ("Manajemen koperasi", "revisi AD/ART")),
        ],
        Person(
            "Dewi Lestari",
            None,
            "koperasi_konvensional",
            "Koperasi Karyawan Sinar Abadi",
            "Pasar Kemis",
        ),
        (),
    ),
    Conversation(
        "kud_chairman_asks_for_his_day_and_way_inside_his_story",
        [
            ("slmt pagi, sy darmo ketua KUD Sri Rejeki kec. Kresek", ("Betul", "Bapak Darmo")),
            ("ya", ("Terima kasih, Pak Darmo", "topik")),
            ("RAT", ("Manajemen koperasi", "Ceritakan")),
            (
                "pengurus lama bnyk yg mundur, pembukuan gk lengkap jd kami gk berani undang "
                "anggota RAT. bs tatap muka hari rabu pagi?",
                ("Jadwal kosong", "Rabu, 25 November 2026, 09.00"),
            ),
            ("1", ("Ringkasan", "Tatap muka")),
            ("ya", "EK-"),
        ],
        Person("Darmo", "bapak", "koperasi_konvensional", "KUD Sri Rejeki", "Kresek"),
        (
            Booking(
                "koperasi",
                "manajemen_koperasi",
                "pengurus lama bnyk yg mundur, pembukuan gk lengkap jd kami gk berani undang "
                "anggota RAT.",
                "tatap_muka",
                at(25, 9),
            ),
        ),
        profile_name="Pak Darmo",
    ),
    Conversation(
        "kud_chairman_answers_the_card_with_his_request",
        [
            ("slmt pagi, sy darmo ketua KUD Sri Rejeki kec. Kresek", ("Betul", "Bapak Darmo")),
            (
                "mau daftar konsul soal RAT kami blm bs laksanain 2 thn",
                ("Terima kasih, Pak Darmo", "Manajemen koperasi", "RAT kami blm bs laksanain"),
            ),
        ],
        Person("Darmo", "bapak", "koperasi_konvensional", "KUD Sri Rejeki", "Kresek"),
        (),
        profile_name="Pak Darmo",
    ),
    Conversation(
        "ksp_treasurer_tells_her_problem_at_the_kecamatan_question",
        [
            ("mau konsul", "nama lengkap"),
            ("Rizky Ananda", "mewakili"),
            ("1", "nama koperasi"),
            ("KSP Mitra Usaha", "kecamatan"),
            (
                "mo konsul soal laporan keuangan, neraca kami gak pernah balance udah 3 bulan",
                ("sudah kami catat", "kecamatan"),
            ),
            ("Teluknaga", ("Betul", "Teluknaga")),
            ("ya", ("Laporan keuangan", "neraca kami gak pernah balance")),
        ],
        Person("Rizky Ananda", None, "koperasi_konvensional", "KSP Mitra Usaha", "Teluknaga"),
        (),
    ),
    Conversation(
        "pensioners_cooperative_officer_is_no_topic_of_management",
        [
            (
                "saya pengurus koperasi pensiunan di Curug, pembukuan kami masih ditulis "
                "tangan, minta diajari",
                ("nama lengkap",),
            ),
            ("Sutrisno", ("Betul", "Koperasi Pensiunan", "Curug")),
            ("ya", ("Laporan keuangan",)),
        ],
        Person("Sutrisno", None, "koperasi_konvensional", "Koperasi Pensiunan", "Curug"),
        (),
    ),
    Conversation(
        "ksp_treasurer_takes_his_kecamatan_out_of_the_cooperatives_name",
        [
            ("mau konsul", "nama lengkap"),
            ("Rizky", "mewakili"),
            ("1", "nama koperasi"),
            ("ksp mitra usaha telok naga", "kecamatan"),
            ("Teluknaga", ("Betul", "KSP Mitra Usaha Telok Naga")),
            (
                "nama ksp nya KSP Mitra Usaha aja, telok naga itu kecamatannya",
                ("Betul", "KSP Mitra Usaha\n", "Teluknaga"),
            ),
        ],
        None,
        (),
    ),
    Conversation(
        "ksp_treasurer_names_the_loan_and_its_arrears_apart",
        [
            (
                "Selamat pagi, saya Budi Santoso bendahara KSP Maju Jaya di Kelapa Dua. Mau "
                "konsultasi soal pinjaman anggota yang macet sudah 6 bulan",
                ("Betul", "KSP Maju Jaya", "Kelapa Dua"),
            ),
            ("1", ("Tingkat kesehatan koperasi", "pinjaman anggota yang macet")),
        ],
        Person("Budi Santoso", None, "koperasi_konvensional", "KSP Maju Jaya", "Kelapa Dua"),
        (),
    ),
    Conversation(
        "kud_chairman_says_members_do_not_pay_back",
        [
            ("mau konsul", "nama lengkap"),
            ("Suparno", "mewakili"),
            ("1", "nama koperasi"),
            ("KUD Tani Makmur", "kecamatan"),
            ("Sukadiri", ("Betul", "Sukadiri")),
            ("ya", "pilih topik"),
            (
                "banyak anggota nunggak bayar pinjaman, sudah ditagih tetap tidak bayar",
                "Tingkat kesehatan koperasi",
            ),
        ],
        Person("Suparno", None, "koperasi_konvensional", "KUD Tani Makmur", "Sukadiri"),
        (),
    ),
    Conversation(
        "kud_chairman_corrects_his_name_and_replaces_the_problem_at_the_summary",
        [
            ("mau konsul", "nama lengkap"),
            ("Suparno", "mewakili"),
            ("1", "nama koperasi"),
            ("KUD Tani Makmur", "kecamatan"),
            ("Sukadiri", ("Betul", "Sukadiri")),
            ("ya", "pilih topik"),
            ("1", "Ceritakan"),
            ("kami mau bikin unit simpan pinjam tapi belum tahu aturannya", "cara apa"),
            ("tatap muka", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("nama saya salah, harusnya Suparmo bukan Suparno", ("Betul", "Suparmo")),
            ("1", ("Ringkasan", "Suparmo (KUD Tani Makmur)")),
            (
                "masalahnya saya ganti ya: unit simpan pinjam kami mau dipisah jadi koperasi "
                "sendiri",
                ("Ringkasan", "Masalah: unit simpan pinjam kami mau dipisah"),
            ),
            ("1", "EK-"),
        ],
        Person("Suparmo", None, "koperasi_konvensional", "KUD Tani Makmur", "Sukadiri"),
        (
            Booking(
                "koperasi",
                "pendirian_koperasi",
                "unit simpan pinjam kami mau dipisah jadi koperasi sendiri",
                "tatap_muka",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "supervisor_corrects_his_name_at_the_cooperatives_name_question",
        [
            ("mau konsul", "nama lengkap"),
            ("Jamal", "mewakili"),
            ("1", "nama koperasi"),
            ("lho nama sy bukan Jamal. nama sy Jamaludin", ("Jamaludin", "nama koperasi")),
            ("KSP Maju", "kecamatan"),
            ("Kresek", ("Betul", "Jamaludin", "KSP Maju", "Kresek")),
            ("ya", "pilih topik"),
        ],
        Person("Jamaludin", None, "koperasi_konvensional", "KSP Maju", "Kresek"),
        (),
    ),
    Conversation(
        "kopwan_treasurer_asks_about_dividing_shu_and_names_the_board",
        [
            ("mau konsul", "nama lengkap"),
            ("Rini", "mewakili"),
            ("1", "nama koperasi"),
            ("Kopwan Melati", "kecamatan"),
            ("Balaraja", "Betul"),
            ("ya", "pilih topik"),
            ("pembagian SHU tahun ini, pengurus bingung cara ngitungnya", "Laporan keuangan"),
        ],
        Person("Rini", None, "koperasi_konvensional", "KOPWAN Melati", "Balaraja"),
        (),
    ),
    Conversation(
        "kud_chairman_names_his_kecamatan_at_the_end_of_the_kuds_name",
        [
            (
                "sy ketua KUD mina bahari kronjo, nama sy karta wijaya, mau konsul soal ubah AD",
                ("Betul", "Karta Wijaya", "Kecamatan: Kronjo"),
            ),
            ("ya", "Manajemen koperasi"),
        ],
        Person("Karta Wijaya", None, "koperasi_konvensional", ANY, "Kronjo"),
        (),
    ),
    Conversation(
        "ksp_supervisor_gives_the_kecamatan_with_the_cooperatives_name",
        [
            ("mau konsul", "nama lengkap"),
            ("Anton", "mewakili"),
            ("1", "nama koperasi"),
            ("KSP Karya Mandiri legok", ("Betul", "Kecamatan: Legok", "!Di *kecamatan*")),
        ],
        None,
        (),
    ),
]


@pytest.mark.parametrize("conversation", cases(CONVERSATIONS))
def test_cooperative_officer_conversation(
    conversation: Conversation, dialog: Dialog, db: sa.Engine, clock: FakeClock
) -> None:
    play(conversation, dialog, db, clock)
