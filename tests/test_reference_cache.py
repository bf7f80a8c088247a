"""The clinic's reference data is held per process and never answers stale after an edit,
whoever makes it: the ORM (the console), a Core statement, or plain SQL."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import select

from bot.services import clinic, reference
from storage.db import transaction
from storage.models import ClinicInfo, Closure, Service, Topic
from tests.dialog import Dialog


def _info(dialog: Dialog, what: str) -> str:
    """The clinic's info menu, then one of its entries (by its words)."""
    dialog.say("menu")
    dialog.say("info")
    return dialog.said(what)


def _koperasi_topic(db: sa.Engine) -> Topic:
    with transaction(db) as session:
        service = session.exec(select(Service).where(Service.code == "koperasi")).one()
        chosen = Topic.service_id == service.id, Topic.name_id == "Pendirian koperasi"
        topic = session.exec(select(Topic).where(*chosen)).first()
        assert topic is not None
        return topic


def test_a_topic_renamed_in_the_console_shows_in_the_next_answer(
    dialog: Dialog, db: sa.Engine
) -> None:
    dialog.say("halo")
    assert "Pendirian koperasi" in _info(dialog, "topik")  # the data is now cached
    topic = _koperasi_topic(db)
    with transaction(db) as session:  # as the console edits: through the ORM
        stored = session.get(Topic, topic.id)
        assert stored is not None
        stored.name_id = "Pendirian dan badan hukum koperasi"
    assert "Pendirian dan badan hukum koperasi" in _info(dialog, "topik")


def test_a_fact_changed_with_plain_sql_shows_in_the_next_answer(
    dialog: Dialog, db: sa.Engine
) -> None:
    dialog.say("halo")
    before = _info(dialog, "alamat")
    with db.begin() as connection:
        connection.execute(
            sa.text("UPDATE clinic_info SET value_id = 'Jl. Merdeka No. 17' WHERE key = 'address'")
        )
    after = _info(dialog, "alamat")
    assert "Jl. Merdeka No. 17" in after and "Jl. Merdeka No. 17" not in before


def test_an_faq_answer_edited_with_plain_sql_is_the_next_answer(
    dialog: Dialog, db: sa.Engine
) -> None:
    dialog.say("halo")
    assert "Rp" not in dialog.said("biayanya berapa?")  # the entries are now cached
    with db.begin() as connection:
        connection.execute(
            sa.text(
                "UPDATE faq_entries SET answer_id = 'Gratis, tanpa biaya (Rp 0).' "
                "WHERE slug = 'cost'"
            )
        )
    assert "Rp 0" in dialog.said("biayanya berapa?")


def test_a_closure_added_with_core_blocks_the_day_at_once(db: sa.Engine) -> None:
    day = dt.date(2026, 12, 1)
    with transaction(db) as session:
        service = clinic.active_services(session)[0]
        assert service.id is not None
        assert day not in reference.snapshot(session).closed_days(service.id, day, day)
    with db.begin() as connection:
        connection.execute(
            sa.insert(Closure.__table__).values(  # type: ignore[attr-defined]
                day=day, service_id=None, reason="Cuti bersama", is_public_holiday=True
            )
        )
    with transaction(db) as session:
        assert day in reference.snapshot(session).closed_days(service.id, day, day)


def test_a_transaction_reads_its_own_edit(db: sa.Engine) -> None:
    with transaction(db) as session:
        assert clinic.fact(session, "address") is not None
        row = session.get(ClinicInfo, "address")
        assert row is not None
        row.value_id = "Jl. Baru No. 1"
        session.flush()
        assert clinic.fact(session, "address") == "Jl. Baru No. 1"
        session.execute(
            sa.update(ClinicInfo.__table__)  # type: ignore[attr-defined]
            .where(sa.text("key = 'address'"))
            .values(value_id="Jl. Lain No. 2")
        )
        assert clinic.fact(session, "address") == "Jl. Lain No. 2"


def test_an_edit_rolled_back_is_not_kept(db: sa.Engine) -> None:
    class Abort(Exception):
        pass

    try:
        with transaction(db) as session:
            row = session.get(ClinicInfo, "address")
            assert row is not None
            row.value_id = "Jl. Tidak Jadi"
            session.flush()
            assert clinic.fact(session, "address") == "Jl. Tidak Jadi"
            raise Abort
    except Abort:
        pass
    with transaction(db) as session:
        assert clinic.fact(session, "address") != "Jl. Tidak Jadi"


def test_every_reference_table_moves_the_version(db: sa.Engine) -> None:
    statements = {
        "services": "UPDATE services SET position = position",
        "topics": "UPDATE topics SET position = position",
        "clinic_hours": "UPDATE clinic_hours SET capacity = capacity",
        "closures": "DELETE FROM closures WHERE reason = 'nothing'",
        "clinic_info": "UPDATE clinic_info SET value_en = value_en",
        "faq_entries": "UPDATE faq_entries SET position = position",
    }
    for table, statement in statements.items():
        with db.begin() as connection:
            before = connection.execute(sa.text("SELECT version FROM reference_version")).scalar()
            connection.execute(sa.text(statement))
            if table == "closures":  # a statement that changes no row moves nothing on SQLite
                connection.execute(
                    sa.text(
                        "INSERT INTO closures (day, reason, is_public_holiday) "
                        "VALUES ('2027-01-02', 'x', false)"
                    )
                )
            after = connection.execute(sa.text("SELECT version FROM reference_version")).scalar()
        assert after is not None and before is not None and after > before, table
