"""Reading people from their words: names and forms of address, categories with negations,
organisations, and kecamatan checked against the vendored list of places."""

from __future__ import annotations

from importlib import resources

import pytest

from bot.flows.registration import registration_changes_from, registration_slots_from
from bot.intents import people
from bot.services import places

TANGERANG = places.regency_named("Kabupaten Tangerang")


@pytest.mark.parametrize(
    ("said", "name", "salutation"),
    [
        ("nama saya kan sudah saya sebutkan tadi nak, Haji Sutrisno", "Sutrisno", "haji"),
        ("kulo Bu Sri Wahyuni", "Sri Wahyuni", "ibu"),
        ("abdi Asep Saepudin", "Asep Saepudin", None),
        ("Ibu Hj. Siti Rahmawati", "Siti Rahmawati", "hajjah"),
        ("H. Ahmad Dahlan", "Ahmad Dahlan", "haji"),
        ("Pak Haji Dadang", "Dadang", "haji"),
        ("Mbak Lestari", "Lestari", "ibu"),
        ("mas bagus hari prasetyo", "Bagus Hari Prasetyo", "bapak"),
        ("Baik, terima kasih. Nama saya Wawan", "Wawan", None),
        ("I'm John Carter", "John Carter", None),
        ("my name is Mrs. Anne Lee", "Anne Lee", "ibu"),
        ("Agus, S.E., M.M.", "Agus, S.E., M.M.", None),
        ("M. Rizki", "M. Rizki", None),
        ("SRI MULYANI", "Sri Mulyani", None),
        ("lho tadi kan sudah saya tulis nak, namanya Pak Darto", "Darto", "bapak"),
        ("Mbah Warsito", "Warsito", None),
        ("iya bener, Rokayah. Hj. Rokayah lengkapnya", "Rokayah", "hajjah"),
        ("Budi Santoso lengkapnya", "Budi Santoso", None),
        ("sy budi mau konsul soal modal", "Budi", None),
        ("saya dirman", "Dirman", None),
    ],
)
def test_a_name_loses_its_lead_in_and_keeps_its_title_as_the_form_of_address(
    said: str, name: str, salutation: str | None
) -> None:
    reading = people.read_name(said)
    assert (reading.name, reading.salutation) == (name, salutation)


@pytest.mark.parametrize(
    ("said", "problem"),
    [
        ("istri sy pinter masak seblak", "sentence"),
        ("sy mau daftar dulu", "sentence"),
        ("saya cuma jualan gorengan di depan rumah", "sentence"),
        ("kok lama banget sih", "complaint"),
        ("buat apa?", "question"),
        ("why do you need that", "question"),
        ("ok", "chatter"),
        ("Pak", "chatter"),
        ("muhun", "chatter"),
        ("12345", "digits"),
        ("asdfgh jkl", "nonsense"),
        # a story at the name question: its second clause is no name ("bnyk" is "banyak")
        ("NPF kami naik trs sampai 12% , bnyk anggota yg macet bayar angsuran", "sentence"),
        # a verb after "saya" is no name
        ("sy ditunjuk warga jd pengawas", "sentence"),
        ("saya bertugas jadi bendahara koperasi", "sentence"),
    ],
)
def test_a_sentence_complaint_or_question_is_no_name(said: str, problem: str) -> None:
    reading = people.read_name(said)
    assert reading.name is None and reading.problem == problem


def test_the_rest_of_a_name_answer_is_kept_for_the_other_fields() -> None:
    reading = people.read_name("Budi dari KSP Sejahtera, Cikupa")
    assert reading.name == "Budi" and "KSP Sejahtera" in reading.rest


@pytest.mark.parametrize(
    ("said", "category"),
    [
        ("koperasi biasa nak, bukan syariah", "koperasi_konvensional"),
        ("bukan koperasi biasa, syariah", "koperasi_syariah"),
        ("koperasi simpan pinjam", "koperasi_konvensional"),
        ("non syariah", "koperasi_konvensional"),
        ("KSPPS", "koperasi_syariah"),
        ("BMT Al Ikhlas", "koperasi_syariah"),
        ("syariah", "koperasi_syariah"),
        ("KSP", "koperasi_konvensional"),
        ("KUD", "koperasi_konvensional"),
        ("KPRI", "koperasi_konvensional"),
        ("jualan seblak", "umkm"),
        ("usaha keripik", "umkm"),
        ("bukan koperasi, saya jualan kue", "umkm"),
        ("belum punya koperasi, mau bikin", "warga"),
        ("we want to set up a cooperative", "warga"),
        ("mahasiswa", "warga"),
        ("I run a small bakery", "umkm"),
        ("sharia cooperative", "koperasi_syariah"),
        ("ketua koperasi, mau bikin unit usaha", "koperasi_konvensional"),
        ("1", None),
        ("saya pembuat tempe di Rajeg", "umkm"),
        ("I make handmade soap and sell at local markets", "umkm"),
        ("Koperasi Produsen Tani Makmur", "koperasi_konvensional"),
        ("im a student doing my thesis on digital marketing for UMKM", "warga"),
        ("sy mahasiswa yg jualan online", "umkm"),
        ("saya punya warung, mau buka cabang", "umkm"),
        ("sy warga biasa, blm punya usaha tp pengen mulai jualan makanan ringan", "warga"),
    ],
)
def test_categories_mind_negations(said: str, category: str | None) -> None:
    assert people.read_category(said) == category


def test_a_topic_word_in_passing_is_no_category() -> None:
    assert people.read_category("mau konsultasi soal modal usaha", strict=True) is None
    assert people.read_category("koperasi kami butuh modal", strict=True) == (
        "koperasi_konvensional"
    )


@pytest.mark.parametrize(
    ("said", "organisation"),
    [
        ("ketua KSP Maju Jaya dari Kecamatan Cikupa", "KSP Maju Jaya"),
        ("ksp sejahtera", "KSP Sejahtera"),
        ("kami dari Koperasi Tani Makmur di Cikupa", "Koperasi Tani Makmur"),
        ("koperasi biasa nak, bukan syariah", None),
        ("koperasi kami", None),
        ("koperasi simpan pinjam", None),
        ("jualan kue kering namanya Kue Kering Bu Imah, di Curug", "Kue Kering Bu Imah"),
        ("how long for the cooperative to get badan hukum", None),  # a question, no name
        ("we run a cooperative called Tani Jaya in Kresek", "Tani Jaya"),
    ],
)
def test_an_organisation_is_its_kind_and_name(said: str, organisation: str | None) -> None:
    assert people.organisation_in(said) == organisation


def test_an_organisation_answer_drops_its_lead_in() -> None:
    assert people.read_organisation("namanya Keripik Mak Eni") == "Keripik Mak Eni"
    assert people.read_organisation("koperasi kami") is None
    assert people.read_organisation("Tan Bakery") == "Tan Bakery"
    assert people.read_organisation("Dapur Dewi Catering") == "Dapur Dewi Catering"


def test_a_change_names_its_field_and_new_value() -> None:
    assert people.value_after_field("ubah nama jadi Sutrisno Hadi") == "Sutrisno Hadi"
    assert people.value_after_field("sanes, kacamatanna Pasar Kemis") == "Pasar Kemis"
    assert people.value_after_field("ubah nama") is None


@pytest.mark.parametrize(
    ("said", "kecamatan", "regency"),
    [
        ("Cikupa", "Cikupa", "Kabupaten Tangerang"),
        ("cikupaa", "Cikupa", "Kabupaten Tangerang"),
        ("kec. cikupa", "Cikupa", "Kabupaten Tangerang"),
        ("pasarkemis", "Pasar Kemis", "Kabupaten Tangerang"),
        ("kulo teng cikupa", "Cikupa", "Kabupaten Tangerang"),
        ("Coblong I think? we're near Dago", "Coblong", "Kota Bandung"),
        ("Sukajadi Bandung", "Sukajadi", "Kota Bandung"),
        ("Cikupa kab tangerang", "Cikupa", "Kabupaten Tangerang"),
        ("kelapa 2 kak", "Kelapa Dua", "Kabupaten Tangerang"),  # a number written as a digit
    ],
)
def test_a_kecamatan_is_found_home_first(said: str, kecamatan: str, regency: str) -> None:
    guess = places.read_kecamatan(said, TANGERANG, common=frozenset({"kulo"}))
    assert guess is not None and guess.district is not None
    assert (guess.district.name, guess.district.regency.name) == (kecamatan, regency)


def test_an_unclear_kecamatan_offers_the_nearest() -> None:
    guess = places.read_kecamatan("Cibeunying", TANGERANG)
    assert guess is not None and guess.district is None
    assert {d.name for d in guess.options} == {"Cibeunying Kaler", "Cibeunying Kidul"}
    assert places.read_kecamatan("Mars", TANGERANG) is None
    assert places.read_kecamatan("kab. tangerang", TANGERANG) is None  # a regency


def test_the_vendored_places_are_complete_and_attributed() -> None:
    assert len(places.regencies()) > 500 and len(places.districts()) > 7000
    assert TANGERANG is not None and len(places.districts_of(TANGERANG)) == 29
    folder = resources.files("bot.intents").joinpath("data", "places")
    assert "Open Database License" in folder.joinpath("ATTRIBUTION.md").read_text()
    assert "Open Database License" in folder.joinpath("LICENSE.md").read_text()


def test_every_registration_field_is_taken_from_one_long_message() -> None:
    said = (
        "Assalamualaikum, saya Haji Sutrisno ketua KSP Maju Jaya dari Kecamatan Cikupa, "
        "mau konsultasi soal RAT"
    )
    assert registration_slots_from(said) == {
        "reg_name": "Sutrisno",
        "reg_salutation": "haji",
        "reg_category": "koperasi_konvensional",
        "reg_organisation": "KSP Maju Jaya",
        "reg_kecamatan": "Cikupa",
    }
    assert registration_slots_from("mau konsul kamis jam 14") == {}
    assert registration_slots_from("saya mau konsultasi soal modal usaha") == {}
    assert registration_slots_from("Hi, I'm Sarah Jones from Toko Roti Enak in Curug") == {
        "reg_name": "Sarah Jones",
        "reg_category": "umkm",
        "reg_organisation": "Toko Roti Enak",
        "reg_kecamatan": "Curug",
    }


def test_a_wish_to_change_the_registration_is_told_from_a_reschedule() -> None:
    assert registration_changes_from("ganti nama saya jadi Siti Aminah Zahra") == {
        "reg_name": "Siti Aminah Zahra"
    }
    assert registration_changes_from("ubah kecamatan jadi Curug") == {"reg_kecamatan": "Curug"}
    assert registration_changes_from("ubah nama") == {"reg_field": "name"}
    assert registration_changes_from("ubah data saya") == {}
    assert registration_changes_from("ubah jadwal") is None
    assert registration_changes_from("nama saya Budi") is None


@pytest.mark.parametrize(
    ("said", "expected"),
    [
        (
            "Saya Nurul Hidayah, manajer KSPPS BMT Al-Ikhlas Pasar Kemis.",
            {
                "reg_name": "Nurul Hidayah",
                "reg_organisation": "KSPPS BMT Al-Ikhlas",
                "reg_category": "koperasi_syariah",
                "reg_kecamatan": "Pasar Kemis",
            },
        ),
        (
            "Marzuli. usaha bakso di cisoka, nama warungnya Bakso Bang Jali",
            {"reg_organisation": "Bakso Bang Jali", "reg_category": "umkm"},
        ),
        (
            "koperasi konsumen, abdi pengurus di Koperasi Warga Mandiri",
            {"reg_organisation": "Koperasi Warga Mandiri", "reg_category": "koperasi_konvensional"},
        ),
        ('umkm, batik tulis "Batik Sekar Arum"', {"reg_organisation": "Batik Sekar Arum"}),
        ("bagas pratama, usahanya namanya Kopi Lereng", {"reg_organisation": "Kopi Lereng"}),
        (
            "KUD Sido Makmur, kan nggih sampun kulo sanjangi",
            {"reg_organisation": "KUD Sido Makmur"},
        ),
        (  # a name as the first clause, then who they are
            "Rina Marlina, sekretaris Kopkar Sinar Jaya, pasar kemis",
            {"reg_name": "Rina Marlina", "reg_kecamatan": "pasar kemis"},
        ),
        ("Cikupa, koperasi kami", {"reg_name": None, "reg_kecamatan": "Cikupa"}),
        (
            "Dengan hormat, saya yang bertanda tangan di bawah ini, Hj. Siti Maryam, Ketua "
            "Koperasi Wanita Melati",
            {"reg_name": "Siti Maryam", "reg_salutation": "hajjah"},
        ),
        (  # the clinic is nobody's organisation
            "Saya H. Sukarman. Lalu pada hari dan jam berapa saja Klinik Koperasi melayani?",
            {"reg_name": "Sukarman", "reg_organisation": None},
        ),
        (  # a planned cooperative has no name yet
            "kami mau mendirikan koperasi bersama warga RT, gimana caranya ya?",
            {"reg_organisation": None, "reg_category": "warga"},
        ),
        (
            "Nama: Budi Santoso\nKoperasi: KSP Maju\nKecamatan: Cikupa",
            {"reg_name": "Budi Santoso", "reg_organisation": "KSP Maju"},
        ),
        (
            "Dengan hormat, perkenankan saya, H. Sukardi, selaku Ketua KSU Tani Makmur",
            {"reg_name": "Sukardi", "reg_salutation": "haji"},
        ),
        # how to address her, said before her name
        ("halo kak aku ibu rumah tangga, jualan frozen food dimsum", {"reg_salutation": "ibu"}),
        # a workplace is no business of one's own
        ("sy baru kena PHK dr pabrik sepatu, mau mulai usaha", {"reg_category": None}),
        ("hi, Rahmat Hidayat here, treasurer of BMT Amanah", {"reg_name": "Rahmat Hidayat"}),
    ],
)
def test_what_a_message_tells_about_the_person(said: str, expected: dict[str, str]) -> None:
    found = registration_slots_from(said)
    assert {key: found.get(key) for key in expected} == expected
    assert "reg_name" not in found or found["reg_name"] not in ("Kopi Lereng", "Sanjangi")


@pytest.mark.parametrize(
    ("said", "organisation"),
    [
        ('tempe "Sari Dele" pak', "Sari Dele"),
        ("kopi lereng min, kan udh sy tulis", "Kopi Lereng"),
        ("Kopi Lereng aja ga pake min wkwk", "Kopi Lereng"),
        ("1, KSP pak", None),
        ("Mei's Bakery, we're in Kelapa Dua", "Mei's Bakery"),  # apostrophes are no quotes
    ],
)
def test_an_organisation_answer_without_the_words_around_it(
    said: str, organisation: str | None
) -> None:
    assert people.read_organisation(said) == organisation


@pytest.mark.parametrize(
    ("said", "name", "salutation"),
    [
        ("agus setiawan min udh sy tls", "Agus Setiawan", None),
        ("nama lengkapnya Bambang Hermawan, yg lain udah bener", "Bambang Hermawan", None),
        ("nama saya Drs. H. Sutrisno Hadi", "Sutrisno Hadi", "haji"),
        ("Slamet Riyadi pak", "Slamet Riyadi", "bapak"),
        ("Thomas Hadiwijaya (Tom is fine)", "Thomas Hadiwijaya", None),
        (
            "nami lengkap abdi Iis Nurhayati, sanes Bapak nya, abdi ibu2 hehe",
            "Iis Nurhayati",
            "ibu",
        ),
        ("Slamet Riyadi, panggil pak Slamet mawon", "Slamet Riyadi", "bapak"),
        ("Sarno, Pak Sarno mawon", "Sarno", "bapak"),
    ],
)
def test_a_name_without_the_words_around_it_and_the_address_asked_for(
    said: str, name: str, salutation: str | None
) -> None:
    reading = people.read_name(said)
    assert (reading.name, reading.salutation) == (name, salutation)


@pytest.mark.parametrize(
    "said",
    [
        "trus skrg anggota pd minta simpanan dibalikin. sy ditunjuk warga jd pengawas. apa bisa "
        "dibekuin koperasinya?",
        "saya bertugas jadi bendahara koperasi",
    ],
)
def test_a_verb_after_saya_in_a_story_names_nobody(said: str) -> None:
    assert people.name_in(said) is None


@pytest.mark.parametrize(
    ("said", "kecamatan"),
    [
        ("im a student doing my thesis on digital marketing for UMKM in tangerang", None),
        ("saya dari kecamatan tangerang", "tangerang"),
        ("jualan di Balaraja", "Balaraja"),
    ],
)
def test_a_regencys_own_name_in_passing_is_no_kecamatan(said: str, kecamatan: str | None) -> None:
    assert places.kecamatan_mentioned(said) == kecamatan


@pytest.mark.parametrize(
    ("said", "organisation"),
    [
        ("Dedi Laundry kiloan", "Dedi Laundry kiloan"),  # the owner's name is the business's
        ("Koperasi Karyawan PT Gajah Tunggal", "Koperasi Karyawan PT Gajah Tunggal"),
        ("Namanya Laundry Kiloan", "Laundry Kiloan"),
        ("Ya KSP Maju", "KSP Maju"),
    ],
)
def test_an_organisation_answer_keeps_the_name_before_its_kind(
    said: str, organisation: str
) -> None:
    assert people.read_organisation(said) == organisation


@pytest.mark.parametrize(
    ("said", "category"),
    [
        ("kl mau konsul lgsg sm ahlinya bisa ga kak? sy jual kue basah di rumah", "umkm"),
        ("aku jualan online", "umkm"),
        ("saya mau konsul soal usaha", None),  # a subject, not the person's trade
    ],
)
def test_a_trade_said_of_oneself_in_passing_is_the_category(said: str, category: str) -> None:
    assert people.read_category(said, strict=True) == category
