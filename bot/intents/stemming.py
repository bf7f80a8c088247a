"""Taking Indonesian enclitics off known words: "syaratnya" -> "syarat",
"baiklah" -> "baik", "jadwalku" -> "jadwal saya" (my schedule)."""

from __future__ import annotations

from functools import lru_cache

from .lexicon import lexicon

_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("nya", ()),
    ("lah", ()),
    ("kah", ()),
    ("ku", ("saya",)),
    ("mu", ()),
)
MIN_BASE = 3  # "punya", "tanya", "salah", "buku" keep their endings


@lru_cache(maxsize=8192)
def stem(word: str) -> tuple[str, ...]:
    """``word`` without an enclitic when what remains is a word the data knows."""
    known = lexicon().known
    for suffix, extra in _SUFFIXES:
        base = word[: -len(suffix)]
        if word.endswith(suffix) and len(base) >= MIN_BASE and base in known:
            return (base, *extra)
    return (word,)
