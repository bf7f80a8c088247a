"""topic keywords, second round: the words people use for bad loans, pricing, trademarks, shelves

"jualan" alone no longer means market access (a seller says it of any trade); "kredit macet",
"NPF" and arrears point to the cooperative's health rating; HPP and pricing to the simple
financial reports; trademarks (merek, HAKI) and BPOM to permits; distributors to partnerships.
A topic whose keywords an administrator edited is left as it is.

Revision ID: 0008_topic_keywords_again
Revises: 0007_more_faq
Create Date: 2026-12-07 20:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_topic_keywords_again"
down_revision = "0007_more_faq"
branch_labels = None
depends_on = None

# frozen copies: (topic code, keywords before, keywords after)
CHANGES = (
    (
        "pendirian_izin_usaha",
        "izin, izin usaha, NIB, IUMK, OSS, PIRT, P-IRT, halal, sertifikat halal, legalitas, perizinan, mendirikan usaha, permit, permits, license, licence, registration, legal",
        "izin, izin usaha, NIB, IUMK, OSS, PIRT, P-IRT, halal, sertifikat halal, legalitas, perizinan, mendirikan usaha, merek, HAKI, HKI, BPOM, permit, permits, license, licence, registration, legal, trademark",
    ),
    (
        "kesehatan_koperasi",
        "kesehatan koperasi, penilaian kesehatan, predikat, dalam pengawasan, health rating, health assessment",
        "kesehatan koperasi, penilaian kesehatan, predikat, dalam pengawasan, kredit macet, pinjaman macet, pembiayaan macet, tunggakan, nunggak, menunggak, NPL, NPF, health rating, health assessment, bad loans",
    ),
    (
        "kemitraan",
        "kemitraan, mitra, kerja sama, pemasok, supplier, partnership, partner",
        "kemitraan, mitra, kerja sama, kerjasama, pemasok, supplier, distributor, reseller, partnership, partner",
    ),
    (
        "akses_pasar",
        "pasar, jualan, penjualan, ekspor, marketplace, pemasaran online, toko online, market, sales, export, online shop",
        "pasar, jualan sepi, jualan turun, penjualan, ekspor, marketplace, pemasaran online, toko online, market, sales, export, online shop",
    ),
    (
        "laporan_keuangan_sederhana",
        "pembukuan, catatan keuangan, kas, pajak, akuntansi, keuangan, bookkeeping, accounting, tax, cash book",
        "pembukuan, catatan keuangan, kas, pajak, akuntansi, keuangan, HPP, harga pokok, menghitung harga, ngitung harga, bookkeeping, accounting, tax, cash book, pricing",
    ),
)

_topics = sa.table("topics", sa.column("code", sa.String), sa.column("keywords", sa.Text))


def _replace(before: int, after: int) -> None:
    for change in CHANGES:
        op.execute(
            _topics.update()
            .where(_topics.c.code == change[0], _topics.c.keywords == change[before])
            .values(keywords=change[after])
        )


def upgrade() -> None:
    _replace(1, 2)


def downgrade() -> None:
    _replace(2, 1)
