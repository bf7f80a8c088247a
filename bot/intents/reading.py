"""How a whole message is read once per turn, before any step sees it.

The engine's handlers and the flows share one ``Reading`` of the message: its global intent,
whether it is nothing but a command, whether it asks to switch language, whether it means an
opt-out. Each part is computed on first use and kept for the turn.
"""

from __future__ import annotations

import re
from functools import cache, cached_property

from ._data import load
from ._data import words as data_words
from .courtesy import greeting_reply_of
from .language import detect_language_choice
from .lexicon import lexicon
from .matcher import IntentMatch, classify, command_of
from .normalize import normalize

LANGUAGE_SWITCH_MAX_WORDS = 6
SENTENCES = re.compile(r"[^.?!\n]+")
LANGUAGE_NAME = re.compile(r"\b(english|inggris|indonesia|indo|bahasa|language)\b", re.I)
LEADING_DENIAL = re.compile(
    r"^\s*(?:bukan|bkn|not|no|tidak|tdk|gak|ga|nggak|enggak)\b[^,.;!?]*[,.;!?]+\s*(?P<rest>.+)$",
    re.IGNORECASE | re.DOTALL,
)
HUMAN_REQUEST_MAX_WORDS = 8
QUESTION_TAG = re.compile(
    r"\b(?:ga|gak|nggak|ngga|enggak|engga|kagak|tidak|ndak)\b(?:\s+(?:sih|ya|kah|kak|min))*"
    r"\s*\??\s*$",
    re.IGNORECASE,
)
# a longer sentence that asks to use a language: "eh sorry aku lanjut pake bahasa indo aja ya
# biar gampang", "bisa pake bahasa indonesia aja ga balesnya?"; one that only names a language
# ("label kemasan kami pakai bahasa inggris semua") asks nothing
_LANGUAGE = r"(?:bahasa\s+)?(?:english|inggris|indonesia|indo)\b"
LANGUAGE_USE = re.compile(
    r"\b(?:lanjut|balas|bales|jawab|chat|reply|respond|continue|switch)\b"
    rf"[^,.;!?]{{0,30}}?\b{_LANGUAGE}|\b(?:pake|pakai|pakek|gunakan)\s+{_LANGUAGE}"
    r"\s+(?:aja|saja|ajah)\b",
    re.IGNORECASE,
)


def _use_of_a_language(clause: str) -> str:
    """The words of a clause that ask to use a language, or nothing."""
    found = LANGUAGE_USE.search(clause)
    return found.group(0) if found else ""


@cache
def _turn_words(name: str) -> frozenset[str]:
    return frozenset(data_words(load("turn").get(name)))


def negations() -> frozenset[str]:
    """The negation words (of normalised text): the one list, in data/words.toml."""
    return lexicon().negation


def means_stop(text: str) -> bool:
    """True when a message classified as ``stop`` is an opt-out, not a story that mentions
    stopping ("stop ya makasih" is; "stop produksi karena modal habis" is not)."""
    normal = normalize(text)
    if any(phrase in normal for phrase in _turn_words("stop_explicit")):
        return True
    filler = _turn_words("stop_filler")
    return all(word in filler for word in normal.split())


def first_language(text: str) -> str:
    """The language of a new contact's first message: "id" unless it is clearly English."""
    choice = detect_language_choice(text) if text.strip() else None
    if choice in ("id", "en"):
        return choice
    words = [word.strip(",.!?") for word in text.lower().split()]
    if any(word in _turn_words("indonesian_markers") for word in words):
        return "id"  # "mau book konsul besok" is Indonesian with an English word in it
    match = classify(text) if text.strip() else None
    if match is not None and match.lang in ("id", "en"):
        return match.lang
    english = sum(1 for word in words if word in _turn_words("english_markers"))
    return "en" if english >= 2 else "id"


THANKS_MAX_WORDS = 12  # longer, thanks close a message that says something else
GREETING_TO_STAFF_MIN_WORDS = 4  # "halo petugas" may call for one; a longer greeting does not


class Reading:
    """One message, read once: every part is computed on first use."""

    def __init__(self, text: str) -> None:
        self.text = text.strip()

    @cached_property
    def intent(self) -> IntentMatch | None:
        """The context-free global intent (``classify``); after a denial that opens the
        message, the intent of what follows ("bukan mau daftar baru, saya mau geser jadwal")."""
        if not self.text:
            return None
        if normalize(self.text).strip(" ?!.") in _turn_words("attention_words"):
            # a bare "min" calls for attention like "P": it is answered, not handed over
            return IntentMatch("greeting", 100.0, "id")
        found = classify(self.text)
        if found is None:
            denied = LEADING_DENIAL.match(self.text)
            if denied is not None and denied.group("rest").strip():
                found = classify(denied.group("rest"))
        if found is not None and found.name == "human" and self._greets_the_staff():
            # "Selamat pagi Bapak/Ibu petugas Klinik Koperasi.": a greeting, not a request
            found = IntentMatch("greeting", 90.0, found.lang)
        if found is None and self._thanks_without_request():
            # "terima kasih pak, semoga uang saya bisa balik", "jazakallah khair"
            found = IntentMatch("thanks", 90.0, None)
        return found

    def _greets_the_staff(self) -> bool:
        """A greeting addressed to the staff, asking for nothing ("halo petugas", "selamat
        pagi Bapak/Ibu petugas Klinik Koperasi, mau tanya")."""
        if greeting_reply_of(" ".join(self.text.split()[:3])) is None:
            return False
        words = normalize(self.text).split()
        asks = _turn_words("human_request") | _turn_words("request_particles")
        return len(words) >= GREETING_TO_STAFF_MIN_WORDS and not any(w in asks for w in words)

    def _thanks_without_request(self) -> bool:
        """Thanks said among other words that ask for nothing (no question)."""
        if "?" in self.text or len(self.text.split()) > THANKS_MAX_WORDS:
            return False
        normal = f" {normalize(self.text)} "
        if any(f" {normalize(w)} " in normal for w in _turn_words("request_words")):
            return False  # "makasih, sy mau daftar" asks for something
        return any(f" {normalize(w)} " in normal for w in _turn_words("thanks_anywhere"))

    @property
    def intent_name(self) -> str | None:
        """The intent's name, or None."""
        return self.intent.name if self.intent else None

    @cached_property
    def command(self) -> IntentMatch | None:
        """The intent when the message is nothing but a command ("menu", "kembali dong")."""
        return command_of(self.text) if self.text else None

    @cached_property
    def language_switch(self) -> str | None:
        """ "id"/"en" when a short message asks to switch language ("english please")."""
        if not self.text:
            return None
        # "sorry can u speak english? my indonesian is v basic": one short clause asks
        clauses = [c for c in SENTENCES.findall(self.text) if LANGUAGE_NAME.search(c)]
        for clause in [self.text, *clauses]:  # "glowbynad.id kak" names no language
            if len(clause.split()) > LANGUAGE_SWITCH_MAX_WORDS:
                continue
            # "bisa bahasa indonesia aja ga sih?": the "ga" asks, it denies nothing
            choice = detect_language_choice(QUESTION_TAG.sub("", clause).strip())
            if choice in ("id", "en"):
                return choice
        for clause in clauses:  # "eh sorry aku lanjut pake bahasa indo aja ya biar gampang"
            choice = detect_language_choice(_use_of_a_language(clause))
            if choice in ("id", "en"):
                return choice
        return None

    @cached_property
    def is_stop(self) -> bool:
        """An opt-out meant as one."""
        return self.intent_name == "stop" and means_stop(self.text)

    @cached_property
    def stops_announcements(self) -> bool:
        """ "stop info": no more announcements (service messages still come)."""
        normal = normalize(self.text)
        return len(normal.split()) <= 6 and any(
            phrase in normal for phrase in _turn_words("stop_announcements")
        )

    def interrupts_free_text(self) -> bool:
        """In a step that takes the person's own words, only a message that is nothing but a
        command interrupts ("menu", "kembali dong"; not "menu kurang laku"), or a short request
        for a person ("bisa dihubungkan ke petugas?")."""
        if self.intent_name == "human" and len(self.text.split()) <= HUMAN_REQUEST_MAX_WORDS:
            asks = _turn_words("human_request")
            if any(word in asks for word in normalize(self.text).split()):
                return True
        return self.command is not None and self.command.name == self.intent_name
