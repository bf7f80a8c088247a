"""Assembles the Flask app from settings, the runtime and the blueprints."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.runtime import build_runtime
from bot.transports.base import Transport


def build_app(overrides: dict[str, Any] | None = None) -> Flask:
    """See bot.create_app."""
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

    from bot import console, health, simulator, webhooks

    app.register_blueprint(webhooks.bp)
    app.register_blueprint(health.bp)
    console.init_app(app)
    if settings.transport == "console":
        app.register_blueprint(simulator.bp)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    return app
