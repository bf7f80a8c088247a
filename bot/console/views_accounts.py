"""Console accounts (administrators only): create, set a password, unlock, disable."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlmodel import col, select

from bot.console.blueprint import admin_only, bp, db, user
from bot.runtime import runtime
from bot.services import accounts, audit
from storage.models import AdminUser


@bp.route("/accounts", methods=["GET", "POST"])
@admin_only
def accounts_page() -> ResponseReturnValue:
    """List and manage accounts."""
    if request.method == "POST":
        now = runtime().clock.now()
        action = request.form.get("action") or ""
        try:
            with db() as s:
                me = user()
                if action == "create":
                    created = accounts.create_user(
                        s,
                        request.form.get("username") or "",
                        request.form.get("password") or "",
                        request.form.get("role") or "",
                        now,
                        request.form.get("display_name"),
                    )
                    audit.record(
                        s,
                        me,
                        "account.create",
                        now,
                        target_type="account",
                        target_id=created.id,
                        detail=f"{created.username} ({created.role})",
                    )
                    flash(f"Akun {created.username} dibuat.", "ok")
                else:
                    raw = request.form.get("id") or ""
                    target = s.get(AdminUser, int(raw)) if raw.isdigit() else None
                    if target is None:
                        flash("Akun tidak ditemukan.", "error")
                    elif action == "password":
                        accounts.set_password(target, request.form.get("password") or "")
                        audit.record(
                            s,
                            me,
                            "account.reset_password",
                            now,
                            target_type="account",
                            target_id=target.id,
                        )
                        flash(f"Kata sandi {target.username} diganti.", "ok")
                    elif action == "unlock":
                        target.failed_logins, target.locked_until = 0, None
                        audit.record(
                            s, me, "account.unlock", now, target_type="account", target_id=target.id
                        )
                        flash(f"Akun {target.username} dibuka kembali.", "ok")
                    elif action in ("disable", "enable"):
                        if target.id == me.id:
                            raise accounts.AccountError("Akun sendiri tidak bisa dinonaktifkan.")
                        target.active = action == "enable"
                        audit.record(
                            s,
                            me,
                            f"account.{action}",
                            now,
                            target_type="account",
                            target_id=target.id,
                        )
                        flash(f"Akun {target.username} disimpan.", "ok")
        except accounts.AccountError as exc:
            flash(str(exc), "error")
        return redirect(url_for("console.accounts_page"))
    with db() as s:
        rows = s.exec(select(AdminUser).order_by(col(AdminUser.username))).all()
    return render_template("admin/accounts.html", rows=rows, now=runtime().clock.now())
