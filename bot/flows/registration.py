"""Registration: who the person is, how to address them, what they represent, their kecamatan.

Whatever the person already said (in the message that started the reservation, or alongside
another answer) is kept: only what is missing is asked, then everything understood is shown
once for confirmation ("Betul begini? 1. Ya 2. Ubah") before it is saved. Slots, all removed
once saved:

    reg_name, reg_salutation    "Sutrisno", "haji" (bapak, ibu, haji, hajjah)
    reg_category                koperasi_konvensional, koperasi_syariah, umkm, warga
    reg_organisation            "KSP Maju Jaya"; "" when they have none (yet)
    reg_kecamatan, reg_regency  "Cikupa", "Kabupaten Tangerang"; regency "" when not listed
    reg_asking, reg_first       what the start step asks now / asked first (whatever was open)
    reg_options                 district codes offered after an unclear kecamatan
    reg_tries                   {"at": step, "n": misses}: each retry is worded differently
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from bot.flows import booking_details
from bot.flows import story as story_text
from bot.flows.base import END, Context, Flow, Outcome, Prompted, Say
from bot.flows.common import EMOJI, choice, confirmation, mentions
from bot.flows.info import INFO_SAYS
from bot.flows.story import asks_for_a_consultation, story_in
from bot.flows.vocab import words
from bot.intents import parse_date, parse_time, people
from bot.intents.courtesy import is_complaint
from bot.intents.lexicon import lexicon
from bot.services import faq, places
from bot.services.contacts import is_registered, register

flow = Flow("registration", start="ask")
CATEGORIES = people.CATEGORIES
FIELDS = ("name", "category", "organisation", "kecamatan")
NEEDS_ORGANISATION = ("koperasi_konvensional", "koperasi_syariah", "umkm")
SLOTS = (
    "reg_name",
    "reg_salutation",
    "reg_category",
    "reg_organisation",
    "reg_kecamatan",
    "reg_regency",
    "reg_asking",
    "reg_options",
    "reg_tries",
    "reg_typed",
    "reg_first",
    "reg_field",
)
MAX_ORGANISATION = 200
MAX_KECAMATAN = 120
MAX_NAME = 120


# --- reading any message ------------------------------------------------------------------


def registration_slots_from(text: str) -> dict[str, Any]:
    """The registration fields a message gives, as reg_* slots: "Assalamualaikum, saya Haji
    Sutrisno ketua KSP Maju Jaya dari Kecamatan Cikupa, mau konsultasi soal RAT" gives the
    name, salutation, category, organisation and kecamatan. The kecamatan is as written; the
    flow checks it against the clinic's regency."""
    found: dict[str, Any] = {}
    named = people.name_in(text)
    if named is not None and named.name:
        found["reg_name"] = named.name[:MAX_NAME]
        if named.salutation:
            found["reg_salutation"] = named.salutation
    hint = people.salutation_hint(text)  # "aku ibu rumah tangga, jualan dimsum"
    if hint and "reg_salutation" not in found:
        found["reg_salutation"] = hint
    organisation = people.organisation_in(text)
    kecamatan = places.kecamatan_mentioned(_after_self_correction(text), _common_words())
    kecamatan = kecamatan or places.kecamatan_mentioned(text, _common_words())
    if organisation and kecamatan and organisation.lower().endswith(" " + kecamatan.lower()):
        organisation = organisation[: -len(kecamatan)].strip()  # "BMT Al-Ikhlas Pasar Kemis"
    if organisation and _the_clinic(organisation, text):
        organisation = None  # "jam berapa saja Klinik Koperasi melayani?" names the clinic
    if organisation and _reads_like_a_name(organisation) and not _described(organisation, text):
        found["reg_organisation"] = organisation[:MAX_ORGANISATION]
    category = people.read_category(text, strict=True)
    if organisation and category == "warga" and people.founds_one(text):
        organisation = None  # "mau mendirikan koperasi bersama warga RT": a plan, no name yet
    if organisation and category in (None, "warga"):
        # "pengurus di Koperasi Warga Mandiri" is a cooperative; "usaha bakso ..., nama
        # warungnya Bakso Bang Jali" a business
        category = people.category_of_organisation(organisation) or (
            category or people.read_category(text)
        )
    if category:
        found["reg_category"] = category
        if category == "warga":
            found.pop("reg_organisation", None)
    if kecamatan:
        found["reg_kecamatan"] = kecamatan[:MAX_KECAMATAN]
        if str(found.get("reg_name", "")).lower() == kecamatan.lower():
            found.pop("reg_name")  # "Cikupa, koperasi kami": a place, not a person
            found.pop("reg_salutation", None)
    return found


DESCRIBED_WORDS = 3


def _after_remark(text: str) -> str:
    """The answer after a remark that it was given before ("kan tadi sudah saya sebut,
    Rendang Uni Ros"); the text as it is when it starts with none."""
    remark = story_text.LEAD_IN.match(text)
    if remark is None or not remark.group():
        return text
    return story_text.without_lead_in(text, 1)


def _after_self_correction(text: str) -> str:
    """What follows the last "eh salah", "maksud saya", "ralat", "I mean" ("di Kecamatan
    Pondok Aren eh salah, aye di Kecamatan Kelapa Dua"): it replaces what came before."""
    lowered = text.lower()
    cut = max(
        (lowered.rfind(m) + len(m) for m in words("self_corrections") if m in lowered), default=0
    )
    return text[cut:] if cut else text


def _the_clinic(organisation: str, text: str) -> bool:
    """The organisation read is the clinic or the Dinas itself ("Klinik Koperasi melayani")."""
    return bool(re.search(r"\b(?:klinik|dinas)\s+" + re.escape(organisation), text, re.I))


def _described(organisation: str, text: str) -> bool:
    """ "punya warung sembako", "usaha laundry kiloan": a kind of business written in small
    letters inside a sentence describes the trade; its name is asked for."""
    if organisation in text or organisation.lower() not in text:
        return False  # written with capitals ("Warung Sembako Bu Tini"), or changed by us
    if people.category_of_organisation(organisation) != "umkm":
        return False  # "koperasi tani makmur" is a cooperative's name, whatever its letters
    return len(organisation.split()) <= DESCRIBED_WORDS and len(text.split()) > DESCRIBED_WORDS


def _reads_like_a_name(organisation: str) -> bool:
    """Not a topic or a time that followed the word "koperasi" ("Koperasi Besok Pagi",
    "Cooperative Bylaws", "Koperasi Sama Persiapan Audit Eksternal")."""
    lowered = f" {organisation.lower()} "
    if any(f" {word} " in lowered for word in words("not_in_organisation_names")):
        return False
    today = dt.date(2026, 1, 5)  # any Monday: only whether a date is named matters
    return parse_date(organisation, today) is None and parse_time(organisation) is None


@cache
def _common_words() -> frozenset[str]:
    """Words that are also the name of some kecamatan ("kulo", "ibu", "kota")."""
    return lexicon().known | people.word_set("not_name_words")


def registration_changes_from(text: str) -> dict[str, Any] | None:
    """A registered person's wish to change their data, said anywhere ("ganti nama saya jadi
    Siti Aminah Zahra", "ubah kecamatan", "ubah data saya"): the reg_* slots of the new values
    (with "reg_field" naming the field when no value was given, or nothing at all for "ubah
    data"), to pass to ``Outcome(call="registration", slots=...)``. None for any other message
    ("ubah jadwal" is a reschedule)."""
    plain = f" {people.normalize_plain(text)} "
    if not any(f" {w} " in plain for w in people.word_set("edit_words")):
        return None
    field = _field_in(text)
    if field is None:
        wanted = any(f" {w} " in plain for w in people.word_set("registration_words"))
        return {} if wanted else None
    value = people.value_after_field(text)
    changes: dict[str, Any] = {}
    if field == "name" and value:
        reading = people.read_name(value)
        if reading.name:
            changes["reg_name"] = reading.name
            if reading.salutation:
                changes["reg_salutation"] = reading.salutation
    elif field == "kecamatan" and value:
        changes["reg_kecamatan"] = value[:MAX_KECAMATAN]
    elif field == "organisation" and value:
        organisation = people.read_organisation(value)
        if organisation:
            changes["reg_organisation"] = organisation
    elif field == "category":
        category = people.read_category(value or text)
        if category:
            changes["reg_category"] = category
    return changes or {"reg_field": field}


def _missing(slots: Mapping[str, Any]) -> str:
    """The first thing still to ask, or "confirm"."""
    if not slots.get("reg_name"):
        return "name"
    if slots.get("reg_category") not in CATEGORIES:
        return "category"
    if slots["reg_category"] in NEEDS_ORGANISATION and "reg_organisation" not in slots:
        return "organisation"
    if not slots.get("reg_kecamatan") or "reg_regency" not in slots:
        return "kecamatan"
    return "confirm"


def _next(ctx: Context, changes: dict[str, Any], say: list[Say] | None = None) -> Outcome:
    """Apply the changes and go to the next question (or the confirmation)."""
    merged = {**ctx.slots, **changes}
    merged = {k: v for k, v in merged.items() if v is not None}
    return Outcome(
        say=say or [],
        goto=_missing(merged),
        slots={**changes, "reg_tries": None, "reg_typed": None},
    )


def home_kecamatan_ending(ctx: Context, found: dict[str, Any]) -> dict[str, Any]:
    """ "KUD Mina Bahari Kronjo", "KPRI Guru Bhakti Tigaraksa": a kecamatan of the clinic's
    regency ending the organisation's name is where it is (the name keeps it)."""
    organisation = str(found.get("reg_organisation") or "")
    words = organisation.split()
    if found.get("reg_kecamatan") or len(words) < ENDING_MIN_WORDS:
        return found
    home = places.home_regency(ctx.session)
    last = words[-1]
    guess = places.read_kecamatan(last, home, common=_common_words())
    if (
        home is None
        or guess is None
        or guess.district is None
        or guess.district.regency.name != home.name
        or places.key(guess.district.name) != places.key(last)
    ):
        return found
    return {**found, "reg_kecamatan": guess.district.name}


ENDING_MIN_WORDS = 3  # a kind, a name, and the place: "KSP Karya Legok"


def _also_said(ctx: Context, text: str, *, name: bool = True) -> dict[str, Any]:
    """Fields said alongside an answer that are still missing ("Budi dari KSP Sejahtera,
    Cikupa" at the name question gives the organisation and kecamatan too)."""
    found = home_kecamatan_ending(ctx, registration_slots_from(text))
    if not name:
        found.pop("reg_name", None)
        found.pop("reg_salutation", None)
    changes: dict[str, Any] = {}
    for slot, value in found.items():
        if ctx.slots.get(slot) in (None, "") or (slot == "reg_kecamatan" and not _has_place(ctx)):
            changes[slot] = value
    if "reg_kecamatan" in changes:
        changes.update(_place_changes(ctx, changes.pop("reg_kecamatan")))
    if changes.get("reg_category") == "warga":
        changes["reg_organisation"] = None
    return changes


def _has_place(ctx: Context) -> bool:
    return bool(ctx.slots.get("reg_kecamatan")) and "reg_regency" in ctx.slots


def _place_changes(ctx: Context, text: str) -> dict[str, Any]:
    """A kecamatan said in passing, kept only when it is clearly one place."""
    home = places.home_regency(ctx.session)
    guess = places.read_kecamatan(_after_self_correction(text), home, common=_common_words())
    if guess is None or guess.district is None:
        return {}
    elsewhere = home is not None and guess.district.regency.name != home.name
    if elsewhere and not PLACE_MARKER.search(text):
        return {}  # a word that happens to be a kecamatan far away, said in passing
    return _district_slots(guess.district)


PLACE_MARKER = re.compile(r"\b(kec|kecamatan|kab|kabupaten|kota|district)\b", re.IGNORECASE)
PLACE_AT_START = re.compile(r"^\s*(?:di\s+)?(?:kec|kecamatan|district)\b\.?", re.IGNORECASE)


def _district_slots(district: places.District) -> dict[str, Any]:
    return {"reg_kecamatan": district.name, "reg_regency": district.regency.name}


# --- retries ------------------------------------------------------------------------------


def _attempt(ctx: Context, at: str) -> int:
    tries = ctx.slots.get("reg_tries") or {}
    return int(tries.get("n", 0)) + 1 if tries.get("at") == at else 1


def _retry(
    ctx: Context, at: str, key: str, changes: dict[str, Any] | None = None, **vars: Any
) -> Outcome:
    """The question again, explained differently each time: why and an example first, then
    another wording and example, then the menu or a person offered as well. A new kind of
    answer (a question after a complaint) gets its own explanation again."""
    attempt = _attempt(ctx, at)
    reason = vars.get("reason")
    category = ctx.slots.get("reg_category") or ctx.contact.category
    changes = {**booking_details.noted_while_registering(ctx, category), **(changes or {})}
    before = (ctx.slots.get("reg_tries") or {}).get("why")
    changed = attempt > 1 and reason is not None and reason != before
    say = Say(
        f"registration.{key}",
        {"reason": None, **vars, "attempt": attempt, "changed": changed, **_person(ctx, ctx.slots)},
    )
    tries = {"at": at, "n": attempt, "why": reason}
    return Outcome(say=[say], slots={**changes, "reg_tries": tries})


def _person(ctx: Context, slots: Mapping[str, Any]) -> dict[str, Any]:
    """The name and the form of address for the texts; a title the WhatsApp profile states
    ("Pak Darmo") stands in for one not said."""
    return {"name": slots.get("reg_name"), "salutation": _salutation(ctx, slots)}


def _salutation(ctx: Context, slots: Mapping[str, Any]) -> str | None:
    said = slots.get("reg_salutation")
    return said or people.profile_title(ctx.contact.profile_name, slots.get("reg_name"))


# --- prompts ------------------------------------------------------------------------------


def _summary_vars(slots: Mapping[str, Any], ctx: Context) -> dict[str, Any]:
    home = places.home_regency(ctx.session)
    regency = slots.get("reg_regency")
    return {
        **_person(ctx, slots),
        "category": slots.get("reg_category"),
        "organisation": slots.get("reg_organisation") or None,
        "kecamatan": slots.get("reg_kecamatan"),
        "regency": regency or None,
        "home": home.name if home else None,
        "outside": bool(home and regency and regency != home.name),
        "unlisted": regency == "",
    }


def _examples(ctx: Context, near: str = "") -> list[str]:
    home = places.home_regency(ctx.session)
    if home is None:
        return []
    return [d.name for d in places.nearest_in(home, near or "", limit=3)]


def _prompt_name(ctx: Context, slots: Mapping[str, Any]) -> list[Say]:
    noted = {
        "known": _known_parts(slots),
        "noted_category": slots.get("reg_category"),
        "noted_organisation": slots.get("reg_organisation"),
        "noted_kecamatan": slots.get("reg_kecamatan"),
    }
    profile = people.profile_reading(ctx.contact.profile_name)["name"]
    return [Say("registration.ask_name", {**noted, **_person(ctx, slots), "profile": profile})]


def _prompt_category(ctx: Context, slots: Mapping[str, Any]) -> list[Say]:
    return [Say("registration.ask_category", _person(ctx, slots))]


def _prompt_organisation(ctx: Context, slots: Mapping[str, Any]) -> list[Say]:
    return [
        Say(
            "registration.ask_organisation",
            {**_person(ctx, slots), "category": slots.get("reg_category")},
        )
    ]


def _prompt_kecamatan(ctx: Context, slots: Mapping[str, Any]) -> list[Say]:
    home = places.home_regency(ctx.session)
    return [
        Say(
            "registration.ask_kecamatan",
            {
                **_person(ctx, slots),
                "home": home.name if home else None,
                "examples": _examples(ctx),
            },
        )
    ]


def _prompt_pick(ctx: Context, slots: Mapping[str, Any]) -> list[Say]:
    options = _options(slots)
    return [
        Say(
            "registration.pick_kecamatan",
            {
                "typed": slots.get("reg_typed"),
                "options": [{"name": d.name, "regency": d.regency.name} for d in options],
            },
        )
    ]


def _prompt_confirm(ctx: Context, slots: Mapping[str, Any]) -> list[Say]:
    return [Say("registration.confirm", _summary_vars(slots, ctx))]


def _prompt_fix(ctx: Context, slots: Mapping[str, Any]) -> list[Say]:
    return [Say("registration.which_field", _summary_vars(slots, ctx))]


def _known_parts(slots: Mapping[str, Any]) -> list[str]:
    """What was already understood, mentioned when asking for the rest."""
    return [f for f in ("category", "organisation", "kecamatan") if slots.get(f"reg_{f}")]


def _options(slots: Mapping[str, Any]) -> list[places.District]:
    codes = slots.get("reg_options") or []
    by_code = {d.code: d for d in places.districts()}
    return [by_code[c] for c in codes if c in by_code]


PROMPTS: dict[str, Callable[[Context, Mapping[str, Any]], list[Say]]] = {
    "name": _prompt_name,
    "category": _prompt_category,
    "organisation": _prompt_organisation,
    "kecamatan": _prompt_kecamatan,
    "kecamatan_pick": _prompt_pick,
    "confirm": _prompt_confirm,
    "which_field": _prompt_fix,
}


def _from_contact(ctx: Context) -> dict[str, Any]:
    """A registered person's saved data, as slots (to show or change it)."""
    contact = ctx.contact
    return {
        "reg_name": contact.name,
        "reg_salutation": contact.salutation,
        "reg_category": contact.category,
        "reg_organisation": contact.organisation or "",
        "reg_kecamatan": contact.kecamatan,
        # None for someone registered before regencies were kept: their kecamatan is checked
        "reg_regency": contact.regency,
    }


def ask_prompt(ctx: Context) -> Prompted:
    """The first question still open. What the person said before is used: the fields in
    the message that started the registration (and slots the caller passed), a registered
    person's saved data (shown to change), a kecamatan said in passing (checked)."""
    asking = ctx.slots.get("reg_asking")
    if asking is not None and ctx.repeat:
        return Prompted(PROMPTS[asking](ctx, ctx.slots), {})
    first = ctx.slots.get("reg_first")
    if first is not None:  # back here with "kembali": the first question again
        return Prompted(PROMPTS[first](ctx, ctx.slots), {"reg_asking": first})
    slots = dict(ctx.slots)
    changes: dict[str, Any] = {}
    for slot, value in registration_slots_from(ctx.text).items():
        if slots.get(slot) in (None, ""):
            changes[slot] = value
    given = {k for k in SLOTS if {**slots, **changes}.get(k) is not None}
    field = slots.pop("reg_field", None)
    if field is not None:
        changes["reg_field"] = None
        given.discard("reg_field")
    if is_registered(ctx.contact):
        if field in FIELDS and not given:
            asking = field  # "ubah kecamatan": that question straight away
        elif not given:
            asking = "which_field"  # they asked to change their data
        for slot, value in _from_contact(ctx).items():
            if value is not None and slot not in slots and slot not in changes:
                changes[slot] = value
    slots.update(changes)
    if slots.get("reg_kecamatan") and "reg_regency" not in slots:
        home = places.home_regency(ctx.session)
        guess = places.read_kecamatan(slots["reg_kecamatan"], home, common=_common_words())
        if guess is not None and guess.district is not None:
            changes.update(_district_slots(guess.district))
        elif guess is not None and guess.options:
            changes.update(
                reg_options=[d.code for d in guess.options],
                reg_typed=slots["reg_kecamatan"],
                reg_kecamatan=None,
            )
            asking = asking or "kecamatan_pick"
        else:
            changes["reg_kecamatan"] = None
        slots.update(changes)
        slots = {k: v for k, v in slots.items() if v is not None}
    asking = asking or _missing(slots)
    changes.update(reg_asking=asking, reg_first=asking)
    return Prompted(PROMPTS[asking](ctx, slots), changes)


# --- steps --------------------------------------------------------------------------------

STEP_TARGETS = ("name", "category", "organisation", "kecamatan", "kecamatan_pick", "confirm")


def name_answer(ctx: Context) -> Outcome:
    """A name, without lead-ins ("nama saya", "kulo", "I'm") and with the title kept as the
    form of address; a sentence, complaint or question is not a name."""
    reading = people.read_name(_after_remark(ctx.text))  # "kan sudah saya sebut, Hendra"
    if reading.name is None:  # "it's for my mother, her name is Sri Wahyuni. She's in ..."
        reading = people.name_in(ctx.text) or reading
    profile = people.profile_reading(ctx.contact.profile_name)["name"]
    said_yes = _yes_or_no(ctx) == "yes" and not ctx.text.strip().rstrip(".!").isdigit()
    if reading.name is None and profile and said_yes:
        # "ya" / "ok" to "if your name is Yanti, reply yes": the WhatsApp name, titles read
        reading = people.read_name(ctx.contact.profile_name or "")
    # the name itself is not mined for places ("Bambang" is also a kecamatan far away)
    mined = (reading.rest or "") if reading.name else ctx.text
    if reading.name and reading.name in ctx.text:  # the rest as written, quotes kept
        mined = ctx.text.replace(reading.name, " ")
    also = _also_said(ctx, mined, name=False) if mined else {}
    if reading.name is None or len(reading.name) > MAX_NAME:
        reason = "story" if _tells_a_story(ctx, reading.problem) else reading.problem
        return _retry(ctx, "name", "bad_name", also, reason=reason, known=bool(also))
    changes = {**also, "reg_name": reading.name}
    if reading.salutation or not ctx.slots.get("reg_salutation"):
        changes["reg_salutation"] = reading.salutation
    person = _person(ctx, {**ctx.slots, **changes})
    thanks = "registration.sorry" if reading.annoyed else "registration.noted"
    return _next(ctx, changes, [Say(thanks, person)])


LEADING_CHOICE = re.compile(r"^\s*(?:(?:nu|yg|yang|no|nomor|pilih)\s+)?([1-4])(?:[\s,.)]|$)", re.I)


def category_answer(ctx: Context) -> Outcome:
    """Cooperative (conventional or syariah), small business, or a citizen, by number or in
    words, minding negations ("koperasi biasa, bukan syariah")."""
    picked = choice(ctx, ["1", "2", "3", "4"]) if len(ctx.text.split()) <= 3 else None
    leading = LEADING_CHOICE.match(ctx.text)
    if picked is None and leading:  # "4 kak, koperasinya kan blm ada", "3, as I said ..."
        picked = int(leading.group(1)) - 1
    if picked is not None and any(ch.isdigit() for ch in ctx.text):
        category: str | None = CATEGORIES[picked]
    else:
        category = people.read_category(ctx.text)
        if category is None:
            organisation = people.organisation_in(ctx.text)
            category = people.category_of_organisation(organisation) if organisation else None
    also = _also_said(ctx, ctx.text)
    if category is None:
        told = story_in(ctx.text, (), ctx.today) is not None or bool(
            booking_details.noted_while_registering(ctx, None)
        )  # "abdi hoyong konsultasi perkawis kemasan ...": kept for the booking
        reason = "story" if told and not faq.is_question(ctx.text) else None
        return _retry(ctx, "category", "bad_category", also, reason=reason)
    changes = {**also, "reg_category": category}
    if category == "warga":
        changes["reg_organisation"] = None
    elif ctx.slots.get("reg_category") != category and ctx.slots.get("reg_organisation") == "":
        changes["reg_organisation"] = None  # ask for the name of the new kind
    return _next(ctx, changes)


def organisation_answer(ctx: Context) -> Outcome:
    """The cooperative's or business's name ("KSPPS Berkah Umat", "namanya Keripik Mak Eni");
    "belum ada" when it has none yet."""
    reading = people.read_name(ctx.text)
    quoted = QUOTED.search(ctx.text)
    if quoted and _says_none(ctx):  # "blm ada nama resmi, biasanya sy pake "Dapur Rina" di ig"
        named = people.read_organisation(quoted.group(1))
        if named:
            return _next(ctx, {"reg_organisation": named})
    if _says_none(ctx):
        changes: dict[str, Any] = {"reg_organisation": ""}
        category = people.read_category(ctx.text)
        if category == "warga" and ctx.slots.get("reg_category") != "warga":
            changes["reg_category"] = "warga"  # "saya mahasiswa. belum ada koperasinya"
        return _next(ctx, changes)
    if PLACE_AT_START.match(ctx.text):  # "kec. Sepatan" is where, not the business's name
        place = _place_changes(ctx, ctx.text)
        if place:
            return _retry(
                ctx,
                "organisation",
                "bad_organisation",
                place,
                reason="place",
                category=ctx.slots.get("reg_category"),
            )
    # "kan tadi sudah saya sebut, Rendang Uni Ros": the name after the remark
    # "Es Teh Segerr (pake 2 r ya kak)": a remark in brackets is no part of the name
    answer = re.sub(r"\s*\([^()A-Z]*\)", "", _after_remark(ctx.text)).strip() or ctx.text
    organisation = _with_and_part(answer, people.read_organisation(answer))
    organisation = EMOJI.sub("", organisation).strip() if organisation else organisation
    if organisation is not None and (
        len(organisation) < MIN_ORGANISATION
        or (len(ctx.text.split()) <= YES_WORDS and _yes_or_no(ctx) is not None)
    ):
        organisation = None  # "y", "ok": no business is called that
    # "Batik Sekar Ayu kak, tadi udh sy tulis": annoyed at being asked again, yet an answer
    repeated = answer != ctx.text or mentions(ctx, words("already_said"), typos=False)
    unclear = (
        organisation is None
        or reading.problem in ("chatter", "question", "nonsense", "title_only")
        or (reading.problem == "complaint" and not repeated)
        or len(organisation) > MAX_ORGANISATION
    )
    also = _also_said(ctx, ctx.text, name=False)
    also.pop("reg_organisation", None)
    if organisation is not None and _tells_a_story(ctx, reading.problem) and not repeated:
        unclear = True  # "tp katanya hrs ada PIRT sm sertifikat halal dulu": the problem
    if organisation is not None and asks_for_a_consultation(ctx.text):
        unclear = True  # "abdi hoyong konsultasi perkawis kemasan, margi ...": the request
    if organisation is not None and _schedules(organisation, ctx.today):
        unclear = True  # "Tiasa enjing jam 2 siang? ...": a time wished, kept for the booking
    if unclear or organisation is None:
        told = (
            _tells_a_story(ctx, reading.problem)
            or asks_for_a_consultation(ctx.text)
            or bool(organisation and _schedules(organisation, ctx.today))
        )
        reason = "story" if told else reading.problem
        return _retry(
            ctx,
            "organisation",
            "bad_organisation",
            also,
            reason=reason,
            category=ctx.slots.get("reg_category"),
        )
    return _next(ctx, {**also, "reg_organisation": organisation})


AND_PART = re.compile(r"\s+(?:dan|&)\s+((?:[A-Z][\w'.-]*\s*){1,4})[.,!]?\s*$")


def _with_and_part(text: str, organisation: str | None) -> str | None:
    """ "Koperasi Warakauri dan Purnawirawan Bhakti Sejahtera.": a name that goes on after
    "dan" with capitalised words to the end of the answer is one name."""
    if not organisation:
        return organisation
    at = text.find(organisation)
    rest = AND_PART.match(text[at + len(organisation) :]) if at >= 0 else None
    if rest is None:
        return organisation
    return f"{organisation} dan {rest.group(1).strip().rstrip('.,!')}"[:MAX_ORGANISATION]


def _schedules(text: str, today: dt.date) -> bool:
    """A time, or a day ahead asked about: no organisation's name does ("Tiasa enjing jam
    2"), though a day may be part of one ("Warung Jumat Berkah")."""
    if parse_time(text) is not None:
        return True
    day = parse_date(text, today, now_is_a_day=False)
    return day is not None and day >= today and text.rstrip().endswith("?")


def _tells_a_story(ctx: Context, problem: str | None) -> bool:
    """A bubble that goes on telling the problem, sent while a registration question was
    open: kept with the conversation (the problem step offers it back), not a wrong answer."""
    if problem in (None, "digits", "empty", "title_only") or faq.is_question(ctx.text):
        return False
    if problem == "complaint" and _complains(ctx.text):  # "kok ribet banget sih"
        return False
    return story_in(ctx.text, (), ctx.today) is not None


ALREADY_WORDS = frozenset(
    {"sudah", "udah", "udh", "sdh", "already", "sampun", "wis", "uwis", "tadi"}
)


def _complains(text: str) -> bool:
    """Words of annoyance other than "udah" ("buku kas ga balance udh 3 bulan" tells)."""
    lows = {w.strip(",.!?").lower() for w in text.split()}
    return is_complaint(text) or bool(lows & (people.word_set("complaint_words") - ALREADY_WORDS))


def _says_none(ctx: Context) -> bool:
    """ "belum ada", and "blm ada nama usaha, jualan dr rumah aja": no name yet, said first."""
    text = f" {people.normalize_plain(ctx.text)} "
    clauses = [f" {people.normalize_plain(c)} " for c in CLAUSE_END.split(ctx.text)]
    nones = people.word_set("no_organisation")
    if any(f" {p} " in text for p in nones) and len(ctx.text.split()) <= NONE_MAX_WORDS:
        return True
    # "belum ada kan sy blm buka usaha pak"; "saya mahasiswa. belum ada koperasinya"
    return any(
        any(clause.startswith(f" {p} ") for p in nones)
        and len(clause.split()) <= (NONE_FIRST_CLAUSE_WORDS if at == 0 else NONE_CLAUSE_WORDS)
        for at, clause in enumerate(clauses)
    )


NONE_MAX_WORDS = 6
MIN_ORGANISATION = 2
YES_WORDS = 2  # "y", "ok sip": an answer to no question asked here
NONE_FIRST_CLAUSE_WORDS = 8
NONE_CLAUSE_WORDS = 4


CLAUSE_END = re.compile(r"[,.;!?\n]")
QUOTED = re.compile(r"(?<!\w)[\"“”']([^\"“”']{2,60})[\"“”'](?!\w)")


def kecamatan_answer(ctx: Context) -> Outcome:
    """The kecamatan, checked against the clinic's regency: "Cikupa", "kec. cikupa" and
    "cikupaa" are Cikupa; one of another regency is kept with a note; an unclear one is
    offered as the nearest kecamatan; one not in the list at all is kept when said twice."""
    text = " ".join(ctx.text.split())
    also = _also_said(ctx, text, name=False)
    also.pop("reg_kecamatan", None)
    also.pop("reg_regency", None)
    plain = f" {people.normalize_plain(text)} "
    if any(f" {p} " in plain for p in people.word_set("unknown")):
        return _retry(
            ctx, "kecamatan", "bad_kecamatan", also, reason="unknown", examples=_examples(ctx)
        )
    home = places.home_regency(ctx.session)
    guess = places.read_kecamatan(_after_self_correction(text), home, common=_common_words())
    if guess is not None and guess.district is not None:
        return _next(ctx, {**also, **_district_slots(guess.district)})
    if guess is not None and guess.options and _tells_a_story(ctx, "sentence"):
        # "mo konsul soal laporan keuangan, neraca kami gak pernah balance": kept for the
        # booking, and the kecamatan asked again; no place is guessed from a story
        return _retry(ctx, "kecamatan", "bad_kecamatan", also, reason="story")
    if guess is not None and guess.options:
        return Outcome(
            goto="kecamatan_pick",
            slots={
                **also,
                "reg_options": [d.code for d in guess.options],
                "reg_typed": text,
                "reg_tries": None,
            },
        )
    place = _place_like(text)
    if (
        place
        and ctx.slots.get("reg_typed")
        and places.key(ctx.slots["reg_typed"]) == places.key(place)
    ):
        return _next(ctx, {**also, "reg_kecamatan": place, "reg_regency": ""})
    return _retry(
        ctx,
        "kecamatan",
        "bad_kecamatan",
        {**also, "reg_typed": place},
        reason="not_found" if place else people.read_name(text).problem,
        typed=place,
        examples=_examples(ctx, place or ""),
    )


def _place_like(text: str) -> str | None:
    """The answer as a place name of its own ("Mekarsari"), or None for a sentence."""
    words = text.strip(" .,!").split()
    if not words or len(words) > 4 or len(text) > MAX_KECAMATAN:
        return None
    reading = people.read_name(text)
    if reading.name is None:
        return None
    return people.tidy_name(words)


def pick_answer(ctx: Context) -> Outcome:
    """One of the kecamatan offered, by number or name; anything else is a new answer."""
    options = _options(ctx.slots)
    labels = [d.name for d in options]
    picked = choice(ctx, [str(i + 1) for i in range(len(options))])
    if picked is None and labels:
        picked = choice(ctx, labels)
    if picked is not None:
        return _next(ctx, {**_district_slots(options[picked]), "reg_options": None})
    if confirmation(ctx) == "no":
        return Outcome(goto="kecamatan", slots={"reg_options": None})
    return kecamatan_answer(ctx)


def confirm_answer(ctx: Context) -> Outcome:
    """ "Ya" saves; "ubah nama" changes the name only; a new value said here replaces the
    old one ("kecamatannya Balaraja"); "ubah" asks which field."""
    field = _field_named(ctx)
    update = _corrections(ctx, field) or _corrections_by_clause(ctx)
    hint = people.salutation_hint(ctx.text)  # "leres, tapi kulo ibu2 lho, dudu bapak"
    if (
        hint
        and hint != ctx.slots.get("reg_salutation")
        and ctx.slots.get("reg_salutation")
        not in (
            "haji",
            "hajjah",
        )
    ):
        update = {**update, "reg_salutation": hint}
    # "ya, betul nama saya Haji Sukardi": the same values said again change nothing
    update = {k: v for k, v in update.items() if v != ctx.slots.get(k)}
    if update:
        return Outcome(goto="confirm", slots={**update, "reg_tries": None})
    if field is None and _agrees_then_tells(ctx):
        # "Iya nak. Begini, kami bingung cara menghitung SHU ... takut salah hitung": yes,
        # and the story goes on to the booking
        return _saved_going_on(ctx)
    answer = _yes_or_no(ctx)
    if answer == "yes":  # "ya betul, koperasi kami" names a field but changes nothing
        return _save(ctx)
    if field is not None:
        return Outcome(goto=field, slots={"reg_tries": None})
    if answer == "no" or _mentions(ctx, "edit_words"):
        return Outcome(goto="which_field", slots={"reg_tries": None})
    if asks_for_a_consultation(ctx.text) and not ctx.text.rstrip().endswith("?"):
        # "mau daftar konsul soal RAT kami blm bs laksanain 2 thn": past the card to the
        # booking, which keeps what they said of it
        return _saved_going_on(ctx)
    return _retry(ctx, "confirm", "bad_confirm")


AGREEMENT_WORDS = 3  # "Iya nak.", "nggih leres pak."


def _agrees_then_tells(ctx: Context) -> bool:
    """A short yes as its own sentence, then a story ("Iya nak. Begini, kami bingung ...")."""
    sentences = [c.strip() for c in re.split(r"(?<=[.!?\n])\s+", ctx.text.strip()) if c.strip()]
    if len(sentences) < 2 or len(sentences[0].split()) > AGREEMENT_WORDS:
        return False
    first = dataclasses.replace(ctx, inbound=dataclasses.replace(ctx.inbound, body=sentences[0]))
    return _yes_or_no(first) == "yes" and len(" ".join(sentences[1:]).split()) >= AGREEMENT_WORDS


def _saved_going_on(ctx: Context) -> Outcome:
    """Save the data shown, keeping the booking details and the story of the message."""
    category = ctx.slots.get("reg_category")
    noted = booking_details.noted_while_registering(ctx, category)
    known = [str(ctx.slots.get(k) or "") for k in ("reg_name", "reg_organisation", "reg_kecamatan")]
    story = story_in(ctx.text, known, ctx.today)
    saved = _save(ctx)
    saved.slots = {**saved.slots, **noted, **({"story": story} if story else {})}
    return saved


def which_field_answer(ctx: Context) -> Outcome:
    """Which field to change: by number (1 name, 2 category, 3 organisation, 4 kecamatan), by
    its name, or by giving the new value straight away."""
    field = _field_named(ctx)
    update = _corrections(ctx, field)
    if update:
        return Outcome(goto="confirm", slots={**update, "reg_tries": None})
    if ctx.text.strip().rstrip(".") in ("1", "2", "3", "4"):
        field = FIELDS[int(ctx.text.strip().rstrip(".")) - 1]
    if field == "organisation" and ctx.slots.get("reg_category") not in NEEDS_ORGANISATION:
        field = "category"
    if field is not None:
        return Outcome(goto=field, slots={"reg_tries": None})
    if _yes_or_no(ctx) is not None or _mentions(ctx, "no_organisation"):
        return Outcome(goto="confirm", slots={"reg_tries": None})  # nothing to change after all
    return _retry(ctx, "which_field", "bad_field")


def _yes_or_no(ctx: Context) -> str | None:
    """ "yes" for 1, "ya", "nggih", "muhun leres", "yes"; "no" for 2, "bukan", "salah"."""
    bare = ctx.text.strip().rstrip(".!")
    if bare in ("1", "2"):
        return "yes" if bare == "1" else "no"
    words = people.normalize_plain(ctx.text).split()
    if words and words[0] in people.word_set("yes_words") and not _mentions(ctx, "edit_words"):
        return "yes"
    if " ".join(words[:2]) in people.word_set("yes_words"):
        return "yes"
    answer = confirmation(ctx)
    return answer if answer in ("yes", "no") else None


def _mentions(ctx: Context, table: str) -> bool:
    text = f" {people.normalize_plain(ctx.text)} "
    return any(f" {p} " in text for p in people.word_set(table))


def _field_named(ctx: Context) -> str | None:
    """The field a change request names ("ubah nama", "kecamatannya salah"), if one."""
    return _field_in(ctx.text)


def _field_in(said: str) -> str | None:
    text = f" {people.normalize_plain(said)} "
    named = [
        field
        for field in ("organisation", "kecamatan", "category", "name")
        if any(
            f" {p}{ending} " in text
            for p in people.word_set(f"field_{field}")
            for ending in ("", "nya", "na")
        )
    ]
    if "organisation" in named and "name" in named:
        named.remove("name")  # "nama koperasi" is the organisation
    return named[0] if len(named) == 1 else None


CORRECTION_CLAUSES = re.compile(r"[.,;!?\n]+|,?\s+(?:trus|terus|lalu|dan|juga|also|and)\s+", re.I)


def _corrections_by_clause(ctx: Context) -> dict[str, Any]:
    """Several fields corrected in one message: "namanya lengkapnya Yanti Kusumawati ya. trus
    kecamatannya salah, harusnya Sepatan Timur" changes the name and the kecamatan."""
    clauses: list[str] = []
    for clause in (c.strip() for c in CORRECTION_CLAUSES.split(ctx.text) if c and c.strip()):
        if clauses and _field_in(clause) is None and people.value_after_field(clauses[-1]) is None:
            clauses[-1] = f"{clauses[-1]}, {clause}"  # "kecamatannya salah, harusnya Sepatan"
        else:
            clauses.append(clause)
    if len(clauses) < 2:
        return {}
    changes: dict[str, Any] = {}
    for clause in clauses:
        field = _field_in(clause)
        if field is None or field == "category":
            continue
        said = dataclasses.replace(ctx, inbound=dataclasses.replace(ctx.inbound, body=clause))
        changes.update(_corrections(said, field))
    return changes


def _corrections(ctx: Context, field: str | None) -> dict[str, Any]:
    """New values said at the confirmation: "ubah nama jadi Sutrisno Hadi", "kecamatannya
    Balaraja", "bukan syariah, koperasi biasa"."""
    changes: dict[str, Any]
    value = people.value_after_field(ctx.text)
    if field == "name" and value:
        reading = people.read_name(value)
        if not reading.name:  # "nama saya Sri Wahyuni, yg lain sudah benar": its own clause
            reading = people.name_in(ctx.text) or reading
        if reading.name:
            changes = {"reg_name": reading.name}
            if reading.salutation:
                changes["reg_salutation"] = reading.salutation
            return changes
    if field == "kecamatan" and value:
        home = places.home_regency(ctx.session)
        guess = places.read_kecamatan(value, home, common=_common_words())
        if guess is not None and guess.district is not None:
            return _district_slots(guess.district)
    if field == "organisation" and _says_none(ctx):
        # "the cooperative doesnt exist yet, no name. i'm just a private person for now"
        changes = {"reg_organisation": ""}
        if any(people.read_category(c) == "warga" for c in CLAUSE_END.split(ctx.text)):
            changes["reg_category"] = "warga"
        return changes
    if field == "organisation" and value:
        organisation = people.read_organisation(value)
        if organisation:
            return {"reg_organisation": organisation}
    asks_change = field == "category" or _mentions(ctx, "edit_words") or _mentions(ctx, "negations")
    if field in ("category", None) and asks_change:
        category = people.read_category(ctx.text) if len(ctx.text.split()) > 1 else None
        if category and category != ctx.slots.get("reg_category"):
            changes = {"reg_category": category}
            if category == "warga":
                changes["reg_organisation"] = ""
            return changes
    return {}


def _save(ctx: Context) -> Outcome:
    slots = ctx.slots
    category = slots.get("reg_category")
    register(
        ctx.contact,
        name=slots.get("reg_name"),
        # "sy harun" from the profile "Pak Harun": the profile's title is how to address him
        salutation=_salutation(ctx, slots),
        category=category,
        organisation=(slots.get("reg_organisation") or None) if category != "warga" else None,
        kecamatan=slots.get("reg_kecamatan") or "",
        regency=slots.get("reg_regency") or None,
        now=ctx.now,
    )
    return Outcome(
        say=[Say("registration.saved", _person(ctx, slots))],
        goto=END,
        slots=dict.fromkeys(SLOTS),
    )


HANDLERS: dict[str, Callable[[Context], Outcome]] = {
    "name": name_answer,
    "category": category_answer,
    "organisation": organisation_answer,
    "kecamatan": kecamatan_answer,
    "kecamatan_pick": pick_answer,
    "confirm": confirm_answer,
    "which_field": which_field_answer,
}
SAYS: tuple[str, ...] = (
    "registration.ask_name",
    "registration.bad_name",
    "registration.sorry",
    "registration.noted",
    "registration.ask_category",
    "registration.bad_category",
    "registration.ask_organisation",
    "registration.bad_organisation",
    "registration.ask_kecamatan",
    "registration.bad_kecamatan",
    "registration.pick_kecamatan",
    "registration.confirm",
    "registration.bad_confirm",
    "registration.which_field",
    "registration.bad_field",
    "registration.saved",
)
TARGETS = (*STEP_TARGETS, "which_field", END)
SAYS = (*SAYS, *INFO_SAYS)  # questions answered on the side at the free-text steps


def _aside(ctx: Context) -> Outcome | None:
    """A question about the clinic asked instead of an answer ("kalo hari minggu buka?") is
    answered, and the question asked again. The engine does this at other steps; steps that
    take the person's own words ask here, so that a name is never taken for a command."""
    from bot.flows.registry import discover  # the registry imports this module

    for other in discover().asides():
        assert other.aside is not None
        say = other.aside(ctx)
        if say is not None:
            return Outcome(say=[say], reprompt=True)
    return None


SELF_NAMED = re.compile(r"\b(?:saya|sy|aku|namaku|gue|gw|kulo|abdi|aye|my|i'm|im)\b", re.I)


def _name_corrected(ctx: Context) -> Outcome | None:
    """ "lho nama sy bukan ditunjuk. nama sy Jamaludin" at another question: the name is
    corrected, and the question asked again."""
    if not ctx.slots.get("reg_name") or _field_in(ctx.text) != "name":
        return None
    if not SELF_NAMED.search(ctx.text):  # "namanya Keripik Mak Eni" names the business
        return None
    found = people.name_in(ctx.text)
    if found is None or not found.name or found.name == ctx.slots.get("reg_name"):
        return None
    changes: dict[str, Any] = {"reg_name": found.name, "reg_tries": None}
    if found.salutation:
        changes["reg_salutation"] = found.salutation
    thanks = Say("registration.noted", _person(ctx, {**ctx.slots, **changes}))
    return Outcome(say=[thanks], slots=changes, reprompt=True)


def _with_aside(handler: Callable[[Context], Outcome]) -> Callable[[Context], Outcome]:
    def answer(ctx: Context) -> Outcome:
        return _aside(ctx) or _name_corrected(ctx) or handler(ctx)

    answer.__doc__ = handler.__doc__
    return answer


def _answer_to_start(ctx: Context) -> Outcome:
    """The answer to whatever the start question asked; leaving it forgets what it asked."""
    aside = _aside(ctx)
    if aside is not None:
        return aside
    asking = ctx.slots.get("reg_asking") or "name"
    corrected = _name_corrected(ctx) if asking in ("organisation", "kecamatan") else None
    if corrected is not None:
        return corrected
    outcome = HANDLERS[asking](ctx)
    if outcome.goto is not None:
        outcome.slots = {**outcome.slots, "reg_asking": None}
    return outcome


@flow.step("ask", prompt=ask_prompt, says=SAYS, goes_to=TARGETS, free_text=True, asides=True)
def ask(ctx: Context) -> Outcome:
    """The answer to whatever the start step asked."""
    return _answer_to_start(ctx)


def _name_prompt(ctx: Context) -> list[Say] | Prompted:
    # Entered from outside ("registration.name"), the name step starts like the start step.
    if "reg_first" not in ctx.slots:
        return ask_prompt(ctx)
    return PROMPTS["name"](ctx, ctx.slots)


@flow.step("name", prompt=_name_prompt, says=SAYS, goes_to=TARGETS, free_text=True, asides=True)
def name(ctx: Context) -> Outcome:
    """A name (or, entered from outside, the answer to the first question asked)."""
    if ctx.slots.get("reg_asking"):
        return _answer_to_start(ctx)
    return _aside(ctx) or name_answer(ctx)


def _field_step(name: str, *, free_text: bool) -> None:
    def prompt(ctx: Context) -> list[Say]:
        return PROMPTS[name](ctx, ctx.slots)

    prompt.__doc__ = f"The {name} question."
    handler = _with_aside(HANDLERS[name]) if free_text else HANDLERS[name]
    flow.step(name, prompt=prompt, says=SAYS, goes_to=TARGETS, free_text=free_text)(handler)


for _step, _free in (
    ("category", False),
    ("organisation", True),
    ("kecamatan", True),
    ("kecamatan_pick", False),
    ("confirm", False),
    ("which_field", False),
):
    _field_step(_step, free_text=_free)
