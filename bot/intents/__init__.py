"""Intent phrases as data, normalisation, rapidfuzz matching, date and time parsing.

Public API (phrases, slang, calendar words live in ``bot/intents/data/*.toml``):
    classify(text) -> IntentMatch | None        the global intent of a message
    parse_date(text, today) -> date | None      "besok", "senin depan", "tgl 5", "5 Des 2026"
    parse_time(text) -> time | None             "jam 10", "jam 2 siang", "setengah 11", "2pm"
    normalize(text) -> str                      lowercase, no emoji, slang expanded
    detect_language_choice(text) -> "id" | "en" | None
    match_option(text, options) -> int | None   numbered-menu choice by number or words
    preload()                                   load data and build indexes ahead of time
Data files are read on first use and cached; nothing raises on odd input.
"""

import datetime as _dt

from ._data import load as _load
from .dates import parse_date
from .language import detect_language_choice
from .matcher import IntentMatch, classify, command_of
from .normalize import normalize
from .options import match_option
from .times import parse_time

#: The global intent names ``classify`` returns: the intent tables of data/intents.toml.
INTENTS: tuple[str, ...] = tuple(
    name
    for name, table in _load("intents").items()
    if name not in ("settings", "emoji") and isinstance(table, dict)
)


def preload() -> None:
    """Read the data files and build the indexes now (say at app start) rather than on the
    first message, which otherwise takes some 60 ms longer."""
    classify("halo")
    parse_date("besok", _dt.date(2026, 1, 1))  # any date: this only warms the caches
    parse_time("jam 10")
    detect_language_choice("english")
    match_option("1", ["satu"])


__all__ = [
    "INTENTS",
    "IntentMatch",
    "classify",
    "command_of",
    "detect_language_choice",
    "match_option",
    "normalize",
    "parse_date",
    "parse_time",
    "preload",
]
