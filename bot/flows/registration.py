"""Registration: who the person is, their organisation and kecamatan (remembered, editable)."""

from __future__ import annotations

import re

from bot.flows.base import END, Context, Flow, Outcome, Say
from bot.flows.common import choice, confirmation, intent_of, mentions
from bot.flows.vocab import words

flow = Flow("registration", start="name")
CATEGORIES = ("koperasi_konvensional", "koperasi_syariah", "umkm", "warga")
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


def _plain(ctx: Context, limit: int) -> str | None:
    """The answer as one tidy line, or None when it is empty, too long or has no letters."""
    text = " ".join(ctx.text.split())
    if not text or len(text) > limit or not LETTERS.search(text):
        return None
    return text


def _strip_prefix(text: str, prefixes: tuple[str, ...]) -> str:
    """Drop lead-ins such as "nama saya" or "no, it's called" (repeatedly)."""
    ordered = sorted(prefixes, key=len, reverse=True)
    stripped = True
    while stripped:
        stripped = False
        for prefix in ordered:
            if text.lower().startswith(prefix) and text[len(prefix) : len(prefix) + 1] in (
                " ",
                ":",
                ",",
                ".",
            ):
                text = text[len(prefix) :].strip(" :,.")
                stripped = True
                break
    return text


def split_name(text: str) -> tuple[str, str | None]:
    """("Budi", "koperasi tani makmur") from "nama saya Budi dari koperasi tani makmur";
    courtesies before the name are dropped, titles after it kept ("Agus, S.E., M.M.")."""
    name = _strip_prefix(text.strip(), words("courtesy"))
    lowered = name.lower()
    for marker in sorted(words("name_markers"), key=len, reverse=True):
        at = lowered.find(marker + " ")
        if at == 0 or (at > 0 and lowered[at - 1] in " ,."):
            name = name[at + len(marker) :].strip(" :,.")
            break
    lowered = name.lower()
    for splitter in words("name_splitters"):
        at = lowered.find(splitter)
        if at <= 0:
            continue
        rest = name[at + len(splitter) :].strip(" ,.")
        if splitter.strip() == "," and _is_title(rest):
            continue
        return name[:at].strip(" ,."), rest or None
    return name.strip(" ,"), None


def _is_title(text: str) -> bool:
    parts = [p.strip(" .").lower() for p in text.replace(",", " ").split()]
    return bool(parts) and all(p.replace(".", "") in _titles() for p in parts)


def _titles() -> set[str]:
    return {t.replace(".", "") for t in words("name_titles")}


def _looks_like_a_name(name: str) -> bool:
    if len(name) < 2 or len(name) > 80 or not LETTERS.search(name):
        return False
    return name.lower().strip(" .") not in words("not_names")


def clean_kecamatan(text: str) -> str:
    """ "Coblong" from "Kami berada di Kecamatan Coblong, Kelurahan Dago"."""
    answer = _strip_prefix(text.strip(), words("kecamatan_prefixes"))
    lowered = f"{answer.lower()} "
    cut = min(
        (lowered.find(stop) for stop in words("kecamatan_stops") if lowered.find(stop) > 0),
        default=-1,
    )
    if cut > 0:
        answer = answer[:cut]
    answer = answer.strip(" ,.")
    return answer.title() if answer.islower() else answer


def _tidy_name(name: str) -> str:
    return name.title() if name.islower() else name


@flow.step(
    "name",
    prompt=("registration.ask_name",),
    says=("registration.bad_name",),
    goes_to=("category",),
    free_text=True,
)
def name(ctx: Context) -> Outcome:
    """The person's name ("nama saya Budi" is Budi; a question or a yes is not a name)."""
    answer = _plain(ctx, 120)
    if answer is None or answer.endswith("?") or intent_of(ctx) is not None:
        return Outcome(say=[Say("registration.bad_name")], understood=False)
    person, organisation = split_name(answer)
    if not _looks_like_a_name(person):
        return Outcome(say=[Say("registration.bad_name")], understood=False)
    return Outcome(
        goto="category", slots={"reg_name": _tidy_name(person), "reg_org_hint": organisation}
    )


@flow.step(
    "category",
    prompt=("registration.ask_category",),
    says=("registration.bad_category",),
    goes_to=("organisation", "kecamatan"),
)
def category(ctx: Context) -> Outcome:
    """Cooperative (conventional or syariah), UMKM, or a citizen."""
    picked = choice(ctx, [str(i + 1) for i in range(len(CATEGORIES))])
    if picked is None:
        # the most specific vocabulary first: "koperasi syariah" must not land on "koperasi"
        for index in (1, 0, 2, 3):
            if mentions(ctx, words(f"category_{CATEGORIES[index]}")):
                picked = index
                break
    if picked is None:
        return Outcome(say=[Say("registration.bad_category")], reprompt=True, understood=False)
    chosen = CATEGORIES[picked]
    if chosen == "warga":
        return Outcome(goto="kecamatan", slots={"reg_category": chosen, "reg_organisation": None})
    return Outcome(goto="organisation", slots={"reg_category": chosen})


def organisation_prompt(ctx: Context) -> list[Say]:
    """Ask for the cooperative's or business's name (suggesting one already mentioned)."""
    return [
        Say(
            "registration.ask_organisation",
            {"category": ctx.slots.get("reg_category"), "suggested": ctx.slots.get("reg_org_hint")},
        )
    ]


@flow.step(
    "organisation",
    prompt=organisation_prompt,
    says=("registration.ask_organisation", "registration.bad_organisation"),
    goes_to=("kecamatan",),
    free_text=True,
)
def organisation(ctx: Context) -> Outcome:
    """The cooperative's or business's name ("ya" takes the one mentioned with the name)."""
    suggested = ctx.slots.get("reg_org_hint")
    answer_word = confirmation(ctx)
    if suggested and answer_word == "yes":
        return Outcome(goto="kecamatan", slots={"reg_organisation": suggested})
    answer = _plain(ctx, 200)
    if answer is not None:
        answer = _strip_prefix(answer, words("organisation_prefixes")) or None
    if answer is None or (answer_word is not None and len(answer.split()) <= 2):
        return Outcome(say=[Say("registration.bad_organisation")], understood=False)
    return Outcome(goto="kecamatan", slots={"reg_organisation": answer})


@flow.step(
    "kecamatan",
    prompt=("registration.ask_kecamatan",),
    says=("registration.bad_kecamatan", "registration.saved"),
    goes_to=("reservation.choose_service", END),
    free_text=True,
)
def kecamatan(ctx: Context) -> Outcome:
    """The kecamatan; then the registration is saved on the contact."""
    answer = _plain(ctx, 120)
    if answer is not None:
        answer = clean_kecamatan(answer)
    unsure = confirmation(ctx) is not None or mentions(ctx, words("unknown"), typos=False)
    if not answer or unsure or len(answer) < 3:
        return Outcome(say=[Say("registration.bad_kecamatan")], understood=False)
    contact = ctx.contact
    contact.name = ctx.slots.get("reg_name") or contact.name
    contact.category = ctx.slots.get("reg_category") or contact.category
    contact.organisation = ctx.slots.get("reg_organisation")
    contact.kecamatan = answer
    if contact.registered_at is None:
        contact.registered_at = ctx.now
    saved = Say("registration.saved", {"contact": contact})
    if ctx.slots.get("after_registration") == "reservation":
        return Outcome(say=[saved], goto="reservation.choose_service")
    return Outcome(say=[saved], goto=END)
