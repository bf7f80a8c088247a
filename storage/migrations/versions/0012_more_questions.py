"""FAQ: coming without a reservation, who may consult, arriving late, sending someone else;
"bayar" in a story is no question of cost

Databases seeded before this release get the four new entries of seed_data.toml (only when
still missing); empty databases are left to the seed. The cost entry's keywords no longer
take "bayar", "pay", "cost" or "free" alone, which a story says of anything ("anggota telat
bayar angsuran", "production costs went up"), but the words with what asks about the clinic
("bayar ga?", "harus bayar", "is it free"); "a-b" in a pattern means the words side by side.
Bringing companions takes the companion beside "sama"/"dengan"/"bareng" ("sama pengurus"),
not "sama siapa yg boleh jd pengurus", nor "ikut konsultasi" without anyone to bring. The
address is also asked in Sundanese and Javanese ("kantorna di palih mana?", "kantore teng
pundi?"). Keywords change only when they are still the seed's: an administrator's own words
are left alone.

Revision ID: 0012_more_questions
Revises: 0011_bad_loan_words
Create Date: 2026-12-08 01:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel import Session

from storage.seed_faq import bring_entries, remove_entries

revision = "0012_more_questions"
down_revision = "0011_bad_loan_words"
branch_labels = None
depends_on = None

SLUGS = ("walk_in", "who_can_consult", "late_arrival", "representative")

# the address entry's keywords before this release, and the patterns it adds after them
ADDRESS_BEFORE = (
    "alamat",
    "alamatnya",
    "lokasi",
    "lokasinya",
    "kantor dimana|mana",
    "kantornya dimana|mana",
    "dimana kantor|kantornya|tempatnya|klinik|kliniknya",
    "letak",
    "peta",
    "maps",
    "google maps",
    "arah ke",
    "rute",
)
ADDRESS_ADDED = (
    "kantorna|kantore|kantorné dimana|mana|palih|pundi|endi",
    "palih mana|mana kantor|kantorna|klinikna",
    "ten|teng pundi kantor|kantore|klinik",
    "alamatna",
    "alamate",
)

# keywords (one pattern per line), frozen: (slug, column, before, after)
CHANGES = (
    (
        "cost",
        "keywords_id",
        (
            "biaya konsultasi|konsul|klinik|layanan|daftar|pendaftaran|sesi|zoom|reservasi",
            "biayanya",
            "biaya berapa",
            "berapa biaya",
            "ada biaya|biayanya",
            "bayar",
            "berbayar",
            "dibayar",
            "gratis",
            "tarif konsultasi|konsul|klinik|layanan",
            "harga konsultasi|konsul|klinik|layanan",
            "pungutan",
            "dipungut",
            "gratiskah",
        ),
        (
            "biaya konsultasi|konsul|klinik|layanan|daftar|pendaftaran|sesi|zoom|reservasi",
            "biayanya",
            "biaya berapa",
            "berapa biaya",
            "ada biaya|biayanya",
            "bayar-ga|bayar-kah|bayarkah|bayar-apa-gratis|bayar-berapa|berapa-bayar|bayarnya-berapa|berapa-bayarnya",
            "harus-bayar|perlu-bayar|wajib-bayar|suruh-bayar|disuruh-bayar|harus-dibayar|perlu-dibayar|ada-bayarnya",
            "berbayar",
            "gratis",
            "tarif konsultasi|konsul|klinik|layanan",
            "harga konsultasi|konsul|klinik|layanan",
            "pungutan",
            "dipungut",
            "gratiskah",
        ),
    ),
    (
        "cost",
        "keywords_en",
        ("cost", "costs", "fee", "fees", "free", "pay", "paid", "price", "charge", "charged"),
        (
            "does-it-cost|cost-anything|any-cost|any-costs|consultation-cost|session-cost|cost-of-consultation|cost-of-the-consultation|cost-to-consult",
            "fee",
            "fees",
            "it-free|this-free|free-of-charge|for-free|free-consultation|consultation-free|session-free|service-free|really-free|completely-free|totally-free|free-service|free-right",
            "have-to-pay|need-to-pay|do-i-pay|do-we-pay|pay-anything|pay-for-it|pay-for-the|must-pay|pay-for-consultation",
            "is-it-paid|paid-service|paid-session|paid-consultation",
            "consultation-price|price-of-consultation|price-of-the-consultation",
            "any-charge|charge-for|a-charge|be-charged|get-charged|charged-for",
        ),
    ),
    (
        "companions",
        "keywords_id",
        (
            "bawa teman|temen|pengurus|anggota|istri|suami|keluarga|rekan|orang|anak|tetangga|saudara|kawan|ketua|bendahara|sekretaris|partner",
            "ajak teman|temen|pengurus|anggota|istri|suami|keluarga|rekan|anak|tetangga|saudara|kawan|ketua|bendahara|sekretaris|partner",
            "ikut join|gabung|zoom|konsultasi|konsul",
            "datang berdua|bertiga|bersama|rombongan|ramai",
            "sama pengurus|anggota|istri|suami|teman|rekan|tetangga",
            "dengan pengurus|anggota|istri|suami|teman|rekan|tetangga",
            "bareng tetangga|pengurus|anggota|istri|suami|keluarga",
        ),
        (
            "bawa teman|temen|pengurus|anggota|istri|suami|keluarga|rekan|orang|anak|tetangga|saudara|kawan|ketua|bendahara|sekretaris|partner",
            "ajak teman|temen|pengurus|anggota|istri|suami|keluarga|rekan|anak|tetangga|saudara|kawan|ketua|bendahara|sekretaris|partner",
            "teman|temen|pengurus|anggota|istri|suami|keluarga|rekan|anak|tetangga|saudara|kawan|ketua|bendahara|sekretaris|partner ikut|join|gabung",
            "datang berdua|bertiga|bersama|rombongan|ramai",
            "sama-teman|sama-temen|sama-pengurus|sama-anggota|sama-istri|sama-suami|sama-keluarga|sama-rekan|sama-anak|sama-tetangga|sama-saudara|sama-kawan|sama-ketua|sama-bendahara|sama-sekretaris|sama-partner",
            "dengan-teman|dengan-temen|dengan-pengurus|dengan-anggota|dengan-istri|dengan-suami|dengan-keluarga|dengan-rekan|dengan-anak|dengan-tetangga|dengan-saudara|dengan-kawan|dengan-ketua|dengan-bendahara|dengan-sekretaris|dengan-partner",
            "bareng-teman|bareng-temen|bareng-pengurus|bareng-anggota|bareng-istri|bareng-suami|bareng-keluarga|bareng-rekan|bareng-anak|bareng-tetangga|bareng-saudara|bareng-kawan|bareng-ketua|bareng-bendahara|bareng-sekretaris|bareng-partner",
        ),
    ),
    ("address", "keywords_id", ADDRESS_BEFORE, (*ADDRESS_BEFORE, *ADDRESS_ADDED)),
)


def _keywords(before: int, after: int) -> None:
    for change in CHANGES:
        slug, column = change[0], change[1]
        op.get_bind().execute(
            sa.text(
                f"UPDATE faq_entries SET {column} = :new WHERE slug = :slug AND {column} = :old"
            ),
            {"slug": slug, "old": "\n".join(change[before]), "new": "\n".join(change[after])},
        )


def upgrade() -> None:
    bring_entries(Session(bind=op.get_bind()), SLUGS)
    _keywords(2, 3)


def downgrade() -> None:
    remove_entries(Session(bind=op.get_bind()), SLUGS)
    _keywords(3, 2)
