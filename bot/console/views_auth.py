"""Logging in and out, and changing one's own password."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlmodel import col, func, select

from bot.console.blueprint import bp, db, user
from bot.console.throttle import LoginThrottle
from bot.runtime import runtime
from bot.services import accounts, audit
from bot.services.handoff import WAITING
from storage.models import AdminUser, Handoff


def _start_page(role: str) -> str:
    """Experts start at their book; admins at the inbox when a chat waits, else the overview."""
    if role != "admin":
        return url_for("console.book")
    with db() as s:
        waiting = s.exec(
            select(func.count()).select_from(Handoff).where(col(Handoff.status).in_(WAITING))
        ).one()
    return url_for("console.inbox" if waiting else "console.home")


def _safe_next(target: str | None, role: str) -> str:
    """Only a path inside the console (never another site) is followed after login."""
    if (
        target
        and target.startswith("/admin/")
        and "\\" not in target
        and target.rstrip("?") != url_for("console.logout")
    ):
        return target
    return _start_page(role)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The login form; a few wrong passwords in a row lock the account for a while."""
    error = None
    username = ""
    if request.method == "POST":
        username = (request.form.get("username") or "").strip()[:80]
        password = request.form.get("password") or ""
        now = runtime().clock.now()
        address = request.remote_addr or "?"
        throttle: LoginThrottle = current_app.extensions["console_login_throttle"]
        if throttle.blocked(address, now):
            return render_template(
                "admin/login.html", error="throttled", username=username, locked_until=None
            ), 429
        with db() as s:
            result = accounts.authenticate(s, username, password, now)
            if result.user is not None:
                audit.record(s, result.user, "auth.login", now)
            elif result.newly_locked:
                locked = accounts.find_user(s, username)
                audit.record(
                    s,
                    locked,
                    "auth.locked",
                    now,
                    target_type="account",
                    target_id=locked.id if locked else None,
                )
        if result.user is not None:
            found: AdminUser = result.user
            session.clear()
            session.permanent = True
            session["uid"] = found.id
            session["tok"] = accounts.session_token(found)
            return redirect(_safe_next(request.args.get("next"), found.role))
        throttle.failed(address, now)
        error = "locked" if result.problem == "locked" else "bad"
        return render_template(
            "admin/login.html", error=error, username=username, locked_until=result.locked_until
        ), 401 if error == "bad" else 429
    return render_template("admin/login.html", error=None, username=username, locked_until=None)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End the session."""
    session.clear()
    flash("Anda sudah keluar.", "ok")
    return redirect(url_for("console.login"))


@bp.route("/password", methods=["GET", "POST"])
def password() -> ResponseReturnValue:
    """Change one's own password (the other sessions of the account end)."""
    if request.method == "POST":
        now = runtime().clock.now()
        try:
            with db() as s:
                me = s.get(AdminUser, user().id)
                assert me is not None
                accounts.change_password(
                    me,
                    request.form.get("current") or "",
                    request.form.get("new") or "",
                    request.form.get("confirm") or "",
                )
                audit.record(s, me, "account.password", now, target_type="account", target_id=me.id)
                session["tok"] = accounts.session_token(me)
        except accounts.AccountError as exc:
            flash(str(exc), "error")
            return render_template("admin/password.html"), 400
        flash("Kata sandi sudah diganti.", "ok")
        return redirect(url_for("console.password"))
    return render_template("admin/password.html")
