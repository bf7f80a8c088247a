"""Typo correction of single words towards the words of the intent phrases.

Only words the data does not know are corrected, and only by small, typical slips:
 * words of 4-6 letters: one letter left out or added, or two neighbours swapped, and the
   first letter right ("jadwl" -> "jadwal", "mneu" -> "menu"); a wrong letter is not
   accepted in short words, because real words differ that way ("bank" is not "back");
 * words of 7-8 letters: any one slip ("resevasi", "reservsi", "konsltasi");
 * longer words: two slips, the first letter right ("resevrasii").
Enclitics are taken off first (``stemming.py``: "syaratnya" -> "syarat").
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Indel

from .lexicon import lexicon
from .phrases import phrase_index
from .stemming import stem

MIN_LENGTH = 4


def _is_swap(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]


def _acceptable(word: str, target: str, distance: int) -> bool:
    size = len(word)
    same_first = word[0] == target[0]
    if size <= 6:
        return same_first and (Indel.distance(word, target) == 1 or _is_swap(word, target))
    if size <= 8:
        return distance <= 1
    return distance <= 1 or (distance == 2 and same_first)


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

    def preference(hit: tuple[str, float, int]) -> tuple[float, bool, int]:
        # fewest slips, then a word the typist stopped short of, then the closest length
        return hit[1], not hit[0].startswith(word), abs(len(hit[0]) - len(word))

    for target, distance, _ in sorted(hits, key=preference):
        if _acceptable(word, target, int(distance)):
            return (target,), float(fuzz.ratio(word, target))
    return None
