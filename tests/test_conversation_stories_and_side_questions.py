"""More real people: negations, numbers in stories, side questions, double taps, late answers."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask.testing import FlaskClient

from bot.clock import FakeClock
from storage.models import ClinicHours, Contact, Handoff
from tests.booking import TO_MODE, book_again, register_and_reserve, reservations_of, walk
from tests.conftest import JAKARTA
from tests.dialog import Dialog


def test_a_negated_mode_is_not_chosen(dialog: Dialog) -> None:
    walk(dialog, *TO_MODE)
    dialog.say("saya nggak bisa datang, online aja")
    assert "Online" in dialog.said("1")
    assert "Tatap muka" not in dialog.history[-1][1][-1]


def test_a_number_inside_a_story_is_not_a_menu_choice(dialog: Dialog, db: sa.Engine) -> None:
    walk(dialog, "halo", "reservasi", "Sari")
    reply = dialog.said("koperasi kami sudah 3 tahun berdiri")
    assert "nama koperasi" in reply
    with db.connect() as connection:
        assert connection.execute(sa.select(Contact.category)).scalar_one() is None


def test_asking_for_a_person_inside_the_story(dialog: Dialog, db: sa.Engine) -> None:
    walk(dialog, *TO_MODE[:-1])
    assert "petugas" in dialog.said("bisa minta tolong dihubungkan ke petugas?")
    with db.connect() as connection:
        assert connection.execute(sa.select(Handoff.reason)).scalar_one() == "requested"


def test_a_side_question_is_answered_and_the_booking_goes_on(dialog: Dialog) -> None:
    walk(dialog, *TO_MODE[:7])
    reply = dialog.said("alamatnya dimana?")
    assert "Jl. Contoh" in reply and "pilih topik" in reply
    assert "Ceritakan" in dialog.said("2")


def test_cannot_attend_offers_a_new_time_not_a_new_booking(dialog: Dialog) -> None:
    register_and_reserve(dialog)
    reply = dialog.said("saya tidak bisa hadir besok")
    assert "Pilih jadwal baru" in reply and "Reservasi atas nama" not in reply


def test_a_slot_picked_from_an_old_list_is_checked_again(dialog: Dialog, clock: FakeClock) -> None:
    walk(dialog, *TO_MODE, "online")
    clock.advance(hours=23)
    reply = dialog.said("1")
    assert "Senin, 23 November 2026, jam 10.00 sudah lewat" in reply and "Ringkasan" not in reply


def test_a_full_time_is_not_called_outside_opening_hours(
    client: FlaskClient, db: sa.Engine
) -> None:
    with db.begin() as connection:
        connection.execute(sa.update(ClinicHours).values(capacity=1))
    register_and_reserve(Dialog(client, phone="+6281100000001"), slot_answer="besok jam 10")
    other = Dialog(client, phone="+6281100000002")
    walk(other, *TO_MODE, "online")
    full = other.said("besok jam 10")
    assert "jam 10.00 sudah penuh" in full and "Jam layanan klinik" not in full
    closed = other.said("besok jam 3 sore")
    assert "Jam layanan klinik ini: Senin–Jumat 09.00–12.00 WIB" in closed


def test_greetings_mid_flow_are_not_misunderstandings(dialog: Dialog) -> None:
    walk(dialog, *TO_MODE)
    dialog.say("halo")
    assert "petugas" not in dialog.said("selamat pagi")
    assert "Jadwal kosong" in dialog.said("onlen aj")


def test_a_time_given_at_the_mode_question_is_kept(dialog: Dialog) -> None:
    walk(dialog, *TO_MODE)
    assert "kami catat" in dialog.said("bsk jm 10")
    assert "Selasa, 24 November 2026, 10.00 WIB" in dialog.said("online")


def test_a_story_in_several_bubbles_is_kept_together(dialog: Dialog, db: sa.Engine) -> None:
    walk(dialog, *TO_MODE[:-1], "Jadi begini ceritanya kak")
    assert "kami tambahkan" in dialog.said("koperasi kami punya banyak kredit macet dari anggota")
    walk(dialog, "online", "1", "ya")
    assert reservations_of(db)[0].problem.endswith("kredit macet dari anggota")


def test_code_switching_stays_indonesian(client: FlaskClient) -> None:
    assert "Pemberitahuan privasi" in Dialog(client, phone="+6281100000003").said(
        "mau book konsul besok pagi bisa?"
    )


def test_the_mode_can_change_at_the_slot_question(dialog: Dialog) -> None:
    walk(dialog, *TO_MODE, "tatap muka")
    assert "Online" in dialog.said("eh online aja deh")
    assert "Online" in dialog.said("1")


def test_stopping_with_a_booking_says_what_will_not_be_sent(dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)
    code = reservations_of(db)[0].code
    reply = dialog.said("stop")
    assert code in reply and "link Zoom" in reply


def test_ok_after_a_booking_is_a_short_answer(dialog: Dialog, db: sa.Engine) -> None:
    booked = register_and_reserve(dialog)  # answers the announcements question with "2"
    assert "info program" in booked  # asked once, after the first booking
    with db.connect() as connection:
        assert connection.execute(sa.select(Contact.announcements_consent)).scalar() is False
    again = dialog.said("oke siap")
    assert "Siap" in again and "Menu utama" not in again


def test_a_reservation_named_by_its_day(dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)  # Monday 10.00
    book_again(dialog, slot_answer="kamis jam 10")
    dialog.say("batalkan reservasi")
    assert "Membatalkan" in dialog.said("yang kamis")
    dialog.say("lewati")
    dialog.say("ya")
    thursday = dt.datetime(2026, 11, 26, 10, 0, tzinfo=JAKARTA)
    assert {r.starts_at: r.status for r in reservations_of(db)}[thursday] == "cancelled"


def test_names_and_kecamatan_as_people_write_them(dialog: Dialog, db: sa.Engine) -> None:
    walk(dialog, "halo", "reservasi", "Baik, terima kasih. Nama saya Ibu Hj. Siti Rahmawati", "4")
    assert "nama kecamatan" in dialog.said("ok")  # "ok" is not a kecamatan
    assert "Curug" in dialog.said("Kami berada di Kecamatan Curug, Kelurahan Kadu")
    dialog.say("ya")
    with db.connect() as connection:
        contact = connection.execute(sa.select(Contact)).one()
    assert contact.name == "Siti Rahmawati" and contact.kecamatan == "Curug"


def test_an_answer_with_a_question_beside_it_is_taken_and_the_question_answered(
    dialog: Dialog,
) -> None:
    walk(dialog, *TO_MODE)
    reply = dialog.said("online. zoom di hp bisa kan?")
    assert "Zoom dapat dipakai di HP" in reply and "Jadwal kosong" in reply
    assert "Konsultasi dengan cara apa" not in reply
    summary = dialog.said("1")
    assert "Online" in summary and "Ringkasan" in summary


def test_a_question_alone_keeps_the_question_of_the_step(dialog: Dialog) -> None:
    walk(dialog, *TO_MODE)
    reply = dialog.said("zoom bisa pake hp?")
    assert "Zoom dapat dipakai di HP" in reply and "Konsultasi dengan cara apa" in reply
