"""Intent phrases as data, normalisation, rapidfuzz matching, date and time parsing.

Public API (phrases, slang, calendar words live in ``bot/intents/data/*.toml``):
    classify(text) -> IntentMatch | None        the global intent of a message
    parse_date(text, today) -> date | None      "besok", "senin depan", "tgl 5", "5 Des 2026"
    parse_time(text) -> time | None             "jam 10", "jam 2 siang", "setengah 11", "2pm"
    normalize(text) -> str                      lowercase, no emoji, slang expanded
    detect_language_choice(text) -> "id" | "en" | None
    match_option(text, options) -> int | None   numbered-menu choice by number or words
Data files are read on first use and cached; nothing raises on odd input.
"""

from .dates import parse_date
from .language import detect_language_choice
from .matcher import IntentMatch, classify
from .normalize import normalize
from .options import match_option
from .times import parse_time

#: The global intent names ``classify`` returns.
INTENTS = (
    "greeting",
    "menu",
    "reserve",
    "my_reservations",
    "reschedule",
    "cancel",
    "info",
    "human",
    "help",
    "back",
    "yes",
    "no",
    "thanks",
    "stop",
    "start",
)

__all__ = [
    "INTENTS",
    "IntentMatch",
    "classify",
    "detect_language_choice",
    "match_option",
    "normalize",
    "parse_date",
    "parse_time",
]
