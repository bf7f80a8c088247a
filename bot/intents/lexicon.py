"""Word classes and slang, built once from the TOML data files."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from ._data import load, words
from ._text import clean


@dataclass(frozen=True)
class Lexicon:
    """Everything normalisation and matching need to know about single words."""

    slang: dict[str, tuple[tuple[str, ...], str]]  # word -> (replacement words, language)
    filler: frozenset[str]
    particles: frozenset[str]
    negation: frozenset[str]
    gap: frozenset[str]  # may stand inside a phrase ("jangan chat saya lagi")
    negation_skip: frozenset[str]
    number_refs: frozenset[str]
    stopwords: frozenset[str]  # of no weight against menu option labels
    calendar: frozenset[str]  # date and time words: neutral for intents
    cardinals: dict[tuple[str, ...], int]
    ordinals: dict[tuple[str, ...], int]
    known: frozenset[str]  # every word of the data: never typo-corrected or de-doubled


def _phrase_words(values: Any) -> set[str]:
    """Every word in a TOML document's strings, including table keys ("besok" = 1)."""
    found: set[str] = set()
    if isinstance(values, dict):
        for key, value in values.items():
            found.update(clean(str(key)).split())
            found |= _phrase_words(value)
    elif isinstance(values, list):
        for value in values:
            found |= _phrase_words(value)
    elif isinstance(values, str):
        found.update(clean(values).split())
    return found


def _slang(name: str, lang: str) -> dict[str, tuple[tuple[str, ...], str]]:
    table = load(name).get("slang", {})
    result: dict[str, tuple[tuple[str, ...], str]] = {}
    for key, value in table.items():
        replacement = tuple(clean(str(value)).split())
        if replacement:
            result[clean(str(key))] = (replacement, lang)
    return result


def _numbers(table: Any) -> dict[tuple[str, ...], int]:
    if not isinstance(table, dict):
        return {}
    return {tuple(clean(str(key)).split()): int(value) for key, value in table.items()}


def _calendar_words(data: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for table in ("months", "weekdays", "words"):
        found |= _phrase_words(list(data.get(table, {}).values()))
    for table in ("relative_days", "parts_of_day", "named_times", "minute_words", "expand"):
        found |= _phrase_words(list(data.get(table, {})))
    return found


@cache
def lexicon() -> Lexicon:
    """The shared lexicon (built on first use, then cached for the process)."""
    word_data = load("words")
    calendar_data = load("calendar")
    numbers = load("numbers")
    # English slang first so that Indonesian wins where both define a word ("pls").
    slang = {**_slang("slang_en", "en"), **_slang("slang_id", "id")}

    calendar_words = _calendar_words(calendar_data) - {"the", "on", "in", "at", "a", "an"}
    cardinals = _numbers(numbers.get("cardinal"))
    ordinals = _numbers(numbers.get("ordinal"))
    known = (
        _phrase_words(load("intents"))
        | _phrase_words(word_data)
        | _phrase_words(load("language"))
        | calendar_words
        | _phrase_words(numbers)
        | set(slang)
        | {word for replacement, _ in slang.values() for word in replacement}
    )
    return Lexicon(
        slang=slang,
        filler=frozenset(words(word_data.get("filler"))),
        particles=frozenset(words(word_data.get("particles"))),
        negation=frozenset(words(word_data.get("negation"))),
        gap=frozenset(words(word_data.get("gap"))),
        negation_skip=frozenset(words(word_data.get("negation_skip"))),
        number_refs=frozenset(words(word_data.get("number_refs"))),
        stopwords=frozenset(words(word_data.get("stopwords"))),
        calendar=frozenset(calendar_words),
        cardinals=cardinals,
        ordinals=ordinals,
        known=frozenset(known),
    )
