"""FAQ: whether a consultation can be online; the cost of a notary or a permit is not the
clinic's; "link zoomnya udh ada?" asks for the link

Databases seeded before this release get the new entry of seed_data.toml (only when still
missing), and the cooperative-founding and permit entries learn the words of their own costs
("biaya notaris", "NIB bayar gak") when their keywords are still the seed's: an
administrator's own words are left alone. Empty databases are left to the seed.

Revision ID: 0010_online_faq
Revises: 0009_session_length_faq
Create Date: 2026-12-07 22:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel import Session

from storage.seed_faq import bring_entries, remove_entries

revision = "0010_online_faq"
down_revision = "0009_session_length_faq"
branch_labels = None
depends_on = None

SLUGS = ("online_possible",)

# (slug, the seed's keywords before, the patterns this release adds after them): frozen here
CHANGES = (
    (
        "found_cooperative",
        (
            "bikin|buat|dirikan|mendirikan|pendirian|membentuk|bentuk|membuat|mendaftarkan|daftarkan koperasi",
            "koperasi baru",
            "syarat koperasi",
            "cara koperasi",
            "akta koperasi",
            "badan hukum koperasi",
        ),
        (
            "biaya|bayar|ongkos|tarif notaris|notarisnya|akta",
            "biaya|bayar|ongkos|tarif notaris|notarisnya|akta berapa|mahal",
        ),
    ),
    (
        "licences",
        (
            "nib",
            "pirt",
            "p irt",
            "spp irt",
            "sppirt",
            "halal",
            "sertifikat halal",
            "izin usaha",
            "ijin usaha",
            "perizinan",
            "oss",
            "iumk",
            "bpom",
            "izin edar",
        ),
        (
            "bayar|biaya|gratis|harga|tarif nib|pirt|halal|sertifikat|izin|bpom|nibnya",
            "bayar|biaya|gratis|harga|tarif nib|pirt|halal|sertifikat|izin|bpom|nibnya berapa|gak|ga|nggak|tidak",
        ),
    ),
    (
        "zoom_link",
        (
            "link zoom",
            "link|tautan dapat|dikirim|kirim|mana|kapan",
            "dapat link|tautan",
            "kirim link|tautan",
            "linknya",
            "link meeting|rapat",
            "undangan zoom",
        ),
        ("link|tautan zoomnya", "link|linknya sudah|belum|ada"),
    ),
)
UPDATE = sa.text(
    "UPDATE faq_entries SET keywords_id = :new WHERE slug = :slug AND keywords_id = :old"
)


def upgrade() -> None:
    bring_entries(Session(bind=op.get_bind()), SLUGS)
    for slug, before, added in CHANGES:
        after = "\n".join((*before, *added))
        op.get_bind().execute(UPDATE, {"slug": slug, "old": "\n".join(before), "new": after})


def downgrade() -> None:
    remove_entries(Session(bind=op.get_bind()), SLUGS)
    for slug, before, added in CHANGES:
        after = "\n".join((*before, *added))
        op.get_bind().execute(UPDATE, {"slug": slug, "old": after, "new": "\n".join(before)})
