"""Announcements: exactly the opted-in audience, once, also when the command runs twice."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlmodel import select

from bot.cli import main
from bot.clock import FakeClock
from bot.outbox import dispatch_until_idle, record_status
from bot.services import broadcasts
from bot.services.delivery_render import catalog_and_timezone
from storage.db import make_engine, transaction
from storage.models import Contact, Message
from storage.models_delivery import Broadcast
from tests.conftest import START
from tests.fakes import RecordingTransport
from tests.outbox_helpers import FAST, add_contact, book_confirmed

CONSENTED = {"announcements_consent": True}


@pytest.fixture
def engine(database_url: str) -> Iterator[sa.Engine]:
    db = make_engine(database_url)
    yield db
    db.dispose()


@pytest.fixture
def people(engine: sa.Engine) -> dict[str, Contact]:
    """Who agreed to announcements and who did not, from two kecamatan and categories."""
    return {
        "ani": add_contact(
            engine, "+6281000000001", kecamatan="Coblong", category="umkm", **CONSENTED
        ),
        "budi": add_contact(
            engine, "+6281000000002", kecamatan="Sukajadi", category="koperasi_syariah", **CONSENTED
        ),
        "citra": add_contact(
            engine,
            "+6281000000003",
            kecamatan="Coblong",
            category="umkm",
            language="en",
            **CONSENTED,
        ),
        "dedi": add_contact(
            engine, "+6281000000004", kecamatan="Coblong", category="umkm"
        ),  # never asked
        "eka": add_contact(engine, "+6281000000005", announcements_consent=False),  # "stop info"
        "fajar": add_contact(
            engine, "+6281000000006", opted_out_at=START, **CONSENTED
        ),  # stopped everything
    }


def run(database_url: str, *args: str) -> str:
    result = CliRunner().invoke(
        main,
        ["broadcast", *args],
        env={"EKLINIK_DATABASE_URL": database_url},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_the_command_reaches_exactly_the_opted_in_audience_once_even_run_twice(
    engine: sa.Engine, database_url: str, people: dict[str, Contact]
) -> None:
    args = ["--title", "Pelatihan UMKM", "--message", "Pelatihan pemasaran digital 5 Desember."]
    args += ["--message-en", "Digital marketing training on 5 December.", "--no-wait"]
    first = run(database_url, *args)
    assert "3 people in the audience" in first and "queued for 3 more people" in first
    transport = RecordingTransport()
    later = FakeClock(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1))  # the command's time
    dispatch_until_idle(engine, transport, later, settings=FAST)
    second = run(database_url, *args)
    assert "resuming" in second and "queued for 0 more people" in second
    dispatch_until_idle(engine, transport, later, settings=FAST)

    by_phone = {m.to: m for m in transport.sent}
    assert sorted(by_phone) == sorted(people[p].phone for p in ("ani", "budi", "citra"))
    assert len(transport.sent) == 3
    assert "Pelatihan pemasaran digital" in by_phone[people["ani"].phone].body
    assert "stop info" in by_phone[people["ani"].phone].body
    assert "Digital marketing" in by_phone[people["citra"].phone].body
    template = by_phone[people["ani"].phone].template  # they wrote days ago: the template
    assert template is not None and template.name == "announcement"
    assert template.variables["text"] == "Pelatihan pemasaran digital 5 Desember."


def test_filters_narrow_the_audience(
    engine: sa.Engine, database_url: str, people: dict[str, Contact]
) -> None:
    output = run(
        database_url, "--title", "Info", "--message", "x", "--kecamatan", "coblong", "--dry-run"
    )
    assert "audience: 2 people" in output
    output = run(
        database_url,
        "--title",
        "Info",
        "--message",
        "x",
        "--category",
        "koperasi_syariah",
        "--dry-run",
    )
    assert "audience: 1 people" in output
    book_confirmed(
        engine, people["ani"], dt.datetime(2026, 11, 25, 3, 0, tzinfo=dt.UTC), status="completed"
    )
    output = run(database_url, "--title", "Info", "--message", "x", "--past-session", "--dry-run")
    assert "audience: 1 people" in output
    output = run(database_url, "--title", "Info", "--message", "x", "--clinic", "umkm", "--dry-run")
    assert "audience: 0 people" in output


def test_consent_withdrawn_after_queueing_is_still_respected(
    engine: sa.Engine, people: dict[str, Contact]
) -> None:
    catalog, _tz = catalog_and_timezone()
    with transaction(engine) as session:
        found, _ = broadcasts.create_or_resume(session, title="Info", body_id="Ada info", now=START)
        assert found.id is not None
        broadcast_id = found.id
    assert broadcasts.queue_recipients(engine, broadcast_id, catalog, START) == 3
    with transaction(engine) as session:  # Budi says "stop info" before it leaves
        budi = session.get(Contact, people["budi"].id)
        assert budi is not None
        broadcasts.set_consent(budi, False, START)
    transport = RecordingTransport()
    report = dispatch_until_idle(engine, transport, FakeClock(START), settings=FAST)
    assert report.sent == 2 and report.suppressed == 1
    with transaction(engine) as session:
        counts = broadcasts.progress(session, broadcast_id)
        assert counts == {"queued": 2, "suppressed": 1}
        found = session.get(Broadcast, broadcast_id)
        assert found is not None and broadcasts.finish_if_done(session, found, START)


def test_one_failing_recipient_does_not_stop_the_rest_and_status_is_per_recipient(
    engine: sa.Engine, people: dict[str, Contact]
) -> None:
    from bot.transports.base import TransportError

    catalog, _tz = catalog_and_timezone()
    with transaction(engine) as session:
        found, _ = broadcasts.create_or_resume(session, title="Info", body_id="Ada info", now=START)
        broadcast_id = found.id
        assert broadcast_id is not None
    broadcasts.queue_recipients(engine, broadcast_id, catalog, START)
    transport = RecordingTransport()
    transport.failures = [TransportError("not a WhatsApp user", retryable=False, code="63024")]
    dispatch_until_idle(engine, transport, FakeClock(START), settings=FAST)
    assert len(transport.sent) == 2
    with transaction(engine) as session:
        sids = session.exec(
            select(Message.provider_sid).where(
                Message.kind == "broadcast", Message.status == "queued"
            )
        ).all()
    record_status(engine, str(sids[0]), "delivered", None, START)
    with transaction(engine) as session:
        assert broadcasts.progress(session, broadcast_id) == {
            "failed": 1,
            "queued": 1,
            "delivered": 1,
        }


def test_a_key_cannot_be_reused_for_another_text(
    engine: sa.Engine, database_url: str, tmp_path: Path
) -> None:
    text = tmp_path / "pengumuman.txt"
    text.write_text("Klinik dibuka di Kecamatan Coblong.", encoding="utf-8")
    run(
        database_url,
        "--title",
        "Info",
        "--message-file",
        str(text),
        "--key",
        "coblong",
        "--no-wait",
    )
    result = CliRunner().invoke(
        main,
        ["broadcast", "--title", "Info", "--message", "lain", "--key", "coblong", "--no-wait"],
        env={"EKLINIK_DATABASE_URL": database_url},
    )
    assert result.exit_code != 0 and "belongs to another announcement" in result.output
