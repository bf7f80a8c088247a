"""My reservations, reschedule, cancel, other people's codes, past reservations, handoff."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from flask.testing import FlaskClient

from bot.clock import FakeClock
from storage.models import Handoff, Message, Reservation, ReservationEvent, SlotSeat
from tests.booking import book_again, register_and_reserve, reservations_of
from tests.conftest import JAKARTA
from tests.dialog import Dialog


def test_my_reservations_lists_upcoming_with_details(dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)
    with db.begin() as connection:
        connection.execute(
            sa.update(Reservation).values(status="confirmed", meeting_link="https://zoom.us/j/123")
        )
    text = dialog.said("cek reservasi saya")
    code = reservations_of(db)[0].code
    assert f"*{code}*" in text
    assert "Senin, 23 November 2026, 10.00 WIB" in text
    assert "Laporan keuangan" in text and "Online" in text and "Terkonfirmasi" in text
    assert "https://zoom.us/j/123" in text


def test_reschedule_moves_the_seat_and_keeps_the_code(dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)
    [before] = reservations_of(db)
    offered = dialog.said("ganti jadwal")
    assert "Pilih jadwal baru" in offered  # the only upcoming reservation is picked directly
    assert before.code in offered
    assert "Pindahkan" in dialog.said("kamis jam 11")
    done = dialog.said("ya")
    assert "Kamis, 26 November 2026, 11.00 WIB" in done
    [after] = reservations_of(db)
    assert after.code == before.code and after.status == "booked"
    assert after.starts_at == dt.datetime(2026, 11, 26, 11, 0, tzinfo=JAKARTA)
    with db.connect() as connection:
        seats = connection.execute(sa.select(SlotSeat.starts_at)).scalars().all()
        kinds = (
            connection.execute(sa.select(ReservationEvent.kind).order_by(ReservationEvent.id))
            .scalars()
            .all()
        )
    assert seats == [after.starts_at]
    assert kinds == ["created", "rescheduled"]


def test_cancel_with_a_reason_frees_the_seat(dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)
    code = reservations_of(db)[0].code
    asked = dialog.said("batalkan reservasi")
    assert code in asked and "alasan" in asked
    assert "Batalkan" in dialog.said("ada acara RAT mendadak")
    assert "sudah dibatalkan" in dialog.said("ya")
    [reservation] = reservations_of(db)
    assert reservation.status == "cancelled"
    assert reservation.cancel_reason == "ada acara RAT mendadak"
    with db.connect() as connection:
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(SlotSeat)).scalar_one() == 0
        )


def test_a_reason_that_says_later_is_kept_as_the_reason(dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)
    assert "alasan" in dialog.said("batalkan reservasi")
    reason = "anak saya dirawat di rumah sakit, nanti kalau sudah sembuh saya daftar lagi"
    assert "Batalkan" in dialog.said(reason)
    assert "sudah dibatalkan" in dialog.said("1")
    assert reservations_of(db)[0].cancel_reason == reason


def test_cancel_can_skip_the_reason_and_be_declined(dialog: Dialog, db: sa.Engine) -> None:
    register_and_reserve(dialog)
    assert "alasan" in dialog.said("batal")  # at rest, "batal" starts cancelling a reservation
    dialog.say("lewati")
    assert "tetap berlaku" in dialog.said("tidak")
    assert reservations_of(db)[0].status == "booked"


def test_someone_elses_code_is_refused(client: FlaskClient, db: sa.Engine) -> None:
    owner = Dialog(client, phone="+6281300000001")
    register_and_reserve(owner)
    code = reservations_of(db)[0].code
    intruder = Dialog(client, phone="+6281300000002")
    register_and_reserve(intruder)
    assert "tidak ditemukan di reservasi Anda" in intruder.said(f"batalkan {code}")
    assert reservations_of(db)[0].status == "booked"
    assert "tidak ditemukan" in intruder.said(f"ubah jadwal {code.lower() if code else ''} ya")
    book_again(intruder)  # two of their own: now they pick from a list
    intruder.say("batalkan reservasi")
    assert "tidak ditemukan" in intruder.said(code or "")
    assert reservations_of(db)[0].status == "booked"


def test_past_reservation_cannot_be_changed(
    dialog: Dialog, db: sa.Engine, clock: FakeClock
) -> None:
    register_and_reserve(dialog)
    code = reservations_of(db)[0].code
    dialog.say("ajak teman reservasi lagi?")  # anything; then time passes the session
    dialog.say("menu")
    clock.advance(hours=3)
    assert "belum punya reservasi" in dialog.said("reservasi saya")
    book_again(dialog)
    assert "sudah lewat" in dialog.said(f"batalkan {code}")
    assert "sudah lewat" in dialog.said(f"reschedule {code}")


def test_handoff_escalates_and_the_bot_stays_silent_while_staff_has_the_chat(
    dialog: Dialog, db: sa.Engine, clock: FakeClock
) -> None:
    dialog.say("halo")
    clock.advance(hours=2)  # 10.00 WIB on a Monday: office open
    text = dialog.said("mau bicara dengan petugas")
    assert "teruskan ke petugas" in text and "secepatnya" in text
    assert dialog.say("halo?") == []  # pending: waiting for staff, the bot stays quiet
    with db.begin() as connection:
        connection.execute(sa.update(Handoff).values(status="open"))  # a staff member took it
    assert dialog.say("menu") == []
    with db.connect() as connection:
        handoff = connection.execute(sa.select(Handoff)).one()
        held = connection.execute(
            sa.select(sa.func.count())
            .select_from(Message)
            .where(Message.status == "held_for_human")
        ).scalar_one()
    assert handoff.status == "open" and handoff.reason == "requested"
    assert handoff.last_user_text == "menu"
    assert held == 2
    with db.begin() as connection:
        connection.execute(sa.update(Handoff).values(status="resolved"))
    assert "Menu utama" in dialog.said("menu")


def test_a_handoff_nobody_has_taken_yet_gives_the_bot_back_on_menu(
    dialog: Dialog, db: sa.Engine, clock: FakeClock
) -> None:
    dialog.say("halo")
    asked = dialog.said("mau bicara dengan petugas")
    assert "petugas" in asked and "ketik *menu* untuk kembali ke asisten otomatis" in asked
    assert dialog.say("halo?? kok ga dibales") == []
    back = dialog.said("menu")
    assert "permintaan bicara dengan petugas kami batalkan" in back and "Menu utama" in back
    with db.connect() as connection:
        handoff = connection.execute(sa.select(Handoff)).one()
    assert handoff.status == "resolved" and handoff.resolved_by == "bot"
    assert "Reservasi" in dialog.said("1") or "nama" in dialog.said("1").lower()


def test_handoff_outside_office_hours_says_so(dialog: Dialog, clock: FakeClock) -> None:
    clock.set(dt.datetime(2026, 11, 28, 20, 0, tzinfo=JAKARTA))  # Saturday evening
    dialog.say("halo")
    assert "di luar jam layanan" in dialog.said("admin")


def test_handoff_from_inside_a_flow(dialog: Dialog) -> None:
    dialog.say("halo")
    dialog.say("reservasi")
    assert "petugas" in dialog.said("admin")
    assert dialog.say("Sari") == []


def test_a_reschedule_naming_a_free_time_goes_straight_to_the_question(
    dialog: Dialog, db: sa.Engine
) -> None:
    register_and_reserve(dialog)
    code = reservations_of(db)[0].code
    asked = dialog.said(f"tolong pindah {code} ke kamis jam 11")
    assert "Pindahkan" in asked and "Kamis, 26 November 2026, 11.00 WIB" in asked
    assert "Kamis, 26 November 2026, 11.00 WIB" in dialog.said("ya")
    full = dialog.said("ubah jadwal ke sabtu jam 10")
    assert "klinik ini tidak buka pada hari Sabtu" in full


def test_a_cancel_said_while_a_new_booking_begins_cancels_the_one_named(
    dialog: Dialog, db: sa.Engine, clock: FakeClock
) -> None:
    register_and_reserve(dialog)
    clock.advance(hours=2)
    assert "Reservasi atas nama" in dialog.said("reservasi")
    asked = dialog.said("lho bukan mau daftar, sy mau batal yg hari senin")
    assert "Membatalkan *EK-2611-0001*" in asked
    assert "sudah dibatalkan" in dialog.said("ya")
    assert reservations_of(db)[0].status == "cancelled"


def test_a_reason_given_with_the_cancel_is_not_asked_for(
    dialog: Dialog, db: sa.Engine, clock: FakeClock
) -> None:
    register_and_reserve(dialog)
    clock.advance(hours=2)
    asked = dialog.said("punten, abdi bade ngabatalkeun reservasi, aya tugas ti pabrik")
    assert "Batalkan *EK-2611-0001*" in asked and "alasannya" not in asked
    dialog.say("ya")
    [reservation] = reservations_of(db)
    assert reservation.status == "cancelled" and reservation.cancel_reason == "aya tugas ti pabrik"
