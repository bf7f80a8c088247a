"""Character-level cleaning shared by every parser: no vocabulary, no data files.

``clean`` turns any input (emoji, zero-width and control characters, HTML, URLs, accents,
fancy Unicode letters) into lowercase words separated by single spaces.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache

MAX_CHARS = 4000  # longer messages are cut: no command hides after 4,000 characters

_HTML_TAG = re.compile(r"<[^<>]{0,200}>")
_URL = re.compile(r"(?:https?://|www\.)\S+")
# Deleted outright (they sit inside words): apostrophes, zero-width and format characters,
# variation selectors, soft hyphen.
_DELETE = re.compile(r"['’‘`´ʼ\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufe00-\ufe0f]")
_NON_WORD = re.compile(r"[^\w\s]|_")
_GLUE = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")
_SPACES = re.compile(r"\s+")


@cache
def _latin_table() -> dict[int, str]:
    """Map accented Latin letters (U+00C0..U+024F) to their plain ASCII letters."""
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        plain = "".join(
            ch for ch in unicodedata.normalize("NFKD", chr(code)) if ch.isascii() and ch.isalpha()
        )
        if plain:
            table[code] = plain.lower()
    return table


def prepare(text: object, limit: int = MAX_CHARS) -> str:
    """NFKC-normalise, lowercase and strip HTML, URLs and in-word invisible characters.

    Punctuation is kept (the date and time parsers need ``10.30`` and ``5/12``).
    """
    if not isinstance(text, str) or not text:
        return ""
    text = text[:limit]
    if "&" in text:
        text = html.unescape(text)
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    if "://" in text or "www." in text:
        text = _URL.sub(" ", text)
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DELETE.sub("", text)
    if not text.isascii():
        text = text.translate(_latin_table())
    return text


def clean(text: object) -> str:
    """Lowercase words of ``text`` separated by single spaces, punctuation and emoji removed."""
    text = _NON_WORD.sub(" ", prepare(text))
    return _SPACES.sub(" ", text).strip()


def split_glue(word: str) -> list[str]:
    """Split letters glued to digits: ``"jam10"`` -> ``["jam", "10"]``."""
    return _GLUE.sub(" ", word).split()
