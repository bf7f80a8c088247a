"""Acceptance corpus: people who write Javanese, Sundanese or Betawi words, and someone who only
ever writes "ok". Each conversation checks the replies and what was stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from tests.corpus import Booking, Conversation, Person, Wait, at, cases, play
from tests.dialog import Dialog

CONVERSATIONS = [
    Conversation(
        "sundanese_coffee_seller_says_enjing_for_tomorrow_and_is_called_pak",
        [
            ("punten", "Menu utama"),
            ("abdi hoyong konsultasi", "nama lengkap"),
            ("Asep Saepudin", ("Pak Asep Saepudin", "mewakili")),
            ("3", "nama usaha"),
            ("Kopi Leuweung", "kecamatan"),
            ("Tigaraksa", ("Betul", "Bapak Asep Saepudin", "Kopi Leuweung")),
            ("muhun", ("Terima kasih, Pak Asep Saepudin", "topik")),
            ("2", ("Akses permodalan", "Ceritakan")),
            ("Abdi peryogi modal kanggo meser mesin roasting", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("enjing tabuh hiji", ("Ringkasan", "Selasa, 24 November 2026, 13.00")),
            ("muhun", "EK-"),
            ("hatur nuhun", "Sama-sama"),
        ],
        Person("Asep Saepudin", None, "umkm", "Kopi Leuweung", "Tigaraksa"),
        (
            Booking(
                "umkm",
                "akses_permodalan",
                "Abdi peryogi modal kanggo meser mesin roasting",
                "tatap_muka",
                at(24, 13),
            ),
        ),
    ),
    Conversation(
        "seller_keeps_telling_her_story_at_the_name_question",
        [
            ("halo", "Menu utama"),
            ("mau konsultasi kak", "nama lengkap"),
            (
                "sy jualan seblak di rumah, mau masuk minimarket tp katanya hrs ada PIRT dulu",
                ("sudah kami catat", "nama lengkap"),
            ),
            ("Yanti", ("Bu Yanti", "nama usaha")),  # "jualan": a small business
            ("Seblak Teh Yanti", "kecamatan"),
            ("Cikupa", ("Betul", "Ibu Yanti")),
            # the topic the story named is taken, the story offered back, not asked again
            (
                "ya",
                (
                    "Terima kasih, Bu Yanti",
                    "Pendirian dan izin usaha",
                    "Yang Ibu tulis tadi",
                    "PIRT",
                ),
            ),
            ("iya itu, tambahin jg sertifikat halal nya gimana", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "PIRT", "sertifikat halal")),  # the story kept, the rest added
        ],
        Person("Yanti", None, "umkm", "Seblak Teh Yanti", "Cikupa"),
        (),
    ),
    Conversation(
        "javanese_herbal_drink_seller_books_tomorrow_at_half_past_one",
        [
            ("halo", "Menu utama"),
            ("badhe konsultasi", "nama lengkap"),
            ("kulo Bu Sri Wahyuni", ("Bu Sri Wahyuni", "mewakili")),
            ("3", "nama usaha"),
            ("Jamu Gendong Sri", "kecamatan"),
            ("Cikupa", ("Betul", "Jamu Gendong Sri", "Cikupa")),
            ("nggih", ("Terima kasih, Bu Sri Wahyuni", "Klinik UMKM", "topik")),
            ("2", ("Akses permodalan", "Ceritakan")),
            ("Kulo butuh modal kangge tumbas botol jamu", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("sesuk jam setengah loro", ("Ringkasan", "Selasa, 24 November 2026, 13.30")),
            ("nggih", "EK-"),
            ("matur nuwun", "Sama-sama"),
        ],
        Person("Sri Wahyuni", "ibu", "umkm", "Jamu Gendong Sri", "Cikupa"),
        (
            Booking(
                "umkm",
                "akses_permodalan",
                "Kulo butuh modal kangge tumbas botol jamu",
                "tatap_muka",
                at(24, 13, 30),
            ),
        ),
    ),
    Conversation(
        "sundanese_farmer_cooperative_confirms_with_muhun_leres",
        [
            ("halo", "Menu utama"),
            ("bade konsultasi", "nama lengkap"),
            ("abdi Pak Asep Saepudin", ("Pak Asep Saepudin", "mewakili")),
            ("1", "nama koperasi"),
            ("Koperasi Tani Mekar", "kecamatan"),
            ("Jambe", ("Betul", "Koperasi Tani Mekar", "Jambe")),
            ("muhun leres", ("Terima kasih, Pak Asep Saepudin", "topik")),
            ("2", ("Akses permodalan", "Ceritakan")),
            ("Kopérasi abdi peryogi modal kanggo meser bibit", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("muhun leres", "EK-"),
            ("hatur nuhun", "Sama-sama"),
        ],
        Person("Asep Saepudin", "bapak", "koperasi_konvensional", "Koperasi Tani Mekar", "Jambe"),
        (
            Booking(
                "koperasi",
                "akses_permodalan",
                "Kopérasi abdi peryogi modal kanggo meser bibit",
                "tatap_muka",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "javanese_tofu_maker_says_mboten_and_fixes_the_kecamatan",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Pak Bambang Wiyono", ("Pak Bambang Wiyono", "mewakili")),
            ("3", "nama usaha"),
            ("Tahu Bakso Wiyono", "kecamatan"),
            ("Cisoka", ("Betul", "Cisoka")),
            ("mboten", "Bagian mana"),
            ("4", "kecamatan"),
            ("Solear", ("Betul", "Solear", "Tahu Bakso Wiyono")),
            ("nggih", ("Terima kasih, Pak Bambang Wiyono", "klinik")),
        ],
        Person("Bambang Wiyono", "bapak", "umkm", "Tahu Bakso Wiyono", "Solear"),
        (),
    ),
    Conversation(
        "sundanese_snack_maker_books_isukan_jam_salapan",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Euis Komalasari", "mewakili"),
            ("3", "nama usaha"),
            ("Peuyeum Euis", "kecamatan"),
            ("Legok", ("Betul", "Peuyeum Euis")),
            ("muhun", ("Terima kasih", "topik")),
            ("4", ("Kualitas produk", "Ceritakan")),
            ("Kemasan peuyeum abdi gampang rusak", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("isukan jam hiji", ("Ringkasan", "Selasa, 24 November 2026, 13.00")),
            ("muhun", "EK-"),
        ],
        Person("Euis Komalasari", None, "umkm", "Peuyeum Euis", "Legok"),
        (
            Booking(
                "umkm",
                "kualitas_produk_kemasan",
                "Kemasan peuyeum abdi gampang rusak",
                "online",
                at(24, 13),
            ),
        ),
    ),
    Conversation(
        "javanese_kud_chairman_books_rebo_jam_sepuluh",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Sutrisno", "mewakili"),
            ("1", "nama koperasi"),
            ("KUD Makmur", "kecamatan"),
            ("Kresek", ("Betul", "KUD Makmur", "Kresek")),
            ("nggih", "topik"),
            ("3", ("Manajemen koperasi", "Ceritakan")),
            ("Pengurus ingin belajar tata kelola", "tatap muka"),
            ("online", "Jadwal kosong"),
            ("rebo jam sepuluh", ("Ringkasan", "Rabu, 25 November 2026, 10.00")),
            ("nggih", "EK-"),
        ],
        Person("Sutrisno", None, "koperasi_konvensional", "KUD Makmur", "Kresek"),
        (
            Booking(
                "koperasi",
                "manajemen_koperasi",
                "Pengurus ingin belajar tata kelola",
                "online",
                at(25, 10),
            ),
        ),
    ),
    Conversation(
        "javanese_elder_books_dinten_kemis_half_past_ten",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("Pak Karto Wiryo", ("Pak Karto Wiryo", "mewakili")),
            ("1", "nama koperasi"),
            ("KUD Sido Makmur", "kecamatan"),
            ("Sukadiri", ("Betul", "KUD Sido Makmur", "Sukadiri")),
            ("nggih", "topik"),
            ("3", "Ceritakan"),
            ("Pengurus kulo badhe sinau RAT", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("dinten kemis jam setengah sewelas", ("Ringkasan", "Kamis, 26 November 2026, 10.30")),
            ("nggih", "EK-"),
        ],
        Person("Karto Wiryo", "bapak", "koperasi_konvensional", "KUD Sido Makmur", "Sukadiri"),
        (
            Booking(
                "koperasi",
                "manajemen_koperasi",
                "Pengurus kulo badhe sinau RAT",
                "tatap_muka",
                at(26, 10, 30),
            ),
        ),
    ),
    Conversation(
        "shopkeeper_answers_ok_wherever_a_yes_fits",
        [
            ("ok", "Menu utama"),
            ("1", "nama lengkap"),
            ("Yanti Susanti", "mewakili"),
            ("3", "nama usaha"),
            ("Warung Yanti", "kecamatan"),
            ("Rajeg", ("Betul", "Warung Yanti", "Rajeg")),
            ("ok", ("Terima kasih", "topik")),
            ("2", ("Akses permodalan", "Ceritakan")),
            ("Saya butuh modal untuk tambah dagangan", "tatap muka"),
            ("ok", ("1", "2")),
            ("1", "Jadwal kosong"),
            ("1", "Ringkasan"),
            ("ok", "EK-"),
        ],
        Person("Yanti Susanti", None, "umkm", "Warung Yanti", "Rajeg"),
        (
            Booking(
                "umkm",
                "akses_permodalan",
                "Saya butuh modal untuk tambah dagangan",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "javanese_greeting_is_returned_in_kind",
        [
            ("sugeng enjing", ("pagi", "Menu utama")),
            ("badhe reservasi", "nama lengkap"),
        ],
        None,
        (),
    ),
    Conversation(
        "sundanese_dodol_maker_corrects_her_kecamatan_in_one_sentence",
        [
            ("punten, bade naros", "Menu utama"),
            ("bade konsultasi", "nama lengkap"),
            ("Ibu Iis Rohaeni", ("Bu Iis Rohaeni", "mewakili")),
            ("3", "nama usaha"),
            ("Dodol Iis", "kecamatan"),
            ("Panongan", ("Betul", "Panongan")),
            ("sanes, kacamatanna Pasar Kemis", ("Betul", "Pasar Kemis")),
            ("muhun", ("Terima kasih, Bu Iis Rohaeni", "klinik")),
        ],
        Person("Iis Rohaeni", "ibu", "umkm", "Dodol Iis", "Pasar Kemis"),
        (),
    ),
    Conversation(
        "betawi_street_vendor_confirms_with_iye",
        [
            ("gw mau konsul dong bsk jam 2 siang", "nama lengkap"),
            ("Rahmat Hidayat", "mewakili"),
            ("3", "nama usaha"),
            ("Ketoprak Bang Rahmat", "kecamatan"),
            ("Teluknaga", ("Betul", "Ketoprak Bang Rahmat", "Teluknaga")),
            ("iye", ("Terima kasih", "topik")),
            ("3", ("Manajemen usaha", "Ceritakan")),
            ("Dagangan sering sisa banyak tiap sore", "tatap muka"),
            ("tatap muka", ("Ringkasan", "Selasa, 24 November 2026, 14.00")),
            ("iye", "EK-"),
        ],
        Person("Rahmat Hidayat", None, "umkm", "Ketoprak Bang Rahmat", "Teluknaga"),
        (
            Booking(
                "umkm",
                "manajemen_usaha",
                "Dagangan sering sisa banyak tiap sore",
                "tatap_muka",
                at(24, 14),
            ),
        ),
    ),
    Conversation(
        "sundanese_seller_tells_topic_day_and_mode_while_asked_her_business_name",
        [
            ("Punten, wilujeng siang", "Menu utama"),
            # "gaduh usaha": she has a business (UMKM), in Sundanese
            ("Abdi Euis Nurhayati, gaduh usaha opak ketan di Cisoka", "nama usaha"),
            (
                "Abdi hoyong konsultasi perkawis kemasan, margi opak abdi gampang remuk sareng "
                "teu tiasa lebet ka minimarket",
                ("sudah kami catat", "nama usaha"),
            ),
            ("Tiasa enjing jam 2 siang? Abdi sumping langsung ka kantorna", "nama usaha"),
            ("Opak Ketan Ceu Euis", ("Betul", "Opak Ketan Ceu Euis", "Cisoka")),
            # the topic, the story, the day and the way of meeting said meanwhile are kept
            ("muhun leres", ("Kualitas produk dan kemasan", "Yang Ibu tulis tadi", "remuk")),
            ("muhun", ("Ringkasan", "Selasa, 24 November 2026, 14.00", "Tatap muka")),
            ("muhun", "EK-"),
        ],
        Person("Euis Nurhayati", None, "umkm", "Opak Ketan Ceu Euis", "Cisoka"),
        (
            Booking(
                "umkm",
                "kualitas_produk_kemasan",
                "opak abdi gampang remuk sareng teu tiasa lebet ka minimarket",
                "tatap_muka",
                at(24, 14),
            ),
        ),
    ),
    Conversation(
        "javanese_batik_maker_says_leres_before_her_name_and_business",
        [
            ("sugeng enjing", "Menu utama"),
            ("mau konsultasi", "nama lengkap"),
            # "leres" (right) is no name; the quoted business and the kecamatan are kept
            (
                'Inggih, leres. Kula Sri Rahayu, gadhah usaha batik tulis "Batik Sekar Arum" '
                "wonten Kecamatan Tigaraksa.",
                ("Bu Sri Rahayu", "Betul", "Batik Sekar Arum", "Tigaraksa"),
            ),
            ("nggih", ("Terima kasih, Bu Sri Rahayu", "pilih topik")),
            ("kualitas", ("Kualitas produk dan kemasan", "Ceritakan")),
            ("kain batik kula gampil luntur menawi dipun kumbah", "tatap muka"),
            ("tatap muka", "Jadwal kosong"),
            ("1", ("Ringkasan", "luntur")),
            ("nggih", "EK-"),
        ],
        Person("Sri Rahayu", None, "umkm", "Batik Sekar Arum", "Tigaraksa"),
        (
            Booking(
                "umkm",
                "kualitas_produk_kemasan",
                "kain batik kula gampil luntur menawi dipun kumbah",
                "tatap_muka",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "betawi_seller_corrects_his_kecamatan_as_he_writes_it",
        [
            ("mau konsul", "nama lengkap"),
            ("Mamat", "mewakili"),
            ("3", "nama usaha"),
            ("belum ada", "kecamatan"),
            ("Pondok Aren eh salah, Kelapa Dua", ("Betul", "Kelapa Dua, Kabupaten Tangerang")),
        ],
        None,
        (),
    ),
    Conversation(
        "sundanese_farmer_any_day_but_friday_then_senen_after_an_emoji",
        [
            ("mau konsul", "nama lengkap"),
            ("Ujang", "mewakili"),
            ("4", "kecamatan"),
            ("Kresek", "Betul"),
            ("ya", "klinik"),
            ("1", "pilih topik"),
            ("1", "Ceritakan"),
            ("mau bikin koperasi tani di kampung, belum tau caranya", "cara apa"),
            (
                "tatap muka aja, kapan aja asal jangan jumat",
                ("Jadwal kosong", "Senin, 30 November", "!Jumat"),
            ),
            (
                "lah kan jgn jumat kang 😅 senen weh jam 9",
                ("Ringkasan", "Senin, 30 November 2026, 09.00"),
            ),
            ("muhun", "EK-"),
        ],
        Person("Ujang", None, "warga", None, "Kresek"),
        (
            Booking(
                "koperasi",
                "pendirian_koperasi",
                "mau bikin koperasi tani di kampung, belum tau caranya",
                "tatap_muka",
                at(30, 9),
            ),
        ),
        start=Wait(days=3, hours=6),  # Thursday afternoon: Friday would be the first day
    ),
    Conversation(
        "javanese_goat_farmer_turns_down_friday_and_gives_the_time_alone",
        [
            ("mau konsul", "nama lengkap"),
            ("Wagiman", "mewakili"),
            ("4", "kecamatan"),
            ("Sindang Jaya", "Betul"),
            ("ya", "klinik"),
            ("1", "pilih topik"),
            ("1", "Ceritakan"),
            ("pengen gawe koperasi peternak kambing karo tonggo", "cara apa"),
            ("tatap muka", "Jadwal kosong"),
            (
                "jumat kulo jumatan pak. selasa enjing mawon, jam setengah sepuluh",
                ("Ringkasan", "Selasa, 24 November 2026, 09.30"),
            ),
        ],
        Person("Wagiman", None, "warga", None, "Sindang Jaya"),
        (),
    ),
    Conversation(
        "farmer_says_dont_forget_monday_which_refuses_nothing",
        [
            ("mau konsul", "nama lengkap"),
            ("Ujang", "mewakili"),
            ("4", "kecamatan"),
            ("Kresek", "Betul"),
            ("ya", "klinik"),
            ("1", "pilih topik"),
            ("1", "Ceritakan"),
            ("mau bikin koperasi tani di kampung, belum tau caranya", "cara apa"),
            ("tatap muka", "Jadwal kosong"),
            ("oke kang, jangan lupa senin ya", ("1. Senin, 23 November",)),
        ],
        Person("Ujang", None, "warga", None, "Kresek"),
        (),
    ),
]


@pytest.mark.parametrize("conversation", cases(CONVERSATIONS))
def test_regional_language_conversation(
    conversation: Conversation, dialog: Dialog, db: sa.Engine, clock: FakeClock
) -> None:
    play(conversation, dialog, db, clock)
