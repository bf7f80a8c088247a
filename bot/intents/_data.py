"""Loading of the TOML data files shipped in ``bot/intents/data/`` (read once, cached)."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Any


@cache
def load(name: str) -> dict[str, Any]:
    """Return the parsed contents of ``data/<name>.toml``; callers must not mutate it."""
    source = resources.files(__package__ or "bot.intents").joinpath("data").joinpath(f"{name}.toml")
    with source.open("rb") as handle:
        return tomllib.load(handle)


def words(values: Any) -> list[str]:
    """Return a TOML list of strings as a list of lowercase, stripped strings."""
    if not isinstance(values, list):
        return []
    return [str(value).strip().lower() for value in values if str(value).strip()]
