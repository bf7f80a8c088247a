"""``match_option``: which entry of a numbered menu a reply chooses.

By number: "2", "2.", "no 2", "nomor 2", "yg ke-2", "pilih 2", "dua", "two", "kedua",
"second", "#2". By words, fuzzily, against the option labels: "laporan keuangn" ->
"Laporan keuangan", "modal" -> "Akses permodalan" (a word inside a longer label word counts),
"izin usaha" -> "Pendirian dan izin usaha (NIB/IUMK)". None when the number is out of range,
when two numbers are given, when a number and the words point at different options, or when
the words fit two options about equally ("akses" with "Akses permodalan" and "Akses pasar").
A word found in several labels weighs less ("permodalan koperasi" is "Akses permodalan"
in a list where four labels end in "koperasi").
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz

from .lexicon import Lexicon, lexicon
from .normalize import tokenize

log = logging.getLogger(__name__)

OPTION_CUTOFF = 75.0  # minimum word score of the best option
OPTION_MARGIN = 10.0  # the best option must lead the next by this much (or cover more)
WORD_CUTOFF = 80.0  # minimum similarity of a typed word to a label word
WHOLE_LABEL_CUTOFF = 90.0  # a reply this close to a whole label counts as that label
INSIDE_SCORE = 90.0  # a typed word of 4+ letters inside a label word ("modal", "permodalan")
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})


def match_option(text: str, options: Sequence[str]) -> int | None:
    """The 0-based index of the option ``text`` chooses, or None."""
    try:
        return _match(text, options)
    except Exception as exc:  # never let one odd message break the conversation
        # the exception text may quote the message: log only its kind
        log.error("match_option failed: %s", type(exc).__name__)
        return None


def _numbers(words: list[str], lex: Lexicon) -> tuple[list[int], list[str]]:
    """Numbers chosen in ``words`` and the words left once numbers and their markers go."""
    numbers: list[int] = []
    rest: list[str] = []
    position = 0
    while position < len(words):
        word = words[position]
        if word == "one" and position > 0 and words[position - 1] not in lex.number_refs:
            rest.append(word)  # "small business one" is the business one, not option 1
            position += 1
            continue
        for table in (lex.ordinals, lex.cardinals):
            size = next((n for n in (2, 1) if tuple(words[position : position + n]) in table), 0)
            if size:
                numbers.append(table[tuple(words[position : position + size])])
                position += size
                if table is lex.ordinals and words[position : position + 1] == ["one"]:
                    position += 1  # "the second one"
                break
        else:
            if word.isdigit() and len(word) <= 3:
                numbers.append(int(word))
            elif word not in lex.number_refs and word not in _ORDINAL_SUFFIXES:
                rest.append(word)
            position += 1
    return numbers, rest


LONG_ANSWER_WORDS = 8  # past this, a number word is part of a sentence, not a pick


def _match(text: str, options: Sequence[str]) -> int | None:
    if not isinstance(text, str) or not options:
        return None
    lex = lexicon()
    words = [token.text for token in tokenize(text)]
    if not words:
        return None
    labels = [_label(str(option)) for option in options]
    whole = " ".join(words)
    for index, label in enumerate(labels):
        if whole == " ".join(label):
            return index
    numbers, rest = _numbers(words, lex)
    if len(words) > LONG_ANSWER_WORDS:
        # "Also the last RAT my father held was 2023": a story's "last" or "second" picks
        # nothing; its words may still name an option
        return _by_words(words, labels, lex)
    if len(numbers) > 1:
        return None
    if numbers:
        chosen = numbers[0] - 1 if numbers[0] > 0 else len(options) - 1  # "terakhir" is -1
        if not 0 <= chosen < len(options) or numbers[0] == 0:
            return None
        by_words = _by_words(rest, labels, lex) if rest else None
        return chosen if by_words in (None, chosen) else None
    return _by_words(words, labels, lex)


@lru_cache(maxsize=1024)
def _label(option: str) -> tuple[str, ...]:
    return tuple(token.text for token in tokenize(option))


def _word_score(word: str, label: tuple[str, ...]) -> float:
    best = 0.0
    for part in label:
        if word == part:
            return 100.0
        if len(word) >= 4 and word in part:
            best = max(best, INSIDE_SCORE)
            continue
        score = fuzz.ratio(word, part)
        if score >= WORD_CUTOFF:
            best = max(best, score)
    return best


def _by_words(words: list[str], labels: list[tuple[str, ...]], lex: Lexicon) -> int | None:
    contents = [tuple(word for word in label if word not in lex.stopwords) for label in labels]
    query = [w for w in words if w not in lex.filler and w not in lex.stopwords]
    # How many labels each word fits: a word in many labels ("koperasi") weighs little.
    fits = {w: sum(1 for content in contents if _word_score(w, content)) for w in query}
    # Words found in no label ("konsultasi" in "konsultasi soal laporan keuangan") are
    # dropped, as long as they are not the majority of the reply.
    relevant = [w for w in query if fits[w]]
    if not relevant or len(relevant) * 2 < len(query):
        return None
    weights = {w: 1.0 / fits[w] for w in relevant}
    total = sum(weights[w] for w in relevant)
    ranked: list[tuple[float, float, int]] = []
    for index, content in enumerate(contents):
        if not content:
            continue
        score = sum(weights[w] * _word_score(w, content) for w in relevant) / total
        whole = fuzz.ratio(" ".join(relevant), " ".join(content))
        if whole >= WHOLE_LABEL_CUTOFF:  # the whole label typed with a slip or two
            score = max(score, whole)
        covered = sum(1 for part in content if _word_score(part, tuple(relevant)) >= WORD_CUTOFF)
        ranked.append((score, covered / len(content), index))
    ranked.sort(reverse=True)
    if not ranked or ranked[0][0] < OPTION_CUTOFF:
        return None
    best = ranked[0]
    if len(ranked) > 1:
        second = ranked[1]
        # A close second makes it ambiguous, unless the reply names all of the best label
        # and not all of the second ("laporan keuangan" vs "... keuangan sederhana").
        if second[0] > best[0] - OPTION_MARGIN and not (best[1] == 1.0 > second[1]):
            return None
    return best[2]
