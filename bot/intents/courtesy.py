"""Courtesy, read from a message: the greeting to return in kind, and an angry complaint.

Pure functions over the words in ``data/courtesy.toml``:
    greeting_reply_of("Assalamualaikum")  -> "salam"   (the welcome says "Wa'alaikumsalam")
    greeting_reply_of("met pagi kak")     -> "pagi"    ("Selamat pagi")
    greeting_reply_of("halo")             -> "hello"
    is_complaint("kok lama banget sih")   -> True      (apologise and offer a person)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from ._data import load
from ._data import words as data_words
from .normalize import normalize

LEADING_MAX_WORDS = 4
GREETING_WINDOW = 6  # a greeting opens a message: look at its first words only
FIRST = ("salam", "pagi", "siang", "sore", "malam", "rampes", "monggo", "mangga", "swastiastu")

Phrase = tuple[str, ...]
Pattern = tuple[tuple[Phrase, ...], ...]


def _phrase(text: str) -> Phrase:
    return tuple((normalize(text) or text.strip().lower()).split())


@cache
def _greetings() -> tuple[dict[str, tuple[Phrase, ...]], dict[str, frozenset[str]]]:
    data = load("courtesy")
    table = {
        reply: tuple(p for p in (_phrase(text) for text in data_words(phrases)) if p)
        for reply, phrases in data.get("greetings", {}).items()
    }
    leading = {
        reply: frozenset(data_words(first)) for reply, first in data.get("leading", {}).items()
    }
    return table, leading


@cache
def _complaints() -> tuple[tuple[Pattern, ...], frozenset[str], int, int]:
    data = load("courtesy").get("complaints", {})
    patterns = tuple(
        tuple(
            tuple(p for p in (_phrase(alt) for alt in word.split("|")) if p)
            for word in line.split()
        )
        for line in data_words(data.get("patterns"))
    )
    return (
        patterns,
        frozenset(data_words(data.get("short_words"))),
        int(data.get("short_length", 3)),
        int(data.get("max_length", 25)),
    )


def _tokens(text: str) -> list[str]:
    # "pelayanannya", "balasnya": the possessive "-nya" does not change the word
    return [
        token[:-3] if token.endswith("nya") and len(token) > 6 else token
        for token in normalize(text).split()
    ]


def _find(tokens: Sequence[str], phrase: Phrase) -> int | None:
    size = len(phrase)
    for start in range(len(tokens) - size + 1):
        if tuple(tokens[start : start + size]) == phrase:
            return start
    return None


def _bare_greeting(tokens: Sequence[str]) -> bool:
    # "pagi kak" greets; "siang ini bisa?", "pagi jam 9" ask for a time
    return len(tokens) <= LEADING_MAX_WORDS and not any(
        token in ("ini", "nanti", "jam", "besok") or token.isdigit() for token in tokens[1:]
    )


def greeting_reply_of(text: str) -> str | None:
    """The greeting to return in kind: "salam" (Assalamualaikum), "pagi", "siang", "sore",
    "malam" (selamat pagi...), a regional answer ("rampes" to sampurasun, "monggo" to kulo
    nuwun, "mangga" to punten, "swastiastu"), "hello" for a plain greeting; None when the
    message does not open with a greeting."""
    if not isinstance(text, str):
        return None
    tokens = _tokens(text)[:GREETING_WINDOW]
    if not tokens:
        return None
    table, leading = _greetings()
    for reply in FIRST:
        if any(_find(tokens, phrase) is not None for phrase in table.get(reply, ())):
            return reply
        if tokens[0] in leading.get(reply, ()) and _bare_greeting(tokens):
            return reply
    starts = (_find(tokens, phrase) for phrase in table.get("hello", ()))
    return "hello" if any(start is not None and start <= 1 for start in starts) else None


NOT_A_COMPLAINT = re.compile(
    r"\b(?:bukan|bkn|gak|ga|nggak|tidak|tdk|not|no)\s+(?:mau\s+|bermaksud\s+)?"
    r"(?:komplain|complain|complaining|protes|marah|ngeluh|mengeluh)\b",
    re.IGNORECASE,
)


def is_complaint(text: str) -> bool:
    """True for an angry complaint about the service ("kok lama banget sih", "pelayanan
    jelek", "dari tadi gak dibales", "nobody answers"), not for a story about the person's
    own business ("penjualan kami jelek")."""
    if not isinstance(text, str):
        return False
    tokens = _tokens(text)
    patterns, short_words, short_length, max_length = _complaints()
    if not tokens or len(tokens) > max_length:
        return False
    if NOT_A_COMPLAINT.search(text):  # "sy cuma nanya bukan komplain kok hehe"
        return False
    if len(tokens) <= short_length and any(token in short_words for token in tokens):
        return True
    return any(
        all(any(_find(tokens, alt) is not None for alt in word) for word in pattern)
        for pattern in patterns
    )
