"""Helpers shared by flows: numbered choices and offering free slots."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.flows.base import Context, Outcome, Say
from bot.flows.vocab import words
from bot.intents import classify, match_option, normalize, parse_date, parse_time
from bot.services import calendar, clinic, reservations
from storage.models import Service

OFFER_SIZE = 5
TYPO_SCORE = 85
TYPO_MIN_LENGTH = 5


def choice(ctx: Context, labels: Sequence[str]) -> int | None:
    """The 0-based option the person picked, by number or by words.

    A number counts only in a short answer ("2", "2 aja kak", "yang nomor 2"): in "koperasi
    kami sudah 3 tahun berdiri" the 3 is not option 3.
    """
    text = ctx.text
    if any(ch.isdigit() for ch in text) and not numbers_are_choices(ctx):
        text = re.sub(r"\d+", " ", text)
    return match_option(text, list(labels)) if text.strip() else None


def numbers_are_choices(ctx: Context) -> bool:
    """True when a number in the message can be a pick from a numbered list."""
    count = len(ctx.text.split())
    return count <= 3 or (count <= 5 and mentions(ctx, words("option_markers"), typos=False))


def mode_of(ctx: Context) -> str | None:
    """The meeting mode the message asks for, minding negation: "nggak bisa datang, online
    aja" is online. When both are named, the last one counts."""
    tokens = normalize(ctx.text).split()
    negators = set(words("negators"))
    hits: list[tuple[int, int, str]] = []  # (start, end, mode) of every mode phrase
    for mode in reservations.MODES:
        for phrase in words(f"mode_{mode}"):
            wanted = (normalize(phrase) or phrase).split()
            for at in range(len(tokens) - len(wanted) + 1):
                if tokens[at : at + len(wanted)] == wanted:
                    hits.append((at, at + len(wanted), mode))
    hits.sort()
    meant = [
        mode
        for i, (at, _end, mode) in enumerate(hits)
        # a negation counts up to three words back, but not across the previous mode word
        if not negators & set(tokens[max(at - 3, hits[i - 1][1] if i else 0) : at])
    ]
    if meant:
        return meant[-1]
    return next((m for m in reservations.MODES if mentions(ctx, words(f"mode_{m}"))), None)


def mentions(ctx: Context, phrases: Sequence[str], *, typos: bool = True) -> bool:
    """True when the message says one of the phrases: as whole words, or (for a short
    message, unless `typos` is off) with a small typo ("onlen" for "online")."""
    text = normalize(ctx.text)
    if not text:
        return False
    padded = f" {text} "
    short = len(text.split()) <= 3
    for phrase in phrases:
        wanted = normalize(phrase) or phrase.strip().lower()
        if not wanted:
            continue
        if f" {wanted} " in padded:
            return True
        if (
            typos
            and short
            and len(wanted) >= TYPO_MIN_LENGTH
            and any(
                len(word) >= TYPO_MIN_LENGTH and fuzz.ratio(word, wanted) >= TYPO_SCORE
                for word in [text, *text.split()]
            )
        ):
            return True
    return False


def first_word_in(ctx: Context, vocabulary: str) -> bool:
    """True when the message's first word is one of the vocabulary's words."""
    first = normalize(ctx.text).split()[:1]
    return bool(first) and first[0] in words(vocabulary)


def best_mention(ctx: Context, phrase_lists: Sequence[Sequence[str]]) -> int | None:
    """The option whose longest phrase the message mentions; None when none or a tie."""
    scores = []
    for phrases in phrase_lists:
        hits = [len(p) for p in phrases if p.strip() and mentions(ctx, [p])]
        scores.append(max(hits, default=0))
    best = max(scores, default=0)
    if best == 0 or scores.count(best) > 1:
        return None
    return scores.index(best)


def confirmation(ctx: Context) -> str | None:
    """ "yes" or "no" to a numbered yes/no question (1 = yes, 2 = no), else None.

    A number counts only on its own: "ya tapi jam 11" is not option 1.
    """
    bare = ctx.text.strip().rstrip(".!").strip()
    if bare in ("1", "2"):
        return "yes" if bare == "1" else "no"
    if ctx.text.strip().endswith("?") or mentions(ctx, words("not_yet"), typos=False):
        return "wait"  # "gimana ya?", "bentar ya": not a decision yet, nor a misunderstanding
    if first_word_in(ctx, "yes_leading"):
        return "yes"
    if first_word_in(ctx, "no_leading"):
        return "no"
    intent = intent_of(ctx)
    return intent if intent in ("yes", "no") else None


def intent_of(ctx: Context) -> str | None:
    """The global intent of the message, if any."""
    found = classify(ctx.text)
    return found.name if found else None


def local(ctx: Context, moment: dt.datetime) -> dt.datetime:
    """A UTC moment in the clinic's timezone, for templates."""
    return moment.astimezone(ctx.tz)


def offer_slots(
    ctx: Context,
    service: Service,
    *,
    key: str,
    from_day: dt.date | None = None,
    at_time: dt.time | None = None,
    more: bool = False,
    exclude: Sequence[dt.datetime] = (),
) -> list[dt.datetime]:
    """Find the nearest free slots, remember them under `key`, and return their local times.

    With a day and `at_time`, the free times nearest to that moment; with `at_time` alone,
    that clock time on the nearest days first. With `more`, the slots offered last time are
    skipped so the person sees the next ones. Times in `exclude` (the person's own bookings)
    are never offered.
    """
    after = None
    start = from_day
    if more and ctx.slots.get(key):
        after = dt.datetime.fromisoformat(ctx.slots[key][-1])
        start = after.astimezone(ctx.tz).date()
    slots = calendar.free_slots(
        ctx.session,
        service,
        ctx.now,
        ctx.tz,
        from_day=start,
        limit=OFFER_SIZE if at_time is None else 40,
        exclude=set(exclude or ()),
        after=after,
    )
    if at_time is not None and start is not None:
        # a named day and time that is not free: the nearest free times around it
        wanted = dt.datetime.combine(start, at_time, tzinfo=ctx.tz)
        slots = sorted(slots, key=lambda s: abs(s.starts_at - wanted))[:OFFER_SIZE]
        slots.sort(key=lambda s: s.starts_at)
    elif at_time is not None:
        # only a time ("jam 10"): that time on the nearest days first
        exact = [s for s in slots if s.starts_at.astimezone(ctx.tz).time() == at_time]
        others = [s for s in slots if s not in exact]
        slots = (exact + others)[:OFFER_SIZE]
    ctx.slots[key] = [s.starts_at.isoformat() for s in slots]
    return [local(ctx, s.starts_at) for s in slots]


SLOT_SAYS = (
    "reservation.no_slots",
    "reservation.day_unavailable",
    "reservation.time_unavailable",
    "reservation.too_far",
    "reservation.slot_unavailable",
    "reservation.bad_slot",
)


def offer_requested_slots(
    ctx: Context,
    service: Service,
    *,
    key: str,
    default_day: str | None = None,
    default_time: str | None = None,
) -> tuple[list[dt.datetime], list[Say]]:
    """Offer slots as the person last asked (a day, a time, "more"), never one of their own
    bookings; return the local times and any notice to show before the list."""
    if ctx.slots.pop("slot_repeat", False) and ctx.slots.get(key):
        return [local(ctx, dt.datetime.fromisoformat(s)) for s in ctx.slots[key]], []
    from_day = ctx.slots.pop("slot_from_day", None) or default_day
    at_time = ctx.slots.pop("slot_at_time", None) or default_time
    more = bool(ctx.slots.pop("slot_more", False))
    missed = bool(ctx.slots.pop("slot_missed", False))
    wanted_day = dt.date.fromisoformat(from_day) if from_day else None
    wanted_time = dt.time.fromisoformat(at_time) if at_time else None
    notices: list[Say] = []
    last_day = ctx.today + dt.timedelta(days=calendar.DEFAULT_HORIZON_DAYS)
    if wanted_day and wanted_day > last_day:
        notices.append(Say("reservation.too_far", {"last_day": last_day}))
        wanted_day = wanted_time = None
    own = [r.starts_at for r in reservations.upcoming_for(ctx.session, ctx.contact, ctx.now)]
    offered = offer_slots(
        ctx, service, key=key, from_day=wanted_day, at_time=wanted_time, more=more, exclude=own
    )
    if not offered:
        return [], [
            *notices,
            Say("reservation.no_slots", {"service": clinic.label(service, ctx.lang)}),
        ]
    if wanted_day and not more and all(s.date() != wanted_day for s in offered):
        notices.append(Say("reservation.day_unavailable", {"day": wanted_day}))
    elif wanted_time and not more and not _within_hours(ctx, service, wanted_time):
        notices.append(
            Say(
                "reservation.time_unavailable",
                {"time": wanted_time, "hours": _hours_of(ctx, service)},
            )
        )
    elif missed or (wanted_time and not more and all(s.time() != wanted_time for s in offered)):
        notices.append(Say("reservation.slot_unavailable"))
    return offered, notices


def _within_hours(ctx: Context, service: Service, time: dt.time) -> bool:
    assert service.id is not None
    hours = clinic.hours_of(ctx.session, service.id)
    return any(h.opens_at <= time < h.closes_at for h in hours)


def _hours_of(ctx: Context, service: Service) -> list[calendar.HoursGroup]:
    """A clinic's week, for "open Monday-Friday 09.00-12.00"."""
    assert service.id is not None
    return calendar.weekly_hours(clinic.hours_of(ctx.session, service.id))


def ask_slot_again(answer: SlotAnswer) -> Outcome:
    """The slot question again, following what the person asked for."""
    if not answer.understood or answer.out_of_range:
        return Outcome(
            say=[Say("reservation.bad_slot")],
            reprompt=True,
            understood=answer.out_of_range,  # a number off the list is a slip, not confusion
            slots={"slot_repeat": True},  # the same list again, so "1" keeps its meaning
        )
    return Outcome(
        reprompt=True,
        slots={
            "slot_from_day": answer.from_day.isoformat() if answer.from_day else None,
            "slot_at_time": answer.at_time.isoformat() if answer.at_time else None,
            "slot_more": answer.more,
            "slot_missed": answer.unavailable,
        },
    )


def _still_free(ctx: Context, service: Service, starts_at: dt.datetime) -> SlotAnswer:
    """A slot picked from a list shown earlier: it may have filled up or passed since."""
    slot = calendar.slot_at(ctx.session, service, starts_at, ctx.tz)
    if slot is not None and calendar.is_bookable(slot, ctx.now):
        return SlotAnswer(chosen=starts_at)
    return SlotAnswer(unavailable=True)


@dataclass(frozen=True)
class SlotAnswer:
    """How the person answered a slot question."""

    chosen: dt.datetime | None = None  # UTC start of a free slot
    from_day: dt.date | None = None  # they named a day: offer slots from it
    at_time: dt.time | None = None  # they named a time: prefer it
    unavailable: bool = False  # they named an exact time that is not free
    more: bool = False  # they asked for other options
    out_of_range: bool = False  # a number that is not on the list
    understood: bool = True


def read_slot_answer(
    ctx: Context, service: Service, key: str, more_words: Sequence[str], text: str | None = None
) -> SlotAnswer:
    """Understand a number or ordinal from the offered list, a day and/or time in words,
    "the earliest", or "more" (in `text`, by default the whole message)."""
    if text is not None:
        ctx = dataclasses.replace(ctx, inbound=dataclasses.replace(ctx.inbound, body=text))
    offered = [dt.datetime.fromisoformat(s) for s in ctx.slots.get(key, [])]
    choices = [str(i + 1) for i in range(len(offered))]
    bare = ctx.text.strip().rstrip(".!")
    if bare.isdigit() or (len(ctx.text.split()) <= 4 and mentions(ctx, words("option_markers"))):
        picked = match_option(ctx.text, choices)
        if picked is not None:
            return _still_free(ctx, service, offered[picked])
        if bare.isdigit():
            return SlotAnswer(out_of_range=True)
    if offered and mentions(ctx, words("earliest"), typos=False):
        return _still_free(ctx, service, offered[0])
    day = parse_date(ctx.text, ctx.today)
    time = parse_time(ctx.text)
    if time is not None and time.hour < 7 and not mentions(ctx, words("morning"), typos=False):
        time = time.replace(hour=time.hour + 12)  # "jam 1" at a clinic means 13:00
    if day is not None and time is not None:
        starts = dt.datetime.combine(day, time, tzinfo=ctx.tz).astimezone(dt.UTC)
        slot = calendar.slot_at(ctx.session, service, starts, ctx.tz)
        if slot is not None and calendar.is_bookable(slot, ctx.now):
            return SlotAnswer(chosen=slot.starts_at)
        return SlotAnswer(from_day=day, at_time=time, unavailable=True)
    if day is not None:
        return SlotAnswer(from_day=day)
    if time is not None:
        for start in offered:
            if start.astimezone(ctx.tz).time() == time:
                return _still_free(ctx, service, start)
        return SlotAnswer(at_time=time)
    if len(ctx.text.split()) <= 3:
        picked = match_option(ctx.text, choices)
        if picked is not None:
            return _still_free(ctx, service, offered[picked])
    if mentions(ctx, more_words):
        return SlotAnswer(more=True)
    return SlotAnswer(understood=False)
