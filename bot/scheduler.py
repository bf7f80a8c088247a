"""The clock tick that sends due outbox rows. The rows are the truth; this only wakes up."""

from __future__ import annotations

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.outbox import dispatch_due
from bot.runtime import Runtime

log = logging.getLogger(__name__)
TICK_SECONDS = 5


def status_callback_url(rt: Runtime) -> str | None:
    """Where Twilio should report delivery, when the public URL is known."""
    if rt.settings.public_url:
        return rt.settings.public_url + "/webhooks/twilio/status"
    return None


def tick(rt: Runtime) -> None:
    """One dispatcher pass; errors are logged and the next tick tries again."""
    try:
        report = dispatch_due(
            rt.db, rt.transport, rt.clock, status_callback=status_callback_url(rt)
        )
        if report.sent or report.failed or report.retried:
            log.info("outbox: %s", report)
    except Exception:
        log.exception("outbox tick failed")


def _add_jobs(scheduler: BackgroundScheduler | BlockingScheduler, rt: Runtime) -> None:
    scheduler.add_job(
        tick,
        "interval",
        args=[rt],
        seconds=TICK_SECONDS,
        max_instances=1,
        coalesce=True,
        id="outbox",
        replace_existing=True,
    )


def start_background(rt: Runtime) -> BackgroundScheduler:
    """Run the tick in a thread of this process (for `eklinik serve`)."""
    scheduler = BackgroundScheduler(timezone="UTC")
    _add_jobs(scheduler, rt)
    scheduler.start()
    return scheduler


def run_blocking(rt: Runtime) -> None:
    """Run the tick in the foreground until interrupted (for `eklinik worker`)."""
    scheduler = BlockingScheduler(timezone="UTC")
    _add_jobs(scheduler, rt)
    scheduler.start()
