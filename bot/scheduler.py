"""The clock that ticks delivery. The rows are the truth; the scheduler only wakes up.

Two jobs with fixed ids (a restart replaces them, never copies them): ``outbox`` sends due
rows, ``derive`` queues what is due (reminders, feedback requests, follow-ups, overdue flags,
the admins' digest). Both coalesce missed runs into one, tolerate a short misfire, never
overlap themselves, and run in the clinic's timezone set explicitly. Routine ticks log at
DEBUG; only failures and work worth reading reach INFO or above. `eklinik worker` runs the
scheduler alone, `eklinik serve` in a thread of its process; the web app under gunicorn runs
none (create_app never starts one).
"""

from __future__ import annotations

import logging
import time
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.delivery_settings import DeliverySettings
from bot.outbox import DispatchReport, dispatch_due
from bot.runtime import Runtime
from bot.services.delivery_jobs import derive_all

log = logging.getLogger(__name__)
MISFIRE_GRACE_SECONDS = 30
DISPATCH_BUDGET_SECONDS = 20.0  # one tick keeps sending batches at most this long
JOB_IDS = ("outbox", "derive")
QUIET_LOGGERS = ("apscheduler", "twilio.http_client")


def quiet_library_logs() -> None:
    """APScheduler logs every run and Twilio's SDK every request's headers at INFO: keep
    both to warnings, so that the console's URLs and password stay on screen."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def status_callback_url(rt: Runtime) -> str | None:
    """Where Twilio should report delivery, when the public URL is known."""
    if rt.settings.public_url:
        return rt.settings.public_url + "/webhooks/twilio/status"
    return None


def dispatch_tick(rt: Runtime, settings: DeliverySettings) -> DispatchReport:
    """Send due rows batch after batch until none is left or the time budget is spent."""
    total = DispatchReport()
    started = time.monotonic()
    while True:
        report = dispatch_due(
            rt.db,
            rt.transport,
            rt.clock,
            status_callback=status_callback_url(rt),
            settings=settings,
        )
        for name in total.__dataclass_fields__:
            setattr(total, name, getattr(total, name) + getattr(report, name))
        if report.claimed == 0 or time.monotonic() - started > DISPATCH_BUDGET_SECONDS:
            break
    if total.failed:
        log.warning("outbox: %d messages failed for good", total.failed)
    log.debug("outbox: %s", total)
    return total


def tick(rt: Runtime, settings: DeliverySettings | None = None) -> None:
    """One dispatcher run; errors are logged and the next tick tries again."""
    try:
        dispatch_tick(rt, settings or DeliverySettings.from_env())
    except Exception:
        log.exception("outbox tick failed")


def derive_tick(rt: Runtime, settings: DeliverySettings | None = None) -> None:
    """Queue what is due now; errors are logged and the next tick tries again."""
    try:
        counts = derive_all(
            rt.db,
            rt.clock.now(),
            ZoneInfo(rt.settings.timezone),
            rt.catalog,
            settings or DeliverySettings.from_env(),
            rt.engine,
        )
        log.debug("derived: %s", counts)
    except Exception:
        log.exception("derive tick failed")


def add_jobs(scheduler: BaseScheduler, rt: Runtime, settings: DeliverySettings) -> None:
    """The two jobs, with fixed ids: adding them again replaces them."""
    common = {
        "trigger": "interval",
        "args": [rt, settings],
        "max_instances": 1,
        "coalesce": True,
        "misfire_grace_time": MISFIRE_GRACE_SECONDS,
        "replace_existing": True,
    }
    scheduler.add_job(tick, id="outbox", seconds=settings.dispatch_every_seconds, **common)
    scheduler.add_job(derive_tick, id="derive", seconds=settings.derive_every_seconds, **common)


def make_scheduler(rt: Runtime, *, background: bool) -> BaseScheduler:
    """A scheduler in the clinic's timezone with the delivery jobs added (not started)."""
    quiet_library_logs()
    settings = DeliverySettings.from_env()
    timezone = ZoneInfo(rt.settings.timezone)
    scheduler: BaseScheduler = (
        BackgroundScheduler(timezone=timezone)
        if background
        else BlockingScheduler(timezone=timezone)
    )
    add_jobs(scheduler, rt, settings)
    return scheduler


def start_background(rt: Runtime) -> BaseScheduler:
    """Run the ticks in a thread of this process (for `eklinik serve`)."""
    scheduler = make_scheduler(rt, background=True)
    scheduler.start()
    return scheduler


def run_blocking(rt: Runtime) -> None:
    """Run the ticks in the foreground until interrupted (for `eklinik worker`)."""
    make_scheduler(rt, background=False).start()
