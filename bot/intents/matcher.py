"""``classify``: the context-free global intent of a WhatsApp message.

How a message is matched (phrases live in ``data/intents.toml``):
 1. ``?`` alone is help; emoji alone map through the ``[emoji]`` table; pure numbers and
    "no 2" / "nomor 2" are menu choices for the caller, so no intent.
 2. The message is normalised (slang, stretched letters) and unknown words are corrected
    towards phrase words (``spelling.py``); a corrected word keeps its similarity as quality.
 3. Every phrase found as a run of words becomes a candidate; ``exact`` phrases only when
    they are the whole message (particles and fillers aside). A candidate preceded by a
    negation ("tidak jadi reservasi", "jangan batal") is dropped; a candidate inside a longer
    one is dropped ("reservasi" inside "cek reservasi saya"). ``leading`` phrases ("ya")
    count only as the first meaningful word ("ya kak", not the question particle of "kapan
    ya"); a ``guarded`` one-word strong phrase ("stop") is strong only with at most one
    meaningful word beside it ("stop ya makasih", not "produksi stop total").
 4. Score = mean word quality minus a penalty per meaningful word outside the phrase (filler,
    particles, date/time words, numbers and yes/no/thanks/greeting words are not
    meaningful; penalties per intent are in the data). So "batal" is 100, "saya mau
    batalkan reservasi" 100, and "mulai usaha baru" too low to be ``start``. Strong phrases
    ("stop", "mau konsultasi") carry no penalty.
 5. The winner: a strong phrase of a dominant intent (stop) first, then any strong phrase,
    then commands before social intents (greeting, thanks, yes, no), then score, then
    phrase length (commands only), then the ``order`` in the data, which puts no and yes
    before thanks and greeting: "ok makasih" in a confirmation step is a yes.
 6. Nothing found in a short message with an unknown word: the whole message is compared
    with every phrase by ``fuzz.ratio`` ("menuutama", "terimakasi").
The thresholds below were tuned on ``tests/intent_cases.py``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from ._data import load
from ._data import words as data_words
from ._text import prepare
from .lexicon import Lexicon, lexicon
from .normalize import tokenize
from .phrases import Phrase, PhraseIndex, phrase_index
from .spelling import correct
from .stemming import stem

log = logging.getLogger(__name__)
MAX_CACHED_CHARS = 500  # longer messages are rare and not worth keeping

SCORE_CUTOFF = 80.0  # below this, no intent (penalties per intent: intents.toml [settings])
DEFAULT_PENALTY = 15.0
WHOLE_CUTOFF = 85.0  # whole-message fuzzy fallback
WHOLE_MAX_WORDS = 3
STRONG_EDGE_WORDS = 4  # a one-word strong phrase is strong anywhere in messages this short
MAX_CORRECTED_WORDS = 40  # longer messages are matched without typo correction
MAX_WORDS, TAIL_WORDS = 120, 40  # of longer messages only the first 80 and last 40 words
NEGATION_LOOKBACK = 3
MAX_GAPS = 2  # gap words ("saya", "kak") allowed inside one phrase
GUARDED_MAX_OUTSIDE = 1  # meaningful words a guarded one-word strong phrase tolerates


@dataclass(frozen=True)
class IntentMatch:
    """A global intent: ``name``, ``score`` 0..100 and the language of the matched words
    (``"id"``, ``"en"`` or None when they are neutral, like "ok")."""

    name: str
    score: float
    lang: str | None = None


@dataclass(frozen=True)
class _Word:
    text: str
    quality: float
    lang: str | None


@dataclass(frozen=True)
class _Candidate:
    phrase: Phrase
    start: int
    end: int  # an exact phrase spans the whole message (nothing outside it)
    quality: float
    strong: bool

    @property
    def size(self) -> int:
        """Words matched: for an exact phrase, its own words (not the fillers around it)."""
        return len(self.phrase.tokens)


def classify(text: str) -> IntentMatch | None:
    """The context-free global intent of a message, or None when nothing is meant."""
    if not isinstance(text, str):
        return None
    return (
        _classify_cached(text[:MAX_CACHED_CHARS]) if len(text) <= MAX_CACHED_CHARS else _safe(text)
    )


@lru_cache(maxsize=4096)
def _classify_cached(text: str) -> IntentMatch | None:
    # the engine and the flows ask about the same message several times: answer once
    return _safe(text)


def _safe(text: str) -> IntentMatch | None:
    try:
        return _classify(text)
    except Exception as exc:  # never let one odd message break the conversation
        # the exception text may quote the message: log only its kind
        log.error("classify failed: %s", type(exc).__name__)
        return None


def _classify(text: str) -> IntentMatch | None:
    if not isinstance(text, str):
        return None
    raw = text.strip()
    if not raw:
        return None
    if set(raw) <= {"?", "¿", "？", " "}:
        return IntentMatch("help", 100.0, None)
    index = phrase_index()
    lex = lexicon()
    tokens = tokenize(raw)
    if not tokens:
        return _emoji(raw, index)
    if len(tokens) > MAX_WORDS:  # a command sits at the start or the end of a long message
        tokens = tokens[: MAX_WORDS - TAIL_WORDS] + tokens[-TAIL_WORDS:]
    words = _correct([(token.text, token.lang) for token in tokens])
    texts = [word.text for word in words]
    if _is_number_choice(texts, lex):
        return None
    candidates = _candidates(words, index, lex)
    best = _best(candidates, words, index, lex)
    if (
        best is None
        and len(words) <= WHOLE_MAX_WORDS
        and any(word.text not in lex.known for word in words)
    ):
        return _whole(texts, index)
    return best


def _emoji(raw: str, index: PhraseIndex) -> IntentMatch | None:
    """Intent of a message made only of emoji, when they all mean the same thing."""
    names: set[str] = set()
    for char in prepare(raw, limit=200):
        if char.isspace() or "\U0001f3fb" <= char <= "\U0001f3ff" or char == "\u200d":
            continue  # spaces, skin tones, joiners
        name = index.emoji.get(char)
        if name is None:
            return None
        names.add(name)
    if len(names) != 1:
        return None
    return IntentMatch(names.pop(), 100.0, None)


def _correct(tokens: list[tuple[str, str | None]]) -> list[_Word]:
    if len(tokens) > MAX_CORRECTED_WORDS:
        return [_Word(text, 100.0, lang) for text, lang in tokens]
    words: list[_Word] = []
    for text, lang in tokens:
        fixed = correct(text)
        if fixed is None:
            words.append(_Word(text, 100.0, lang))
        else:
            replacement, quality = fixed
            words.extend(_Word(part, quality, lang) for part in replacement)
    return words


def _is_number_choice(texts: list[str], lex: Lexicon) -> bool:
    """Pure numbers and "no 2", "nomor 2", "pilih 2" belong to the caller's menu."""
    if not any(text.isdigit() for text in texts):
        return False
    return all(text.isdigit() or text in lex.number_refs for text in texts)


def _negated(texts: list[str], start: int, lex: Lexicon) -> bool:
    position = start - 1
    for _ in range(NEGATION_LOOKBACK):
        if position < 0:
            return False
        word = texts[position]
        if word in lex.negation:
            return True
        if word not in lex.negation_skip:
            return False
        position -= 1
    return False


def _match_at(
    texts: list[str], start: int, tokens: tuple[str, ...], gap: frozenset[str]
) -> int | None:
    """End of ``tokens`` found at ``texts[start]``, with at most MAX_GAPS gap words inside."""
    position = start
    gaps = 0
    for number, token in enumerate(tokens):
        if number:
            while (
                position < len(texts)
                and texts[position] != token
                and texts[position] in gap
                and gaps < MAX_GAPS
            ):
                position += 1
                gaps += 1
        if position >= len(texts) or texts[position] != token:
            return None
        position += 1
    return position


def _candidates(words: list[_Word], index: PhraseIndex, lex: Lexicon) -> list[_Candidate]:
    texts = [word.text for word in words]
    count = len(texts)
    core = [text for text in texts if text not in lex.particles]
    short = len(core) <= STRONG_EDGE_WORDS
    first = texts.index(core[0]) if core else 0
    edges = {first, count - 1 - texts[::-1].index(core[-1])} if core else set()
    found: list[_Candidate] = []
    for start, text in enumerate(texts):
        for phrase in index.by_first.get(text, ()):
            if start != first and phrase.tokens in index.leading:
                continue  # the question particle in "kapan ya", "besok ya" is no yes
            end = _match_at(texts, start, phrase.tokens, lex.gap)
            if end is None:
                continue
            if phrase.tokens[0] not in lex.negation and _negated(texts, start, lex):
                continue
            strong = phrase.kind == "strong" and (len(phrase.tokens) > 1 or short or start in edges)
            if (
                strong
                and len(phrase.tokens) == 1
                and phrase.tokens[0] in index.guarded
                and _outside(texts, start, start + 1, phrase.intent, index, lex)
                > GUARDED_MAX_OUTSIDE
            ):
                # "stop ya makasih" and "stop, saya mau konsultasi" opt out, but not
                # "produksi stop total" or "Koperasi Stop Rentenir"
                strong = False
            quality = sum(word.quality for word in words[start:end]) / (end - start)
            found.append(_Candidate(phrase, start, end, quality, strong))
    keys = {
        tuple(texts),
        tuple(core),
        tuple(text for text in texts if text not in lex.filler),
    }
    quality = sum(word.quality for word in words) / count
    for key in keys:
        for phrase in index.exact.get(key, ()):
            found.append(_Candidate(phrase, 0, count, quality, False))
    return [
        candidate
        for candidate in found
        if not any(
            other.size > candidate.size
            and other.start <= candidate.start
            and candidate.end <= other.end
            and (other.strong or not candidate.strong)
            for other in found
        )
    ]


def _outside(
    texts: list[str], start: int, end: int, intent: str, index: PhraseIndex, lex: Lexicon
) -> int:
    """Meaningful words outside ``texts[start:end]``: not filler, particles, date/time
    words, numbers, yes/no/thanks/greeting words or words of the intent's own phrases."""
    own = index.intent_vocab.get(intent, frozenset())
    outside = 0
    for position, text in enumerate(texts):
        if start <= position < end or text in own or text.isdigit():
            continue
        if text in lex.filler or text in lex.particles or text in lex.calendar:
            continue
        if text in index.social_vocab:
            continue
        outside += 1
    return outside


def _score(candidate: _Candidate, texts: list[str], index: PhraseIndex, lex: Lexicon) -> float:
    if candidate.strong:
        return candidate.quality
    intent = candidate.phrase.intent
    outside = _outside(texts, candidate.start, candidate.end, intent, index, lex)
    table = index.penalty_single if candidate.size == 1 else index.penalty_multi
    penalty = table.get(intent, table.get("default", DEFAULT_PENALTY))
    return max(0.0, candidate.quality - penalty * outside)


def _lang(candidate: _Candidate, words: list[_Word]) -> str | None:
    """The language of a slang spelling in the phrase ("thx") wins over the phrase's own."""
    for word in words[candidate.start : candidate.end]:
        if word.lang is not None:
            return word.lang
    return candidate.phrase.lang


def _best(
    candidates: list[_Candidate], words: list[_Word], index: PhraseIndex, lex: Lexicon
) -> IntentMatch | None:
    texts = [word.text for word in words]
    scored = [(candidate, _score(candidate, texts, index, lex)) for candidate in candidates]
    scored = [(candidate, score) for candidate, score in scored if score >= SCORE_CUTOFF]
    if not scored:
        return None
    rank = len(index.order)
    candidate, score = max(
        scored,
        key=lambda item: (
            item[0].strong and item[0].phrase.intent in index.dominant,
            item[0].strong,
            item[0].phrase.intent not in index.social,
            item[1],
            # among social intents the order decides: "ok makasih" confirms (yes)
            0 if item[0].phrase.intent in index.social else item[0].size,
            -index.order.get(item[0].phrase.intent, rank),
        ),
    )
    return IntentMatch(candidate.phrase.intent, round(score, 1), _lang(candidate, words))


def _whole(texts: list[str], index: PhraseIndex) -> IntentMatch | None:
    """Fuzzy comparison of the whole short message with every phrase."""
    joined = " ".join(texts)
    hit = process.extractOne(joined, index.whole, scorer=fuzz.ratio, score_cutoff=WHOLE_CUTOFF)
    if hit is None:
        return None
    phrase = index.whole_phrases[hit[2]]
    return IntentMatch(phrase.intent, round(float(hit[1]), 1), phrase.lang)


@lru_cache(maxsize=1)
def _polite_words() -> frozenset[str]:
    return frozenset(data_words(load("words").get("polite")))


def command_of(text: str) -> IntentMatch | None:
    """The intent of a message that is nothing but a command phrase (politeness aside).

    Used where people answer in their own words: "menu" or "kembali dong" are commands, but
    "menu kurang laku" or "batal ekspor" are answers that happen to contain a command word.
    """
    match = classify(text)
    if match is None:
        return None
    try:
        tokens = tokenize(text.strip())
        words = [word.text for word in _correct([(token.text, token.lang) for token in tokens])]
    except Exception as exc:
        # the exception text may quote the message: log only its kind
        log.error("command_of failed: %s", type(exc).__name__)
        return None
    polite = _polite_words()
    core = tuple(part for word in words if word not in polite for part in stem(word))
    if not core:
        return match if match.name in ("yes", "no", "thanks", "greeting") else None
    index = phrase_index()
    phrases = [*index.exact.get(core, ()), *index.by_first.get(core[0], ())]
    if any(p.tokens == core and p.intent == match.name for p in phrases):
        return match
    return None
