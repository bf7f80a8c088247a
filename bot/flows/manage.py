"""My reservations: list them, reschedule one, or cancel one (only one's own, only upcoming)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from bot.flows import story as story_text
from bot.flows.base import END, Context, Flow, Outcome, Prompted, Say
from bot.flows.common import (
    CLAUSE,
    FAILURE_KEYS,
    SLOT_SAYS,
    ask_slot_again,
    booking_failed,
    choice,
    confirmation,
    intent_of,
    local,
    mentions,
    mode_of,
    offer_requested_slots,
    read_slot_answer,
)
from bot.flows.info import INFO_SAYS, answer_in_words
from bot.flows.vocab import words
from bot.intents import classify, command_of, normalize, parse_date, parse_time
from bot.intents.calendar import calendar as calendar_words
from bot.intents.calendar import clock_tokens
from bot.intents.reading import negations
from bot.intents.shifts import parse_shift
from bot.services import calendar, clinic, reservations
from storage.models import Reservation, Service

flow = Flow("manage", start="list")
CODE = re.compile(r"\bEK[\s-]?(\d{4})[\s-]?(\d{3,})\b", re.IGNORECASE)
SLOT_KEY = "offered_slots"
REASON_MAX_CHARS = 500


def describe(ctx: Context, reservation: Reservation) -> dict[str, object]:
    """A reservation as the templates show it."""
    topic = clinic.topic(ctx.session, reservation.topic_id)
    service = clinic.service(ctx.session, reservation.service_id)
    assert topic is not None and service is not None
    return {
        "code": reservation.code,
        "starts": local(ctx, reservation.starts_at),
        "service": clinic.label(service, ctx.lang),
        "topic": clinic.label(topic, ctx.lang),
        "mode": reservation.mode,
        "status": reservation.status,
        "meeting_link": reservation.meeting_link if reservation.status == "confirmed" else None,
    }


def _upcoming(ctx: Context) -> tuple[list[Reservation], dict[str, object]]:
    """The upcoming reservations, and the slot that remembers their order on the list."""
    found = reservations.upcoming_for(ctx.session, ctx.contact, ctx.now)
    return found, {"listed": [r.id for r in found]}


def _picked(ctx: Context) -> tuple[Reservation | None, str | None]:
    """The reservation the person means (number from the list, or its code), or why not."""
    match = CODE.search(ctx.text)
    if match:
        found = reservations.find_by_code(ctx.session, f"EK-{match.group(1)}-{match.group(2)}")
        if found is None or found.contact_id != ctx.contact.id:
            return None, "manage.not_yours"
        if not reservations.is_upcoming(found, ctx.now):
            return None, "manage.not_upcoming"
        return found, None
    listed: list[int] = ctx.slots.get("listed", [])
    picked = choice(ctx, [str(i + 1) for i in range(len(listed))])
    if picked is None:
        picked = _picked_by_day(ctx, listed)  # "yang kamis"
    if picked is None:
        return None, "manage.bad_pick"
    found = ctx.session.get(Reservation, listed[picked])
    if found is None or not reservations.is_upcoming(found, ctx.now):
        return None, "manage.not_upcoming"
    return found, None


def _picked_by_day(ctx: Context, listed: list[int]) -> int | None:
    """The one listed reservation on the day the message names, if exactly one is."""
    day = parse_date(ctx.text, ctx.today)
    if day is None:
        return None
    on_day = [
        i
        for i, reservation_id in enumerate(listed)
        if (found := ctx.session.get(Reservation, reservation_id)) is not None
        and local(ctx, found.starts_at).date() == day
    ]
    return on_day[0] if len(on_day) == 1 else None


def _pick_prompt(purpose: str) -> Callable[[Context], Prompted]:
    def prompt(ctx: Context) -> Prompted:
        found, listed = _upcoming(ctx)
        items = [describe(ctx, r) for r in found]
        if not items:
            return Prompted([Say("manage.none")], listed)
        return Prompted([Say("manage.pick", {"items": items, "purpose": purpose})], listed)

    return prompt


CHANGE_TARGETS = (
    "reschedule_pick",
    "cancel_pick",
    "reschedule_slot",
    "reschedule_confirm",
    "cancel_reason",
    "cancel_confirm",
)
CHANGE_SAYS = ("manage.none", "manage.not_yours", "manage.not_upcoming", "manage.bad_pick")


@flow.entry(
    "my_reservations",
    intents=("my_reservations",),
    menu=20,
    label="manage.menu_label_list",
    goes_to=("list",),
    says=("manage.none",),
)
def begin_list(ctx: Context) -> Outcome:
    """The person's upcoming reservations (or that there are none)."""
    if not reservations.upcoming_for(ctx.session, ctx.contact, ctx.now):
        return Outcome(say=[Say("manage.none")])
    return Outcome(goto="manage.list")


@flow.entry(
    "reschedule",
    intents=("reschedule",),
    menu=30,
    label="manage.menu_label_reschedule",
    goes_to=CHANGE_TARGETS,
    says=CHANGE_SAYS,
)
def begin_reschedule(ctx: Context) -> Outcome:
    """Move a reservation."""
    return start_change(ctx, "reschedule")


@flow.entry(
    "cancel",
    intents=("cancel",),
    menu=40,
    label="manage.menu_label_cancel",
    goes_to=CHANGE_TARGETS,
    says=CHANGE_SAYS,
)
def begin_cancel(ctx: Context) -> Outcome:
    """Cancel a reservation."""
    return start_change(ctx, "cancel")


@flow.entry(
    "change_mode",
    goes_to=("mode_pick",),
    says=(*CHANGE_SAYS, "manage.mode_changed", "manage.mode_same", *FAILURE_KEYS),
)
def begin_change_mode(ctx: Context) -> Outcome:
    """ "yg senin bisa diubah jadi online?": the same time, the other way of meeting."""
    return start_change(ctx, "mode")


def wanted_mode(ctx: Context) -> str | None:
    """The way of meeting a message asks for ("jadi online aja", "ga jadi online, dateng
    langsung aja"); a way of meeting only refused ("ga jadi dateng") asks for none."""
    return mode_of(ctx, named=True)


def start_change(ctx: Context, purpose: str) -> Outcome:
    """Begin a reschedule or cancel: of the code in the message, of the only upcoming
    reservation, or of one picked from the list. A free time named with a reschedule
    ("ubah jadwal ke kamis jam 10") goes straight to the confirmation. A change that names
    only the way of meeting ("EK-2611-0001 mau diubah ke tatap muka") changes that."""
    names_time = (
        parse_date(ctx.text, ctx.today)
        or parse_time(CODE.sub(" ", ctx.text))
        or parse_shift(ctx.text)
        or mentions(ctx, words("next_week"), typos=False)
    )
    if purpose == "reschedule" and not names_time and wanted_mode(ctx) is not None:
        purpose = "mode"
    if purpose == "cancel" and _moves_instead(ctx):
        purpose = "reschedule"  # "ga jadi dateng jam 2, besok aje jam segitu juga"
    if CODE.search(ctx.text):
        found, problem = _picked(ctx)
        if found is None:
            return Outcome(say=[Say(problem or "manage.bad_pick")])
        return _change(ctx, found, purpose)
    upcoming = reservations.upcoming_for(ctx.session, ctx.contact, ctx.now)
    if not upcoming:
        return Outcome(say=[Say("manage.none")])
    if len(upcoming) == 1:
        return _change(ctx, upcoming[0], purpose)
    which, _wished = _split_at_new_time(CODE.sub(" ", ctx.text), ctx.today)
    named_day = parse_date(which if purpose == "reschedule" else ctx.text, ctx.today)
    on_day = [r for r in upcoming if named_day and local(ctx, r.starts_at).date() == named_day]
    if len(on_day) == 1:  # "yg hari selasa batalin aja", "yg rabu dimundurin ke jumat"
        return _change(ctx, on_day[0], purpose)
    pick = "manage." + PICKS[purpose]
    if purpose == "mode":
        return Outcome(goto=pick, slots={"new_mode": wanted_mode(ctx)})
    return Outcome(goto=pick, slots=_wish(ctx) if purpose == "reschedule" else {})


PICKS = {"reschedule": "reschedule_pick", "cancel": "cancel_pick", "mode": "mode_pick"}


def _moves_instead(ctx: Context) -> bool:
    """Whether words of cancelling come with a new time to move to ("kagak jadi dateng jam 2,
    besok aje ye jam segitu juga", "jangan dibatalin, pindah aje ke besok jam 2")."""
    moving = mentions(ctx, words("move_words") + words("same_time"), typos=False)
    return moving and bool(
        parse_date(ctx.text, ctx.today) or parse_time(ctx.text) or parse_shift(ctx.text)
    )


NEW_TIME_MARKERS = re.compile(r"\b(?:ke|jadi|menjadi|to|into|pindah)\b", re.IGNORECASE)


def _split_at_new_time(text: str, today: dt.date) -> tuple[str, str]:
    """ "yg rabu dimundurin ke jumat" -> ("yg rabu dimundurin", "jumat"): which reservation,
    and the new time (the whole text when no marker separates them). "ga jadi" is no marker,
    nor one that names no time ("switch it to zoom")."""
    markers = [
        m
        for m in NEW_TIME_MARKERS.finditer(text)
        if not (text[: m.start()].split()[-1:] and _negates(text[: m.start()].split()[-1]))
        and _names_a_time(text[m.end() :], today)
    ]
    if not markers or not text[markers[-1].end() :].strip():
        return text, text
    before, after = text[: markers[-1].start()], text[markers[-1].end() :]
    # "ke selasa jam 10 ga? jumat rame": the new time ends with its sentence
    wished = re.split(r"[?!.](?!\d)", after)[0]
    return before, wished if wished.strip() else after


def _names_a_time(text: str, today: dt.date) -> bool:
    return bool(parse_date(text, today) or parse_time(text) or parse_shift(text))


def _negates(word: str) -> bool:
    return normalize(word) in negations()


def _wish(ctx: Context) -> dict[str, object]:
    """The day and time named in the message for the new time (the code and the day of the
    reservation being moved left out), for the slot question."""
    _which, text = _split_at_new_time(CODE.sub(" ", ctx.text), ctx.today)
    day, time = parse_date(text, ctx.today), parse_time(text)
    return {
        "slot_from_day": day.isoformat() if day else None,
        "slot_at_time": time.isoformat() if time else None,
    }


def _change(ctx: Context, reservation: Reservation, purpose: str) -> Outcome:
    prefix = "manage."
    chosen: dict[str, object] = {"reservation_id": reservation.id}
    if purpose == "reschedule" and wanted_mode(ctx) is not None:
        chosen["new_mode"] = wanted_mode(ctx)  # "... same hour? And please switch it to zoom"
    if purpose == "mode":
        return _change_mode(ctx, reservation, wanted_mode(ctx))
    if purpose == "cancel":
        reason = _reason_in(ctx)
        if reason:  # "yg kamis batalin aja, bendahara kami lagi sakit": no need to ask why
            return Outcome(
                goto=prefix + "cancel_confirm", slots={**chosen, "cancel_reason": reason}
            )
        return Outcome(goto=prefix + "cancel_reason", slots=chosen)
    relative = _moved_by_words(
        ctx, reservation, _split_at_new_time(CODE.sub(" ", ctx.text), ctx.today)[1]
    )
    if relative is not None:  # "bisa dimundurin satu jam?", "next week same time"
        relative.slots = {**relative.slots, **chosen}
        return relative
    wish = _later_than_booked(ctx, reservation, _wish(ctx))
    if _names_its_own_time(ctx, reservation, wish):
        # "reservasi senin bisa dimajukan? jam 9 kapagian": the booking's own time says which
        # one, it is no new time (and never "full")
        wish = {**wish, "slot_at_time": None}
    if wish["slot_from_day"] and wish["slot_at_time"]:
        service = _service_of(ctx, reservation)
        wished = _split_at_new_time(CODE.sub(" ", ctx.text), ctx.today)[1]
        answer = read_slot_answer(ctx, service, SLOT_KEY, (), text=wished)
        if answer.chosen is not None and answer.chosen != reservation.starts_at:
            starts = {"starts_at": answer.chosen.isoformat()}
            return Outcome(goto=prefix + "reschedule_confirm", slots={**chosen, **starts})
        wish["slot_missed"] = answer.unavailable
    return Outcome(goto=prefix + "reschedule_slot", slots={**chosen, **wish})


def _names_its_own_time(ctx: Context, reservation: Reservation, wish: dict[str, object]) -> bool:
    current = local(ctx, reservation.starts_at)
    return (
        wish.get("slot_from_day") == current.date().isoformat()
        and wish.get("slot_at_time") == current.time().isoformat()
    )


def _moved_by_words(ctx: Context, reservation: Reservation, text: str) -> Outcome | None:
    """A new time said relative to the reservation's own: "mundur satu jam", "dimajuin
    setengah jam", "diundur 2 hari", "kamis jam yang sama", "next week same time". Goes to the
    confirmation when that time is free, else to the times around it; None when the message
    says no such thing."""
    current = local(ctx, reservation.starts_at)
    # "mundur sejam ga? ada tamu jam 2an": the amount moves it; a time counts only as the new
    # one ("mundur ke jam 11")
    shift = parse_shift(text)
    if shift is not None and parse_time(text) is not None and NEW_TIME_MARKERS.search(text):
        shift = None
    if shift is not None:
        wanted = current + shift
    elif mentions(ctx, words("same_time"), typos=False):
        day = parse_date(text, ctx.today)
        if mentions(ctx, words("next_week"), typos=False) and not _names_a_weekday(text):
            day = current.date() + dt.timedelta(weeks=1)  # "next week same time"
        if day is None:
            return None
        wanted = dt.datetime.combine(day, current.time(), tzinfo=ctx.tz)
    else:
        return None
    service = _service_of(ctx, reservation)
    slot = calendar.slot_at(ctx.session, service, wanted.astimezone(dt.UTC), ctx.tz)
    chosen = {"reservation_id": reservation.id}
    free = slot is not None and calendar.is_bookable(slot, ctx.now)
    if free and slot is not None and slot.starts_at != reservation.starts_at:
        starts = {"starts_at": slot.starts_at.isoformat()}
        return Outcome(goto="manage.reschedule_confirm", slots={**chosen, **starts})
    wish = {
        "slot_from_day": wanted.date().isoformat(),
        "slot_at_time": wanted.time().isoformat(),
        "slot_missed": True,
    }
    return Outcome(goto="manage.reschedule_slot", slots={**chosen, **wish})


NEUTRAL_SHIFTS = frozenset({"geser", "digeser", "geserin"})


def _later_than_booked(
    ctx: Context, reservation: Reservation, wish: dict[str, object]
) -> dict[str, object]:
    """ "bisa dimundurin ke kamis?" for a Friday booking: postponed, so the Thursday after it,
    not this week's."""
    day = wish.get("slot_from_day")
    cal = calendar_words()
    # "geser" only shifts; "mundur", "diundur", "ditunda" postpone
    postponing = cal.word("shift_later") - NEUTRAL_SHIFTS
    postpones = bool(postponing & set(clock_tokens(ctx.text)))
    if not (isinstance(day, str) and postpones and _names_a_weekday(ctx.text)):
        return wish
    booked = local(ctx, reservation.starts_at).date()
    wanted = dt.date.fromisoformat(day)
    while wanted <= booked:
        wanted += dt.timedelta(weeks=1)
    return {**wish, "slot_from_day": wanted.isoformat()}


def _names_a_weekday(text: str) -> bool:
    """Whether a weekday is named ("kamis minggu depan" names Thursday)."""
    cal = calendar_words()
    weekdays = set(cal.weekdays) - cal.word("week")  # "minggu" in "minggu depan" is the week
    return any(word in weekdays for word in clock_tokens(text))


REASON_MIN_WORDS = 3
NEVER_MIND_MAX_WORDS = 5  # "eh ga jadi deh kak": longer, it is a reason to cancel


def _reason_in(ctx: Context) -> str | None:
    """The reason given with a cancel request: the parts that are neither the request nor the
    day ("aya tugas ti pabrik", "something came up")."""
    parts = [
        part.strip()
        for part in CLAUSE.findall(CODE.sub(" ", ctx.text))
        if len(part.split()) >= REASON_MIN_WORDS
        and classify(part) is None
        and parse_date(part, ctx.today) is None
        and part.split()[0].lower() not in words("story_meta_leading")  # "lho bukan mau daftar"
    ]
    reason = ", ".join(parts)
    return reason[:REASON_MAX_CHARS] if reason else None


PICK_SAYS = (
    "manage.pick",
    "manage.none",
    "manage.not_yours",
    "manage.not_upcoming",
    "manage.bad_pick",
)


# --- list ---------------------------------------------------------------------------------


def list_prompt(ctx: Context) -> Prompted:
    """Every upcoming reservation with its code, time, topic, mode, status and link."""
    found, listed = _upcoming(ctx)
    return Prompted([Say("manage.list", {"items": [describe(ctx, r) for r in found]})], listed)


@flow.step(
    "list",
    prompt=list_prompt,
    says=(
        "manage.list",
        "manage.list_hint",
        "main.thanks",
        "main.ok",
        "manage.mode_changed",
        "manage.mode_same",
        *CHANGE_SAYS,
        *INFO_SAYS,
        *FAILURE_KEYS,
    ),
    goes_to=(
        "reschedule_pick",
        "cancel_pick",
        "reschedule_slot",
        "reschedule_confirm",
        "cancel_reason",
        "mode_pick",
        "main.menu",
    ),
    handles=("cancel",),
)
def list_(ctx: Context) -> Outcome:
    """From the list: reschedule (1) or cancel (2); anything else returns to the menu."""
    picked = choice(ctx, ["1", "2"])
    intent = intent_of(ctx)
    if CODE.search(ctx.text):  # "EK-2611-0001 pindah ke rabu jam 10"
        return start_change(ctx, "cancel" if intent == "cancel" else "reschedule")
    if picked == 0 or intent == "reschedule":
        return start_change(ctx, "reschedule")
    if picked == 1 or intent == "cancel":
        return start_change(ctx, "cancel")
    if picked is None and wanted_mode(ctx) is not None:
        return start_change(ctx, "mode")  # "yg selasa itu via zoom aja deh pak"
    if intent == "thanks" or mentions(ctx, words("thanks_words"), typos=False):
        person = {"contact": ctx.contact, "name": ctx.contact.name}
        return Outcome(say=[Say("main.thanks", person)], goto=END)  # "oke aman. makasih pak"
    if intent in ("yes", "no"):
        return Outcome(say=[Say("main.ok")], goto=END)  # "ok", "sip"
    answered = answer_in_words(ctx)  # "link zoom nya kak, buat besok": answered, then at rest
    if answered is not None:
        return Outcome(say=[answered, Say("info.way_back")], goto=END)
    return Outcome(say=[Say("manage.list_hint")], understood=False)


# --- reschedule ---------------------------------------------------------------------------


def _picked_or_answer(ctx: Context) -> Reservation | Outcome:
    """The reservation picked from the list (number or code), or the answer when none is."""
    if not ctx.slots.get("listed") and not CODE.search(ctx.text):
        return Outcome(goto="main.menu")
    found, problem = _picked(ctx)
    if found is None and (
        mentions(ctx, words("no_change") + words("never_mind"), typos=False)
        or intent_of(ctx) == "thanks"
    ):
        return Outcome(goto="main.menu")  # "ga mau ubah kak, cuma mau liat aja"
    if found is None:
        wrong_choice = problem == "manage.bad_pick"
        return Outcome(
            say=[Say(problem or "manage.bad_pick")],
            reprompt=not wrong_choice,
            understood=not wrong_choice,
        )
    return found


def _pick(ctx: Context, target: str) -> Outcome:
    """Take the reservation the person picked (number or code) on to `target`."""
    found = _picked_or_answer(ctx)
    if isinstance(found, Outcome):
        return found
    return Outcome(goto=target, slots={"reservation_id": found.id})


@flow.step(
    "reschedule_pick",
    prompt=_pick_prompt("reschedule"),
    says=PICK_SAYS,
    goes_to=("reschedule_slot", "main.menu"),
)
def reschedule_pick(ctx: Context) -> Outcome:
    """Which reservation to move."""
    return _pick(ctx, "reschedule_slot")


def _reservation(ctx: Context) -> Reservation:
    found = ctx.session.get(Reservation, ctx.slots["reservation_id"])
    assert found is not None
    return found


def _service_of(ctx: Context, reservation: Reservation) -> Service:
    service = clinic.service(ctx.session, reservation.service_id)
    assert service is not None
    return service


def reschedule_slot_prompt(ctx: Context) -> Prompted:
    """Offer new times in the same clinic."""
    reservation = _reservation(ctx)
    offer = offer_requested_slots(ctx, _service_of(ctx, reservation), key=SLOT_KEY)
    if not offer.slots:
        return Prompted(offer.notices, offer.changes)
    chosen = Say("manage.choose_new_slot", {**describe(ctx, reservation), "slots": offer.slots})
    return Prompted([*offer.notices, chosen], offer.changes)


@flow.step(
    "reschedule_slot",
    prompt=reschedule_slot_prompt,
    says=("manage.choose_new_slot", *SLOT_SAYS),
    goes_to=("reschedule_confirm",),
)
def reschedule_slot(ctx: Context) -> Outcome:
    """The new time, by number or in words."""
    reservation = _reservation(ctx)
    relative = _moved_by_words(ctx, reservation, ctx.text)
    if relative is not None:  # "mundur sejam aja dari jadwal awal"
        return relative
    answer = read_slot_answer(ctx, _service_of(ctx, reservation), SLOT_KEY, words("more"))
    if answer.chosen is not None and answer.chosen != reservation.starts_at:
        return Outcome(goto="reschedule_confirm", slots={"starts_at": answer.chosen.isoformat()})
    return ask_slot_again(answer)


@flow.step(
    "reschedule_confirm",
    prompt=lambda ctx: [
        Say(
            "manage.confirm_reschedule",
            {
                **describe(ctx, _reservation(ctx)),
                "new_starts": local(ctx, dt.datetime.fromisoformat(ctx.slots["starts_at"])),
                "new_mode": _mode_to_switch(ctx, _reservation(ctx)),
            },
        )
    ],
    says=(
        "manage.confirm_reschedule",
        "manage.rescheduled",
        "manage.mode_changed",
        "manage.reschedule_yes_no",
        *FAILURE_KEYS,
    ),
    goes_to=("reschedule_slot", END),
)
def reschedule_confirm(ctx: Context) -> Outcome:
    """Yes moves the reservation (atomically); no picks another time. The proposed time said
    again ("aye mo pindah ke besok jam 2") is a yes."""
    answer = "yes" if _names_the_proposed_time(ctx) else confirmation(ctx)
    if answer == "no" or mentions(ctx, words("change_slot")):
        return Outcome(goto="reschedule_slot")
    if answer != "yes":
        return Outcome(say=[Say("manage.reschedule_yes_no")], understood=answer == "wait")
    reservation = _reservation(ctx)
    try:
        reservations.reschedule(
            ctx.session,
            reservation,
            starts_at=dt.datetime.fromisoformat(ctx.slots["starts_at"]),
            now=ctx.now,
            tz=ctx.tz,
        )
    except reservations.BookingError as exc:
        return booking_failed(exc, retry_at="reschedule_slot")
    moved = Say("manage.rescheduled", describe(ctx, reservation))
    mode = _mode_to_switch(ctx, reservation)
    if mode is None:
        return Outcome(say=[moved], goto=END)
    # "push it back by two days, same hour? And please switch it to zoom": both
    reservations.change_mode(ctx.session, reservation, mode=mode, now=ctx.now)
    return Outcome(say=[Say("manage.mode_changed", describe(ctx, reservation))], goto=END)


def _mode_to_switch(ctx: Context, reservation: Reservation) -> str | None:
    """The way of meeting asked for with the move, when it is another one."""
    mode = ctx.slots.get("new_mode")
    return mode if mode and mode != reservation.mode else None


def _names_the_proposed_time(ctx: Context) -> bool:
    proposed = local(ctx, dt.datetime.fromisoformat(ctx.slots["starts_at"]))
    day, time = parse_date(ctx.text, ctx.today), parse_time(ctx.text)
    if time is None or day not in (None, proposed.date()):
        return False
    # "jam 2" at an afternoon clinic is 14.00
    return time.minute == proposed.minute and time.hour in (proposed.hour, proposed.hour - 12)


# --- the way of meeting ---------------------------------------------------------------------


def _change_mode(ctx: Context, reservation: Reservation, mode: str | None) -> Outcome:
    """Switch the reservation to `mode` (the other one when the message did not say)."""
    mode = mode or ("tatap_muka" if reservation.mode == "online" else "online")
    if reservation.mode == mode:
        return Outcome(say=[Say("manage.mode_same", describe(ctx, reservation))], goto=END)
    try:
        reservations.change_mode(ctx.session, reservation, mode=mode, now=ctx.now)
    except reservations.BookingError as exc:
        return booking_failed(exc, retry_at=END)
    return Outcome(say=[Say("manage.mode_changed", describe(ctx, reservation))], goto=END)


@flow.step(
    "mode_pick",
    prompt=_pick_prompt("mode"),
    says=(*PICK_SAYS, "manage.mode_changed", "manage.mode_same", *FAILURE_KEYS),
    goes_to=("main.menu", END),
)
def mode_pick(ctx: Context) -> Outcome:
    """Which reservation changes its way of meeting."""
    found = _picked_or_answer(ctx)
    if isinstance(found, Outcome):
        return found
    return _change_mode(ctx, found, wanted_mode(ctx) or ctx.slots.get("new_mode"))


# --- cancel -------------------------------------------------------------------------------


@flow.step(
    "cancel_pick",
    prompt=_pick_prompt("cancel"),
    says=PICK_SAYS,
    goes_to=("cancel_reason", "main.menu"),
)
def cancel_pick(ctx: Context) -> Outcome:
    """Which reservation to cancel."""
    return _pick(ctx, "cancel_reason")


REASON_LEFT_WORDS = 2  # "mertua meninggal" is reason enough


@flow.step(
    "cancel_reason",
    prompt=lambda ctx: [Say("manage.ask_reason", describe(ctx, _reservation(ctx)))],
    says=(
        "manage.ask_reason",
        "manage.reason_too_long",
        "manage.kept",
        "manage.cancelled",
        "manage.not_upcoming",
    ),
    goes_to=("cancel_confirm", END),
    free_text=True,
    handles=("cancel",),
)
def cancel_reason(ctx: Context) -> Outcome:
    """An optional reason ("-" or "lewati" to skip; a bare "batal" just goes on). "ga jadi"
    keeps the reservation when said alone; inside a longer reason ("pengurus udah ngajak
    ketemu, jd gak jadi dulu") it is why they cancel."""
    if _moves_instead(ctx):  # "eh sekedap, menawi dipindah mawon saged? rebo jam 10"
        return _change(ctx, _reservation(ctx), "reschedule")
    short = len(ctx.text.split()) <= NEVER_MIND_MAX_WORDS
    if short and mentions(ctx, words("never_mind"), typos=False):
        return Outcome(say=[Say("manage.kept", describe(ctx, _reservation(ctx)))], goto=END)
    text = " ".join(ctx.text.split())
    if len(text) > REASON_MAX_CHARS:
        return Outcome(say=[Say("manage.reason_too_long", {"limit": REASON_MAX_CHARS})])
    if confirmation(ctx) == "yes":  # "ya" to "Membatalkan EK-...": they confirmed what they saw
        return _cancel(ctx, _reservation(ctx), reason=None)
    said_cancel = command_of(ctx.text)  # a bare "batal" may be a change of mind: ask once more
    skipped = (
        (mentions(ctx, words("skip")) and len(text) <= 12)
        # "ok", "bentar": no reason; "anak saya dirawat, nanti kalau sudah sembuh ..." is one
        or (confirmation(ctx) is not None and short)
        or (said_cancel is not None and said_cancel.name == "cancel")
    )
    # "kan udh sy bilang td, mertua meninggal": the reason without the remark before it
    reason = None if skipped else story_text.without_lead_in(text, REASON_LEFT_WORDS)
    return Outcome(goto="cancel_confirm", slots={"cancel_reason": reason})


@flow.step(
    "cancel_confirm",
    prompt=lambda ctx: [Say("manage.confirm_cancel", describe(ctx, _reservation(ctx)))],
    says=(
        "manage.confirm_cancel",
        "manage.cancelled",
        "manage.kept",
        "manage.not_upcoming",
        "manage.cancel_yes_no",
    ),
    goes_to=(END,),
    handles=("cancel",),
)
def cancel_confirm(ctx: Context) -> Outcome:
    """Yes cancels and frees the seat; no (or "gak jadi") keeps the reservation; a time to
    move to ("jangan dibatalin, pindah aje ke besok jam 2") moves it instead."""
    reservation = _reservation(ctx)
    if _moves_instead(ctx):
        return _change(ctx, reservation, "reschedule")
    answer = confirmation(ctx)
    if answer == "no" or mentions(ctx, words("never_mind"), typos=False):
        return Outcome(say=[Say("manage.kept", describe(ctx, reservation))], goto=END)
    cancel_word = command_of(ctx.text)
    if answer != "yes" and not (cancel_word and cancel_word.name == "cancel"):
        return Outcome(say=[Say("manage.cancel_yes_no")], understood=answer == "wait")
    return _cancel(ctx, reservation, reason=ctx.slots.get("cancel_reason"))


def _cancel(ctx: Context, reservation: Reservation, *, reason: str | None) -> Outcome:
    try:
        reservations.cancel(ctx.session, reservation, now=ctx.now, reason=reason)
    except reservations.BookingError:
        return Outcome(say=[Say("manage.not_upcoming")], goto=END)
    return Outcome(say=[Say("manage.cancelled", describe(ctx, reservation))], goto=END)
