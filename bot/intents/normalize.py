"""Text normalisation: clean characters, undo stretched letters, expand chat slang.

``normalize("Haloooo kak, sy mau konsul bsk 🙏")`` -> ``"halo kak saya mau konsultasi besok"``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product
from typing import NamedTuple

from ._text import clean, split_glue
from .lexicon import lexicon

_RUN = re.compile(r"([^\W\d_])\1+")
_MAX_RUNS = 6


class Token(NamedTuple):
    """A normalised word and the language its original spelling gave away (or None)."""

    text: str
    lang: str | None


@lru_cache(maxsize=8192)
def collapse_repeats(word: str) -> str:
    """Undo stretched letters: ``"haloooo"`` -> ``"halo"``, ``"bataal"`` -> ``"batal"``.

    A word the data knows is kept as is ("saat", "tunggu"). Otherwise every way of shrinking
    each run of a repeated letter to one or two letters is tried, shortest first, and the first
    known word wins; failing that, runs of three or more letters become one letter and
    doubles stay ("mantaaap" -> "mantap", "kerennn" -> "keren").
    """
    known = lexicon().known
    if word in known:
        return word
    runs = list(_RUN.finditer(word))
    if not runs:
        return word
    if len(runs) <= _MAX_RUNS:
        candidates: list[str] = []
        for sizes in product((1, 2), repeat=len(runs)):
            parts: list[str] = []
            last = 0
            for run, size in zip(runs, sizes, strict=True):
                parts.append(word[last : run.start()])
                parts.append(run.group(1) * size)
                last = run.end()
            parts.append(word[last:])
            candidates.append("".join(parts))
        for candidate in sorted(candidates, key=len):
            if candidate in known:
                return candidate
    return _RUN.sub(lambda m: m.group(1) if len(m.group(0)) > 2 else m.group(0), word)


@lru_cache(maxsize=8192)
def _expand_word(word: str) -> tuple[Token, ...]:
    lex = lexicon()
    hit = lex.slang.get(word)
    if hit is None:
        parts = split_glue(word)
        if len(parts) > 1:
            return tuple(token for part in parts for token in _expand_word(part))
        word = collapse_repeats(word)
        hit = lex.slang.get(word)
    if hit is None:
        return (Token(word, None),)
    replacement, lang = hit
    return tuple(Token(part, lang) for part in replacement)


def tokenize(text: str) -> list[Token]:
    """Normalised tokens of ``text`` with the language hint of slang words."""
    return list(_tokens(text) if len(text) <= CACHED_CHARS else _read(text))


def normalize(text: str) -> str:
    """Lowercase, strip emoji/invisible characters/punctuation, undo stretched letters and
    expand slang and abbreviations from the data files; words joined by single spaces."""
    if len(text) <= CACHED_CHARS:
        return _normalized(text)
    return " ".join(token.text for token in _read(text))


# A message is read by many handlers and flows, each normalising the same text (and the same
# vocabulary phrases) again: short texts' results are kept per process (pure functions of the
# text; bounded, so a flood of long unique messages cannot grow the worker).
CACHED_CHARS = 300


def _read(text: str) -> tuple[Token, ...]:
    words = clean(text).split()
    return tuple(
        token
        for at, word in enumerate(words)
        for token in (
            _expand_word(word)
            if not (word == "btl" and at and words[at - 1] in AGREEING)
            else (Token("betul", "id"),)  # "iya btl" agrees; "btl aja" cancels
        )
    )


AGREEING = frozenset({"ya", "iya", "iyaa", "y", "sudah", "sdh", "udh", "udah", "dah", "sgt"})


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[Token, ...]:
    return _read(text)


@lru_cache(maxsize=4096)
def _normalized(text: str) -> str:
    return " ".join(token.text for token in _tokens(text))
