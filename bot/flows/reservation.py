"""Reserving a consultation: clinic, topic, problem, mode, slot, summary, confirmation."""

from __future__ import annotations

import datetime as dt

from bot.flows.base import END, Context, Flow, Outcome, Say
from bot.flows.common import (
    SLOT_SAYS,
    ask_slot_again,
    best_mention,
    choice,
    confirmation,
    first_word_in,
    local,
    mentions,
    mode_of,
    offer_requested_slots,
    read_slot_answer,
)
from bot.flows.vocab import words
from bot.intents import parse_date, parse_time
from bot.services import calendar, clinic, reservations
from storage.models import Service, Topic

flow = Flow("reservation", start="confirm_profile")
MODES = reservations.MODES
PROBLEM_MIN_CHARS = 10
PROBLEM_MAX_CHARS = 1000
STORY_MIN_WORDS = 4
SLOT_KEY = "offered_slots"


def _service(ctx: Context) -> Service:
    service = ctx.session.get(Service, ctx.slots["service_id"])
    assert service is not None
    return service


def _topic(ctx: Context) -> Topic:
    topic = ctx.session.get(Topic, ctx.slots["topic_id"])
    assert topic is not None
    return topic


# --- profile ------------------------------------------------------------------------------


@flow.step(
    "confirm_profile",
    prompt=lambda ctx: [Say("reservation.confirm_profile", {"contact": ctx.contact})],
    says=("reservation.confirm_profile", "reservation.profile_yes_no"),
    goes_to=("choose_service", "registration.name"),
)
def confirm_profile(ctx: Context) -> Outcome:
    """A returning person checks their registration: go on, or edit it first."""
    answer = confirmation(ctx)
    if answer == "no" or mentions(ctx, words("edit")):
        return Outcome(goto="registration.name", slots={"after_registration": "reservation"})
    if answer == "yes" or mentions(ctx, words("go_on")):
        return Outcome(goto="choose_service")
    return Outcome(say=[Say("reservation.profile_yes_no")], understood=answer == "wait")


# --- clinic and topic ---------------------------------------------------------------------


def service_prompt(ctx: Context) -> list[Say]:
    """List the clinics."""
    services = clinic.active_services(ctx.session)
    ctx.slots["service_ids"] = [s.id for s in services]
    return [
        Say(
            "reservation.choose_service",
            {"services": [clinic.label(s, ctx.lang) for s in services]},
        )
    ]


@flow.step(
    "choose_service",
    prompt=service_prompt,
    says=("reservation.choose_service", "reservation.bad_service"),
    goes_to=("choose_topic",),
)
def choose_service(ctx: Context) -> Outcome:
    """Koperasi or UMKM, by number or by name."""
    ids: list[int] = ctx.slots.get("service_ids", [])
    services = [ctx.session.get(Service, i) for i in ids]
    labels = [clinic.label(s, ctx.lang) for s in services if s is not None]
    picked = choice(ctx, [str(i + 1) for i in range(len(labels))])
    if picked is None:
        for index, service in enumerate(services):
            if service is not None and mentions(ctx, words(f"service_{service.code}")):
                picked = index
                break
    if picked is None:
        picked = choice(ctx, labels)
    if picked is None:
        return Outcome(say=[Say("reservation.bad_service")], reprompt=True, understood=False)
    return Outcome(goto="choose_topic", slots={"service_id": ids[picked]})


def topic_prompt(ctx: Context) -> list[Say]:
    """List the chosen clinic's topics."""
    service = _service(ctx)
    topics = clinic.topics_of(ctx.session, ctx.slots["service_id"])
    ctx.slots["topic_ids"] = [t.id for t in topics]
    return [
        Say(
            "reservation.choose_topic",
            {
                "service": clinic.label(service, ctx.lang),
                "topics": [clinic.label(t, ctx.lang) for t in topics],
            },
        )
    ]


@flow.step(
    "choose_topic",
    prompt=topic_prompt,
    says=("reservation.choose_topic", "reservation.bad_topic"),
    goes_to=("problem",),
)
def choose_topic(ctx: Context) -> Outcome:
    """A topic by number or words ("laporan keuangan", "modal")."""
    ids: list[int] = ctx.slots.get("topic_ids", [])
    topics = [ctx.session.get(Topic, i) for i in ids]
    picked = choice(ctx, [str(i + 1) for i in range(len(ids))])
    if picked is None:
        picked = choice(ctx, [t.name_id if t else "" for t in topics])
    if picked is None:
        picked = choice(ctx, [t.name_en if t else "" for t in topics])
    if picked is None:
        picked = best_mention(ctx, [t.keywords.split(",") if t else [] for t in topics])
    if picked is None:
        return Outcome(say=[Say("reservation.bad_topic")], reprompt=True, understood=False)
    return Outcome(goto="problem", slots={"topic_id": ids[picked]})


# --- problem and mode ---------------------------------------------------------------------


@flow.step(
    "problem",
    prompt=lambda ctx: [
        Say("reservation.ask_problem", {"topic": clinic.label(_topic(ctx), ctx.lang)})
    ],
    says=(
        "reservation.ask_problem",
        "reservation.problem_too_short",
        "reservation.problem_too_long",
    ),
    goes_to=("mode",),
    free_text=True,
)
def problem(ctx: Context) -> Outcome:
    """The problem in the person's own words."""
    text = ctx.text.strip()
    if len(text) < PROBLEM_MIN_CHARS:
        return Outcome(say=[Say("reservation.problem_too_short")])
    if len(text) > PROBLEM_MAX_CHARS:
        return Outcome(say=[Say("reservation.problem_too_long", {"limit": PROBLEM_MAX_CHARS})])
    return Outcome(goto="mode", slots={"problem": text})


def _wished_slot(ctx: Context) -> dt.datetime | None:
    """The slot the person named in their first message ("besok jam 10"), if it is free."""
    day, time = ctx.slots.get("hint_date"), ctx.slots.get("hint_time")
    if not (day and time):
        return None
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time.fromisoformat(time), ctx.tz)
    slot = calendar.slot_at(ctx.session, _service(ctx), moment.astimezone(dt.UTC), ctx.tz)
    return slot.starts_at if slot is not None and calendar.is_bookable(slot, ctx.now) else None


@flow.step(
    "mode",
    prompt=("reservation.choose_mode",),
    says=("reservation.bad_mode", "reservation.noted_time", "reservation.noted_problem"),
    goes_to=("choose_slot", "summary"),
)
def mode(ctx: Context) -> Outcome:
    """Face to face at the office, or online over Zoom (a day and time, or more of the story,
    sent before answering are kept)."""
    picked = choice(ctx, ["1", "2"])
    chosen = MODES[picked] if picked is not None else mode_of(ctx)
    if chosen is None:
        return _mode_not_given(ctx)
    wished = _wished_slot(ctx)
    if wished is not None:
        return Outcome(goto="summary", slots={"mode": chosen, "starts_at": wished.isoformat()})
    return Outcome(goto="choose_slot", slots={"mode": chosen})


def _mode_not_given(ctx: Context) -> Outcome:
    day, time = parse_date(ctx.text, ctx.today), parse_time(ctx.text)
    if day or time:  # "besok jam 10": remember it for the slot question
        hints = {"hint_date": day.isoformat() if day else None}
        hints["hint_time"] = time.isoformat() if time else None
        return Outcome(say=[Say("reservation.noted_time")], reprompt=True, slots=hints)
    if len(ctx.text.split()) >= STORY_MIN_WORDS and not ctx.text.strip().endswith("?"):
        # the story went on in another bubble: add it to the problem
        story = f"{ctx.slots['problem']} {ctx.text.strip()}"[:PROBLEM_MAX_CHARS]
        return Outcome(
            say=[Say("reservation.noted_problem")], reprompt=True, slots={"problem": story}
        )
    return Outcome(say=[Say("reservation.bad_mode")], reprompt=True, understood=False)


# --- slot ---------------------------------------------------------------------------------


def slot_prompt(ctx: Context) -> list[Say]:
    """Offer the nearest free slots (from the day and time the person mentioned, if any)."""
    offered, notices = offer_requested_slots(
        ctx,
        _service(ctx),
        key=SLOT_KEY,
        default_day=ctx.slots.pop("hint_date", None),
        default_time=ctx.slots.pop("hint_time", None),
    )
    if not offered:
        return notices
    return [*notices, Say("reservation.choose_slot", {"slots": offered})]


@flow.step(
    "choose_slot",
    prompt=slot_prompt,
    says=("reservation.choose_slot", "reservation.mode_changed", *SLOT_SAYS),
    goes_to=("summary",),
)
def choose_slot(ctx: Context) -> Outcome:
    """A number from the list, or a day and time in words ("besok jam 10", "senin depan")."""
    answer = read_slot_answer(ctx, _service(ctx), SLOT_KEY, words("more"))
    if answer.chosen is not None:
        return Outcome(goto="summary", slots={"starts_at": answer.chosen.isoformat()})
    new_mode = mode_of(ctx) if not answer.understood else None
    if new_mode and new_mode != ctx.slots["mode"]:  # "eh online aja deh"
        return Outcome(
            say=[Say("reservation.mode_changed", {"mode": new_mode})],
            reprompt=True,
            slots={"mode": new_mode, "slot_repeat": True},
        )
    return ask_slot_again(answer)


# --- summary and booking ------------------------------------------------------------------


def summary_vars(ctx: Context) -> dict[str, object]:
    """What the summary and the confirmation show."""
    starts = dt.datetime.fromisoformat(ctx.slots["starts_at"])
    return {
        "contact": ctx.contact,
        "service": clinic.label(_service(ctx), ctx.lang),
        "topic": clinic.label(_topic(ctx), ctx.lang),
        "problem": ctx.slots["problem"],
        "mode": ctx.slots["mode"],
        "starts": local(ctx, starts),
    }


@flow.step(
    "summary",
    prompt=lambda ctx: [Say("reservation.summary", summary_vars(ctx))],
    says=(
        "reservation.summary",
        "reservation.booked",
        "reservation.slot_taken",
        "reservation.slot_gone",
        "reservation.booking_failed",
        "reservation.confirm_yes_no",
    ),
    goes_to=("choose_slot", END),
)
def summary(ctx: Context) -> Outcome:
    """Yes books the seat (atomically); a new time or mode in words updates the summary;
    no goes back to choosing a time."""
    service = _service(ctx)
    names_time = parse_time(ctx.text) is not None
    names_day = parse_date(ctx.text, ctx.today) is not None
    names_day = names_day and not first_word_in(ctx, "yes_leading")
    if names_time or names_day:  # "ya tapi besok jam 11": a new time, not a yes
        answer = read_slot_answer(ctx, service, SLOT_KEY, ())
        if answer.chosen is not None:
            return Outcome(slots={"starts_at": answer.chosen.isoformat()}, reprompt=True)
        return Outcome(
            goto="choose_slot",
            slots={
                "slot_from_day": answer.from_day.isoformat() if answer.from_day else None,
                "slot_at_time": answer.at_time.isoformat() if answer.at_time else None,
                "slot_missed": answer.unavailable,
            },
        )
    new_mode = mode_of(ctx)
    if new_mode and new_mode != ctx.slots["mode"]:
        return Outcome(slots={"mode": new_mode}, reprompt=True)
    answer_word = confirmation(ctx)
    if answer_word == "no" or mentions(ctx, words("change_slot")):
        return Outcome(goto="choose_slot")
    if answer_word != "yes":
        return Outcome(say=[Say("reservation.confirm_yes_no")], understood=answer_word == "wait")
    try:
        booked = reservations.book(
            ctx.session,
            contact=ctx.contact,
            service=service,
            topic=_topic(ctx),
            problem=ctx.slots["problem"],
            mode=ctx.slots["mode"],
            starts_at=dt.datetime.fromisoformat(ctx.slots["starts_at"]),
            now=ctx.now,
            tz=ctx.tz,
        )
    except reservations.BookingError as exc:
        if exc.reason == "slot_full":
            return Outcome(say=[Say("reservation.slot_taken")], goto="choose_slot")
        if exc.reason in ("too_soon", "too_far", "no_such_slot"):
            return Outcome(say=[Say("reservation.slot_gone")], goto="choose_slot")
        return Outcome(
            say=[Say("reservation.booking_failed", {"reason": exc.reason})], goto="choose_slot"
        )
    return Outcome(
        say=[Say("reservation.booked", {**summary_vars(ctx), "code": booked.code})], goto=END
    )
