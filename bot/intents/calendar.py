"""Calendar words (``data/calendar.toml``) and the tokenizer shared by dates and times.

Unlike ``normalize``, the tokenizer keeps the separators inside numbers ("10.30", "5/12",
"05-12-2026"), reunites ordinals ("5th") and expands chat slang ("bsk", "tgl", "tmrw").
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any, TypeVar

from rapidfuzz import process
from rapidfuzz.distance import OSA

from ._data import load, words
from ._text import prepare
from .lexicon import lexicon
from .normalize import collapse_repeats
from .stemming import stem

V = TypeVar("V")

_AMPM = re.compile(r"(?<![a-z])([ap])\.\s?m\b\.?")
_OTHER = re.compile(r"[^\w\s:/.\-]|_")
_GLUE = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_NUMERIC = re.compile(r"^\d+(?:[:./\-]\d+)*$")
_SPLIT = re.compile(r"[:./\-]+")
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
MAX_TOKENS = 400


@dataclass(frozen=True)
class Calendar:
    """Month and weekday names, relative-day words and the other word classes."""

    months: dict[str, int]
    weekdays: dict[str, int]  # 0 = Monday
    relative_days: dict[tuple[str, ...], int]
    words: dict[str, frozenset[str]]
    from_now: frozenset[tuple[str, ...]]
    parts_of_day: dict[tuple[str, ...], str]
    named_times: dict[tuple[str, ...], tuple[int, int]]
    minute_words: dict[str, int]
    expand: dict[str, tuple[str, ...]]
    numbers: dict[tuple[str, ...], int]  # cardinal number words
    ordinals: dict[tuple[str, ...], int]
    names: tuple[str, ...]  # month and weekday names of 5+ letters, for typo correction

    def word(self, kind: str) -> frozenset[str]:
        """The words of one class of ``[words]`` ("next", "this", "week", "time"...)."""
        return self.words.get(kind, frozenset())


def _names(table: Any) -> dict[str, int]:
    result: dict[str, int] = {}
    if isinstance(table, dict):
        for number, names in table.items():
            for name in words(names):
                result.setdefault(name, int(number))
    return result


def _keyed(table: Any) -> dict[tuple[str, ...], Any]:
    if not isinstance(table, dict):
        return {}
    return {tuple(str(key).lower().split()): value for key, value in table.items()}


def _clock(value: str) -> tuple[int, int]:
    hour, minute = value.split(":")
    return int(hour), int(minute)


@cache
def calendar() -> Calendar:
    """The calendar data (built on first use, then cached for the process)."""
    data = load("calendar")
    word_table = data.get("words", {})
    months = _names(data.get("months"))
    weekdays = _names(data.get("weekdays"))
    lex = lexicon()
    return Calendar(
        months=months,
        weekdays=weekdays,
        relative_days={key: int(value) for key, value in _keyed(data.get("relative_days")).items()},
        words={key: frozenset(words(value)) for key, value in word_table.items()},
        from_now=frozenset(tuple(item.split()) for item in words(word_table.get("from_now"))),
        parts_of_day={key: str(value) for key, value in _keyed(data.get("parts_of_day")).items()},
        named_times={
            key: _clock(str(value)) for key, value in _keyed(data.get("named_times")).items()
        },
        minute_words={key: int(value) for key, value in data.get("minute_words", {}).items()},
        expand={key: tuple(str(value).split()) for key, value in data.get("expand", {}).items()},
        numbers=lex.cardinals,
        ordinals=lex.ordinals,
        names=tuple(sorted(name for name in (*months, *weekdays) if len(name) >= 5)),
    )


@lru_cache(maxsize=4096)
def _fix_name(word: str) -> str:
    """Correct a misspelt month or weekday name by one slip ("desembre" -> "desember")."""
    if len(word) < 5 or not word.isalpha() or word in lexicon().known:
        return word
    hit = process.extractOne(word, calendar().names, scorer=OSA.distance, score_cutoff=1)
    if hit is not None and hit[0][0] == word[0]:
        return str(hit[0])
    return word


def _expand(word: str) -> list[str]:
    if not word.isalpha():
        return [word]
    lex = lexicon()
    cal = calendar()
    if word in cal.expand:
        return list(cal.expand[word])
    hit = lex.slang.get(word) or lex.slang.get(collapse_repeats(word))
    if hit is not None:
        return list(hit[0])
    word = collapse_repeats(word)
    if word in cal.expand:
        return list(cal.expand[word])
    stemmed = stem(word)  # "besoknya" -> "besok"
    return list(stemmed) if stemmed != (word,) else [_fix_name(word)]


_PLACE_WITH_DAY = re.compile(r"\bpasar\s+kemis\b", re.IGNORECASE)
_CONTRACTION = re.compile(r"\b(?:we|i|you|they|he|she)['’]d\b", re.IGNORECASE)


_YEARS_SHORT = re.compile(r"\b(\d{1,2})\s+(?:th|thn)\b", re.IGNORECASE)


def clock_tokens(text: str) -> list[str]:
    """Lowercase tokens for the date and time parsers, separators inside numbers kept."""
    text = _CONTRACTION.sub(" ", text)  # "we'd", "I'd": never "wed"
    text = _YEARS_SHORT.sub(r"\1 tahun", text)  # "sdh 3 th tdk RAT": years, not the 3rd
    text = _PLACE_WITH_DAY.sub("pasarkemis", text)  # Pasar Kemis is a kecamatan, not Thursday
    text = _AMPM.sub(r"\1m", prepare(text))
    text = _GLUE.sub(" ", _OTHER.sub(" ", text))
    tokens: list[str] = []
    for raw in text.split()[:MAX_TOKENS]:
        raw = raw.strip(":./-")
        if not raw:
            continue
        pieces = [raw] if _NUMERIC.match(raw) else [p for p in _SPLIT.split(raw) if p]
        for piece in pieces:
            if piece in _ORDINAL_SUFFIXES and tokens and tokens[-1].isdigit():
                tokens[-1] += "th"
                continue
            tokens.extend(_expand(piece))
    return tokens


def lookup(
    tokens: Sequence[str], start: int, table: Mapping[tuple[str, ...], V]
) -> tuple[V, int] | None:
    """The value of the longest key of ``table`` found at ``tokens[start:]`` and its length."""
    for size in (4, 3, 2, 1):
        key = tuple(tokens[start : start + size])
        if len(key) == size and key in table:
            return table[key], size
    return None


def number_at(tokens: Sequence[str], start: int) -> tuple[int, int] | None:
    """A cardinal number at ``tokens[start]`` (digits or words) and how many tokens it takes."""
    if start >= len(tokens):
        return None
    token = tokens[start]
    if token.isdigit() and len(token) <= 4:
        return int(token), 1
    return lookup(tokens, start, calendar().numbers)


def ordinal_at(tokens: Sequence[str], start: int) -> tuple[int, int] | None:
    """An ordinal at ``tokens[start]`` ("5th", "fifth", "kelima") and its token count."""
    if start >= len(tokens):
        return None
    token = tokens[start]
    if token.endswith("th") and token[:-2].isdigit() and len(token) <= 4:
        return int(token[:-2]), 1
    found = lookup(tokens, start, calendar().ordinals)
    if found is not None and found[0] > 0:
        return found
    return None
