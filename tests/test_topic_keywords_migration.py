"""Migrations 0008 and 0009 bring the second round's topic keywords and the session-length
question to a database seeded before them, leaving an administrator's edits as they were."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.seed import seed_clinic
from tests.conftest import PG_URL
from tests.dialog import Dialog

OLD_MARKET = (
    "pasar, jualan, penjualan, ekspor, marketplace, pemasaran online, toko online, market, "
    "sales, export, online shop"
)
OLD_HEALTH = (
    "kesehatan koperasi, penilaian kesehatan, predikat, dalam pengawasan, health rating, "
    "health assessment"
)


@pytest.mark.skipif(bool(PG_URL), reason="runs on its own SQLite file")
def test_an_older_database_gets_the_new_keywords_and_keeps_its_own(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'older.db'}"
    upgrade(url, "0007_more_faq")
    engine = make_engine(url)
    with transaction(engine) as session:
        seed_clinic(session)
        session.execute(
            sa.text("UPDATE topics SET keywords = :k WHERE code = 'akses_pasar'"), {"k": OLD_MARKET}
        )
        session.execute(  # an administrator's own words for the health rating
            sa.text("UPDATE topics SET keywords = 'rating, predikat' WHERE code = :c"),
            {"c": "kesehatan_koperasi"},
        )
        session.execute(sa.text("DELETE FROM faq_entries WHERE slug = 'session_length'"))
    upgrade(url)
    with engine.connect() as connection:
        market = set(
            connection.execute(
                sa.text("SELECT keywords FROM topics WHERE code = 'akses_pasar'")
            ).scalars()
        )
        health = connection.execute(
            sa.text("SELECT keywords FROM topics WHERE code = 'kesehatan_koperasi'")
        ).scalar_one()
        slugs = set(connection.execute(sa.text("SELECT slug FROM faq_entries")).scalars())
    engine.dispose()
    assert len(market) == 1 and "jualan sepi" in market.pop()  # both clinics' rows
    assert health == "rating, predikat"
    assert "session_length" in slugs


def test_how_long_a_session_lasts_is_answered(dialog: Dialog) -> None:
    dialog.say("halo")
    assert "30 menit" in dialog.said("sesinya brp lama ya?")


@pytest.mark.skipif(bool(PG_URL), reason="runs on its own SQLite file")
def test_migration_0011_teaches_the_health_rating_more_words_for_bad_loans(
    tmp_path: Path,
) -> None:
    words = importlib.import_module("storage.migrations.versions.0011_bad_loan_words")
    url = f"sqlite:///{tmp_path / 'older.db'}"
    upgrade(url, "0010_online_faq")
    engine = make_engine(url)
    with transaction(engine) as session:
        seed_clinic(session)
        session.execute(
            sa.text("UPDATE topics SET keywords = :k WHERE code = 'kesehatan_koperasi'"),
            {"k": words.BEFORE},
        )
    upgrade(url)
    with engine.connect() as connection:
        health = connection.execute(
            sa.text("SELECT keywords FROM topics WHERE code = 'kesehatan_koperasi'")
        ).scalar_one()
    engine.dispose()
    assert health == words.AFTER  # what a fresh database is seeded with
    assert "nunggak pinjaman" in health


def test_a_fresh_database_is_seeded_with_the_migrations_last_words(db: sa.Engine) -> None:
    words = importlib.import_module("storage.migrations.versions.0011_bad_loan_words")
    with db.connect() as connection:
        health = connection.execute(
            sa.text("SELECT keywords FROM topics WHERE code = 'kesehatan_koperasi'")
        ).scalar_one()
    assert health == words.AFTER
