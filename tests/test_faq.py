"""The FAQ: editable rows, matched in both languages, answered at rest and on the side of any
step, after which the conversation goes on at the same question."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from bot.clock import FakeClock
from bot.services.faq import best_entry, is_question
from storage.db import transaction
from storage.models_faq import FaqEntry
from storage.seed import load_seed_data
from storage.seed_faq import _lines, seed_faq
from tests.conftest import JAKARTA
from tests.dialog import Dialog, verify_dialog

# A registered cooperative officer of Kabupaten Tangerang, up to the category question.
TO_CATEGORY = [("halo", "Menu utama"), ("reservasi", "nama"), ("Sutrisno", "mewakili")]


@pytest.fixture(autouse=True)
def faq_rows(db: sa.Engine) -> None:
    """The seeded FAQ (seed_clinic seeds it too once it calls seed_faq; this is idempotent)."""
    with transaction(db) as session:
        seed_faq(session)


def _entries() -> list[FaqEntry]:
    return [
        FaqEntry(
            slug=spec["slug"],
            keywords_id=_lines(spec.get("keywords_id")),
            keywords_en=_lines(spec.get("keywords_en")),
        )
        for spec in load_seed_data()["faq"]
    ]


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("minggu buka gak min?", "sunday_holidays"),
        ("kalau tanggal merah tetap buka?", "sunday_holidays"),
        ("are you open on saturdays", "sunday_holidays"),
        ("ikut zoom lewat hp android bisa?", "zoom_phone"),
        ("saya gak punya laptop, bisa pakai hape?", "zoom_phone"),
        ("link zoomnya nanti dikirim ke mana?", "zoom_link"),
        ("how do I receive the meeting link", "zoom_link"),
        ("konsultasinya bayar nggak", "cost"),
        ("is there any fee", "cost"),
        ("perlu bawa berkas apa aja", "what_to_bring"),
        ("what documents should I bring", "what_to_bring"),
        ("kami mau mendirikan koperasi di desa, gimana prosesnya", "found_cooperative"),
        ("how to register a new coop", "found_cooperative"),
        ("ngurus PIRT di mana ya", "licences"),
        ("sertifikat halal buat keripik gimana", "licences"),
        ("lokasi kantornya dimana", "address"),
        ("where exactly is the clinic", "address"),
        ("hari apa aja bukanya", "opening_days"),
        ("bisa online gak? lewat zoom gitu", "online_possible"),
        ("can we do it online?", "online_possible"),
        ("kalo biaya notarisnya kira2 brp ya?", "found_cooperative"),
        ("kak klo mau bikin NIB itu bayar gak sih?", "licences"),
        ("berapa biaya konsultasinya?", "cost"),
        ("berapa bayarnya?", "cost"),
        ("do I have to pay anything?", "cost"),
        ("is it free?", "cost"),
        ("Is the consultation really free?", "cost"),
        ("kalau telat bayar angsuran anggota gimana ya solusinya", None),
        ("members do not pay back their loans", None),
        ("our production costs went up a lot", None),
        ("is there a free slot on friday", None),
        ("bisa langsung datang aja gak tanpa daftar dulu?", "walk_in"),
        ("siapa aja yang boleh konsultasi?", "who_can_consult"),
        ("koperasi sekolah bisa konsultasi juga?", "who_can_consult"),
        ("kalo sy telat dateng gmn min?", "late_arrival"),
        ("boleh diwakilkan anak saya konsultasinya?", "representative"),
        ("can someone else attend instead of me?", "representative"),
        ("boleh datang sama pengurus lain?", "companions"),
        ("bendahara kami boleh ikut zoom juga?", "companions"),
        ("sama siapa yg boleh jd pengurus, apa kades boleh?", None),
        ("saya mau ikut konsultasi", None),
        ("kantorna di palih mana nya?", "address"),
        ("kantore teng pundi nggih?", "address"),
        ("2", None),
        ("online", None),
        ("Haji Sutrisno", None),
        ("Koperasi Sumber Rejeki", None),
        ("penjualan keripik turun sejak pandemi", None),
    ],
)
def test_questions_find_their_entry(text: str, slug: str | None) -> None:
    found = best_entry(_entries(), text)
    assert (found[0].slug if found else None) == slug


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("buka hari minggu ga", True),
        ("zoom bisa pake hp", True),
        ("kalo hari sabtu", True),
        ("what should I bring", True),
        ("2", False),
        ("online aja", False),
        ("Budi Santoso", False),
        ("hari minggu jam 10", False),
    ],
)
def test_what_has_a_question_shape(text: str, question: bool) -> None:
    assert is_question(text) is question


def test_the_faq_is_seeded_once(db: sa.Engine) -> None:
    with transaction(db) as session:
        assert seed_faq(session) is False
        slugs = [e.slug for e in session.exec(select(FaqEntry).order_by(col(FaqEntry.position)))]
    assert slugs[:3] == ["opening_days", "sunday_holidays", "zoom_phone"]
    assert len(slugs) == len(set(slugs)) == 21


def test_a_question_mid_registration_is_answered_and_the_same_question_comes_back(
    dialog: Dialog,
) -> None:
    verify_dialog(
        dialog,
        [
            *TO_CATEGORY,
            ("buka hari minggu ga", ("hari Minggu, hari libur", "Senin–Jumat", "mewakili")),
            ("konsultasinya bayar nggak?", ("gratis", "mewakili")),
            ("1", "nama koperasi"),
        ],
    )


def test_questions_mid_booking_keep_the_booking_where_it_was(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            *TO_CATEGORY,
            ("1", "nama koperasi"),
            ("KSP Sumber Rejeki", "kecamatan"),
            ("Cikupa", "Cikupa"),
            ("ya", "topik"),
            ("zoom bisa pake hp?", ("Zoom Workplace", "topik")),
            ("2", "Ceritakan"),
            ("Anggota banyak yang menunggak pinjaman sejak tahun lalu", "tatap muka"),
            (
                "will I get the zoom link here?",
                ("link Zoom dikirim di chat WhatsApp ini", "online"),
            ),
            ("online", "Jadwal kosong"),
            ("kalo hari minggu?", ("tidak buka pada hari Minggu", "Jadwal kosong")),
        ],
    )


def test_founding_a_cooperative_is_the_topic_at_the_topic_question(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            *TO_CATEGORY,
            ("4", "kecamatan"),
            ("Curug", "Curug"),
            ("ya", "klinik"),
            ("1", "topik"),
        ],
    )
    reply = dialog.said("mau bikin koperasi, caranya gmn ya?")
    # the question is answered and the step takes it as the topic
    assert "Notaris Pembuat Akta Koperasi" in reply
    assert "Topik: *Pendirian koperasi*" in reply and "Ceritakan" in reply


def test_the_info_menu_answers_with_a_one_line_way_back(dialog: Dialog) -> None:
    dialog.say("halo")
    reply = dialog.said("info")
    assert "1. Jam layanan" in reply
    hours = dialog.said("1")
    assert "Jam layanan" in hours and "Ketik *menu* untuk kembali ke menu." in hours
    assert "Menu utama" not in hours
    assert "Menu utama" in dialog.said("menu")


def test_questions_at_rest_get_the_answer_and_a_way_back(dialog: Dialog) -> None:
    dialog.say("halo")
    for question, answer in (
        ("buka hari minggu ga?", "hari Minggu, hari libur nasional"),
        ("zoom bisa pake hp?", "Zoom Workplace"),
        ("mau bikin koperasi, caranya gmn ya?", "paling sedikit 9 orang pendiri"),
        ("nib itu ngurusnya gimana", "oss.go.id"),
        ("apa saja yang perlu dibawa?", "KTP"),
    ):
        reply = dialog.said(question)
        assert answer in reply and "Ketik *menu* untuk kembali ke menu." in reply, question
        assert "Menu utama" not in reply and "nama lengkap" not in reply, question


def test_an_english_speaker_gets_the_english_answer(client: object) -> None:
    dialog = Dialog(client, phone="+6281300000001", profile_name="John")  # type: ignore[arg-type]
    dialog.say("hello")
    reply = dialog.said("is the consultation free?")
    assert "free of charge" in reply and "Type *menu* to go back to the menu." in reply


def test_the_address_answer_shows_the_editable_address_and_map(
    dialog: Dialog, db: sa.Engine
) -> None:
    with db.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE clinic_info SET value_id = :url, value_en = :url WHERE key = 'maps_url'"
            ),
            {"url": "https://maps.example.org/dinas"},
        )
    dialog.say("halo")
    reply = dialog.said("kantornya di mana ya?")
    assert "Jl. Contoh No. 1" in reply and "https://maps.example.org/dinas" in reply


def test_an_edited_answer_is_what_people_read(dialog: Dialog, db: sa.Engine) -> None:
    with Session(db) as session:
        entry = session.exec(select(FaqEntry).where(FaqEntry.slug == "cost")).one()
        entry.answer_id = "Gratis, dibiayai APBD Kabupaten."
        session.add(entry)
        session.commit()
    dialog.say("halo")
    assert "dibiayai APBD Kabupaten" in dialog.said("berapa biayanya?")


def test_a_question_at_the_name_question_is_answered_and_the_name_asked_again(
    dialog: Dialog,
) -> None:
    verify_dialog(
        dialog,
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama"),
            ("kalo hari minggu?", ("hari Minggu, hari libur nasional", "nama")),
            ("Sri Wahyuni", "mewakili"),
        ],
    )


def test_asking_for_a_person_in_plain_words_hands_over(dialog: Dialog) -> None:
    dialog.say("halo")
    assert "teruskan ke petugas" in dialog.said("bisa ngobrol sm orang aja ga?")


def test_an_answer_that_sounds_like_a_question_is_still_the_answer(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            *TO_CATEGORY,
            ("3", "nama usaha"),
            ("Keripik Bu Tini", "kecamatan"),
            ("Pasar Kemis", "Pasar Kemis"),
            ("ya", "topik"),
            ("1", "Ceritakan"),
            ("Saya ingin mengurus izin PIRT untuk keripik singkong", "tatap muka"),
            ("lewat zoom bisa?", "Jadwal kosong"),  # the mode, not the Zoom FAQ
        ],
    )


def test_a_long_first_message_is_not_taken_for_a_question(dialog: Dialog) -> None:
    reply = dialog.said(
        "Assalamualaikum, nama saya Haji Sutrisno ketua KSP Makmur Jaya di Cikupa, "
        "kami mau konsultasi soal pendirian koperasi baru, kapan bisa?"
    )
    assert "Notaris Pembuat Akta Koperasi" not in reply


def test_a_question_about_a_day_says_whether_the_clinic_is_open_that_day(
    dialog: Dialog, clock: FakeClock
) -> None:
    clock.set(dt.datetime(2026, 12, 20, 19, 0, tzinfo=JAKARTA))
    dialog.say("halo")
    assert "*Kamis, 24 Desember 2026*: tutup (Cuti bersama Natal)" in dialog.said(
        "buka tanggal 24 desember ga?"
    )
    ahead = dialog.said("libur natal dan tahun baru tanggal berapa aja?")
    assert "25 Des (Hari Raya Natal)" in ahead and "1 Jan (Tahun Baru Masehi)" in ahead


def test_a_business_question_without_an_faq_entry_is_for_the_consultant(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            ("halo", "Menu utama"),
            (
                "gimana cara ngitung harga pokok produksi yang benar ya?",
                ("konsultan", "Balas *1* untuk reservasi"),
            ),
            ("1", "nama lengkap"),  # the menu's first entry: a reservation
        ],
    )


def test_questions_people_ask_most_are_answered_at_rest(dialog: Dialog) -> None:
    verify_dialog(
        dialog,
        [
            ("halo", "Menu utama"),
            ("maaf ini nomor siapa ya?", "nomor WhatsApp resmi"),
            ("bisa konsultasi lewat telepon?", ("Zoom", "telepon biasa belum bisa")),
            ("konsultannya ada yang perempuan ga?", "konsultan perempuan"),
        ],
    )


def test_a_question_with_an_afterthought_at_the_name_question_is_no_name(
    dialog: Dialog, db: sa.Engine
) -> None:
    verify_dialog(
        dialog,
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("ini gratis kan? konsultasinya", ("gratis", "nama lengkap")),
            ("yg konsultasi nanti siapa ya namanya?", ("Tenaga ahli", "nama lengkap")),
            ("buku kas kita ga balance udh 3 bulan", "nama lengkap"),
            ("Wawan Hermawan", ("Pak Wawan Hermawan", "mewakili")),
        ],
    )


def test_two_questions_joined_in_sundanese_are_both_answered(dialog: Dialog) -> None:
    answer = dialog.said("kantorna di palih mana nya? sareng buka dugi ka jam sabaraha?")
    assert "Alamat" in answer and "Jam layanan" in answer
