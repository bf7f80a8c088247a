"""topic keywords: bad loans said in more words ("angsuran macet", "nunggak pinjaman", "gagal bayar")

A cooperative's arrears point to its health rating, not to access to capital, also when the
loan is named beside them ("pinjaman anggota nunggak"). The health rating's keywords change
only when they are still the seed's; an administrator's own words are left alone.

Revision ID: 0011_bad_loan_words
Revises: 0010_online_faq
Create Date: 2026-12-08 00:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_bad_loan_words"
down_revision = "0010_online_faq"
branch_labels = None
depends_on = None

CODE = "kesehatan_koperasi"
# frozen copies of the seed's keywords before and after this release
BEFORE = (
    "kesehatan koperasi, penilaian kesehatan, predikat, dalam pengawasan, "
    "kredit macet, pinjaman macet, pembiayaan macet, tunggakan, nunggak, menunggak, "
    "NPL, NPF, health rating, health assessment, bad loans"
)
AFTER = (
    "kesehatan koperasi, penilaian kesehatan, predikat, dalam pengawasan, "
    "kredit macet, pinjaman macet, pembiayaan macet, angsuran macet, cicilan macet, "
    "tunggakan, nunggak, menunggak, nunggak pinjaman, pinjaman nunggak, "
    "tunggakan pinjaman, gagal bayar, pinjaman bermasalah, kredit bermasalah, "
    "pembiayaan bermasalah, NPL, NPF, health rating, health assessment, bad loans, "
    "bad debts, loan arrears, arrears, stopped paying, not paying back, bad financing, "
    "non performing, defaulted, defaulting"
)

_topics = sa.table("topics", sa.column("code", sa.String), sa.column("keywords", sa.Text))


def _replace(old: str, new: str) -> None:
    op.execute(
        _topics.update()
        .where(_topics.c.code == CODE, _topics.c.keywords == old)
        .values(keywords=new)
    )


def upgrade() -> None:
    _replace(BEFORE, AFTER)


def downgrade() -> None:
    _replace(AFTER, BEFORE)
