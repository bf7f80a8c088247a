"""Kecamatan (districts) of Indonesia: which one a person means, and whether it lies in the
clinic's regency.

The list is vendored from the npm package ``idn-area-data`` (ODbL; see
bot/intents/data/places/ATTRIBUTION.md, refreshed by scripts/refresh_places.py). The clinic's
regency is the ``regency`` fact of the clinic (``clinic_info``; the demo: Kabupaten Tangerang).
"""

from __future__ import annotations

import csv
import gzip
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from importlib import resources

from rapidfuzz import fuzz, process
from sqlmodel import Session

from bot.services import clinic

REGENCY_KEY = "regency"  # the clinic_info row naming the clinic's regency
SURE_SCORE = 88  # a typo this close to one kecamatan of the regency is that kecamatan
NEAR_SCORE = 72  # close enough to offer as "did you mean"
ELSEWHERE_SCORE = 90  # a typo of a kecamatan elsewhere in Indonesia is only offered
MAX_OPTIONS = 4
_MARKERS = (
    "kecamatan",
    "kecamatannya",
    "kacamatan",
    "kacamatanna",
    "kec",
    "kcmtn",
    "district",
    "subdistrict",
)
# Before a kecamatan's exact name in a sentence ("warga Cikupa", "kulo teng Balaraja").
_PLACE_MARKERS = (
    "dari",
    "di",
    "daerah",
    "wilayah",
    "warga",
    "from",
    "in",
    "near",
    "teng",
    "ing",
    "ti",
    "saking",
)
_NOT_LETTERS = re.compile(r"[^a-z\s]+")


@dataclass(frozen=True)
class Regency:
    """A kabupaten or kota."""

    code: str
    name: str  # "Kabupaten Tangerang", "Kota Bandung"

    @property
    def province(self) -> str:
        """The province's code ("36" for Banten)."""
        return self.code.split(".")[0]


@dataclass(frozen=True)
class District:
    """A kecamatan and its regency."""

    code: str
    name: str  # "Cikupa"
    regency: Regency


@dataclass(frozen=True)
class KecamatanGuess:
    """What a kecamatan answer names: one district for sure, or the nearest to offer."""

    district: District | None = None
    options: tuple[District, ...] = ()

    @property
    def sure(self) -> bool:
        """True when the answer names one district."""
        return self.district is not None


def key(text: str) -> str:
    """A place name for comparison: lower case, letters and single spaces only; a number
    written as a digit is its word ("kelapa 2" is Kelapa Dua)."""
    spelled = _DIGIT.sub(lambda m: f" {_NUMBER_WORDS[int(m.group())]} ", text.lower())
    return " ".join(_NOT_LETTERS.sub(" ", spelled.replace("'", "")).split())


_DIGIT = re.compile(r"(?<!\d)[1-9](?!\d)")
_NUMBER_WORDS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")


def _read_csv(name: str) -> list[dict[str, str]]:
    source = resources.files("bot.intents").joinpath("data", "places", f"{name}.csv.gz")
    with source.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        return list(csv.DictReader(io.StringIO(text.read())))


@cache
def regencies() -> dict[str, Regency]:
    """Every regency by code."""
    return {row["code"]: Regency(row["code"], row["name"]) for row in _read_csv("regencies")}


@cache
def districts() -> tuple[District, ...]:
    """Every kecamatan of Indonesia."""
    by_code = regencies()
    return tuple(
        District(row["code"], row["name"], by_code[row["regency_code"]])
        for row in _read_csv("districts")
        if row["regency_code"] in by_code
    )


@cache
def _index() -> dict[str, tuple[District, ...]]:
    """Districts by name key, also written without spaces ("pasarkemis")."""
    found: dict[str, list[District]] = defaultdict(list)
    for district in districts():
        name = key(district.name)
        found[name].append(district)
        if " " in name:
            found[name.replace(" ", "")].append(district)
    return {name: tuple(items) for name, items in found.items()}


@cache
def _names_of(regency_code: str | None) -> tuple[list[str], list[District]]:
    chosen = [d for d in districts() if regency_code is None or d.regency.code == regency_code]
    return [key(d.name) for d in chosen], chosen


def regency_named(name: str | None) -> Regency | None:
    """The regency called `name` ("Kabupaten Tangerang", "kab. tangerang", "36.03")."""
    if not name:
        return None
    wanted = key(name.replace("kab.", "kabupaten ").replace("Kab.", "Kabupaten "))
    for regency in regencies().values():
        if regency.code == name.strip() or key(regency.name) == wanted:
            return regency
    return None


def home_regency(session: Session) -> Regency | None:
    """The clinic's regency (the ``regency`` fact), or None when it is not set."""
    return regency_named(clinic.fact(session, REGENCY_KEY))


def districts_of(regency: Regency) -> list[District]:
    """A regency's kecamatan, in the data's order."""
    return [d for d in districts() if d.regency.code == regency.code]


_REGENCY_WORDS = ("kab", "kabupaten", "kota", "regency", "city")


def _phrases(text: str) -> list[tuple[str, bool]]:
    """Word groups of up to four words, longest first, each with whether a marker such as
    "kecamatan" stood just before it. The name of a regency ("kab. Tangerang") is none."""
    words = key(text).split()
    marked_at = {i + 1 for i, w in enumerate(words) if w in _MARKERS}
    regency_at = {i + 1 for i, w in enumerate(words) if w in _REGENCY_WORDS}
    found: list[tuple[str, bool]] = []
    for size in (4, 3, 2, 1):
        for at in range(len(words) - size + 1):
            group = words[at : at + size]
            if any(w in _MARKERS for w in group) or at in regency_at:
                continue
            found.append((" ".join(group), at in marked_at))
    return found


def _prefer(hits: list[District], home: Regency | None, text: str = "") -> KecamatanGuess:
    """One district among same-named ones: the one whose regency the text names ("Sukajadi
    Bandung"), the home regency's, else the only one in the home province, else the only one;
    otherwise they are offered."""
    unique = list(dict.fromkeys(hits))
    said = f" {key(text)} "
    named = [d for d in unique if f" {_bare(d.regency.name)} " in said]
    if len(named) == 1:
        return KecamatanGuess(district=named[0])
    if home is not None:
        for pool in (
            [d for d in unique if d.regency.code == home.code],
            [d for d in unique if d.regency.province == home.province],
        ):
            if len(pool) == 1:
                return KecamatanGuess(district=pool[0])
    if len(unique) == 1:
        return KecamatanGuess(district=unique[0])
    return KecamatanGuess(options=tuple(unique[:MAX_OPTIONS]))


def read_kecamatan(
    text: str, home: Regency | None, *, common: frozenset[str] = frozenset()
) -> KecamatanGuess | None:
    """The kecamatan an answer names: "Cikupa", "kec. cikupa", "cikupaa" (a typo of the home
    regency's), "Coblong I think? we're near Dago" (elsewhere). Words in `common` ("ibu",
    "kota") count as a name only after a marker or as the whole answer. None when nothing fits.
    """
    index = _index()
    whole = key(text)
    exact: list[tuple[int, list[District]]] = []
    for phrase, marked in _phrases(text):
        for candidate in (phrase, phrase.replace(" ", "")):
            hits = index.get(candidate)
            if not hits:
                continue
            if phrase in common and not marked and phrase != whole:
                continue
            exact.append((len(phrase), list(hits)))
            break
    if exact:
        in_home = [
            (size, [d for d in hits if home and d.regency.code == home.code])
            for size, hits in exact
        ]
        home_hits = [(size, hits) for size, hits in in_home if hits]
        if home_hits:
            return _prefer(max(home_hits, key=lambda h: h[0])[1], home)
        longest = max(size for size, _ in exact)
        return _prefer([d for size, hits in exact if size == longest for d in hits], home, text)
    return _near(text, home)


def _near(text: str, home: Regency | None) -> KecamatanGuess | None:
    """A typo: the home regency's nearest kecamatan, or an offer of the nearest elsewhere."""
    phrases = [p for p, _ in _phrases(text) if len(p.replace(" ", "")) >= 4]
    if not phrases:
        return None
    if home is not None:
        names, chosen = _names_of(home.code)
        scored: dict[int, float] = {}
        for phrase in phrases:
            for _name, score, at in process.extract(phrase, names, scorer=fuzz.ratio, limit=3):
                scored[at] = max(scored.get(at, 0.0), score)
        ranked = sorted(scored.items(), key=lambda item: -item[1])
        if (
            ranked
            and ranked[0][1] >= SURE_SCORE
            and (len(ranked) == 1 or ranked[1][1] < ranked[0][1] - 5)
        ):
            return KecamatanGuess(district=chosen[ranked[0][0]])
        near = [chosen[at] for at, score in ranked if score >= NEAR_SCORE]
        if near:
            return KecamatanGuess(options=tuple(near[:MAX_OPTIONS]))
    whole = key(text)
    if len(whole.split()) > 3:
        return None
    names, chosen = _names_of(None)
    starting = [d for d, n in zip(chosen, names, strict=True) if n.startswith(whole + " ")]
    if starting:
        return KecamatanGuess(options=tuple(starting[:MAX_OPTIONS]))
    close = process.extract(whole, names, scorer=fuzz.ratio, limit=MAX_OPTIONS)
    near = [chosen[at] for _name, score, at in close if score >= ELSEWHERE_SCORE]
    return KecamatanGuess(options=tuple(near)) if near else None


def nearest_in(regency: Regency, text: str, limit: int = 3) -> list[District]:
    """The regency's kecamatan nearest to `text`, for examples in a question."""
    names, chosen = _names_of(regency.code)
    wanted = key(text)
    if not wanted:
        return chosen[:limit]
    found = process.extract(wanted, names, scorer=fuzz.WRatio, limit=limit)
    return [chosen[at] for _name, _score, at in found]


def kecamatan_mentioned(text: str, common: frozenset[str] = frozenset()) -> str | None:
    """A kecamatan named inside a longer message, by its own name as written: after
    "kecamatan"/"kec.", or after "dari"/"di" and the like when it is a kecamatan's exact name,
    or as a whole part between commas ("Budi dari KSP Sejahtera, Cikupa"). None otherwise."""
    index = _index()
    parts = [p.strip() for p in re.split(r"[,;\n.!?]+", text) if p.strip()]
    for part in parts:
        words = key(part).split()
        for at, word in enumerate(words):
            if word not in _MARKERS:
                continue
            for size in (3, 2, 1):
                group = " ".join(words[at + 1 : at + 1 + size])
                if group and len(words[at + 1 :]) >= size and _is_district(group, index):
                    return _as_written(part, group)
            if at + 1 < len(words):
                return _as_written(part, " ".join(words[at + 1 : at + 3]))
    regency_names = _regency_names()  # "UMKM in tangerang": the regency, no kecamatan
    for part in parts:
        whole = key(part)
        if (
            whole not in common
            and whole not in regency_names
            and len(whole) >= 4
            and _is_district(whole, index)
        ):
            return _as_written(part, whole)
    for part in parts:
        words = key(part).split()
        for at, word in enumerate(words[:-1]):
            if word not in _PLACE_MARKERS:
                continue
            for size in (3, 2, 1):
                group = " ".join(words[at + 1 : at + 1 + size])
                if (
                    len(words[at + 1 :]) >= size
                    and len(group) >= 5
                    and group not in common
                    and group not in regency_names
                    and _is_district(group, index)
                ):
                    return _as_written(part, group)
    for part in parts:  # "KSPPS BMT Al-Ikhlas Pasar Kemis": a kecamatan ending a part
        words = key(part).split()
        for size in (3, 2):
            group = " ".join(words[-size:])
            if len(words) > size and group not in common and _is_district(group, index):
                return _as_written(part, group)
    return None


@cache
def _regency_names() -> frozenset[str]:
    """Every regency's and city's bare name ("tangerang", "bandung")."""
    return frozenset(_bare(r.name) for r in regencies().values())


def _bare(regency_name: str) -> str:
    """ "bandung" for "Kota Bandung", "tangerang" for "Kabupaten Tangerang"."""
    words = key(regency_name).split()
    return " ".join(words[1:] if words and words[0] in ("kabupaten", "kota") else words)


def _is_district(name: str, index: dict[str, tuple[District, ...]]) -> bool:
    return name in index or name.replace(" ", "") in index


def _as_written(part: str, wanted: str) -> str:
    """The words of `part` that make up `wanted`, in the person's own spelling."""
    size = len(wanted.split())
    words = part.split()
    for at in range(len(words) - size + 1):
        if key(" ".join(words[at : at + size])) == wanted:
            return " ".join(words[at : at + size]).strip(" ,.")
    return wanted
