"""Assembles the Flask app from settings, the runtime and the blueprints."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, request

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.logs import configure_logging
from bot.runtime import build_runtime
from bot.transports.base import Transport

CONSOLE_PREFIX = "/admin"  # the console sets its own Content-Security-Policy


def build_app(overrides: dict[str, Any] | None = None) -> Flask:
    """See bot.create_app."""
    configure_logging()
    overrides = dict(overrides or {})
    clock: Clock = overrides.pop("clock", None) or SystemClock()
    transport: Transport | None = overrides.pop("transport", None)
    if isinstance(transport, str):  # a transport's name is a setting; an object is used as is
        overrides["transport"], transport = transport, None
    settings = Settings.from_env().with_overrides(overrides).validate().ensure_secret_key()

    app = Flask(__name__, template_folder=str(settings.templates_path / "web"))
    app.config["SECRET_KEY"] = settings.secret_key
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.extensions["eklinik"] = build_runtime(settings, clock, transport)
    # Registered before the console's hooks so that theirs run first (Flask runs after-request
    # functions in reverse order) and the headers they set are kept.
    app.after_request(security_headers)

    from bot import console, health, simulator, webhooks

    app.register_blueprint(webhooks.bp)
    app.register_blueprint(health.bp)
    console.init_app(app)
    if settings.transport == "console":
        app.register_blueprint(simulator.bp)
    return app


def security_headers(response: Response) -> Response:
    """Headers every response carries: no MIME sniffing, no referrer to other sites, and no
    framing (clickjacking) outside the console, which sets its own policy."""
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # same-origin, not no-referrer: Flask-WTF's CSRF check over HTTPS needs our own Referer
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("X-Frame-Options", "DENY")
    in_console = request.path == CONSOLE_PREFIX or request.path.startswith(CONSOLE_PREFIX + "/")
    if not in_console:
        headers.setdefault("Content-Security-Policy", "frame-ancestors 'none'")
    return response
