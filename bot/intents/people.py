"""Reading who a person is from what they write: their name and form of address, whether they
represent a cooperative (conventional or syariah), a small business or themselves, and their
organisation's name. Pure functions on text; the words are data (data/people/words.toml).

    read_name("kulo Bu Sri Wahyuni")           -> NameReading(name="Sri Wahyuni", salutation="ibu")
    read_name("istri sy pinter masak seblak")  -> NameReading(name=None, problem="sentence")
    name_in("Assalamualaikum, saya Haji Sutrisno ketua KSP Maju Jaya ...")  -> "Sutrisno", "haji"
    read_category("koperasi biasa nak, bukan syariah")  -> "koperasi_konvensional"
    organisation_in("... ketua KSP Maju Jaya dari Kecamatan Cikupa")  -> "KSP Maju Jaya"
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from .lexicon import lexicon
from .normalize import normalize

SALUTATIONS = ("bapak", "ibu", "haji", "hajjah")
CATEGORIES = ("koperasi_konvensional", "koperasi_syariah", "umkm", "warga")
MAX_NAME_WORDS = 5
NEGATION_REACH = 3  # a negation counts this many words before the word it turns round
_TOKEN = re.compile(r"[^\s,;:!?()\"/]+|[,;:!?]")
_SEPARATORS = {",", ";", ":", "!", "?"}
_INITIAL = re.compile(r"^[A-Za-z]\.$")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.\-]*(?:['’\-][^\W\d_]+)*\.?$", re.UNICODE)


@cache
def _words() -> dict[str, list[str]]:
    source = resources.files(__package__ or "bot.intents").joinpath("data", "people", "words.toml")
    with source.open("rb") as handle:
        data = tomllib.load(handle)
    return {name: [str(v).lower() for v in values] for name, values in data.items()}


@cache
def word_set(name: str) -> frozenset[str]:
    """The lower-case phrases of a list in words.toml."""
    return frozenset(_words()[name])


@cache
def phrases(name: str) -> tuple[tuple[str, ...], ...]:
    """A list's phrases as word tuples, longest first."""
    return tuple(sorted((tuple(p.split()) for p in _words()[name]), key=len, reverse=True))


@dataclass(frozen=True)
class NameReading:
    """An answer to "what is your name?": the name and form of address, or why it is none.

    ``problem`` is one of "empty", "chatter" (ok, ya, halo), "title_only" ("Pak"),
    "digits", "question", "complaint", "nonsense", "sentence". ``rest`` is what followed the name
    ("dari KSP Sejahtera, Cikupa"); ``annoyed`` is true when the message complains.
    """

    name: str | None = None
    salutation: str | None = None
    problem: str | None = None
    rest: str = ""
    annoyed: bool = False


def _tokens(text: str) -> list[str]:
    # a line break ends a clause, as a comma does ("Nama : Budi\nJabatan : Ketua")
    return _TOKEN.findall(re.sub(r"\s*\n\s*", " , ", text.replace("’", "'")))


def _low(token: str) -> str:
    return token.lower().strip(".'")


def _match_at(tokens: list[str], at: int, table: str) -> int:
    """How many tokens from `at` make one of the table's phrases (0 when none)."""
    for phrase in phrases(table):
        size = len(phrase)
        window = tokens[at : at + size]
        if len(window) == size and all(
            t.lower() == p or _low(t) == p.strip(".'") for t, p in zip(window, phrase, strict=True)
        ):
            return size
    return 0


def _title_at(tokens: list[str], at: int) -> tuple[int, str | None, bool]:
    """(tokens taken, gender "bapak"/"ibu"/None, haji) for a title at `at`."""
    for table, gender, haji in (
        ("titles_hajjah", "ibu", True),
        ("titles_haji", None, True),
        ("titles_bapak", "bapak", False),
        ("titles_ibu", "ibu", False),
        ("titles_neutral", None, False),
    ):
        size = _match_at(tokens, at, table)
        if size:
            return size, gender, haji
    return 0, None, False


def _salutation(gender: str | None, haji: bool) -> str | None:
    if haji:
        return "hajjah" if gender == "ibu" else "haji"
    return gender


def _not_a_name_word(token: str) -> bool:
    low = _low(token)
    return (
        low in word_set("not_name_words")
        or low in word_set("organisation_kinds_koperasi")
        or low in word_set("organisation_kinds_usaha")
        or low in word_set("organisation_stops")
        or low in _category_words()
    )


def _is_name_word(token: str) -> bool:
    if _INITIAL.match(token):
        return True
    return bool(_NAME_WORD.match(token)) and len(_low(token)) >= 2 and not _not_a_name_word(token)


@cache
def _category_words() -> frozenset[str]:
    found: set[str] = set()
    for table in ("category_koperasi_syariah", "category_umkm", "category_warga"):
        found |= {p for p in word_set(table) if " " not in p}
    return frozenset(found)


@dataclass
class _Clause:
    gender: str | None = None
    haji: bool = False
    titled: bool = False
    lead_in: bool = False
    lead: tuple[str, ...] = ()  # the lead-in's words ("nama", "saya")
    name: tuple[str, ...] = ()
    rest: tuple[str, ...] = ()
    stray: bool = False  # a word that is no name came before any name word


def _read_clause(tokens: list[str]) -> _Clause:
    """Lead-ins, titles and the name words of one clause (between commas)."""
    clause = _Clause()
    at = 0
    while at < len(tokens):
        size = _match_at(tokens, at, "courtesies")
        if size and not clause.name:
            at += size
            continue
        size = _match_at(tokens, at, "lead_ins")
        if size and not clause.name:
            clause.lead_in = True
            clause.lead = (*clause.lead, *(_low(t) for t in tokens[at : at + size]))
            at += size
            continue
        taken, gender, haji = _title_at(tokens, at)
        if taken and not clause.name and _title_stands_alone(tokens, at, taken):
            clause.titled = True
            clause.gender = gender or clause.gender
            clause.haji = clause.haji or haji
            at += taken
            continue
        break
    name: list[str] = []
    while at < len(tokens) and _is_name_word(tokens[at]):
        name.append(tokens[at])
        at += 1
    while at < len(tokens) and _low(tokens[at]) in word_set("post_nominals") and name:
        name.append(tokens[at])
        at += 1
    if not name and at < len(tokens):
        clause.stray = True
    clause.name = tuple(name)
    clause.rest = tuple(tokens[at:])
    return clause


def _title_stands_alone(tokens: list[str], at: int, taken: int) -> bool:
    """A one-letter title ("H.") only before a name: "A" or "H" alone is not one."""
    token = tokens[at]
    if len(_low(token)) > 1 or token.endswith("."):
        return True
    return at + taken < len(tokens) and _is_name_word(tokens[at + taken])


def _clauses(tokens: list[str]) -> list[list[str]]:
    found: list[list[str]] = [[]]
    for token in tokens:
        if token in _SEPARATORS:
            found.append([])
        elif token.endswith(".") and len(_low(token)) > 3 and not _is_post_nominal(token):
            found[-1].append(token.rstrip("."))
            found.append([])
        else:
            found[-1].append(token)
    return [c for c in found if c]


def _is_post_nominal(token: str) -> bool:
    return _low(token) in word_set("post_nominals")


_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")


def _pronounceable(word: str) -> bool:
    """False for keyboard mashing ("asdfgh", "jkl"): a name has vowels and no long
    consonant runs."""
    low = _low(word)
    if len(low) <= 2 or _is_post_nominal(word) or _INITIAL.match(word):
        return True
    if low in word_set("acronyms") or low in word_set("organisation_kinds_koperasi"):
        return True
    return bool(re.search(r"[aeiouy]", low)) and not _CONSONANT_RUN.search(low)


def tidy_name(words: tuple[str, ...] | list[str]) -> str:
    """ "Sri Wahyuni" from "sri wahyuni" or "SRI WAHYUNI"; a name written with care is kept."""
    text = " ".join(words).strip(" ,")
    last = text.split()[-1] if text.split() else ""
    if last.endswith(".") and len(last) > 2 and _low(last) not in word_set("post_nominals"):
        text = text[:-1]  # "My name is Mei Ling Tan." ends a sentence, not an initial
    if text.islower() or text.isupper():
        return " ".join(_capitalise(w) for w in text.split())
    return text


def _capitalise(word: str) -> str:
    if _low(word) in word_set("post_nominals"):
        return word.upper() if word.isupper() else word
    parts = re.split(r"(['\-])", word.lower())
    return "".join(p[:1].upper() + p[1:] if p not in ("'", "-") else p for p in parts)


def _problem(text: str, tokens: list[str]) -> str:
    lows = [_low(t) for t in tokens if t not in _SEPARATORS]
    if not any(ch.isalpha() for ch in text):
        return "digits" if any(ch.isdigit() for ch in text) else "empty"
    joined = " ".join(lows)
    if text.rstrip().endswith("?") or any(
        f" {q} " in f" {joined} " for q in word_set("question_words")
    ):
        return "question"
    if any(w in word_set("complaint_words") for w in lows) and not _only_chatter(tokens):
        return "complaint"
    if _only_chatter(tokens):
        return "chatter"
    if all(
        _title_at([t], 0)[0] or _match_at([t], 0, "lead_ins")
        for t in tokens
        if t not in _SEPARATORS
    ):
        return "title_only"
    if any(ch.isdigit() for ch in text) and len(lows) <= 2:
        return "digits"
    words = [
        t
        for t in tokens
        if t not in _SEPARATORS
        and not any(ch.isdigit() for ch in t)  # "12%" is a figure
        and not (t.isupper() and len(t) > 1)  # "NPF", "RAT" are acronyms
        and (normalize(_low(t)) or _low(t)) == _low(t)  # "trs" is chat for "terus"
    ]
    if not all(_pronounceable(t) for t in words):
        return "nonsense"
    return "sentence"


def _only_chatter(tokens: list[str]) -> bool:
    at = 0
    words = [t for t in tokens if t not in _SEPARATORS]
    while at < len(words):
        size = _match_at(words, at, "courtesies") or _title_at(words, at)[0]
        if not size:
            return False
        at += size
    return bool(words)


_ASIDE = re.compile(r"\([^)]*\)")


@cache
def _given_name_words() -> frozenset[str]:
    """Every given name the lists know ("siti", "budi")."""
    names = _given_names()
    return frozenset(names.get("ibu", [])) | frozenset(names.get("bapak", []))


@cache
def _given_names() -> dict[str, list[str]]:
    source = resources.files(__package__ or "bot.intents").joinpath(
        "data", "people", "given_names.toml"
    )
    with source.open("rb") as handle:
        data = tomllib.load(handle)
    return {name: [str(v).lower() for v in values] for name, values in data.items()}


@lru_cache(maxsize=4096)
def profile_reading(profile_name: str | None) -> dict[str, str | None]:
    """The WhatsApp profile name as a name to address someone by before they registered:
    titles taken as the form of address ("H. Dadang" is Pak Haji Dadang), emoji dropped;
    a handle ("dimas.ar", "rina_99") or words that are no name give no name."""
    text = "".join(ch for ch in (profile_name or "") if ch.isalpha() or ch in " .,'-")
    if not text.strip() or any(ch.isdigit() or ch == "_" for ch in profile_name or ""):
        return {"name": None, "salutation": None}
    if any("." in word.strip(".") for word in text.split()):  # "dimas.ar"
        return {"name": None, "salutation": None}
    reading = read_name(text)
    if reading.name is None or reading.rest or _names_a_business(reading.name):
        return {"name": None, "salutation": None}  # "Barokah Cell", "Kiki Frozen Food"
    return {"name": reading.name, "salutation": reading.salutation or gender_of_name(reading.name)}


def _names_a_business(name: str) -> bool:
    """A profile name that is a shop's ("Barokah Cell", "Kiki Frozen Food", "Toko Berkah")."""
    words = [_low(w) for w in name.split()]
    trade = word_set("category_umkm") | word_set("business_profile_words")
    return any(w in trade or _is_business_word(w) for w in words) or bool(organisation_in(name))


def profile_title(profile_name: str | None, name: str | None) -> str | None:
    """The form of address the WhatsApp profile name states ("Pak Harun" is bapak, "Hj.
    Nining" hajjah) when it is the same person's name as the one given; else None."""
    reading = profile_reading(profile_name)
    if not (reading["name"] and name):
        return None
    stated = read_name("".join(ch for ch in profile_name or "" if ch.isalpha() or ch in " .,'-"))
    given = {_low(word) for word in _tokens(name)}
    if stated.salutation and _low(_tokens(reading["name"])[0]) in given:
        return stated.salutation
    return None


def gender_of_name(name: str | None) -> str | None:
    """ "ibu" or "bapak" when a name is clearly a woman's or a man's ("Siti Aminah", "Asep
    Saepudin", "Yanti Kusumawati"), else None. Known given names first, then the endings of
    Javanese and Sundanese names; a title in the name ("Bu Enok") decides before either."""
    words = [_low(w).strip(".,") for w in _tokens(name or "")]
    for at in range(len(words)):
        taken, gender, _haji = _title_at(words, at)
        if taken and gender:
            return gender
    names = _given_names()
    for word in words:
        if word in names["ibu"]:
            return "ibu"
        if word in names["bapak"]:
            return "bapak"
    for word in words:
        if len(word) < 4:
            continue
        if any(word.endswith(end) for end in names["ibu_endings"]):
            return "ibu"
        if any(word.endswith(end) for end in names["bapak_endings"]):
            return "bapak"
    return None


def salutation_hint(text: str) -> str | None:
    """ "bapak"/"ibu" when the person says how to address them: "panggil pak Slamet",
    "saya ibu2 ya, bukan bapak", "sy cowo", "sanes Bapak, abdi ibu"."""
    words = [_low(t) for t in _tokens(text) if t not in _SEPARATORS]
    for at, word in enumerate(words):
        following = words[at + 1 : at + 2]
        if word == "panggil" and following:
            gender = _title_at(following, 0)[1]
            if gender:
                return gender
        if word in word_set("self_words") and following:
            if following[0] in word_set("woman_words"):
                return "ibu"
            if following[0] in word_set("man_words"):
                return "bapak"
        if word in word_set("negations") and following:
            if following[0] in ("bapak", "pak", "bpk"):
                return "ibu"
            if following[0] in ("ibu", "bu"):
                return "bapak"
    return None


def _without_trailing_titles(words: tuple[str, ...]) -> tuple[tuple[str, ...], str | None]:
    """ "Slamet Riyadi pak" -> ("Slamet", "Riyadi"), "bapak": an address after the name."""
    gender = None
    while len(words) > 1 and _title_at([words[-1]], 0)[0] and not _INITIAL.match(words[-1]):
        gender = _title_at([words[-1]], 0)[1] or gender
        words = words[:-1]
    return words, gender


def read_name(text: str) -> NameReading:
    """The answer to "what is your name?": "nama saya Budi", "kulo Bu Sri Wahyuni", "Haji
    Sutrisno", "I'm John"; a sentence, complaint or question is not a name and says why."""
    reading = _read_name(_ASIDE.sub(" ", text))  # "Thomas Hadiwijaya (Tom is fine)"
    if reading.name and reading.salutation is None:
        hint = salutation_hint(text) or _title_before(text, reading.name.split()[0])
        if hint:
            reading = dataclasses.replace(reading, salutation=hint)
    return reading


def _title_before(text: str, first_name: str) -> str | None:
    """ "Sarno, Pak Sarno mawon": the title put before the name elsewhere in the message."""
    words = [t for t in _tokens(text) if t not in _SEPARATORS]
    for at in range(1, len(words)):
        if _low(words[at]) == _low(first_name):
            gender = _title_at(words, at - 1)[1]
            if gender:
                return gender
    return None


def _read_name(text: str) -> NameReading:
    tokens = _tokens(text)
    lows = [_low(t) for t in tokens]
    annoyed = any(w in word_set("complaint_words") for w in lows)
    gender: str | None = None
    haji = False
    clauses = _clauses(tokens)
    told = False  # an earlier clause was a sentence
    for number, words in enumerate(clauses):
        clause = _read_clause(words)
        gender = clause.gender or gender
        haji = haji or clause.haji
        if not clause.name or clause.stray or len(clause.name) > MAX_NAME_WORDS + 2:
            continue
        announced = clause.lead_in or clause.titled
        if not announced and (told or _stray_before(clauses[:number])):
            # "istri sy pinter, Budi"? take only a name announced as one after a sentence
            continue
        only_a_pronoun = clause.lead_in and not clause.titled and clause.lead in _WEAK_LEAD_INS
        first = clause.name[0]
        verb = (
            VERB_FORM.match(_low(first)) is not None
            and _low(first) not in _given_name_words()
            and not first[:1].isupper()
        )
        if (not announced and _sentence_goes_on(clause.rest)) or (only_a_pronoun and verb):
            # "buku kas kita ga balance", "sy ditunjuk warga jd pengawas": the first words of
            # a sentence, not a name
            told = True
            continue
        if not all(_pronounceable(w) for w in clause.name):
            continue
        name_words, trailing = _without_trailing_titles(clause.name)
        gender = gender or trailing
        name = tidy_name(name_words)
        rest = list(clause.rest)
        # post-nominals after a comma belong to the name ("Agus, S.E., M.M.")
        for later in clauses[number + 1 :]:
            if all(_is_post_nominal(t) for t in later) and not rest:
                name = f"{name}, {' '.join(later)}"
            else:
                rest.extend([",", *later])
        if len([w for w in clause.name if not _is_post_nominal(w)]) > MAX_NAME_WORDS:
            continue
        return NameReading(
            name=name,
            salutation=_salutation(gender, haji),
            rest=" ".join(rest).replace(" ,", ",").strip(" ,"),
            annoyed=annoyed,
        )
    return NameReading(problem=_problem(text, tokens), annoyed=annoyed)


SENTENCE_REST_WORDS = 3


def _sentence_goes_on(rest: tuple[str, ...]) -> bool:
    """After words read as a name, a sentence goes on ("kita ga balance udh 3 bulan"), rather
    than an introduction ("dari KSP Sejahtera", "ketua KUD Mina")."""
    words = [_low(w) for w in rest if w not in _SEPARATORS]
    if len(words) < SENTENCE_REST_WORDS:
        return False
    return words[0] not in word_set("introduction_connectors")


def _stray_before(clauses: list[list[str]]) -> bool:
    """True when an earlier clause was a sentence (not a greeting or a title)."""
    for words in clauses:
        clause = _read_clause(words)
        if clause.stray and not _only_chatter(words):
            return True
    return False


_STRONG_LEAD_INS = {
    ("nama", "saya"),
    ("nama", "sy"),
    ("nama", "saya", "adalah"),
    ("nama", "lengkap", "saya"),
    ("nama", "lengkap"),
    ("nama", "asli"),
    ("nama", "asli", "saya"),
    ("namaku",),
    ("nama", "aku"),
    ("my", "name", "is"),
    ("her", "name", "is"),  # "it's for my mother, her name is Sri Wahyuni"
    ("his", "name", "is"),
    ("my", "name's"),
    ("perkenalkan",),
    ("perkenalkan", "saya"),
    ("perkenalkan", "nama", "saya"),
    ("nami", "kulo"),
    ("nami", "abdi"),
    ("wasta", "abdi"),
    ("jenengku",),
    ("jeneng", "kulo"),
    ("panggil", "saja"),
    ("call", "me"),
    ("namanya",),
}
_WEAK_LEAD_INS = {
    ("saya",),
    ("sy",),
    ("aku",),
    ("kulo",),
    ("kula",),
    ("abdi",),
    ("i'm",),
    ("im",),
    ("i", "am"),
    ("this", "is"),
    ("ini",),
    ("dengan",),
    ("saya", "adalah"),
    ("urang",),  # Sundanese "urang teh Asep"
    ("urang", "teh"),
    ("abdi", "teh"),
    ("aye",),  # Betawi
    ("gue",),
    ("gw",),
    ("nama",),  # "mau booking klinik umkm. nama siti nurhaliza, usaha catering ..."
}


def name_in(text: str) -> NameReading | None:
    """A name the person gives about themselves inside any message ("Assalamualaikum, saya
    Haji Sutrisno ketua KSP ...", "my name is Sarah"); None when there is none. Stricter than
    `read_name`: after a bare "saya" the name needs a title or a capital letter."""
    clauses = _clauses(_tokens(text))
    signed = _signed_first(clauses) or _here(clauses)
    if signed is not None:
        return signed
    before: list[str] = []
    for words in clauses:
        lows = [t.lower() for t in words]
        if [t.lower() for t in before[-2:]] in FORM_LABELS or before[-1:] in (["nama"], ["Nama"]):
            found = _name_after(words, 0, strong=True)  # "Nama: Budi Santoso"
            if found is not None:
                return found
        signing = " ".join(t.lower() for t in before[-8:])
        if before and (before[-1].lower() in SIGNING_OFF_WORDS or "bertanda tangan" in signing):
            # "perkenankan saya, H. Sukardi, selaku Ketua ...", "Hormat saya,\nH. Sukardi"
            found = _name_after(words, 0, strong=False, capital=True)
            if found is not None and found.name and not _has_common_word(found.name):
                return found  # not "kalau saya, Senin bisa"
        earlier, before = before, [*before, *words]
        for at in range(len(words)):
            for lead in sorted(_STRONG_LEAD_INS | _WEAK_LEAD_INS, key=len, reverse=True):
                if tuple(lows[at : at + len(lead)]) != lead:
                    continue
                if lead == ("namanya",) and _business_before([*earlier, *words], len(earlier) + at):
                    break  # "jualan kue namanya Kue Bu Imah", "..., namanya Sambel Gledek"
                if lead == ("nama",) and at > 0:
                    break  # "nama siti nurhaliza" opens a clause; "ganti nama" does not
                if lead in (("saya",), ("sy",)) and at >= 2 and lows[0] == "nama":
                    break  # "nama usaha saya Dapur Siti" names the business
                # "catatan keuangan saya berantakan": a bare "saya" after a noun owns it;
                # only a capitalised word after it is a name
                possessive = at > 0 and lows[at - 1] not in word_set("before_self_introduction")
                found = _name_after(
                    words,
                    at + len(lead),
                    strong=lead in _STRONG_LEAD_INS,
                    capital=lead in _ENGLISH_LEAD_INS
                    or (possessive and lead not in _STRONG_LEAD_INS),
                )
                if found is not None:
                    return found
                break
    return None


SIGNING_OFF_WORDS = frozenset({"saya", "sy", "perkenalkan", "perkenankan", "kulo", "abdi"})


SIGNED_NAME_WORDS = 4


def _signed_first(clauses: list[list[str]]) -> NameReading | None:
    """A message that opens with a capitalised name as its own clause, then says who they
    are ("Rina Marlina, sekretaris Kopkar Sinar Jaya, pasar kemis")."""
    if len(clauses) < 2 or not clauses[0] or not clauses[1]:
        return None
    first, after = clauses[0], clauses[1]
    if len(first) > SIGNED_NAME_WORDS or not all(w[:1].isupper() for w in first):
        return None
    said = _low(after[0])
    if said not in word_set("introduction_connectors") and said not in _category_words():
        return None  # "Rina Marlina, sekretaris ...", "Hendra Gunawan, bengkel las ..."
    found = _name_after(first, 0, strong=True)
    if found is None or found.rest or not found.name:
        return None
    if _has_common_word(found.name) or organisation_in(" ".join(first)):
        return None
    return found


def _here(clauses: list[list[str]]) -> NameReading | None:
    """ "hi, Rahmat Hidayat here, treasurer of ...": a capitalised name said with "here"."""
    for words in clauses:
        if len(words) < 2 or _low(words[-1]) not in ("here", "disini"):
            continue
        name = words[:-1]
        if len(name) > SIGNED_NAME_WORDS or not all(w[:1].isupper() for w in name):
            continue
        found = _name_after(name, 0, strong=True)
        if (
            found is not None
            and found.name
            and not found.rest
            and not _has_common_word(found.name)
            and not organisation_in(" ".join(name))
        ):
            return found
    return None


def _has_common_word(name: str) -> bool:
    """A word of the language in it ("Senin", "Baik"): no name after a bare "saya,"."""
    return bool(lexicon().known & {_low(word) for word in name.split()})


FORM_LABELS = (["nama", "lengkap"], ["full", "name"], ["my", "name"])  # before a ":"
_ENGLISH_LEAD_INS = {("i'm",), ("im",), ("i", "am"), ("this", "is")}


# a word with a verb's prefix ("ditunjuk", "bertugas", "mengurus"), as no given name is
VERB_FORM = re.compile(r"^(?:di|ter|ber|meng|meny|mem|men|per)[a-z]{5,}$")


def _name_after(
    words: list[str], at: int, *, strong: bool, capital: bool = False
) -> NameReading | None:
    gender: str | None = None
    haji = titled = False
    while at < len(words):
        taken, g, h = _title_at(words, at)
        if not taken or not _title_stands_alone(words, at, taken):
            break
        titled = True
        gender, haji = g or gender, haji or h
        at += taken
    name: list[str] = []
    while at < len(words) and _is_name_word(words[at]) and len(name) < MAX_NAME_WORDS:
        word = words[at]
        if not (strong or titled or name) and not _plausible_bare_name(word, capital=capital):
            return None
        name.append(word)
        at += 1
    if not name:
        return None
    known = name[0][:1].isupper() or any(_low(w) in _given_name_words() for w in name)
    verb = VERB_FORM.match(_low(name[0])) is not None
    # "aye dapet nomor ini dari ponakan": words of the language, not a name
    common = any(_low(w) in lexicon().known for w in name)
    if not (strong or titled or known) and (verb or common):
        # "sy ditunjuk warga jd pengawas", "saya bertugas jadi bendahara": a sentence; "sy
        # budi mau konsul" names Budi
        return None
    return NameReading(
        name=tidy_name(name),
        salutation=_salutation(gender, haji),
        rest=" ".join(words[at:]),
    )


def _is_business_word(word: str) -> bool:
    """ "usaha", "warung", "koperasi", and their "-nya" forms ("usahanya", "warungnya")."""
    low = _low(word)
    return any(
        form in _category_words()
        or form in word_set("organisation_kinds_koperasi")
        or form in word_set("organisation_kinds_usaha")
        or form in word_set("category_koperasi_konvensional")
        for form in {low, low.removesuffix("nya")}
        if form
    )


def _business_before(words: list[str], at: int) -> bool:
    """True when a kind of organisation or a business word comes before `at`."""
    return any(_is_business_word(w) for w in words[:at])


def _plausible_bare_name(word: str, *, capital: bool = False) -> bool:
    """After a bare "saya": "Budi" or "budi" (a word no list knows), not "bingung"; after an
    English "I'm" only a capitalised word ("I'm Sarah", not "I'm interested")."""
    if word[:1].isupper() and not word.isupper():
        return True
    known = lexicon().known
    low = _low(word)
    # "bnyk" is "banyak": a word in chat spelling is a word, not a name
    spelled = {normalize(low) or low} if low not in _given_name_words() else {low}
    return not capital and word.islower() and low not in known and not spelled & known


# --- categories -----------------------------------------------------------------------------


def _hits(tokens: list[str], table: str) -> list[tuple[int, int]]:
    """(start, end) of every phrase of the table said in the normalised tokens."""
    found = []
    for phrase in phrases(table):
        size = len(phrase)
        for at in range(len(tokens) - size + 1):
            if tuple(tokens[at : at + size]) == phrase:
                found.append((at, at + size))
    return found


def _negated(tokens: list[str], at: int, since: int = 0) -> bool:
    """A negation a few words before `at`, not across a comma or an earlier category word
    (`since`): in "bukan koperasi biasa, syariah" the "bukan" is not about "syariah"."""
    window = tokens[max(0, at - NEGATION_REACH, since) : at]
    if "," in window:
        window = window[len(window) - window[::-1].index(",") :]
    return any(w in word_set("negations") for w in window)


def _founding(tokens: list[str], at: int) -> bool:
    window = tokens[max(0, at - 4) : at]
    said = f" {' '.join(window)} "
    if any(f" {p} " in said for p in word_set("founding") if p != "buat"):
        return True
    return any(
        w == "buat" and i > 0 and window[i - 1] in ("mau", "ingin", "pengen", "akan", "mo")
        for i, w in enumerate(window)
    )


def _category_tokens(text: str) -> list[str]:
    """Normalised words ("sy" is "saya"), commas kept as "," between clauses."""
    tokens: list[str] = []
    for clause in _clauses(_tokens(text)):
        plain = " ".join(_low(t) for t in clause)
        normal = normalize(plain) or plain
        if tokens:
            tokens.append(",")
        tokens.extend(normal.replace("-", " ").split())
    return tokens


def _raw_tokens(text: str) -> list[str]:
    return ["," if t in _SEPARATORS else _low(t) for t in _tokens(text)]


def read_category(text: str, *, strict: bool = False) -> str | None:
    """Which category a message names, minding negations: "KSPPS", "BMT", "syariah" are
    syariah; "KSP", "KUD", "KPRI", "koperasi biasa, bukan syariah" conventional; "jualan
    seblak", "usaha keripik" UMKM; "belum punya koperasi, mau bikin" a citizen founding one.

    `strict` is for a message that was not an answer to the category question: a word that
    may only name a topic ("soal koperasi", "modal usaha") counts only with a person's word
    ("koperasi kami", "ketua koperasi", "usaha saya")."""
    tokens = _category_tokens(text)
    said: dict[str, list[bool]] = {c: [] for c in CATEGORIES}
    founding = False
    for source in (tokens, _raw_tokens(text)):
        for category, negated, start in _category_hits(source, strict=strict):
            said[category].append(not negated)
            if category != "warga" and not negated and _founding(source, start):
                founding = True
    meant = {c for c, marks in said.items() if any(marks)}
    denied = {c for c, marks in said.items() if marks and not any(marks)}
    if founding and not (
        {"koperasi_syariah", "koperasi_konvensional"} & meant and _officer(tokens)
    ):
        return "warga"
    if "koperasi_syariah" in meant:
        return "koperasi_syariah"
    if "koperasi_konvensional" in meant or ("koperasi_syariah" in denied and not meant - {"warga"}):
        return "koperasi_konvensional"
    if (
        "umkm" in meant
        and "warga" in meant
        and (not all(said["umkm"]) or not _runs_a_business(tokens))
    ):
        # "sy warga biasa, blm punya usaha tp pengen mulai jualan"; "im a student doing my
        # thesis on digital marketing for UMKM"
        return "warga"
    if "umkm" in meant:
        return "umkm"
    if "warga" in meant:
        return "warga"
    if "koperasi_konvensional" in denied or "umkm" in denied:
        return "warga" if not meant else None
    return None


def founds_one(text: str) -> bool:
    """Whether the message speaks of founding a cooperative or business ("kami mau mendirikan
    koperasi bersama warga RT"): the name after it is a plan, not an organisation."""
    tokens = _category_tokens(text)
    return any(
        category != "warga" and not negated and _founding(tokens, start)
        for category, negated, start in _category_hits(tokens, strict=False)
    ) and not _officer(tokens)


def _category_hits(tokens: list[str], *, strict: bool) -> list[tuple[str, bool, int]]:
    """(category, negated, start) of every category phrase said. A phrase inside a longer
    one shares its negation ("bukan koperasi syariah" denies "syariah" too)."""
    hits = sorted(
        (start, end, category)
        for category in CATEGORIES
        for start, end in _hits(tokens, f"category_{category}")
        if not strict or _owned(tokens, start, end)
    )
    negated: list[bool] = []
    for start, _end, _category in hits:
        since = max((e for s, e, _c in hits if e <= start), default=0)
        negated.append(_negated(tokens, start, since))
    found = []
    for i, (start, end, category) in enumerate(hits):
        inside = any(
            negated[j] and s <= start and end <= e and (s, e) != (start, end)
            for j, (s, e, _c) in enumerate(hits)
        )
        found.append((category, negated[i] or inside, start))
    return found


def _owned(tokens: list[str], start: int, end: int) -> bool:
    """A weak category word counts when it is the person's own ("koperasi kami")."""
    phrase = " ".join(tokens[start:end])
    if phrase not in word_set("category_weak"):
        return True
    before = tokens[start - 1] if start > 0 else ""
    if phrase == "pabrik" and before in ("dari", "di"):
        return False  # "kena PHK dari pabrik sepatu": where one worked
    return _owned_by_the_speaker(tokens, start, end)


def _runs_a_business(tokens: list[str]) -> bool:
    """Whether a small-business word is the person's own ("usaha saya", "punya warung", "I
    run a bakery", "yg jualan online"), not only named ("marketing for UMKM")."""
    for start, end in _hits(tokens, "category_umkm"):
        before = tokens[start - 1] if start > 0 else ""
        sells = " ".join(tokens[start:end]) in SELLING and before not in ABOUT_WORDS
        if sells or _owned_by_the_speaker(tokens, start, end):
            return True
    return False


SELLING = frozenset({"jualan", "berjualan", "dagang", "berdagang", "selling"})
ABOUT_WORDS = frozenset({"soal", "tentang", "about", "for", "untuk", "buat", "masalah"})


def _owned_by_the_speaker(tokens: list[str], start: int, end: int) -> bool:
    """An owner's word next to the category word ("usaha saya", "punya warung"), or an
    English owner's verb reaching over the describing words ("I run a small surf shop")."""
    before = tokens[start - 1] if start > 0 else ""
    after = tokens[end] if end < len(tokens) else ""
    reach = tokens[max(0, start - OWNER_REACH) : start]
    return (
        after in word_set("owner_after")
        or before in word_set("owner_before")
        or any(w in OWNER_VERBS for w in reach)
    )


OWNER_REACH = 4
OWNER_VERBS = frozenset(
    {"run", "runs", "own", "owns", "manage", "manages", "operate", "operates", "my", "our"}
    | {"make", "makes", "i", "we"}  # "I make handmade soap and sell at local markets"
)
ORGANISATION_MAX_WORDS = 6  # a name said without its kind ("Ombak Biru Surf Co")


def _officer(tokens: list[str]) -> bool:
    """ "ketua koperasi" already runs one, even if they also found another."""
    return any(w in ("ketua", "pengurus", "bendahara", "sekretaris", "manajer") for w in tokens)


def category_of_organisation(name: str) -> str | None:
    """The category an organisation's kind gives ("KSPPS ..." syariah, "Toko ..." UMKM)."""
    words = [_low(t) for t in _tokens(name)]
    if any(w in word_set("category_koperasi_syariah") for w in words):
        return "koperasi_syariah"
    if any(w in word_set("organisation_kinds_koperasi") for w in words):
        return "koperasi_konvensional"
    if any(w in word_set("organisation_kinds_usaha") for w in words):
        return "umkm"
    return None


# --- organisations --------------------------------------------------------------------------


# quoted, not an apostrophe inside a word ("Mei's Bakery, we're ...")
_QUOTED = re.compile(r"(?<!\w)[\"“”']([^\"“”']{3,60})[\"“”'](?!\w)")


def organisation_in(text: str) -> str | None:
    """An organisation named after its kind inside a message ("ketua KSP Maju Jaya dari
    ...", "Toko Berkah", "jualan kue kering namanya Kue Kering Bu Imah", "nama warungnya
    Bakso Bang Jali", 'batik tulis "Batik Sekar Arum"'); None for a kind with no name
    ("koperasi biasa")."""
    return _organisation_quoted(text) or _organisation_by_kind(text) or _organisation_called(text)


def _organisation_quoted(text: str) -> str | None:
    """A name in quotes in a message about a business or cooperative."""
    found = _QUOTED.search(text)
    if found is None or not any(_is_business_word(w) for w in _tokens(text)):
        return None
    return tidy_organisation(found.group(1))


# "namanya X", and the brand a business sells under: "jualan dimsum frozen merk Dapur Bu Sum"
NAMING_WORDS = frozenset(
    {
        "namanya",
        "bernama",
        "called",
        "named",
        "merk",
        "merek",
        "mereknya",
        "merknya",
        "brand",
        "brandnya",
        "label",
        "labelnya",
    }
)


def _organisation_called(text: str) -> str | None:
    """ "namanya X" / "bernama X" after a word about a business or cooperative, and
    "nama warungnya X"."""
    before: list[str] = []  # "saya produksi sambel botolan, namanya Sambel Gledek"
    for words in _clauses(_tokens(text)):
        lows = [_low(w) for w in words]
        earlier, before = before, [*before, *words]
        for at, low in enumerate(lows):
            if low == "nama" and at + 1 < len(words) and _is_business_word(words[at + 1]):
                at += 1  # "nama warungnya Bakso Bang Jali"
            elif low not in NAMING_WORDS or not _business_before(
                [*earlier, *words], len(earlier) + at
            ):
                continue
            taken: list[str] = []
            for word in words[at + 1 :]:
                if _low(word) in word_set("organisation_stops") and taken:
                    break
                taken.append(word)
            if taken and any(not _not_a_name_word(w) for w in taken):
                return tidy_organisation(" ".join(taken))
    return None


def _organisation_by_kind(text: str) -> str | None:
    for words in _clauses(_tokens(text)):
        for at in range(len(words)):
            size = _match_at(words, at, "organisation_kinds_koperasi") or _match_at(
                words, at, "organisation_kinds_usaha"
            )
            if not size:
                continue
            found = _organisation_from(words, at, size)
            if found:
                return found
    return None


# Words that end an organisation's name once it has one ("KSP Sejahtera saya"); "kita" does
# not ("KSP Harapan Kita").
_ENDS_A_NAME = frozenset(
    {"saya", "kami", "ini", "itu", "nak", "dong", "sih", "kan", "aja", "saja", "juga", "nya"}
    # the person addressed at the end: "KSP Maju pak", "Kopi Lereng min"
    | {"pak", "bu", "bapak", "ibu", "kak", "min", "mas", "mbak", "bang", "dik", "ya", "deh"}
    | {"mawon", "wae", "weh", "atuh", "lah", "sir", "maam"}
)


def _organisation_from(words: list[str], at: int, size: int) -> str | None:
    taken = list(words[at : at + size])
    named = False
    for word in words[at + size :]:
        low = _low(word)
        if low in word_set("organisation_stops") or low in word_set("question_words"):
            break
        if low in word_set("organisation_descriptors"):
            if named and low in _ENDS_A_NAME:
                break
            taken.append(word)
            continue
        if any(ch.isdigit() for ch in word) and not named:
            taken.append(word)
            continue
        taken.append(word)
        named = True
        if len(taken) >= 8:
            break
    if not named:
        return None
    while taken and _low(taken[-1]) in _ENDS_A_NAME:
        taken.pop()
    if all(
        _match_at([w], 0, "organisation_kinds_koperasi")
        or _match_at([w], 0, "organisation_kinds_usaha")
        or _low(w) in word_set("organisation_descriptors")
        for w in taken
    ):
        return None  # "KSP pak" names no cooperative
    return tidy_organisation(" ".join(taken))


def read_organisation(text: str) -> str | None:
    """The answer to "what is your cooperative's or business's name?": its kind and name
    ("KSPPS Berkah Umat"), or the answer itself without lead-ins ("namanya Keripik Mak Eni")."""
    quoted = _QUOTED.search(text)
    if quoted is not None:  # 'tempe "Sari Dele" pak'
        return tidy_organisation(quoted.group(1))
    named = organisation_in(text)
    if named:
        return _with_name_before(text, named)
    for words in _clauses(_tokens(text)):
        if all(
            _match_at([w], 0, "organisation_kinds_koperasi")
            or _match_at([w], 0, "organisation_kinds_usaha")
            or _low(w) in word_set("organisation_descriptors")
            or _not_a_name_word(w)
            for w in words
        ):
            continue  # a kind without a name: "koperasi biasa", "koperasi kami"
        at = 0
        while at < len(words):
            size = _match_at(words, at, "courtesies") or _match_at(words, at, "org_lead_ins")
            if not size:
                break
            at += size
        kept: list[str] = []
        for word in words[at:]:
            low = _low(word)
            if kept and (
                low in word_set("organisation_stops")
                or low in word_set("question_words")
                or low in word_set("organisation_remarks")
            ):
                break
            kept.append(word)
        while len(kept) > 1 and _low(kept[-1]) in _ENDS_A_NAME:
            kept.pop()  # "KSP pak", "Kopi Lereng min"
        if kept and any(ch.isalpha() for ch in " ".join(kept)):
            if all(_not_a_name_word(w) or _low(w) in word_set("negations") for w in kept):
                continue
            if len(kept) > ORGANISATION_MAX_WORDS:
                return None  # a sentence ("I'm the treasurer of a credit union here ...")
            return tidy_organisation(" ".join(kept))
    return None


NAME_BEFORE_WORDS = 2


def _with_name_before(text: str, named: str) -> str:
    """ "Dedi Laundry kiloan", "Koperasi Karyawan PT Gajah Tunggal": the capitalised words an
    answer puts before the kind that was found belong to the name."""
    whole = " ".join(text.split())
    at = whole.lower().find(named.lower())
    before = whole[:at].split() if at > 0 else []
    if not 1 <= len(before) <= NAME_BEFORE_WORDS:
        return named
    for word in before:
        if not (word[:1].isupper() and word.isalpha()) or _not_a_name_word(word):
            return named
        if _match_at([word], 0, "lead_ins") or _match_at([word], 0, "org_lead_ins"):
            return named
        if _match_at([word], 0, "courtesies") or _title_at([word], 0)[0]:
            return named
    return tidy_organisation(f"{' '.join(before)} {named}")


def tidy_organisation(text: str) -> str:
    """ "KSP Maju Jaya" from "ksp maju jaya"; a name written with care is kept."""
    words = text.strip(" ,.").split()
    careless = text.islower() or text.isupper()
    tidy = []
    for word in words:
        low = _low(word)
        if low in word_set("acronyms"):
            tidy.append(word.upper())
        elif careless:
            tidy.append(_capitalise(word))
        else:
            tidy.append(word)
    return " ".join(tidy)


# --- plain text and corrections ------------------------------------------------------------


def normalize_plain(text: str) -> str:
    """Lower-case words without punctuation, for looking up phrases."""
    return " ".join(_low(t) for t in _tokens(text) if t not in _SEPARATORS)


def value_after_field(text: str) -> str | None:
    """The new value in a change request: "Sutrisno Hadi" from "ubah nama jadi Sutrisno
    Hadi", "Balaraja" from "kecamatannya Balaraja"; None when only the field is named."""
    tokens = [t for t in _tokens(text) if t not in _SEPARATORS]
    fields = [
        p
        for table in ("field_name", "field_category", "field_organisation", "field_kecamatan")
        for p in phrases(table)
    ]
    fields.sort(key=len, reverse=True)
    lows = [_low(t) for t in tokens]
    for at in range(len(tokens)):
        for phrase in fields:
            size = len(phrase)
            window = lows[at : at + size]
            if len(window) < size:
                continue
            last = window[-1]
            endings = (phrase[-1], phrase[-1] + "nya", phrase[-1] + "na")  # na: Sundanese
            if tuple(window[:-1]) != phrase[:-1] or last not in endings:
                continue
            rest = at + size
            skip = word_set("edit_words") | word_set("value_markers") | {"saya", "sy", "kami"}
            while rest < len(tokens) and lows[rest] in skip:
                rest += 1
            value = " ".join(tokens[rest:]).strip(" .")
            return _without_old_value(value) or None
    return None


_DENIED = re.compile(r"^(?:bukan|bkn|not|sanes|dudu)\s+[^,;]+[,;]\s*(?P<new>.+)$", re.IGNORECASE)
_DENIAL_AFTER = re.compile(r"\s*[,;]?\s+(?:bukan|bkn|not|sanes|dudu)\s.*$", re.IGNORECASE)


def _without_old_value(value: str) -> str:
    """The new value without the old one it denies: "Bersih Kilat, bukan laundry kiloan" and
    "bukan laundry kiloan, Bersih Kilat" are both "Bersih Kilat"."""
    denied = _DENIED.match(value)
    if denied:
        return denied.group("new").strip(" .")
    return _DENIAL_AFTER.sub("", value).strip(" .,")


# --- salutations ----------------------------------------------------------------------------


def salutation_of(title: str) -> str | None:
    """The form of address a title gives ("Pak" bapak, "Hj." hajjah), or None."""
    tokens = _tokens(title)
    taken, gender, haji = _title_at(tokens, 0) if tokens else (0, None, False)
    return _salutation(gender, haji) if taken else None
