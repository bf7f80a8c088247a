"""``detect_language_choice``: does a message ask to switch the conversation language?"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from ._data import load, words
from .lexicon import lexicon
from .normalize import tokenize

log = logging.getLogger(__name__)

MAX_WORDS = 8  # a language request is short
LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class _Table:
    keywords: dict[tuple[str, ...], str]
    exact: dict[tuple[str, ...], str]
    filler: frozenset[str]
    negation: frozenset[str]
    names: tuple[str, ...]  # single keywords of 6+ letters, for typo correction


def _normal(text: str) -> tuple[str, ...]:
    return tuple(token.text for token in tokenize(text))


@cache
def _table() -> _Table:
    data = load("language")
    keywords: dict[tuple[str, ...], str] = {}
    exact: dict[tuple[str, ...], str] = {}
    for lang in LANGUAGES:
        section = data.get(lang, {})
        for phrase in words(section.get("keywords")):
            keywords.setdefault(_normal(phrase), lang)
        for phrase in words(section.get("exact")):
            exact.setdefault(_normal(phrase), lang)
    names = tuple(key[0] for key in keywords if len(key) == 1 and len(key[0]) >= 6)
    return _Table(
        keywords=keywords,
        exact=exact,
        filler=frozenset(_normal(" ".join(words(data.get("filler", {}).get("words"))))),
        negation=lexicon().negation
        | frozenset(_normal(" ".join(words(data.get("negation", {}).get("extra"))))),
        names=names,
    )


@lru_cache(maxsize=2048)
def _fix(word: str) -> str:
    table = _table()
    if len(word) < 6 or word in lexicon().known:
        return word
    hit = process.extractOne(word, table.names, scorer=OSA.distance, score_cutoff=1)
    return str(hit[0]) if hit is not None and hit[0][0] == word[0] else word


def detect_language_choice(text: str) -> str | None:
    """The language ``text`` asks to switch to, "id" or "en", else None.

    "english pls", "in english please", "bahasa indonesia", "pakai bahasa inggris"; a
    negation asks for the other one ("saya tidak mengerti bahasa inggris" -> "id").
    """
    try:
        return _detect(text)
    except Exception as exc:  # never let one odd message break the conversation
        # the exception text may quote the message: log only its kind
        log.error("detect_language_choice failed: %s", type(exc).__name__)
        return None


def _detect(text: str) -> str | None:
    if not isinstance(text, str):
        return None
    table = _table()
    tokens = [_fix(word) for word in _normal(text)]
    if not tokens or len(tokens) > MAX_WORDS:
        return None
    particles = lexicon().particles
    for key in (tuple(tokens), tuple(word for word in tokens if word not in particles)):
        if key in table.exact:
            return table.exact[key]
    found: set[str] = set()
    negated = False
    position = 0
    while position < len(tokens):
        for size in (3, 2, 1):
            key = tuple(tokens[position : position + size])
            if len(key) == size and key in table.keywords:
                found.add(table.keywords[key])
                position += size
                break
        else:
            word = tokens[position]
            if word in table.negation:
                negated = True
            elif word not in table.filler and word not in particles:
                return None
            position += 1
    if len(found) != 1:
        return None
    lang = found.pop()
    if negated:
        return "en" if lang == "id" else "id"
    return lang
