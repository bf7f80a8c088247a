"""The scheduler: two jobs with fixed ids, coalesced, with a misfire grace, in the clinic's
timezone, quiet at INFO on routine ticks, and never started by the web app."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from bot import create_app
from bot.clock import FakeClock
from bot.delivery_settings import DeliverySettings
from bot.runtime import Runtime
from bot.scheduler import (
    JOB_IDS,
    MISFIRE_GRACE_SECONDS,
    add_jobs,
    derive_tick,
    make_scheduler,
    tick,
)
from tests.fakes import RecordingTransport
from tests.outbox_helpers import add_contact, book_confirmed

TZ = ZoneInfo("Asia/Jakarta")


@pytest.fixture
def rt(app: Flask) -> Runtime:
    found = app.extensions["eklinik"]
    assert isinstance(found, Runtime)
    return found


def test_jobs_have_fixed_ids_coalesce_and_a_misfire_grace_in_the_clinics_timezone(
    rt: Runtime,
) -> None:
    scheduler = make_scheduler(rt, background=True)
    scheduler.start(paused=True)
    try:
        add_jobs(scheduler, rt, DeliverySettings())  # added again: replaced, not copied
        jobs = scheduler.get_jobs()
    finally:
        scheduler.shutdown(wait=False)
    assert sorted(job.id for job in jobs) == sorted(JOB_IDS)
    for job in jobs:
        assert job.coalesce is True
        assert job.misfire_grace_time == MISFIRE_GRACE_SECONDS
        assert job.max_instances == 1
    assert scheduler.timezone == ZoneInfo("Asia/Jakarta")


def test_routine_ticks_log_nothing_at_info(
    rt: Runtime, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    make_scheduler(rt, background=True)
    assert logging.getLogger("apscheduler").level == logging.WARNING
    assert logging.getLogger("twilio.http_client").level == logging.WARNING
    book_confirmed(rt.db, add_contact(rt.db), dt.datetime(2026, 11, 25, 10, tzinfo=TZ))
    clock.set(dt.datetime(2026, 11, 24, 10, tzinfo=TZ))
    with caplog.at_level(logging.INFO):
        for _ in range(3):
            derive_tick(rt)
            tick(rt)
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO] == []
    transport = rt.transport
    assert isinstance(transport, RecordingTransport) and len(transport.sent) == 1  # it did work


def test_the_web_app_starts_no_scheduler(database_url: str, tmp_path: object) -> None:
    before = {t.ident for t in threading.enumerate()}
    app = create_app(
        {
            "database_url": database_url,
            "transport": RecordingTransport(),
            "secret_key": "x",
            "instance_path": tmp_path,
        }
    )
    started = [t.name for t in threading.enumerate() if t.ident not in before]
    assert not any("APScheduler" in name for name in started)
    app.extensions["eklinik"].db.dispose()
