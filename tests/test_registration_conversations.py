"""Registration as people write it: whatever they already said is kept, values look like what
they are, one confirmation before saving, one field changed at a time. Each dialog checks the
contact that was stored, not only the replies."""

from __future__ import annotations

import itertools

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlmodel import col

from storage.models import Contact
from tests.dialog import Dialog, WebhookDialog, verify_dialog


def stored(db: sa.Engine, phone: str = "+6281234567890") -> tuple[object, ...]:
    """(name, salutation, category, organisation, kecamatan, regency) of the contact."""
    with db.connect() as connection:
        row = connection.execute(sa.select(Contact).where(col(Contact.phone) == phone)).one()
    return (row.name, row.salutation, row.category, row.organisation, row.kecamatan, row.regency)


def registered_at(db: sa.Engine) -> object:
    with db.connect() as connection:
        return connection.execute(sa.select(Contact)).one().registered_at


def test_elderly_chairman_gives_everything_in_his_first_message(
    dialog: Dialog, db: sa.Engine
) -> None:
    verify_dialog(
        dialog,
        [
            (
                "Assalamualaikum, saya Haji Sutrisno ketua KSP Maju Jaya dari Kecamatan Cikupa, "
                "mau konsultasi soal RAT",
                ("Betul begini?", "Bapak Haji Sutrisno", "KSP Maju Jaya", "Cikupa", "2. Ubah"),
            ),
            ("iya betul nak", "Terima kasih, Pak Haji Sutrisno"),
        ],
    )
    first = dialog.history[0][1]
    assert not any("nama lengkap" in reply or "mewakili" in reply for reply in first)
    assert stored(db) == (
        "Sutrisno",
        "haji",
        "koperasi_konvensional",
        "KSP Maju Jaya",
        "Cikupa",
        "Kabupaten Tangerang",
    )


def test_chairman_asked_again_is_apologised_to_and_his_negation_respected(
    dialog: Dialog, db: sa.Engine
) -> None:
    verify_dialog(
        dialog,
        [
            ("selamat pagi", "Menu utama"),
            ("saya mau daftar konsultasi", "nama lengkap"),
            (
                "Nama saya kan sudah saya sebutkan tadi nak, Haji Sutrisno",
                ("Mohon maaf", "Pak Haji Sutrisno", "mewakili"),
            ),
            ("koperasi biasa nak, bukan syariah", "nama koperasi"),
            ("Koperasi Tani Makmur", "kecamatan"),
            ("kec. cikupa", ("Betul begini?", "Koperasi (konvensional)", "Cikupa")),
            ("1", "Terima kasih, Pak Haji Sutrisno"),
        ],
    )
    name, salutation, category, organisation, kecamatan, _ = stored(db)
    assert (name, salutation, category) == ("Sutrisno", "haji", "koperasi_konvensional")
    assert (organisation, kecamatan) == ("Koperasi Tani Makmur", "Cikupa")


def test_syariah_officer_gives_her_title_cooperative_and_a_typo_of_her_kecamatan(
    dialog: Dialog, db: sa.Engine
) -> None:
    verify_dialog(
        dialog,
        [
            ("permisi, mau reservasi konsultasi", "nama lengkap"),
            (
                "Ibu Hj. Nur Aini, manajer KSPPS Al-Ikhlas",
                ("Terima kasih", "kecamatan"),
            ),
            (
                "pasarkemiss",
                ("Ibu Hajjah Nur Aini", "Koperasi syariah", "KSPPS Al-Ikhlas", "Pasar Kemis"),
            ),
            ("sudah benar", "Bu Hajjah Nur Aini"),
        ],
    )
    assert stored(db) == (
        "Nur Aini",
        "hajjah",
        "koperasi_syariah",
        "KSPPS Al-Ikhlas",
        "Pasar Kemis",
        "Kabupaten Tangerang",
    )


def test_food_seller_is_asked_again_with_reasons_and_never_twice_the_same_words(
    dialog: Dialog, db: sa.Engine
) -> None:
    verify_dialog(
        dialog,
        [
            ("halo kak", "Menu utama"),
            ("1", "nama lengkap"),
            ("istri sy pinter masak seblak", ("bukan nama", "misalnya")),
            ("kok lama banget sih", ("Mohon maaf", "Sri Wahyuni")),
            ("buat apa?", ("mencatat reservasi", "menu", "petugas")),
            ("Rina Marlina", "mewakili"),
            ("jualan seblak sama keripik pedas", "nama usaha"),
            ("belum ada nama kak", "kecamatan"),
            ("cikupaa", ("Betul begini?", "UMKM", "Cikupa")),
            ("ya", "Terima kasih, Bu Rina Marlina"),
        ],
    )
    answers = [replies for _said, replies in dialog.history[2:5]]
    assert len({tuple(a) for a in answers}) == 3, "the same retry twice in a row"
    assert stored(db) == ("Rina Marlina", None, "umkm", None, "Cikupa", "Kabupaten Tangerang")


def test_ok_five_times_at_the_name_question_gets_no_sentence_twice_in_a_row(
    dialog: Dialog, db: sa.Engine
) -> None:
    dialog.profile_name = "~"  # no WhatsApp name to offer
    dialog.say("halo")
    dialog.say("reservasi")
    answers = [dialog.said("ok") for _ in range(5)]
    for before, after in itertools.pairwise(answers):
        assert before != after
    assert all("petugas" in a and "menu" in a for a in answers[2:])
    assert "mewakili" in dialog.said("Dedi Kurniawan")
    with db.connect() as connection:
        assert connection.execute(sa.select(Contact)).one().name is None


def test_citizen_founding_a_cooperative_is_not_asked_for_one(dialog: Dialog, db: sa.Engine) -> None:
    verify_dialog(
        dialog,
        [
            ("mau konsultasi", "nama lengkap"),
            ("Bayu Pratama", "mewakili"),
            ("belum punya koperasi, mau bikin sama warga kampung", "kecamatan"),
            ("Tigaraksa", ("Perorangan/warga", "Tigaraksa")),
            ("oke", "Terima kasih"),
        ],
    )
    assert "nama koperasi" not in " ".join(r for _s, rs in dialog.history for r in rs)
    assert stored(db) == ("Bayu Pratama", None, "warga", None, "Tigaraksa", "Kabupaten Tangerang")


def test_english_speaker_from_another_regency_is_noted_and_confirmed(
    client: FlaskClient, db: sa.Engine
) -> None:
    dialog = Dialog(client, phone="+6281300000001", profile_name="John")
    verify_dialog(
        dialog,
        [
            ("Hello, I would like to book a consultation", "full name"),
            ("I'm John Carter, I run a small bakery", ("Thank you", "name of your business")),
            ("It's called Carter Bakes", "kecamatan"),
            (
                "Coblong I think? we're near Dago",
                ("Is this right?", "Coblong, Kota Bandung", "outside Kabupaten Tangerang"),
            ),
            ("yes", "Thank you, Mr John Carter"),
        ],
    )
    assert stored(db, "+6281300000001") == (
        "John Carter",
        None,
        "umkm",
        "Carter Bakes",
        "Coblong",
        "Kota Bandung",
    )


def test_javanese_speaker_answers_with_kulo_and_nggih(client: FlaskClient, db: sa.Engine) -> None:
    dialog = Dialog(client, phone="+6281300000002")
    verify_dialog(
        dialog,
        [
            ("sugeng enjing, badhe reservasi konsultasi", "nama lengkap"),
            ("kulo Bu Sri Wahyuni saking KUD Sido Makmur", ("Bu Sri Wahyuni", "kecamatan")),
            ("kulo teng Balaraja", ("Ibu Sri Wahyuni", "KUD Sido Makmur", "Balaraja")),
            ("nggih", "Terima kasih, Bu Sri Wahyuni"),
        ],
    )
    assert stored(db, "+6281300000002") == (
        "Sri Wahyuni",
        "ibu",
        "koperasi_konvensional",
        "KUD Sido Makmur",
        "Balaraja",
        "Kabupaten Tangerang",
    )


def test_sundanese_speaker_answers_with_abdi_and_muhun(client: FlaskClient, db: sa.Engine) -> None:
    dialog = Dialog(client, phone="+6281300000003")
    verify_dialog(
        dialog,
        [
            ("punten, bade reservasi", "nama lengkap"),
            ("abdi Asep Saepudin", "mewakili"),
            ("3", "nama usaha"),
            ("Kerupuk Kulit Mang Asep", "kecamatan"),
            ("Curug", ("Bapak Asep Saepudin", "Kerupuk Kulit Mang Asep", "Curug")),
            ("muhun leres", "Terima kasih, Pak Asep Saepudin"),
        ],
    )
    assert stored(db, "+6281300000003") == (
        "Asep Saepudin",
        None,
        "umkm",
        "Kerupuk Kulit Mang Asep",
        "Curug",
        "Kabupaten Tangerang",
    )


def test_a_name_answer_fills_the_organisation_and_kecamatan_too(
    dialog: Dialog, db: sa.Engine
) -> None:
    verify_dialog(
        dialog,
        [
            ("reservasi", "nama lengkap"),
            (
                "Budi dari KSP Sejahtera, Cikupa",
                ("Betul begini?", "Bapak Budi", "KSP Sejahtera", "Cikupa"),
            ),
            ("ya", "Terima kasih"),
        ],
    )
    assert stored(db)[2:5] == ("koperasi_konvensional", "KSP Sejahtera", "Cikupa")


def test_one_change_at_the_confirmation_changes_one_field(dialog: Dialog, db: sa.Engine) -> None:
    verify_dialog(
        dialog,
        [
            ("reservasi", "nama lengkap"),
            ("Pak Joko Susilo dari KSP Harapan Kita, Curug", "Betul begini?"),
            ("ubah nama", "nama lengkap"),
            ("Joko Susilo Widodo", ("Betul begini?", "Bapak Joko Susilo Widodo", "Curug")),
            ("ubah kecamatan jadi Legok", ("Betul begini?", "Legok", "KSP Harapan Kita")),
            ("2", "Bagian mana"),
            ("3", "nama koperasi"),
            ("KSP Harapan Kita Bersama", ("Betul begini?", "KSP Harapan Kita Bersama")),
            ("ya", "Terima kasih, Pak Joko Susilo Widodo"),
        ],
    )
    assert stored(db) == (
        "Joko Susilo Widodo",
        "bapak",
        "koperasi_konvensional",
        "KSP Harapan Kita Bersama",
        "Legok",
        "Kabupaten Tangerang",
    )


def test_an_unclear_kecamatan_offers_the_nearest_and_an_unlisted_one_is_kept_when_repeated(
    client: FlaskClient, db: sa.Engine
) -> None:
    dialog = Dialog(client, phone="+6281300000004")
    verify_dialog(
        dialog,
        [
            ("reservasi", "nama lengkap"),
            ("Dewi Anggraini", "mewakili"),
            ("4", "kecamatan"),
            ("Cibeunying", ("yang mana", "Cibeunying Kaler (Kota Bandung)")),
            ("bukan", "kecamatan"),
            ("Kampung Zzyzx", ("tidak ada di daftar", "sekali lagi")),
            ("Kampung Zzyzx", ("Betul begini?", "tidak ada di daftar kami")),
            ("ya", "Terima kasih"),
        ],
    )
    assert stored(db, "+6281300000004") == (
        "Dewi Anggraini",
        None,
        "warga",
        None,
        "Kampung Zzyzx",
        None,
    )


def test_a_registered_person_changes_only_the_kecamatan(dialog: Dialog, db: sa.Engine) -> None:
    dialog.say(
        "Assalamualaikum, saya Ibu Yuni dari KSPPS Berkah Umat kecamatan Kosambi, mau reservasi"
    )
    dialog.say("ya")
    dialog.say("menu")
    first_registration = registered_at(db)
    verify_dialog(
        dialog,
        [
            ("reservasi", "Yuni"),
            ("2", ("Bagian mana", "1. Nama lengkap")),
            ("4", "kecamatan"),
            ("teluknaga", ("Betul begini?", "Teluknaga", "KSPPS Berkah Umat")),
            ("ya", "Terima kasih, Bu Yuni"),
        ],
    )
    assert stored(db) == (
        "Yuni",
        "ibu",
        "koperasi_syariah",
        "KSPPS Berkah Umat",
        "Teluknaga",
        "Kabupaten Tangerang",
    )
    assert registered_at(db) == first_registration


def test_back_from_the_category_question_asks_the_name_again(dialog: Dialog, db: sa.Engine) -> None:
    verify_dialog(
        dialog,
        [
            ("reservasi", "nama lengkap"),
            ("Hendra", "mewakili"),
            ("kembali", "nama lengkap"),
            ("Hendra Gunawan", "mewakili"),
            ("KPRI Guru Sejahtera", "kecamatan"),
            ("Sepatan Timur", "Betul begini?"),
            ("ya", "Terima kasih"),
        ],
    )
    assert stored(db)[:5] == (
        "Hendra Gunawan",
        None,
        "koperasi_konvensional",
        "KPRI Guru Sejahtera",
        "Sepatan Timur",
    )


def test_a_question_at_the_name_question_is_answered_and_the_name_asked_again(
    dialog: Dialog, db: sa.Engine
) -> None:
    verify_dialog(
        dialog,
        [
            ("reservasi", "nama lengkap"),
            ("kalo hari minggu buka ga?", ("Senin–Jumat", "nama lengkap")),
            ("buat apa?", "mencatat reservasi"),
            ("Wulan Sari", "mewakili"),
        ],
    )
    with db.connect() as connection:
        assert connection.execute(sa.select(Contact)).one().name is None  # not saved yet


def test_a_student_through_the_signed_webhook_names_only_her_regency_first(
    webhook_dialog: WebhookDialog, db: sa.Engine
) -> None:
    verify_dialog(
        webhook_dialog,
        [
            ("kak mau daftar konsultasi, aku mahasiswi mau bikin usaha kecil", "nama lengkap"),
            ("aku Nabila Putri", ("Terima kasih", "kecamatan")),
            ("kab. tangerang", "kecamatan"),
            ("kelapa dua", ("Perorangan/warga", "Kelapa Dua, Kabupaten Tangerang")),
            ("y", "Terima kasih, Bu Nabila Putri"),
        ],
    )
    assert stored(db) == (
        "Nabila Putri",
        None,
        "warga",
        None,
        "Kelapa Dua",
        "Kabupaten Tangerang",
    )


def test_a_correction_in_the_same_sentence_as_no_changes_that_field(
    client: FlaskClient, db: sa.Engine
) -> None:
    dialog = Dialog(client, phone="+6281300000005")
    verify_dialog(
        dialog,
        [
            ("bade daftar konsultasi", "nama lengkap"),
            ("Teh Imas Masitoh", "mewakili"),
            ("bukan koperasi biasa, syariah", "nama koperasi"),
            ("KSPPS Barokah Mandiri", "kecamatan"),
            ("Panongan", ("Betul begini?", "Koperasi syariah", "Panongan")),
            ("sanes, kacamatanna Pasar Kemis", ("Betul begini?", "Pasar Kemis")),
            ("iye", "Terima kasih, Bu Imas Masitoh"),
        ],
    )
    assert stored(db, "+6281300000005") == (
        "Imas Masitoh",
        "ibu",
        "koperasi_syariah",
        "KSPPS Barokah Mandiri",
        "Pasar Kemis",
        "Kabupaten Tangerang",
    )


def test_a_business_named_after_a_day_is_a_name_but_a_wished_time_is_not(
    dialog: Dialog,
) -> None:
    for text in ("halo", "reservasi", "Siti Aminah", "3"):
        dialog.say(text)
    assert "nama usaha" in dialog.said("Tiasa enjing jam 2 siang? Abdi sumping ka kantorna")
    assert "kecamatan" in dialog.said("Warung Jumat Berkah")
    assert "Warung Jumat Berkah" in dialog.said("Cikupa")


def test_no_cooperative_yet_at_the_change_menu_makes_a_citizen_without_one(
    dialog: Dialog,
) -> None:
    verify_dialog(
        dialog,
        [
            ("english please", "English"),
            ("book a consultation", "full name"),
            ("Suharto Wibisono", "You represent"),
            ("1", "name of your cooperative"),
            ("Koperasi Harapan Desa", "kecamatan"),
            ("Teluknaga", ("Is this right?", "Koperasi Harapan Desa")),
            ("2", "What should we change"),
            (
                "the cooperative doesnt exist yet, no name. i'm just a private person for now",
                ("Is this right?", "Individual/citizen"),
            ),
        ],
    )
