"""The person's problem in their own words: what a long message already told, and what a reply
to "is this your problem?" confirms, adds or corrects."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from bot.flows.vocab import words
from bot.intents import classify, normalize, parse_date, parse_time

STORY_MIN_WORDS = 4
STORY_WORDS = 2 * STORY_MIN_WORDS  # a clause this long tells something
PROBLEM_MAX_CHARS = 1000
SCHEDULING_CLAUSE_WORDS = 8  # "bisa hari rabu jam 10 tatap muka?" asks for a time, not help
CLAUSE_END = re.compile(r"(?<=[.,;!?\n])\s+")
SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
NOT_A_STORY = frozenset({"reserve", "greeting", "thanks", "human", "menu", "cancel"})


def _tells(clause: str, introduced: Iterable[str], today: dt.date) -> bool:
    if len(clause.split()) < STORY_MIN_WORDS:
        return False
    lowered = clause.lower()
    if any(known and known in lowered for known in introduced):
        return False  # "saya Pak Haji Mukhtar, ketua KSU Al Barokah"
    found = classify(clause)
    if found is not None and found.name in NOT_A_STORY:
        return False  # "saya mau daftar konsultasi", "terima kasih banyak"
    day = parse_date(clause, today, now_is_a_day=False)
    # "bisa hari rabu jam 10?" schedules; "kemarin dapet predikat ..." tells what happened
    schedules = parse_time(clause) is not None or (day is not None and day >= today)
    return not (schedules and len(clause.split()) <= SCHEDULING_CLAUSE_WORDS)


def story_in(
    text: str, introduced: Iterable[str], today: dt.date, *, questions: bool = True
) -> str | None:
    """What a long message tells of the problem: its clauses without the greeting, the
    introduction (`introduced`: the name, organisation, kecamatan), the request and the
    wished time (and, with `questions` off, its questions: "ga ada yg ttg kesehatan
    koperasi?" at the topic list asks about the list); None when little is left."""
    known = [k.lower() for k in introduced if k]
    kept = [
        c
        for c in CLAUSE_END.split(text.strip())
        if _tells(c, known, today) and (questions or not c.rstrip().endswith("?"))
    ]
    story = " ".join(" ".join(kept).split()).strip(" ,;")
    return story[:PROBLEM_MAX_CHARS] if len(story.split()) >= STORY_WORDS else None


def _meta(sentence: str) -> bool:
    """ "iya betul.", "bukan itu.", "lho kan sudah saya ceritakan di atas pak.": a remark
    about the question, not part of the problem."""
    normal = f" {normalize(sentence)} "
    lead = normal.split()[:1]
    if lead and lead[0] in words("story_meta_leading"):
        return len(sentence.split()) <= STORY_WORDS
    return (
        any(f" {normalize(p)} " in normal for p in words("already_said"))
        and len(sentence.split()) <= STORY_WORDS + 2
    )


def without_remarks(text: str) -> str:
    """The problem without leading remarks ("nggih leres niku.", "no, like I said -",
    "masalahnya juga salah itu.")."""
    sentences = [s for s in SENTENCE.findall(text.strip()) if s.strip()]
    while len(sentences) > 1 and _meta(sentences[0]):
        sentences.pop(0)
    rest = " ".join(s.strip() for s in sentences)
    # "no, like I said - sales dropped ...": a leading remark in the same sentence
    rest = LEADING_REMARK.sub("", rest, count=1) if len(rest.split()) > STORY_WORDS else rest
    return rest.strip(" -–,:;") or text.strip()


LEADING_REMARK = re.compile(
    r"^\s*(?:no|nope|bukan|bkn|nggak|tidak|ya|iya|yes|betul|benar)?[\s,.!]*"
    r"(?:like i said|as i said|kan tadi udah|kan tadi sudah|seperti yang saya bilang|"
    r"seperti tadi|like i told you)[\s,.:;!–-]*",
    re.IGNORECASE,
)
