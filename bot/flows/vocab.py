"""The answer vocabulary of the flows, kept as data in vocab.toml."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path


@cache
def words(name: str) -> tuple[str, ...]:
    """The phrases listed under `name` in vocab.toml."""
    data = tomllib.loads((Path(__file__).with_name("vocab.toml")).read_text(encoding="utf-8"))
    return tuple(data[name])
