"""Typo correction of single words towards the words of the intent phrases.

Only words the data does not know are corrected, and only by small, typical slips:
 * words of 4-6 letters: one letter left out or added, two neighbours swapped, or one letter
   replaced by a neighbouring key on the keyboard ("jadwl", "mneu", "batsl", "nenu"); other
   wrong letters are not accepted in short words, because real words differ that way
   ("bank" is not "back", "bakal" is not "batal"); the first letter must be right unless
   the slip is a neighbouring key;
 * words of 7-8 letters: any one slip ("resevasi", "reservsi", "konsltasi");
 * longer words: two slips, the first letter right ("resevrasii").
A corrected word's quality is its ``fuzz.ratio`` to the target, at least 90 for one slip and
80 for two, so one typo keeps a command above the cutoff but below an exact match.
Enclitics are taken off first (``stemming.py``: "syaratnya" -> "syarat").
"""

from __future__ import annotations

from functools import cache, lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel

from .lexicon import lexicon
from .phrases import phrase_index
from .stemming import stem

MIN_LENGTH = 4
ONE_SLIP_QUALITY = 90.0
TWO_SLIPS_QUALITY = 80.0
_KEY_ROWS = (("qwertyuiop", 0.0), ("asdfghjkl", 0.25), ("zxcvbnm", 0.75))


@cache
def _keys() -> dict[str, tuple[int, float]]:
    return {
        key: (row, offset + column)
        for row, (keys, offset) in enumerate(_KEY_ROWS)
        for column, key in enumerate(keys)
    }


def _neighbours(a: str, b: str) -> bool:
    """Whether two letters are neighbouring keys on a QWERTY keyboard."""
    keys = _keys()
    if a not in keys or b not in keys or a == b:
        return False
    (row_a, x_a), (row_b, x_b) = keys[a], keys[b]
    if row_a == row_b:
        return abs(x_a - x_b) == 1
    return abs(row_a - row_b) == 1 and abs(x_a - x_b) < 1


def _is_swap(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]


def _fat_finger(a: str, b: str) -> bool:
    """One letter replaced by a neighbouring key."""
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 1 and _neighbours(a[diff[0]], b[diff[0]])


def _acceptable(word: str, target: str, distance: int) -> bool:
    size = len(word)
    if size <= 6:
        if _fat_finger(word, target):
            return True
        return word[0] == target[0] and (
            Indel.distance(word, target) == 1 or _is_swap(word, target)
        )
    if size <= 8:
        return distance <= 1
    return distance <= 1 or (distance == 2 and word[0] == target[0])


@lru_cache(maxsize=8192)
def correct(word: str) -> tuple[tuple[str, ...], float] | None:
    """The phrase word(s) ``word`` is a typo of, with a similarity 0..100; None if none."""
    stemmed = stem(word)
    if stemmed != (word,):
        return stemmed, 100.0
    if word in lexicon().known or len(word) < MIN_LENGTH or not word.isalpha():
        return None
    index = phrase_index()
    limit = 2 if len(word) >= 9 else 1
    hits = process.extract(word, index.targets, scorer=OSA.distance, score_cutoff=limit, limit=8)

    def preference(hit: tuple[str, float, int]) -> tuple[float, bool, bool, int]:
        # fewest slips, then the first letter right, then a word the typist stopped short
        # of, then the closest length
        target = hit[0]
        return (
            hit[1],
            target[0] != word[0],
            not target.startswith(word),
            abs(len(target) - len(word)),
        )

    for target, distance, _ in sorted(hits, key=preference):
        if _acceptable(word, target, int(distance)):
            floor = ONE_SLIP_QUALITY if distance <= 1 else TWO_SLIPS_QUALITY
            quality = max(floor, float(fuzz.ratio(word, target)))
            slang = lexicon().slang.get(target)  # "makasuh" -> "makasih" -> "terima kasih"
            return (slang[0] if slang else (target,)), quality
    return None
