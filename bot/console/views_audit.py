"""The audit log (administrators only): who changed what, when; filtered."""

from __future__ import annotations

import datetime as dt

from flask import render_template, request
from flask.typing import ResponseReturnValue

from bot.console.blueprint import admin_only, bp, db, tz
from bot.services import audit


def _day(name: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return None


@bp.get("/audit")
@admin_only
def audit_log() -> ResponseReturnValue:
    """The newest entries matching the filter."""
    first, last = _day("from"), _day("to")
    wanted = audit.AuditFilter(
        username=(request.args.get("user") or "").strip(),
        action=(request.args.get("action") or "").strip(),
        first=dt.datetime.combine(first, dt.time(0), tzinfo=tz()) if first else None,
        last=dt.datetime.combine(last + dt.timedelta(days=1), dt.time(0), tzinfo=tz())
        if last
        else None,
    )
    with db() as s:
        rows = audit.entries(s, wanted)
        actions = audit.actions(s)
    return render_template("admin/audit.html", rows=rows, actions=actions, args=request.args)
