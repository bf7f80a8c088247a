"""Acceptance corpus: people who write in English (expatriates, Chinese-Indonesian families who
prefer English, a returning migrant). Each conversation checks the replies and what was stored."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bot.clock import FakeClock
from tests.corpus import ANY, Booking, Conversation, Person, Wait, at, cases, play
from tests.dialog import Dialog, Turn


def english_seller(name: str, business: str, kecamatan: str) -> list[Turn]:
    """A new English-speaking seller registers and picks the UMKM clinic."""
    return [
        ("Hello", ("Privacy notice", "main menu")),
        ("book", "full name"),
        (name, "You represent"),
        ("3", "name of your business"),
        (business, "kecamatan"),
        (kecamatan, ("Is this right?", business, kecamatan)),
        ("yes", ("Thank you", "Small business (UMKM) clinic", "choose a topic")),
    ]


CONVERSATIONS = [
    Conversation(
        "baker_books_in_english_from_the_first_message",
        [
            ("Hi, I'd like to book a consultation", ("Privacy notice", "full name")),
            ("Michael Tan", ("Thank you, Mr Michael Tan", "You represent")),
            ("3", "name of your business"),
            ("Tan Bakery", "kecamatan"),
            ("Kelapa Dua", ("Is this right?", "Tan Bakery", "Kelapa Dua")),
            ("yes", "choose a topic"),
            ("2", ("Access to capital", "Tell us")),
            ("I need a loan to buy a second oven", "How would you like to meet"),
            ("online", "Nearest free times"),
            ("1", ("Booking summary", "Monday, 23 November 2026, 13:00")),
            ("yes", ("Booking recorded", "EK-")),
        ],
        Person("Michael Tan", None, "umkm", "Tan Bakery", "Kelapa Dua"),
        (
            Booking(
                "umkm",
                "akses_permodalan",
                "I need a loan to buy a second oven",
                "online",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "resident_switches_to_english_then_books_face_to_face",
        [
            ("halo", "Menu utama"),
            ("english please?", ("English", "main menu")),
            ("book a consultation", "full name"),
            ("Sarah Wijaya", "You represent"),
            ("4", "kecamatan"),
            ("Cikupa", ("Is this right?", "Individual/citizen", "Cikupa")),
            ("yes", ("Thank you, Ms Sarah Wijaya", "Which clinic")),
            ("1", ("Cooperative clinic", "choose a topic")),
            ("1", ("Founding a cooperative", "Tell us")),
            ("We want to start a cooperative for our housing estate", "How would you like"),
            ("face to face", "Nearest free times"),
            ("1", ("Booking summary", "Face to face")),
            ("yes", "EK-"),
        ],
        Person("Sarah Wijaya", None, "warga", None, "Cikupa"),
        (
            Booking(
                "koperasi",
                "pendirian_koperasi",
                "We want to start a cooperative for our housing estate",
                "tatap_muka",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "newcomer_is_unsure_of_his_kecamatan_and_says_a_landmark",
        [
            ("Hello", "main menu"),
            ("book", "full name"),
            ("Daniel Lim", "You represent"),
            ("citizen", "kecamatan"),
            ("Pagedangan I think? near the BSD toll gate", ("Is this right?", "Pagedangan")),
            ("yes", ("Thank you, Mr Daniel Lim", "Which clinic")),
        ],
        Person("Daniel Lim", None, "warga", None, "Pagedangan"),
        (),
    ),
    Conversation(
        "rattan_crafter_asks_if_the_zoom_link_comes_here_at_the_summary",
        [
            *english_seller("Grace Halim", "Halim Handicraft", "Curug"),
            ("5", ("Market access", "Tell us")),
            ("I want to sell my rattan bags abroad", "How would you like"),
            ("online", "Nearest free times"),
            ("1", "Booking summary"),
            ("will I get the zoom link here?", ("WhatsApp chat", "Booking summary")),
            ("yes", "EK-"),
        ],
        Person("Grace Halim", None, "umkm", "Halim Handicraft", "Curug"),
        (
            Booking(
                "umkm", "akses_pasar", "I want to sell my rattan bags abroad", "online", at(23, 13)
            ),
        ),
    ),
    Conversation(
        "cooperative_treasurer_asks_if_it_is_free_and_books_tomorrow_morning",
        [
            ("Good morning", "main menu"),
            ("I want to book a consultation", "full name"),
            ("Kevin Hartanto", "You represent"),
            ("cooperative", "name of your cooperative"),
            ("Koperasi Karyawan Maju", "kecamatan"),
            ("Cikupa", ("Cooperative (conventional)", "Koperasi Karyawan Maju")),
            ("yes", "choose a topic"),
            ("is it free?", ("free", "choose a topic")),
            ("11", ("Financial reports", "Tell us")),
            ("Our books do not balance at the end of the year", "How would you like"),
            ("face to face", "Nearest free times"),
            ("tomorrow 10am", ("Booking summary", "Tuesday, 24 November 2026, 10:00")),
            ("yes", "EK-"),
        ],
        Person("Kevin Hartanto", None, "koperasi_konvensional", "Koperasi Karyawan Maju", "Cikupa"),
        (
            Booking(
                "koperasi",
                "laporan_keuangan",
                "Our books do not balance at the end of the year",
                "tatap_muka",
                at(24, 10),
            ),
        ),
    ),
    Conversation(
        "snack_maker_writes_friday_on_a_friday_evening_and_gets_next_friday",
        [
            *english_seller("Linda Chen", "Chen Snacks", "Legok"),
            ("1", ("Starting a business and permits", "Tell us")),
            ("I need help getting an NIB for my snack business", "How would you like"),
            ("online", ("Nearest free times", "Monday, 30 November 2026")),
            ("friday 2pm", ("Booking summary", "Friday, 4 December 2026, 14:00")),
            ("yes", "EK-"),
        ],
        Person("Linda Chen", None, "umkm", "Chen Snacks", "Legok"),
        (
            Booking(
                "umkm",
                "pendirian_izin_usaha",
                "I need help getting an NIB for my snack business",
                "online",
                at(4, 14, month=12),
            ),
        ),
        start=Wait(days=4, hours=11),  # Friday 27 November, 18.50 WIB
    ),
    Conversation(
        "furniture_maker_asks_for_intellectual_property_and_keeps_his_words",
        [
            *english_seller("Robert Gunawan", "Gunawan Furniture", "Balaraja"),
            ("intellectual property", ("not quite on our list", "Another topic")),
            ("1", ("Another topic", "Tell us")),
            ("I want to protect my furniture designs", "How would you like"),
            ("online", "Nearest free times"),
            ("1", ("Booking summary", "intellectual property")),
            ("yes", "EK-"),
        ],
        Person("Robert Gunawan", None, "umkm", "Gunawan Furniture", "Balaraja"),
        (
            Booking(
                "umkm",
                "lainnya",
                "[intellectual property] I want to protect my furniture designs",
                "online",
                at(23, 13),
            ),
        ),
    ),
    Conversation(
        "treasurer_introduces_himself_and_his_need_in_one_english_message",
        [
            (
                "Hi, I'm Mr. John Smith, treasurer of Koperasi Karyawan Sejahtera in Kelapa "
                "Dua, I need help with our financial statements",
                ("Is this right?", "John Smith", "Koperasi Karyawan Sejahtera", "Kelapa Dua"),
            ),
            ("yes", ("Thank you", "Financial reports", "Tell us")),
            ("Our balance sheet has errors from last year", "How would you like"),
            ("online", "Nearest free times"),
            ("1", ("Booking summary", "Cooperative clinic")),
            ("yes", "EK-"),
        ],
        Person(
            "John Smith",
            "bapak",
            "koperasi_konvensional",
            "Koperasi Karyawan Sejahtera",
            "Kelapa Dua",
        ),
        (
            Booking(
                "koperasi",
                "laporan_keuangan",
                "Our balance sheet has errors from last year",
                "online",
                at(23, 10),
            ),
        ),
    ),
    Conversation(
        "visitor_asks_for_a_real_person_and_returns_with_menu",
        [
            ("Hello", "main menu"),
            ("can I talk to a real person?", ("staff", "outside office hours")),
            ("menu", "main menu"),
            ("1", "full name"),
            ("Anna Susanto", "You represent"),
            ("4", "kecamatan"),
            ("Curug", ("Is this right?", "Curug")),
            ("yes", ("Thank you, Ms Anna Susanto", "Which clinic")),
        ],
        Person("Anna Susanto", None, "warga", None, "Curug"),
        (),
        handoffs=("resolved",),
    ),
    Conversation(
        "student_starts_in_english_and_switches_to_indonesian_mid_registration",
        [
            ("Hello", "main menu"),
            ("book", "full name"),
            ("Putri Ayu", "You represent"),
            ("bahasa indonesia aja", ("Bahasa Indonesia", "mewakili")),
            ("4", "kecamatan"),
            ("Kelapa Dua", ("Betul", "Perorangan/warga", "Kelapa Dua")),
            ("ya", ("Terima kasih, Bu Putri Ayu", "klinik")),
        ],
        Person("Putri Ayu", None, "warga", None, "Kelapa Dua"),
        (),
    ),
    Conversation(
        "shop_owner_asks_for_english_at_the_name_question",
        [
            ("halo", "Menu utama"),
            ("reservasi", "nama lengkap"),
            ("can you reply in english", ("English", "full name")),
            ("Peter Wong", ("Thank you, Mr Peter Wong", "You represent")),
            ("3", "name of your business"),
            ("Wong Printing", "kecamatan"),
            ("Kosambi", ("Is this right?", "Wong Printing", "Kosambi")),
            ("yes", ("Thank you, Mr Peter Wong", "choose a topic")),
        ],
        Person("Peter Wong", None, "umkm", "Wong Printing", "Kosambi"),
        (),
    ),
    Conversation(
        "volunteer_introduces_himself_with_im",
        [
            ("Hello", "main menu"),
            ("book", "full name"),
            ("I'm Budi", ("Thank you, Mr Budi", "You represent")),
            ("citizen", "kecamatan"),
            ("Cisauk", ("Is this right?", "Budi", "Cisauk")),
            ("yes", "Which clinic"),
        ],
        Person("Budi", None, "warga", None, "Cisauk"),
        (),
    ),
    Conversation(
        "soap_maker_describes_her_trade_and_is_not_asked_whom_she_represents",
        [
            ("Hi, I'd like to book a consultation", "full name"),
            ("Sarah Collins", "You represent"),
            ("I make handmade soap and sell at local markets", "name of your business"),
        ],
        None,
        (),
    ),
    Conversation(
        "husband_of_a_batik_maker_describes_her_shop_in_his_first_message",
        [
            (
                "Hello! My wife runs a small batik shop in Cikupa and we would like a "
                "consultation about getting a halal certificate",
                "full name",
            ),
            ("Mark Evans", "name of your business"),
        ],
        None,
        (),
    ),
    Conversation(
        "daughter_abroad_registers_her_mother_by_name",
        [
            ("Hi, I'd like to book a consultation", "full name"),
            (
                "Actually it's for my mother, her name is Sri Wahyuni. She runs a catering "
                "business",
                "Sri Wahyuni",
            ),
        ],
        None,
        (),
    ),
    Conversation(
        "surfer_answers_the_profile_name_with_yep_thats_me",
        [
            ("Hi, I'd like to book a consultation", ("full name", "Jake Morrison")),
            ("yep that's me", ("Thank you", "Jake Morrison", "You represent")),
        ],
        None,
        (),
        profile_name="Jake Morrison",
    ),
    Conversation(
        "treasurer_books_for_her_cooperative_please_and_signs_with_a_full_stop",
        [
            (
                "Hi, I'd like to book a consultation for our cooperative please. My name is "
                "Mei Ling Tan.",
                "name of your cooperative",
            ),
            ("Koperasi Maju Bersama", "kecamatan"),
            ("Kelapa Dua", ("Is this right?", "Mei Ling Tan\n", "Koperasi Maju Bersama")),
        ],
        None,
        (),
    ),
    Conversation(
        "planned_online_thrift_shop_is_asked_how_to_meet",
        [
            (
                "ok i wanna book. im planning to open a small online thrift shop, selling "
                "preloved clothes on shopee. no business yet. im in Kelapa Dua",
                "full name",
            ),
            ("nadia putri ramadhani", "You represent"),
            ("4 i guess", ("Is this right?", "Kelapa Dua")),
            ("yes", "Topic"),
            (
                "hmm idk, i mostly want to know if i need NIB for selling on shopee",
                "How would you like to meet",
            ),
            ("face to face", "Nearest free times"),
            ("1", ("Booking summary", "Face to face")),
            ("yes", "EK-"),
        ],
        Person("Nadia Putri Ramadhani", None, "warga", None, "Kelapa Dua"),
        (
            Booking(
                "umkm",
                ANY,
                "i mostly want to know if i need NIB for selling on shopee",
                "tatap_muka",
                ANY,
            ),
        ),
        profile_name="nadia",
    ),
]


@pytest.mark.parametrize("conversation", cases(CONVERSATIONS))
def test_english_speaker_conversation(
    conversation: Conversation, dialog: Dialog, db: sa.Engine, clock: FakeClock
) -> None:
    play(conversation, dialog, db, clock)
