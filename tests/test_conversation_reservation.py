"""Reservation scripts: first-time and returning people, free-text dates, full slots, races."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from bot.clock import FakeClock
from storage.models import ClinicHours, Contact, Conversation, Message, Topic
from tests.booking import register_and_reserve, reservations_of
from tests.conftest import JAKARTA
from tests.dialog import Dialog

WIB = JAKARTA


def test_first_time_cooperative_books_online_with_typos_and_slang(
    dialog: Dialog, db: sa.Engine
) -> None:
    assert "Menu utama" in dialog.said("halo kak")
    assert "nama lengkap" in dialog.said("sy mau resevasi konsltasi")
    assert "mewakili" in dialog.said("Sari Wulandari")
    assert "nama koperasi" in dialog.said("koperasi syariah")
    assert "kecamatan" in dialog.said("KSPPS Berkah Umat")
    assert "Betul begini" in dialog.said("Cikupa")
    reply = dialog.said("ya")
    assert "Terima kasih" in reply and "Klinik Koperasi* – pilih topik" in reply
    assert "Ceritakan" in dialog.said("laporan keuangn")
    assert "cara apa" in dialog.said(
        "laporan keuangan kami gak pernah seimbang, gmn cara rapikannya"
    )
    slots = dialog.said("onlen zoom")
    assert "Jadwal kosong terdekat" in slots
    assert "1. Senin, 23 November 2026, 10.00 WIB" in slots
    summary = dialog.said("2")
    assert "Ringkasan" in summary and "Online" in summary and "10.30 WIB" in summary
    booked = dialog.said("iya betul")
    assert "Reservasi tercatat" in booked and "EK-2611-" in booked

    [reservation] = reservations_of(db)
    assert reservation.status == "booked"
    assert reservation.mode == "online"
    assert reservation.problem.startswith("laporan keuangan kami")
    assert reservation.starts_at == dt.datetime(2026, 11, 23, 10, 30, tzinfo=WIB)
    assert reservation.code and reservation.code in booked
    with db.connect() as connection:
        topic = connection.execute(
            sa.select(Topic.code).where(Topic.id == reservation.topic_id)
        ).scalar_one()
        contact = connection.execute(sa.select(Contact)).one()
    assert topic == "laporan_keuangan"
    assert contact.name == "Sari Wulandari" and contact.category == "koperasi_syariah"
    assert contact.organisation == "KSPPS Berkah Umat" and contact.kecamatan == "Cikupa"


def test_returning_umkm_books_face_to_face_in_english(client: FlaskClient, db: sa.Engine) -> None:
    dialog = Dialog(client, phone="+6285555555555")
    dialog.say("hello")
    dialog.say("book a consultation")
    dialog.say("Budi Santoso")
    assert "business" in dialog.said("3")
    dialog.say("Keripik Budi")
    dialog.say("Kelapa Dua")
    dialog.say("yes")
    dialog.say("cancel")  # stops before choosing a clinic; the registration stays

    reply = dialog.said("I want to book a consultation")
    assert "Booking for" in reply and "Budi Santoso" in reply and "Keripik Budi" in reply
    assert "Small business (UMKM) clinic* – choose a topic" in dialog.said("1")
    assert "Tell us" in dialog.said("permits")
    assert "How would you like to meet" in dialog.said("We need an NIB for our chips business")
    slots = dialog.said("face to face")
    assert "Nearest free times" in slots and "Monday, 23 November 2026, 13:00 WIB" in slots
    assert "Face to face" in dialog.said("1")
    booked = dialog.said("yes")
    assert "Booking recorded" in booked

    [reservation] = reservations_of(db)
    assert reservation.mode == "tatap_muka" and reservation.status == "booked"
    assert reservation.starts_at == dt.datetime(2026, 11, 23, 13, 0, tzinfo=WIB)
    with db.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(Contact)).scalar_one() == 1


def test_date_and_time_in_free_text(dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)  # books Monday 10.00
    dialog.say("reservasi")
    dialog.say("1")
    dialog.say("1")
    dialog.say("3")
    dialog.say("Kami ingin memperbaiki manajemen koperasi")
    dialog.say("tatap muka")
    summary = dialog.said("besok jam 10")
    assert "Selasa, 24 November 2026" in summary and "10.00 WIB" in summary
    dialog.say("2")  # choose another time
    offered = dialog.said("senin depan")
    assert "1. Senin, 30 November 2026, 09.00 WIB" in offered
    assert "30 November 2026" in dialog.said("1")
    dialog.say("ya")
    starts = [r.starts_at for r in reservations_of(db)]
    assert dt.datetime(2026, 11, 30, 9, 0, tzinfo=WIB) in starts


def test_opening_message_with_date_and_time_goes_straight_to_that_slot(dialog: Dialog) -> None:
    dialog.say("halo")
    dialog.say("sy mau konsul bsk jam 10")
    for answer in (
        "Sari",
        "1",
        "Koperasi Maju",
        "Curug",
        "ya",
        "koperasi",
        "2",
        "Modal kami kurang untuk usaha simpan pinjam",
    ):
        dialog.say(answer)
    summary = dialog.said("online")
    assert "Ringkasan" in summary and "Jadwal: Selasa, 24 November 2026, 10.00 WIB" in summary
    offered = dialog.said("2")  # another time: the free times around the wish
    assert "1. Selasa, 24 November 2026, 09.00 WIB" in offered


def test_a_full_or_closed_time_offers_other_slots(dialog: Dialog, db: sa.Engine) -> None:
    with db.begin() as connection:
        connection.execute(sa.update(ClinicHours).values(capacity=1))
    register_and_reserve(dialog, slot_answer="besok jam 9")  # takes Tue 09.00, the only seat
    other = Dialog(dialog.client, phone="+6287777777777")
    register_and_reserve_until_slot(other)
    reply = other.said("besok jam 9")
    assert "Selasa, 24 November 2026, jam 09.00 sudah penuh" in reply
    assert "1. Selasa, 24 November 2026, 09.30 WIB" in reply
    holiday = other.said("25 desember jam 10")
    assert "Jumat, 25 Desember 2026 hari libur nasional (Hari Raya Natal)" in holiday
    assert "Senin, 28 Desember 2026, 09.00 WIB" in holiday


def register_and_reserve_until_slot(dialog: Dialog) -> None:
    """Walk a new person up to the slot question of the koperasi clinic."""
    for answer in (
        "halo",
        "reservasi",
        "Dewi",
        "1",
        "Koperasi Sejahtera",
        "Legok",
        "ya",
        "1",
        "2",
        "Kami butuh tambahan modal untuk anggota",
        "1",
    ):
        dialog.say(answer)


def test_slot_taken_between_summary_and_confirmation(
    dialog: Dialog, db: sa.Engine, client: FlaskClient
) -> None:
    with db.begin() as connection:
        connection.execute(sa.update(ClinicHours).values(capacity=1))
    register_and_reserve_until_slot(dialog)
    assert "Ringkasan" in dialog.said("1")  # Monday 10.00
    rival = Dialog(client, phone="+6288888888888")
    register_and_reserve_until_slot(rival)
    assert "Reservasi tercatat" in (rival.say("1"), rival.said("ya"))[1]
    reply = dialog.said("ya")
    assert "baru saja terisi" in reply
    assert "Senin, 23 November 2026, 10.30 WIB" in reply
    assert len(reservations_of(db)) == 1


def test_last_seat_race_gives_the_seat_to_exactly_one(app: Flask, db: sa.Engine) -> None:
    with db.begin() as connection:
        connection.execute(sa.update(ClinicHours).values(capacity=1))
    people = [Dialog(app.test_client(), phone=f"+62811000000{i:02d}") for i in range(6)]
    for person in people:
        register_and_reserve_until_slot(person)
        assert "10.00 WIB" in person.said("1")
    answers: dict[str, str] = {}
    barrier = threading.Barrier(len(people))

    def confirm(person: Dialog) -> None:
        barrier.wait()
        answers[person.phone] = "\n".join(person.say("ya"))

    threads = [threading.Thread(target=confirm, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [phone for phone, text in answers.items() if "Reservasi tercatat" in text]
    losers = [text for text in answers.values() if "baru saja terisi" in text]
    assert len(winners) == 1
    assert len(losers) == len(people) - 1
    assert all("10.30 WIB" in text for text in losers)
    booked = reservations_of(db)
    assert len(booked) == 1
    assert booked[0].starts_at == dt.datetime(2026, 11, 23, 10, 0, tzinfo=WIB)


def test_no_slot_in_the_past_or_too_close(dialog: Dialog, clock: FakeClock) -> None:
    clock.set(dt.datetime(2026, 11, 23, 8, 40, tzinfo=WIB))
    register_and_reserve_until_slot(dialog)
    reply = dialog.history[-1][1][-1]
    assert "1. Senin, 23 November 2026, 11.00 WIB" in reply  # 09.00-10.30 are less than 2 h away
    assert "terlalu dekat dari sekarang" in dialog.said("hari ini jam 10")


def test_concurrent_messages_of_one_contact_never_lose_an_update(app: Flask, db: sa.Engine) -> None:
    Dialog(app.test_client()).say("halo")
    with db.connect() as connection:
        before = connection.execute(sa.select(Conversation.version)).scalar_one()
    barrier = threading.Barrier(5)

    def send(text: str) -> None:
        barrier.wait()
        Dialog(app.test_client()).say(text)

    threads = [
        threading.Thread(target=send, args=(t,))
        for t in ("menu", "info", "halo", "bantuan", "menu")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with db.connect() as connection:
        after = connection.execute(sa.select(Conversation.version)).scalar_one()
        processed = connection.execute(
            sa.select(sa.func.count())
            .select_from(Message)
            .where(Message.direction == "in", Message.status == "processed")
        ).scalar_one()
    assert after == before + 5
    assert processed == 6


# a citizen: the clinic is asked (a cooperative's officer goes to the koperasi clinic unasked)
CITIZEN = ["Sari", "4", "Curug", "ya"]
STORY = "Kami ingin mendirikan koperasi baru"


@pytest.mark.parametrize(
    "step_answers",
    [
        [],  # name
        ["Sari"],  # category
        ["Sari", "1"],  # organisation
        ["Sari", "4"],  # kecamatan
        CITIZEN,  # clinic
        [*CITIZEN, "1"],  # topic
        [*CITIZEN, "1", "1"],  # problem
        [*CITIZEN, "1", "1", STORY],  # mode
        [*CITIZEN, "1", "1", STORY, "1"],  # slot
        [*CITIZEN, "1", "1", STORY, "1", "1"],  # summary
    ],
)
@pytest.mark.parametrize("word", ["menu", "batal", "kembali", "bantuan"])
def test_global_words_work_from_every_reservation_step(
    client: FlaskClient, db: sa.Engine, step_answers: list[str], word: str
) -> None:
    dialog = Dialog(client)
    dialog.say("halo")
    dialog.say("reservasi")
    for answer in step_answers:
        dialog.say(answer)
    before = dialog.history[-1][1]
    reply = dialog.said(word)
    if word == "menu":
        assert "Menu utama" in reply
    elif word == "batal":
        assert "dihentikan" in reply and "Menu utama" in reply
    elif word == "bantuan":
        assert "Bantuan" in reply
        assert reply.endswith(before[-1].splitlines()[-1])  # the same question again
    else:  # kembali: the previous question (or the menu from the first one)
        assert reply
        assert "Menu utama" in reply or "?" in reply or ":" in reply
    assert reservations_of(db) == [] or word == "bantuan"
