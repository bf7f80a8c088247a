"""GET /healthz: 200 when the database answers, 503 otherwise."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from bot.runtime import runtime
from storage.db import database_answers

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Report whether the service can reach its database."""
    rt = runtime()
    ok = database_answers(rt.db)
    body = {
        "status": "ok" if ok else "unavailable",
        "database": "ok" if ok else "unreachable",
        "transport": rt.transport.name,
        "time": rt.clock.now().isoformat(),
    }
    return jsonify(body), 200 if ok else 503
