"""The administrators' and experts' web console (``/admin/``)."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the console's blueprints, security and helpers on the app."""
