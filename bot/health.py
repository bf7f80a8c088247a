"""GET /healthz: 200 when the database accepts a write transaction in time, 503 otherwise."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue

from bot.runtime import runtime
from storage.db import database_accepts_writes

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Report whether the service can write to its database (a read alone proves too little:
    a SQLite file opened read-only still answers queries)."""
    rt = runtime()
    ok = database_accepts_writes(rt.db)
    body = {
        "status": "ok" if ok else "unavailable",
        "database": "ok" if ok else "not writable",
        "transport": rt.transport.name,
        "time": rt.clock.now().isoformat(),
    }
    return jsonify(body), 200 if ok else 503
