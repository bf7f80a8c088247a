"""Migration 0007 brings the new FAQ entries to a database seeded before it, once, and leaves
the rest of the FAQ (an administrator's edits included) as it was."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.seed import load_seed_data
from storage.seed_faq import seed_faq
from tests.conftest import PG_URL

NEW = {"about_us", "consultant", "language_of_session", "by_phone", "students"}


@pytest.mark.skipif(bool(PG_URL), reason="runs on its own SQLite file")
def test_an_older_database_gets_the_new_questions_and_keeps_its_own(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'older.db'}"
    upgrade(url, "0006_faq_reference")
    older = load_seed_data()
    older["faq"] = [spec for spec in older["faq"] if spec["slug"] not in NEW]
    engine = make_engine(url)
    with transaction(engine) as session:
        seed_faq(session, older)
        session.execute(sa.text("UPDATE faq_entries SET answer_id = 'Gratis!' WHERE slug = 'cost'"))
        session.execute(sa.text("DELETE FROM faq_entries WHERE slug = 'companions'"))
    upgrade(url)
    with engine.connect() as connection:
        slugs = set(connection.execute(sa.text("SELECT slug FROM faq_entries")).scalars())
        cost = connection.execute(
            sa.text("SELECT answer_id FROM faq_entries WHERE slug = 'cost'")
        ).scalar_one()
    engine.dispose()
    assert slugs >= NEW
    assert "companions" not in slugs  # removed by the administrator: not brought back
    assert cost == "Gratis!"


@pytest.mark.skipif(bool(PG_URL), reason="runs on its own SQLite file")
def test_0010_brings_the_online_question_and_the_words_of_permit_costs(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'older.db'}"
    upgrade(url, "0009_session_length_faq")
    engine = make_engine(url)
    older = load_seed_data()
    older["faq"] = [spec for spec in older["faq"] if spec["slug"] != "online_possible"]
    for spec in older["faq"]:  # the keywords as the seed had them before 0010
        if spec["slug"] in ("found_cooperative", "licences"):
            spec["keywords_id"] = [
                k
                for k in spec["keywords_id"]
                if "|" not in k.split()[0] or not k.startswith(("biaya|", "bayar|"))
            ]
    with transaction(engine) as session:
        seed_faq(session, older)
        session.execute(  # an administrator's own words for permits stay
            sa.text("UPDATE faq_entries SET keywords_id = 'izin' WHERE slug = 'licences'")
        )
    upgrade(url)
    with engine.connect() as connection:
        rows = dict(connection.execute(sa.text("SELECT slug, keywords_id FROM faq_entries")).all())
    engine.dispose()
    assert "online_possible" in rows
    assert "biaya|bayar|ongkos|tarif notaris|notarisnya|akta" in rows["found_cooperative"]
    assert rows["licences"] == "izin"


@pytest.mark.skipif(bool(PG_URL), reason="runs on its own SQLite file")
def test_0012_brings_four_questions_and_takes_bayar_alone_from_the_cost_entry(
    tmp_path: Path,
) -> None:
    words = importlib.import_module("storage.migrations.versions.0012_more_questions")
    url = f"sqlite:///{tmp_path / 'older.db'}"
    upgrade(url, "0011_bad_loan_words")
    older = load_seed_data()
    older["faq"] = [spec for spec in older["faq"] if spec["slug"] not in words.SLUGS]
    for slug, column, before, _after in words.CHANGES:  # the keywords before 0012
        spec = next(spec for spec in older["faq"] if spec["slug"] == slug)
        spec[column] = list(before)
    engine = make_engine(url)
    with transaction(engine) as session:
        seed_faq(session, older)
    upgrade(url)
    with engine.connect() as connection:
        slugs = set(connection.execute(sa.text("SELECT slug FROM faq_entries")).scalars())
        cost_id, cost_en = connection.execute(
            sa.text("SELECT keywords_id, keywords_en FROM faq_entries WHERE slug = 'cost'")
        ).one()
    engine.dispose()
    assert slugs >= set(words.SLUGS)
    assert "bayar" not in cost_id.splitlines() and "bayar-ga" in cost_id
    assert "pay" not in cost_en.splitlines()
    seeded = {spec["slug"]: spec for spec in load_seed_data()["faq"]}
    assert cost_id.splitlines() == seeded["cost"]["keywords_id"]  # as a fresh one is seeded
    with engine.connect() as connection:
        companions = connection.execute(
            sa.text("SELECT keywords_id FROM faq_entries WHERE slug = 'companions'")
        ).scalar_one()
    assert companions.splitlines() == seeded["companions"]["keywords_id"]
