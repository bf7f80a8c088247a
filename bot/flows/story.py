"""The person's problem in their own words: what a long message already told, and what a reply
to "is this your problem?" confirms, adds or corrects."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import cache

from bot.flows.vocab import words
from bot.intents import classify, normalize, parse_date, parse_time
from bot.intents.calendar import calendar

STORY_MIN_WORDS = 4
STORY_WORDS = 2 * STORY_MIN_WORDS  # a clause this long tells something
PROBLEM_MAX_CHARS = 1000
SCHEDULING_CLAUSE_WORDS = 8  # "bisa hari rabu jam 10 tatap muka?" asks for a time, not help
MODE_CLAUSE_WORDS = 4  # "bisa online lewat zoom hari selasa jam 2 siang?" arranges, too
# a letter's "Atas perhatian dan bantuannya saya ucapkan terima kasih banyak" is courtesy
COURTESY_CLAUSE_WORDS = 12
CLAUSE_END = re.compile(r"(?<=[.,;!?\n])\s+")
SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
NOT_A_STORY = frozenset({"reserve", "greeting", "thanks", "human", "menu", "cancel"})
SUBJECT_MIN_WORDS = 3  # "RAT yang belum terlaksana" after "mau konsultasi soal" tells enough
FOLLOWING_MIN_WORDS = 2  # "..., anggota mulai resah." goes on with the clause before it
# "Kami ingin konsultasi soal ...", "mau konsul cara urus ...", "I'd like advice on ...": the
# request before the subject of a consultation
REQUEST_LEAD = re.compile(
    r"^\W*(?:(?:saya|sy|kami|kmi|aku|aq|abdi|kulo|gue|gw|i|we)\s+)?"
    r"(?:(?:mau|mo|ingin|pengen|pingin|pgn|hendak|berniat|perlu|butuh|hoyong|palay|bade|badhe|"
    r"ajeng|kepengin|pengin|would like to|"
    r"would like|'d like to|'d like|want to|wanna|need|need to)\s+)?"
    r"(?:minta\s+)?(?:(?:daftar|booking|book|reservasi|ikut)\s+)?(?:konsultasi|konsultasikan|konsul|konsultasiin|bertanya|tanya|nanya|"
    r"tanya2|tanya-tanya|bimbingan|pendampingan|arahan|consultation|a consultation|consult|"
    r"advice|help|some advice|some help)\s+"
    r"(?:(?:soal|tentang|mengenai|terkait|perihal|seputar|masalah|urusan|ttg|perkawis|ngenani|"
    r"babagan|about|regarding|"
    r"on|with|for)\s+)?",
    re.IGNORECASE,
)


def _tells(clause: str, introduced: Iterable[str], today: dt.date) -> bool:
    if len(clause.split()) < STORY_MIN_WORDS:
        return False
    lowered = clause.lower()
    if any(known and known in lowered for known in introduced):
        return False  # "saya Pak Haji Mukhtar, ketua KSU Al Barokah"
    found = classify(clause)
    if found is not None and found.name in NOT_A_STORY:
        return False  # "saya mau daftar konsultasi", "terima kasih banyak"
    if _wishes_a_mode(clause):
        return False  # "kalau bisa datang langsung ke kantor."
    lead = normalize(clause).split()[:1]
    if lead and lead[0] in words("reason_leads") and _names_a_mode(clause):
        return False  # "karena saya sudah sepuh dan kurang paham Zoom": why that way of meeting
    if len(clause.split()) <= COURTESY_CLAUSE_WORDS and _courteous(clause):
        return False  # "Mohon maaf sebelumnya mengganggu waktunya."
    day = parse_date(clause, today, now_is_a_day=False)
    # "bisa hari rabu jam 10?" schedules; "kemarin dapet predikat ..." tells what happened
    schedules = parse_time(clause) is not None or (day is not None and day >= today)
    limit = SCHEDULING_CLAUSE_WORDS + (MODE_CLAUSE_WORDS if _names_a_mode(clause) else 0)
    return not (schedules and len(clause.split()) <= limit)


def _introduces(clause: str, introduced: Iterable[str]) -> bool:
    """ "nama saya Sari Wulandari", "tinggal di Kelapa Dua": who and where, not the problem."""
    lowered = clause.lower()
    return any(known and known in lowered for known in introduced)


def is_a_wish(sentence: str, today: dt.date) -> bool:
    """A short sentence that only arranges the meeting: a day or time asked for, or a way of
    meeting ("bs tatap muka hari senin pagi?", "online aja ya", "kalau bisa besok jam 10")."""
    if len(sentence.split()) > SCHEDULING_CLAUSE_WORDS + MODE_CLAUSE_WORDS:
        return False
    day = parse_date(sentence, today, now_is_a_day=False)
    schedules = parse_time(sentence) is not None or (day is not None and day >= today)
    text, said_mode = _without_modes(sentence)
    if not (schedules or said_mode):
        return False
    # nothing but the wish: the way of meeting, the day and time words, and fillers
    fillers = set(words("mode_wish_fillers")) | set(words("request_fillers")) | _time_words()
    return len([w for w in text.split() if w not in fillers and not w.isdigit()]) <= 1


@cache
def _time_words() -> frozenset[str]:
    """The words of days and times ("senin", "besok", "pagi", "jam", "depan", "tgl")."""
    cal = calendar()
    found: set[str] = {*cal.weekdays, *cal.months, *cal.minute_words}
    for phrase in (*cal.relative_days, *cal.parts_of_day, *cal.named_times):
        found.update(phrase)
    for kind in ("next", "this", "day", "week", "time", "day_of_month", "later"):
        found |= cal.word(kind)
    return frozenset(found)


def _letter_form(clause: str) -> bool:
    """A letter's formula or its addressee ("Kepada Yth.", "c.q. Pengelola Klinik Koperasi",
    "Dengan hormat,", "menyampaikan maksud untuk berkonsultasi"): no part of the problem."""
    text = f" {normalize(clause)} "
    if any(text.startswith(f" {normalize(p) or p} ") for p in words("letter_formulas")):
        return True
    return any(f" {normalize(p) or p} " in text for p in words("institution_words"))


def _courteous(clause: str) -> bool:
    text = f" {normalize(clause)} "
    return any(f" {normalize(p)} " in text for p in words("courtesy_clause"))


def _without_modes(clause: str) -> tuple[str, bool]:
    text = f" {normalize(clause)} "
    said = False
    for phrase in sorted([*words("mode_tatap_muka"), *words("mode_online")], key=len, reverse=True):
        padded = f" {normalize(phrase)} "
        if padded in text:
            text, said = text.replace(padded, " "), True
    return text, said


def _names_a_mode(clause: str) -> bool:
    return _without_modes(clause)[1]


def _wishes_a_mode(clause: str) -> bool:
    """A clause that only says how to meet: nothing is left without the words of the way of
    meeting and the fillers around them ("datang langsung ke kantor", "via zoom aja ya")."""
    text, said = _without_modes(clause)
    fillers = set(words("mode_wish_fillers"))
    return said and len([w for w in text.split() if w not in fillers]) <= 1


def _subject_of_request(clause: str, known: Iterable[str], today: dt.date) -> str | None:
    """ "Kami ingin konsultasi soal RAT yang belum terlaksana": the subject after the request,
    when it says more than a day and time."""
    lead = REQUEST_LEAD.match(clause)
    if lead is None:
        return None
    subject = clause[lead.end() :].strip()
    if len(subject.split()) < SUBJECT_MIN_WORDS or any(k and k in subject.lower() for k in known):
        return None
    fillers = set(words("request_fillers"))
    if all(word in fillers for word in normalize(subject).split()):
        return None  # "saya mau konsultasi aja deh biar jelas": no subject named
    if parse_time(subject) is not None or parse_date(subject, today, now_is_a_day=False):
        return None  # "mau konsul hari senin jam 10 ya": a wish for a time
    found = classify(subject)
    return None if found is not None and found.name in NOT_A_STORY else subject


def asks_for_a_consultation(text: str) -> bool:
    """ "Abdi hoyong konsultasi perkawis kemasan, ...": a request for a consultation, which no
    name of a person or a business begins with."""
    return any(REQUEST_LEAD.match(clause) for clause in CLAUSE_END.split(text.strip()))


def _goes_on(clause: str, today: dt.date) -> bool:
    """A short clause carrying on the one before ("anggota mulai resah.")."""
    if len(clause.split()) < FOLLOWING_MIN_WORDS or clause.rstrip().endswith("?"):
        return False
    if _courteous(clause) or _names_a_mode(clause):  # "karena saya kurang paham Zoom"
        return False
    if parse_time(clause) is not None or parse_date(clause, today, now_is_a_day=False):
        return False
    return classify(clause) is None


def story_in(
    text: str,
    introduced: Iterable[str],
    today: dt.date,
    *,
    questions: bool = True,
    min_words: int = STORY_WORDS,
) -> str | None:
    """What a long message tells of the problem: its clauses without the greeting, the
    introduction (`introduced`: the name, organisation, kecamatan), the request and the
    wished time (and, with `questions` off, its questions: "ga ada yg ttg kesehatan
    koperasi?" at the topic list asks about the list); None when little is left. The
    subject of a request ("mau konsultasi soal RAT yang belum terlaksana") is kept even
    when short."""
    known = [k.lower() for k in introduced if k]
    kept: list[str] = []
    subject_said = False
    previous_kept = False
    for clause in CLAUSE_END.split(text.strip()):
        if _letter_form(clause):  # "Yth. Bapak/Ibu Pengelola Klinik ...", "Dengan hormat,"
            previous_kept = False
            continue
        # "ga ada yg ttg kesehatan koperasi?" asks about the list; "ada pinjaman buat nambah
        # stok gak?" is the problem itself
        asks = clause.rstrip().endswith("?") and bool(ABOUT_THE_LIST.search(clause))
        if _tells(clause, known, today) and (questions or not asks):
            kept.append(clause)
            previous_kept = True
            continue
        subject = None if asks and not questions else _subject_of_request(clause, known, today)
        if subject is not None:
            kept.append(subject)
            subject_said = previous_kept = True
        elif previous_kept and _goes_on(clause, today) and not _introduces(clause, known):
            kept.append(clause)
        else:
            previous_kept = False
    story = without_lead_in(" ".join(" ".join(kept).split()).strip(" ,;"))
    enough = SUBJECT_MIN_WORDS if subject_said else min_words
    return story[:PROBLEM_MAX_CHARS] if len(story.split()) >= enough else None


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
    text = _without_label(text)
    sentences = [s for s in SENTENCE.findall(text.strip()) if s.strip()]
    while len(sentences) > 1 and _meta(sentences[0]):
        sentences.pop(0)
    # "eh tapi itu topiknya kok akses pasar ya": about the booking, not the problem
    about_topic = [s for s in sentences if TOPIC_WORD.search(s)]
    if about_topic and len(about_topic) < len(sentences):
        sentences = [s for s in sentences if s not in about_topic]
    # "... 80an sebulan. ya itu, kayaknya kalah sama toko lain": a remark opening a sentence
    rest = " ".join(_sentence_without_lead_in(s.strip()) for s in sentences)
    # "no, like I said - sales dropped ...": a leading remark in the same sentence
    rest = LEADING_REMARK.sub("", rest, count=1) if len(rest.split()) > STORY_WORDS else rest
    return without_lead_in(rest.strip(" -–,:;")) or text.strip()


LABELLED = re.compile(r"^\s*(?P<label>[^:\n]{1,60}):\s*(?P<value>\S.*)$", re.DOTALL)
LABEL_WORDS = 6


def _without_label(text: str) -> str:
    """ "masalahnya saya ganti ya: kami mau ...": the words after a label that names the
    problem or a change."""
    match = LABELLED.match(text)
    if match is None or len(match.group("label").split()) > LABEL_WORDS:
        return text
    label = set(normalize(match.group("label")).split())
    if label & {*words("field_problem"), *words("change_words")}:
        value = match.group("value").strip()
        return value[:1].upper() + value[1:] if text.lstrip()[:1].isupper() else value
    return text


def _sentence_without_lead_in(sentence: str) -> str:
    stripped = without_lead_in(sentence, SUBJECT_MIN_WORDS)
    end = sentence[-1:] if sentence[-1:] in ".!?" else ""
    return stripped + end if stripped and not stripped.endswith(end) else stripped


def without_lead_in(text: str, min_words: int = STORY_MIN_WORDS) -> str:
    """The problem without the words that announce it ("Masalahnya: ...", "jadi gini teh,
    ...", "ya itu tadi bu, ...", "kan td udh sy tulis min 😅 ..."), when enough is left."""
    rest = text
    for _ in range(3):  # "jadi gini, masalahnya ..." has more than one
        match = LEAD_IN.match(rest)
        if match is None or len(rest[match.end() :].split()) < min_words:
            break
        rest = rest[match.end() :]
    rest = rest.strip(" -–,:;.")
    return rest[:1].upper() + rest[1:] if rest and rest is not text and text[:1].isupper() else rest


ABOUT_THE_LIST = re.compile(
    r"\b(?:topik\w*|daftar\w*|pilihan\w*|list|options?|lainnya|yang lain|yg lain|"
    r"ga ada yg|gak ada yg|nggak ada yg|ada yg ttg|ada yang tentang|ada yg tentang)\b",
    re.IGNORECASE,
)
TOPIC_WORD = re.compile(r"\b(?:topik|topiknya|topic)\b", re.IGNORECASE)
LEAD_IN = re.compile(
    r"^\W*(?:(?:ya|iya|iye|yo|yes|jadi|nah|oke|ok|hmm|eh|nggih|muhun|lho|lha|loh)\b[\s,.!]*)*"
    r"(?:(?:kan\s+)?(?:(?:td|tadi|tdi)\s+(?:udh|udah|sudah|sdh)|(?:udh|udah|sudah|sdh)\s+(?:td|tadi))"
    r"(?:\s+(?:sy|saya|aku|gue|gw))?"
    r"(?:\s+(?:tulis|bilang|sebut|ceritain|ceritakan|jelasin|jelaskan)\w*)?|"
    r"(?:kan\s+)?(?:udh|udah|sudah|sdh)\s+(?:sy|saya|aku|gue|gw)\s+"
    r"(?:tulis|bilang|sebut|ceritain|ceritakan|jelasin|jelaskan)\w*(?:\s+(?:td|tadi))?|"
    r"(?:ya\s+)?itu\s+(?:td|tadi|tdi)|yang\s+tadi|yg\s+tadi|sama\s+kayak\s+tadi|"
    r"sm\s+kyk\s+(?:td|tadi|kmrn|kemarin)|kayak\s+(?:tadi|kemarin)|"
    r"seperti\s+yang\s+saya\s+(?:sampaikan|tulis|sebutkan)(?:\s+tadi)?|"
    r"masalah(?:nya|\s+saya|\s+kami|\s+sy)(?:\s+(?:adalah|yaitu|itu))?|masalah(?=\s*:)|"
    r"(?:jadi\s+)?(?:gini|begini|gene)|intinya|pokoknya|hm+|um+|em+|idk|well|"
    r"the\s+problem\s+is|my\s+problem\s+is|"
    r"so\s+basically|basically|margi|amargi|karena|karna|krn|soalnya|sebab|because|"
    r"(?:bukan|bkn|sanes|lain)\s+itu|ya\s+itu|iya\s+itu|kali\s+ini(?:\s+soal)?|"
    r"(?:(?:betul|benar|bener|leres|wis)[\s,]+)?(?:itu|iku|eta|niku)\s+masalah(?:nya|e|na)"
    r"(?=\s*[,.!]|\s*$)|"
    r"(?:sy|saya|aku|gue|gw)\s+(?:bilang|tulis|sebut)(?:\s+(?:td|tadi))?|"
    r"adapun\s+(?:pokok\s+)?(?:per)?masalah(?:an)?(?:nya)?(?:\s+yang\s+kami\s+hadapi)?"
    r"\s+(?:adalah|yaitu|ialah)|(?:nggih\s+)?niku\s+wau|not\s+quite|i\s+just\s+told\s+you|"
    r"(?:kan\s+|lha\s+kan\s+)?(?:tos|wis|wes|sampun|udah|udh|sudah)\s+(?:disebut\w*|"
    r"dicarioskeun|diomongke|kulo\s+sanjangi|kula\s+sanjangi|tak\s+omongke)"
    r"(?:\s+(?:tadi|td|wau|mau))?|"  # "tos disebut tadi kang,", "wis kulo sanjangi"
    r"(?:ya\s*udah\s+|yaudah\s+)?topik\w*\s+[^,.\n]{1,40}(?=[,.])|"
    r"(?:ya\s*udah|yaudah)(?:\s+(?:deh|lah|gitu))?)\b"
    r"(?:\s+(?:teh|kak|ka|min|bu|pak|bang|mas|mbak|mba|sis|gan|bro|ya|yah|nih|sih|dong|nak|dik|adik|nduk|kang|akang|ceu|neng)\b"
    r"(?:\s*/\s*(?:bu|pak|ibu|bapak|mbak|mas))?)*"  # "Jadi begini Bu/Pak."
    r"[\s,.:;!–-]*(?:[\U0001F300-\U0001FAFF\u2600-\u27BF]\s*)*",
    re.IGNORECASE,
)
LEADING_REMARK = re.compile(
    r"^\s*(?:no|nope|bukan|bkn|nggak|tidak|ya|iya|yes|betul|benar)?[\s,.!]*"
    r"(?:like i said|as i said|kan tadi udah|kan tadi sudah|seperti yang saya bilang|"
    r"seperti tadi|like i told you)[\s,.:;!–-]*",
    re.IGNORECASE,
)
