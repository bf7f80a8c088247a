"""The answer vocabulary of the flows, kept as data in vocab.toml (read once)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any


@cache
def _data() -> dict[str, Any]:
    return tomllib.loads(Path(__file__).with_name("vocab.toml").read_text(encoding="utf-8"))


@cache
def words(name: str) -> tuple[str, ...]:
    """The phrases listed under `name` in vocab.toml."""
    return tuple(_data()[name])
