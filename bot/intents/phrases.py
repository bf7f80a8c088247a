"""The intent phrase index, built once from ``data/intents.toml``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from typing import Any

from ._data import load, words
from .lexicon import lexicon
from .normalize import tokenize
from .stemming import stem

LANGS = ("id", "en", "any")
KINDS = ("phrases", "exact", "strong")


@dataclass(frozen=True)
class Phrase:
    """One normalised phrase of an intent."""

    tokens: tuple[str, ...]
    intent: str
    lang: str | None  # "id", "en" or None for language-neutral words
    kind: str  # "phrases", "exact" or "strong"


@dataclass(frozen=True)
class PhraseIndex:
    """Lookup tables for the matcher."""

    by_first: dict[str, tuple[Phrase, ...]]  # first token -> "phrases" and "strong" phrases
    exact: dict[tuple[str, ...], tuple[Phrase, ...]]
    whole: tuple[str, ...]  # every phrase as one string, for whole-message fuzzy matching
    whole_phrases: tuple[Phrase, ...]
    emoji: dict[str, str]
    order: dict[str, int]
    social: frozenset[str]
    dominant: frozenset[str]
    guarded: frozenset[str]  # one-word strong phrases that also occur in ordinary sentences
    leading: frozenset[tuple[str, ...]]  # phrases that count only as a message's first word
    penalty_single: dict[str, float]  # per intent, with "default"
    penalty_multi: dict[str, float]
    intent_vocab: dict[str, frozenset[str]]
    social_vocab: frozenset[str]
    targets: tuple[str, ...]  # words a typo may be corrected to (phrase words, long slang)


def _phrases(intent: str, table: Any) -> list[Phrase]:
    found: list[Phrase] = []
    if not isinstance(table, dict):
        return found
    for lang in LANGS:
        section = table.get(lang)
        if not isinstance(section, dict):
            continue
        for kind in KINDS:
            for text in words(section.get(kind)):
                tokens = tuple(part for token in tokenize(text) for part in stem(token.text))
                if tokens:
                    found.append(Phrase(tokens, intent, None if lang == "any" else lang, kind))
    return found


def _penalties(table: Any) -> dict[str, float]:
    if not isinstance(table, dict):
        return {}
    return {str(key): float(value) for key, value in table.items()}


@cache
def phrase_index() -> PhraseIndex:
    """The phrase index (built on first use, then cached for the process)."""
    data = load("intents")
    settings = data.get("settings", {})
    order = {name: rank for rank, name in enumerate(words(settings.get("order")))}
    social = frozenset(words(settings.get("social")))
    dominant = frozenset(words(settings.get("dominant")))
    leading = frozenset(
        tuple(token.text for token in tokenize(text)) for text in words(settings.get("leading"))
    )
    guarded = frozenset(
        token.text for text in words(settings.get("guarded")) for token in tokenize(text)
    )
    by_first: dict[str, list[Phrase]] = defaultdict(list)
    exact: dict[tuple[str, ...], list[Phrase]] = defaultdict(list)
    vocab: dict[str, set[str]] = defaultdict(set)
    whole: dict[str, Phrase] = {}
    for intent, table in data.items():
        if intent in ("settings", "emoji"):
            continue
        order.setdefault(intent, len(order))
        for phrase in _phrases(intent, table):
            vocab[intent].update(phrase.tokens)
            whole.setdefault(" ".join(phrase.tokens), phrase)
            if phrase.kind == "exact":
                exact[phrase.tokens].append(phrase)
            else:
                by_first[phrase.tokens[0]].append(phrase)
    emoji = {
        str(key).replace("\ufe0f", ""): str(value) for key, value in data.get("emoji", {}).items()
    }
    social_vocab = frozenset(word for name in social for word in vocab.get(name, ()))
    targets = sorted(
        {word for words_ in vocab.values() for word in words_ if len(word) >= 3}
        | {word for word in lexicon().slang if len(word) >= 5 and word.isalpha()}
    )
    return PhraseIndex(
        by_first={key: tuple(value) for key, value in by_first.items()},
        exact={key: tuple(value) for key, value in exact.items()},
        whole=tuple(whole),
        whole_phrases=tuple(whole.values()),
        emoji=emoji,
        order=order,
        social=social,
        dominant=dominant,
        guarded=guarded,
        leading=leading,
        penalty_single=_penalties(settings.get("penalty_single")),
        penalty_multi=_penalties(settings.get("penalty_multi")),
        intent_vocab={key: frozenset(value) for key, value in vocab.items()},
        social_vocab=social_vocab,
        targets=tuple(targets),
    )
