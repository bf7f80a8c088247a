"""E-Klinik: the WhatsApp assistant of a Klinik Koperasi dan UMKM."""

from __future__ import annotations

from typing import Any

from flask import Flask


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app. Overrides replace settings (and may pass `clock` or `transport`).

    Nothing is connected or started at import time: the database engine, the transport and
    the flows are created here, per app.
    """
    from bot.app_factory import build_app

    return build_app(overrides)


__all__ = ["create_app"]
