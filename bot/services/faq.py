"""Matching a question to the clinic's FAQ (``storage.models_faq.FaqEntry``).

Each entry lists keyword patterns in both languages, one per line: a pattern matches when
every one of its words is in the message, and a word may name alternatives with ``|``
("zoom hp|handphone|android"). Patterns and messages go through the same normalisation
(slang expanded: "gmn" is "bagaimana", "hp" stays "hp"), and a long word also matches with a
small typo (rapidfuzz). The entry whose matching pattern has the most words wins; a tie goes
to the entry listed first.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz
from sqlmodel import Session

from bot.intents import normalize
from bot.intents._data import load
from bot.intents._data import words as data_words
from bot.services import reference
from storage.models_faq import FaqEntry

TYPO_SCORE = 88
NEGATIONS = frozenset({"tidak", "bukan", "belum", "jangan", "not", "no", "dont", "cant"})
TYPO_MIN_LENGTH = 5
MAX_WORDS = 40  # a long story is not a question to look up

Alternative = tuple[str, ...]  # normalised words that must follow one another
Group = tuple[Alternative, ...]  # one word of a pattern, with its alternatives
Pattern = tuple[Group, ...]


@dataclass(frozen=True)
class FaqHit:
    """The entry a message asks about, with its answer in the person's language."""

    slug: str
    answer: str
    shows: str | None
    topic_code: str | None
    score: int


@lru_cache(maxsize=256)
def compile_patterns(keywords: str) -> tuple[Pattern, ...]:
    """The patterns of an entry's keyword text (one per line; "a|b" alternatives)."""
    patterns: list[Pattern] = []
    for line in keywords.splitlines():
        groups: list[Group] = []
        for word in line.split():
            alternatives = tuple(
                alt for alt in (tuple(normalize(a).split()) for a in word.split("|")) if alt
            )
            if alternatives:
                groups.append(alternatives)
        if groups:
            patterns.append(tuple(groups))
    return tuple(patterns)


def _has(tokens: Sequence[str], alternative: Alternative) -> bool:
    size = len(alternative)
    if any(tuple(tokens[i : i + size]) == alternative for i in range(len(tokens) - size + 1)):
        return True
    if size == 1 and len(alternative[0]) >= TYPO_MIN_LENGTH:
        wanted = alternative[0]
        return any(
            len(token) >= TYPO_MIN_LENGTH
            and token[0] == wanted[0]
            and fuzz.ratio(token, wanted) >= TYPO_SCORE
            for token in tokens
        )
    return False


def pattern_score(tokens: Sequence[str], keywords: str) -> int:
    """The number of words of the longest pattern of `keywords` found in `tokens` (0: none)."""
    best = 0
    for pattern in compile_patterns(keywords):
        if len(pattern) > best and all(
            any(_has(tokens, alt) for alt in group) for group in pattern
        ):
            best = len(pattern)
    return best


def best_entry(entries: Sequence[FaqEntry], text: str) -> tuple[FaqEntry, int] | None:
    """The entry `text` asks about and its score, or None (entries in display order)."""
    tokens = normalize(text).split()
    if not tokens or len(tokens) > MAX_WORDS:
        return None
    found: tuple[FaqEntry, int] | None = None
    for entry in entries:
        score = max(
            pattern_score(tokens, entry.keywords_id), pattern_score(tokens, entry.keywords_en)
        )
        if score and (found is None or score > found[1]):
            found = (entry, score)
    return found


def active_entries(session: Session) -> list[FaqEntry]:
    """The FAQ entries in use, in display order (held per process; read-only)."""
    return list(reference.snapshot(session).faq)


def find(session: Session, text: str, lang: str) -> FaqHit | None:
    """The FAQ answer a message asks for, in the person's language, or None."""
    found = best_entry(active_entries(session), text)
    if found is None:
        return None
    entry, score = found
    answer = entry.answer_en if lang == "en" and entry.answer_en else entry.answer_id
    return FaqHit(
        slug=entry.slug,
        answer=answer.strip(),
        shows=entry.shows,
        topic_code=entry.topic_code,
        score=score,
    )


@cache
def _question_words() -> dict[str, frozenset[str]]:
    data = load("questions")
    return {
        name: frozenset(normalize(word) or word for word in data_words(data.get(name)))
        for name in ("anywhere", "leading", "trailing")
    }


def is_question(text: str) -> bool:
    """True when a message is shaped like a question: a "?", a question word ("gimana",
    "berapa", "kapan"), a leading "bisa"/"kalau"/"can"/"will", or a tag at the end
    ("buka hari minggu ga"). A bare answer ("2", "online", "Budi Santoso") is not."""
    stripped = text.strip()
    if stripped.endswith("?") or QUESTION_MARK_INSIDE.search(stripped):
        return True  # "ini gratis kan? konsultasinya": a question, then an afterthought
    tokens = normalize(stripped).split()
    if not tokens:
        return False
    if tokens[0] in NEGATIONS:  # "ga bisa online, hp saya jadul" tells, it does not ask
        return False
    marks = _question_words()
    return (
        any(token in marks["anywhere"] for token in tokens)
        or tokens[0] in marks["leading"]
        or (len(tokens) >= 3 and tokens[-1] in marks["trailing"])
    )


QUESTION_MARK_INSIDE = re.compile(r"\S\?+\s+\S")  # a "?" that ends a sentence inside a message

# a clause ends at punctuation, but not at the point or comma inside "11.30" or "2,5"
CLAUSE = re.compile(r"(?:[^.,;!?\n]|(?<=\d)[.,](?=\d))+[.,;!?\n]*")


def answer_part(text: str) -> str:
    """The message without its questions: "online. zoom di hp bisa kan?" -> "online."; ""
    when it is all question."""
    kept = [
        clause.strip()
        for clause in CLAUSE.findall(text)
        if clause.strip()
        and not (clause.strip().endswith("?") or (is_question(clause) and len(clause.split()) > 2))
    ]
    return " ".join(kept).strip(" ,;")


def question_part(text: str) -> str:
    """The questions of a message: "Online saja, saya jauh ke kantor. Senin jam 10 bisa?" ->
    "Senin jam 10 bisa?" (its statements are answers, not what it asks); the whole text when
    no clause has a question's shape."""
    asked = [
        sentence.strip()
        for sentence in SENTENCE.findall(text)
        if sentence.strip()
        and (
            sentence.strip().endswith("?") or (is_question(sentence) and len(sentence.split()) > 2)
        )
    ]
    return " ".join(asked).strip(" ,;") or text


# sentences, not clauses: "mau bikin koperasi, caranya gmn?" asks about founding one
SENTENCE = re.compile(r"(?:[^.!?\n]|(?<=\d)[.](?=\d))+[.!?\n]*")
