"""The console's blueprint: who is logged in, CSRF on every form, security headers, errors."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from sqlmodel import Session

from bot.runtime import runtime
from bot.services import accounts
from bot.services.console_reservations import ConsoleContext
from storage.db import transaction
from storage.models import AdminUser

bp = Blueprint(
    "console",
    __name__,
    url_prefix="/admin",
    static_folder="static",
    static_url_path="/static",
)

PUBLIC_ENDPOINTS = {"console.login", "console.static"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)

F = TypeVar("F", bound=Callable[..., Any])


@contextmanager
def db() -> Iterator[Session]:
    """A transaction on the app's database."""
    with transaction(runtime().db) as s:
        yield s


def tz() -> ZoneInfo:
    """The clinic's timezone."""
    return ZoneInfo(runtime().settings.timezone)


def user() -> AdminUser:
    """The logged-in account (only in views behind the login)."""
    found = g.get("user")
    assert isinstance(found, AdminUser)
    return found


def is_admin() -> bool:
    """True when the logged-in account is an administrator."""
    found = g.get("user")
    return isinstance(found, AdminUser) and found.role == "admin"


def console_context(s: Session) -> ConsoleContext:
    """What a console action needs, for the logged-in account."""
    rt = runtime()
    return ConsoleContext(
        session=s, now=rt.clock.now(), tz=tz(), catalog=rt.catalog, actor=user().username
    )


def admin_only(view: F) -> F:
    """Only administrators may open this page (experts get 403)."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_admin():
            abort(403)
        return view(*args, **kwargs)

    return cast(F, wrapped)


@bp.before_request
def guard() -> ResponseReturnValue | None:
    """Check the CSRF token of every form, then that someone is logged in."""
    current_app.extensions["console_csrf"].protect()
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    uid = session.get("uid")
    found = None
    if isinstance(uid, int):
        with db() as s:
            found = s.get(AdminUser, uid)
    if found is None or not found.active or session.get("tok") != accounts.session_token(found):
        session.pop("uid", None)
        if request.path.startswith("/admin/api/"):
            return Response('{"error": "login required"}', 401, mimetype="application/json")
        return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
    g.user = found
    return None


@bp.after_request
def security_headers(response: Response) -> Response:
    """Strict headers on every console page: no inline scripts, no framing, no sniffing."""
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    if request.endpoint != "console.static":
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> ResponseReturnValue:
    """A form without a valid token: 400, and nothing was changed."""
    return render_template("admin/error.html", code=400, reason="csrf"), 400


@bp.errorhandler(403)
def forbidden(_error: Exception) -> ResponseReturnValue:
    """An expert tried an administrator's page."""
    return render_template("admin/error.html", code=403, reason="forbidden"), 403


@bp.errorhandler(404)
def not_found(_error: Exception) -> ResponseReturnValue:
    """Nothing here."""
    return render_template("admin/error.html", code=404, reason="not_found"), 404
