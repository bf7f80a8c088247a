"""The administrators' and experts' web console (``/admin/``)."""

from __future__ import annotations

import datetime as dt
import importlib

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from bot.console import formatting
from bot.console.blueprint import bp
from bot.console.throttle import LoginThrottle

csrf = CSRFProtect()
SESSION_HOURS = 8
VIEW_MODULES = (
    "views_auth",
    "views_home",
    "views_inbox",
    "views_reservations",
    "views_book",
    "views_settings",
    "views_accounts",
    "views_audit",
)


def init_app(app: Flask) -> None:
    """Register the console's blueprints, security and helpers on the app."""
    for name in VIEW_MODULES:  # each module adds its views to the blueprint
        importlib.import_module(f"bot.console.{name}")
    from bot.runtime import Runtime

    runtime = app.extensions["eklinik"]
    assert isinstance(runtime, Runtime)
    public_url = runtime.settings.public_url or ""
    app.config.update(
        # CSRF is checked by the console's own views only: webhooks are signed instead
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=SESSION_HOURS * 3600,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # behind TLS (the public URL is https) the cookie never travels in clear
        SESSION_COOKIE_SECURE=public_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=dt.timedelta(hours=SESSION_HOURS),
    )
    csrf.init_app(app)
    app.extensions["console_csrf"] = csrf
    app.extensions["console_login_throttle"] = LoginThrottle()
    formatting.register(app, runtime.settings.timezone)
    app.register_blueprint(bp)
