"""First contact, greeting, language, help, unknown input, expiry and global words."""

from __future__ import annotations

import sqlalchemy as sa

from bot.clock import FakeClock
from storage.models import Contact, Conversation, Handoff
from tests.dialog import Dialog


def test_first_contact_gets_privacy_notice_once_then_menu(dialog: Dialog, db: sa.Engine) -> None:
    first = dialog.said("halo")
    assert "Pemberitahuan privasi" in first
    assert "2 tahun" in first  # how long data is kept
    assert "1. Reservasi konsultasi" in first
    second = dialog.said("halo")
    assert "privasi" not in second
    assert "Menu utama" in second
    with db.connect() as connection:
        noticed = connection.execute(sa.select(Contact.privacy_notice_at)).scalar_one()
    assert noticed is not None


def test_english_greeting_starts_in_english(client) -> None:  # type: ignore[no-untyped-def]
    text = Dialog(client, phone="+6281111111111").said("hello, good morning")
    assert "Privacy notice" in text
    assert "main menu" in text


def test_language_switch_from_the_menu_and_by_word(dialog: Dialog, db: sa.Engine) -> None:
    dialog.say("halo")
    assert "English" in dialog.said("7")
    assert "Language switched to English" in dialog.said("2")
    assert "Bahasa diganti" in dialog.said("bahasa indonesia")
    assert "Language switched" in dialog.said("english please")
    with db.connect() as connection:
        assert connection.execute(sa.select(Contact.language)).scalar_one() == "en"


def test_help_lists_the_global_words(dialog: Dialog) -> None:
    dialog.say("halo")
    text = dialog.said("bantuan")
    assert "*menu*" in text and "*kembali*" in text and "*batal*" in text and "*stop*" in text


def test_unknown_text_at_rest_is_not_understood_then_ways_out_are_offered(
    dialog: Dialog, db: sa.Engine
) -> None:
    dialog.say("halo")
    assert "belum mengerti" in dialog.said("qwerty zxcv")
    ways_out = dialog.said("asdf jkl")  # no silent handoff: a choice, and not the same words
    assert "*menu*" in ways_out and "*petugas*" in ways_out and "belum mengerti" not in ways_out
    assert dialog.said("halo?") != ""  # nobody was handed over: the bot still answers
    with db.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(Handoff)).scalar() == 0


def test_idle_conversation_expires_and_starts_fresh(
    dialog: Dialog, clock: FakeClock, db: sa.Engine
) -> None:
    dialog.say("halo")
    assert "nama lengkap" in dialog.said("reservasi")
    assert "mewakili" in dialog.said("Sari")
    clock.advance(hours=25)
    text = dialog.said("halo")
    assert "mulai dari awal" in text
    assert "Menu utama" in text
    with db.connect() as connection:
        flow = connection.execute(sa.select(Conversation.flow)).scalar_one()
    assert flow is None


def test_opt_out_is_confirmed_once_and_silences_the_bot(dialog: Dialog, db: sa.Engine) -> None:
    dialog.say("halo")
    assert "tidak akan menerima pesan" in dialog.said("stop ya makasih")
    assert dialog.say("halo") == []
    assert dialog.say("stop") == []
    with db.connect() as connection:
        assert connection.execute(sa.select(Contact.opted_out_at)).scalar_one() is not None
    text = dialog.said("mulai")
    assert "Selamat datang kembali" in text and "Menu utama" in text
    with db.connect() as connection:
        assert connection.execute(sa.select(Contact.opted_out_at)).scalar_one() is None


def test_opt_out_in_english_and_back_in(client) -> None:  # type: ignore[no-untyped-def]
    dialog = Dialog(client, phone="+6282222222222")
    dialog.say("hello")
    assert "will not receive" in dialog.said("STOP")
    assert dialog.say("hi") == []
    assert "Welcome back" in dialog.said("start")


def test_info_shows_seeded_hours_address_and_topics(dialog: Dialog) -> None:
    dialog.say("halo")
    assert "1. Jam layanan" in dialog.said("info")
    hours = dialog.said("1")
    assert "Senin–Jumat 09.00–12.00 WIB" in hours and "13.00–16.00" in hours
    dialog.say("info")
    assert "Jl. Contoh" in dialog.said("alamat")
    dialog.say("5")
    topics = dialog.said("3")
    assert (
        "Tingkat kesehatan koperasi" in topics and "Pendirian dan izin usaha (NIB/IUMK)" in topics
    )
    dialog.say("info")
    assert "gratis" in dialog.said("4")


def test_stop_inside_a_problem_story_is_not_an_opt_out(dialog: Dialog, db: sa.Engine) -> None:
    for answer in ("halo", "reservasi", "Sari", "1", "Koperasi Maju", "Curug", "ya", "1", "2"):
        dialog.say(answer)
    reply = dialog.said("penjualan stop total sejak pandemi, anggota banyak yang keluar")
    assert "cara apa" in reply  # the story was taken as the problem
    with db.connect() as connection:
        assert connection.execute(sa.select(Contact.opted_out_at)).scalar_one() is None
    assert "tidak akan menerima" in dialog.said("stop")


def test_a_new_request_after_a_long_pause_needs_no_word_about_starting_over(
    dialog: Dialog, clock: FakeClock
) -> None:
    dialog.say("halo")
    assert "nama lengkap" in dialog.said("reservasi")
    clock.advance(hours=25)
    text = dialog.said("mau tanya alamat kantornya dimana")
    assert "mulai dari awal" not in text
    assert "Jl." in text
