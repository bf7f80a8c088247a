"""Helpers shared by flows: numbered choices and offering free slots."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from bot.flows.base import END, Context, Outcome, Say
from bot.flows.vocab import words
from bot.intents import classify, match_option, normalize, parse_date, parse_time
from bot.intents.reading import negations
from bot.services import availability, calendar, clinic, faq, reservations
from storage.enums import BookingFailure
from storage.models import Service

OFFER_SIZE = 5
WEEK = dt.timedelta(days=7)
TYPO_SCORE = 85
TYPO_MIN_LENGTH = 5


def choice(ctx: Context, labels: Sequence[str]) -> int | None:
    """The 0-based option the person picked, by number or by words.

    A number counts only in a short answer ("2", "2 aja kak", "yang nomor 2"): in "koperasi
    kami sudah 3 tahun berdiri" the 3 is not option 3.
    """
    text = ctx.text
    if any(ch.isdigit() for ch in text) and not numbers_are_choices(ctx):
        alone = number_alone(text)
        if alone is not None:  # "12, tp sekalian akuntansi syariahnya jg ya", "nya tos lah, 1"
            picked = match_option(alone, list(labels))
            if picked is not None:
                return picked
        text = re.sub(r"\d+", " ", text)
    return match_option(text, list(labels)) if text.strip() else None


CLAUSE = re.compile(r"(?:[^,.;!?\n]|(?<=\d)[.,](?=\d))+")  # "11.30" is not two clauses
NUMBER_CLAUSE_WORDS = 2  # "1 mawon", "12": a number standing as its own answer


LEADING_NUMBER = re.compile(r"^\s*(\d{1,2})\s*[-–:)]\s")


def number_alone(text: str) -> str | None:
    """The one number that stands as a clause of its own ("12, tp ...", "ya wis, 1 mawon",
    "5 - I want to start exporting"), not inside a sentence or a time ("jam 10")."""
    lead = LEADING_NUMBER.match(text)
    if lead is not None:
        return lead.group(1)
    fillers = set(words("request_fillers")) | set(words("choice_fillers"))
    found = [
        token
        for clause in CLAUSE.findall(text)
        if (
            len(clause.split()) <= NUMBER_CLAUSE_WORDS
            # "1 aja kali ya, soalnya mulai dari nol": the number, then only fillers
            or all(w.lower() in fillers for w in clause.split()[1:])
        )
        and not any(w.lower() in words("time_markers") for w in clause.split())
        for token in clause.split()[: None if len(clause.split()) <= NUMBER_CLAUSE_WORDS else 1]
        if token.isdigit() and len(token) <= 2
    ]
    return found[0] if len(found) == 1 else None


def numbers_are_choices(ctx: Context) -> bool:
    """True when a number in the message can be a pick from a numbered list."""
    if any(w.lower() in words("time_markers") for w in ctx.text.split()):
        return False  # "jam 1, bisa?" names a time
    count = len(ctx.text.split())
    return count <= 3 or (count <= 5 and mentions(ctx, words("option_markers"), typos=False))


EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]+")  # no part of a value
ASKED = re.compile(r"[^.?!\n]+\?")  # a sentence that asks
CLAUSE_MARK = "|"  # stands between clauses in mode_of's tokens
TRADE_REACH = 4  # words back from "online" where a trade word makes it the trade's
TRADE_AHEAD = 2  # and words after it: "a small online thrift shop"


def mode_of(ctx: Context, *, named: bool = False) -> str | None:
    """The meeting mode the message asks for, minding negation: "nggak bisa datang, online
    aja" is online, "tatap muka aja, saya gaptek zoom" face to face. When both are still named,
    the last one counts. With `named`, only a mode said as wished counts ("besok sy ga jadi
    dateng, mertua meninggal" asks for no other way of meeting)."""
    # clauses joined by a boundary mark, so a negation never reaches into the next clause
    # ("RAT yang belum terlaksana, tatap muka besok" asks for face to face)
    clauses = (normalize(clause) for clause in CLAUSE.findall(ctx.text))
    text = f" {f' {CLAUSE_MARK} '.join(c for c in clauses if c)} "
    for business in words("mode_not_meant"):  # "jualan online" tells the trade, not the wish
        text = text.replace(f" {normalize(business) or business} ", " ")
    tokens = text.split()
    negators = negations() | set(words("mode_negators"))
    found: list[tuple[int, int, str]] = []  # (start, end, mode) of every mode phrase
    for mode in reservations.MODES:
        for phrase in words(f"mode_{mode}"):
            wanted = (normalize(phrase) or phrase).split()
            for at in range(len(tokens) - len(wanted) + 1):
                if tokens[at : at + len(wanted)] == wanted:
                    found.append((at, at + len(wanted), mode))
    found.sort()
    hits: list[tuple[int, int, str]] = []
    for at, end, mode in found:  # "zoom-zoom an", "datang langsung": one mention each
        if hits and hits[-1][2] == mode and at <= hits[-1][1]:
            hits[-1] = (hits[-1][0], max(end, hits[-1][1]), mode)
        else:
            hits.append((at, end, mode))
    trade = set(words("trade_words"))
    said_any = bool(hits)
    hits = [  # "jualan kopi susu literan online" tells the trade, not the way of meeting
        (at, end, mode)
        for at, end, mode in hits
        if mode != "online"
        or not trade & set(tokens[max(at - TRADE_REACH, 0) : at] + tokens[end : end + TRADE_AHEAD])
    ]
    meant = [
        mode
        for i, (at, _end, mode) in enumerate(hits)
        # a negation counts up to three words back, not across the previous mode word nor
        # into the clause before
        if not negators & _clause_tail(tokens[max(at - 3, hits[i - 1][1] if i else 0) : at])
    ]
    if meant:
        return meant[-1]
    denied = {mode for _at, _end, mode in hits}
    if len(denied) == 1 and len(reservations.MODES) == 2 and not named:
        # "ga bisa online, hp saya jadul" asks for the other way of meeting
        return next(m for m in reservations.MODES if m not in denied)
    if said_any:
        return None
    # a misspelt mode ("onlen", "tatap mka"), looked for without the trade's own words
    plain = text.replace(f" {CLAUSE_MARK} ", " ")
    rest = dataclasses.replace(ctx, inbound=dataclasses.replace(ctx.inbound, body=plain))
    return next((m for m in reservations.MODES if mentions(rest, words(f"mode_{m}"))), None)


def _clause_tail(tokens: list[str]) -> set[str]:
    """The words after the last clause boundary among `tokens`."""
    if CLAUSE_MARK in tokens:
        tokens = tokens[len(tokens) - tokens[::-1].index(CLAUSE_MARK) :]
    return set(tokens)


NEGATED_CLAUSE = re.compile(
    r"\b(bukan|not|tidak|tdk|gak|ga|nggak|jangan)\b[^,.;!?]*", re.IGNORECASE
)


def without_negated(ctx: Context) -> Context:
    """The context with the clauses the person denied taken out: in "laporan keuangan, bukan
    permodalan" only "laporan keuangan" is an answer."""
    kept = NEGATED_CLAUSE.sub(" ", ctx.text)
    if kept.strip() == ctx.text.strip() or not any(ch.isalnum() for ch in kept):
        return ctx  # "ga ada ya yg ttg kesehatan koperasi?" asks; it denies nothing
    return dataclasses.replace(ctx, inbound=dataclasses.replace(ctx.inbound, body=kept))


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
    """The option whose phrases the message mentions most (their lengths added up, a phrase
    inside a longer one mentioned not counted twice: "PIRT dan label halal" is about permits,
    two of its words, more than about packaging, one); None when none or a tie."""
    clauses = [normalize(c).split() for c in CLAUSE.findall(ctx.text)]
    scores: list[tuple[int, int]] = []
    for phrases in phrase_lists:
        said = {
            p.strip().lower(): p.strip()
            for p in phrases
            if p.strip() and (mentions(ctx, [p]) or _named_apart(clauses, p))
        }
        counted = [h for h in said if not any(h != o and h in o for o in said)]
        # equal lengths: more things named wins ("RAT ... pengurus" over "badan hukum")
        scores.append((sum(_weight(said[h]) for h in counted), len(counted)))
    best = max(scores, default=(0, 0))
    if best[0] == 0 or scores.count(best) > 1:
        return None
    return scores.index(best)


ACRONYM_WEIGHT = 10  # "SHU", "RAT", "KUR": a term of the trade says more than its few letters


def _weight(keyword: str) -> int:
    """How much a keyword said counts: its length, an acronym ("SHU") as a long word."""
    compact = keyword.replace("-", "").replace("/", "")
    acronym = compact.isupper() and compact.isalpha() and len(compact) <= 5
    return max(len(keyword), ACRONYM_WEIGHT) if acronym else len(keyword)


PHRASE_GAP = 2  # words that may stand between two words of a phrase: "pinjaman anggota yang macet"


@lru_cache(maxsize=4096)
def _phrase_words(phrase: str) -> tuple[str, ...]:
    return tuple(normalize(phrase).split())


def _named_apart(clauses: list[list[str]], phrase: str) -> bool:
    """True when a phrase of several words is said in order inside one clause, with at most
    PHRASE_GAP other words between two of its words."""
    wanted = _phrase_words(phrase)
    if len(wanted) < 2:
        return False
    for said in clauses:
        for start, word in enumerate(said):
            if word != wanted[0]:
                continue
            at = start
            for next_word in wanted[1:]:
                window = said[at + 1 : at + 2 + PHRASE_GAP]
                if next_word not in window:
                    break
                at += 1 + window.index(next_word)
            else:
                return True
    return False


def best_topic_mention(ctx: Context, phrase_lists: Sequence[Sequence[str]]) -> int | None:
    """Like `best_mention`, but what follows "soal", "tentang", "about" ... names the topic
    first: in "jualan kue kering, mau tanya soal kemasan" the topic is packaging, not sales."""
    text = normalize(ctx.text)
    positions = [
        padded.index(f" {marker} ") + len(marker) + 2
        for marker in (normalize(m) for m in words("topic_markers"))
        if f" {marker} " in (padded := f" {text} ")
    ]
    if positions:
        rest = f" {text} "[min(positions) :]
        focused = dataclasses.replace(ctx, inbound=dataclasses.replace(ctx.inbound, body=rest))
        hit = best_mention(focused, phrase_lists)
        if hit is not None:
            return hit
    return best_mention(ctx, phrase_lists)


LEADING_CHOICE = re.compile(
    r"^\s*(?P<number>[12]|satu|siji|setunggal|hiji|kapisan|dua|loro|kalih|kadua)\b[.),]?"
    r"(?P<rest>.*)$",
    re.IGNORECASE | re.DOTALL,
)


def confirmation(ctx: Context) -> str | None:
    """ "yes" or "no" to a numbered yes/no question (1 = yes, 2 = no), else None.

    A number counts only on its own: "ya tapi jam 11" is not option 1.
    """
    bare = ctx.text.strip().rstrip(".!").strip()
    if bare in ("1", "2"):
        return "yes" if bare == "1" else "no"
    lead = LEADING_CHOICE.match(ctx.text)
    if lead is not None:  # "siji, leres", "2. thanks, merry christmas!", "nya tos lah, 1"
        picked = match_option(lead.group("number"), ["1", "2"])
        rest = lead.group("rest").strip()
        if picked is not None and (
            not rest or classify(rest) is not None or len(rest.split()) <= 2
        ):
            return "yes" if picked == 0 else "no"
    if ctx.text.strip().endswith("?") or mentions(ctx, words("not_yet"), typos=False):
        return "wait"  # "gimana ya?", "bentar ya": not a decision yet, nor a misunderstanding
    if first_word_in(ctx, "yes_leading"):
        return "yes"
    if first_word_in(ctx, "no_leading"):
        return "no"
    intent = intent_of(ctx)
    return intent if intent in ("yes", "no") else None


def intent_of(ctx: Context) -> str | None:
    """The global intent of the message, if any (read once per turn)."""
    return ctx.intent.name if ctx.intent else None


def day_named(
    ctx: Context,
    text: str | None = None,
    *,
    time: dt.time | None = None,
    service: Service | None = None,
) -> dt.date | None:
    """The day a message names, in context: never a past day ("kemarin" in a story is not an
    answer), and a weekday named on that very weekday once its time or the clinic's hours
    have passed means next week's ("kamis jam 10" on a Thursday evening)."""
    text = EMOJI.sub(", ", ctx.text if text is None else text)  # "jgn jumat 😅 senen weh"
    dated = [c for c in CLAUSE.findall(text) if parse_date(c, ctx.today) is not None]
    if len(dated) > 1:  # "jumat sy ga bisa, senin aja jam 1": the day not refused
        wanted = [c for c in dated if not set(normalize(c).split()) & negations()]
        # "hari Jumat saya ada pengajian. Apakah hari Senin pagi bisa?": the day asked for
        asked = [
            s
            for s in ASKED.findall(text)
            if parse_date(s, ctx.today) is not None and not _wonders(s)
        ]
        # "lho kok Rabu? saya mintanya hari Kamis": the day wondered at is not the one wanted
        wanted = [c for c in wanted if not _wonders(c)]
        if wanted and len(wanted) < len(dated):
            text = " ".join(wanted)
        elif asked and len(asked) < len(dated):
            text = " ".join(asked)
    with_time = [c for c in CLAUSE.findall(text) if parse_time(c) is not None]
    # "senen abdi di pasar. salasa pasosore jam 3 tiasa?": the day said with the time
    day = parse_date(_clause_with_time(text), ctx.today) if with_time else None
    still_dated = [c for c in CLAUSE.findall(text) if parse_date(c, ctx.today) is not None]
    if day is None and with_time and len(still_dated) > 1:
        # "jumat kulo jumatan pak. senen enjing mawon, jam setengah sepuluh": a time said on
        # its own goes with the day said last
        day = parse_date(still_dated[-1], ctx.today)
    day = day or parse_date(text, ctx.today)
    if day is None or day < ctx.today:
        return None
    if day == ctx.today and parse_date(text, ctx.today + dt.timedelta(days=1)) == day + WEEK:
        passed = time is not None and dt.datetime.combine(day, time, tzinfo=ctx.tz) <= ctx.now
        if service is not None and not passed:
            refusal = availability.why_day(ctx.session, service, day, ctx.now, ctx.tz)
            passed = refusal.reason in availability.TODAY_OVER
        if passed:
            return day + WEEK
    return day


def _wonders(sentence: str) -> bool:
    """ "lho kok Jumat?", "why friday?": a question about what was given, asking for nothing."""
    return bool(set(normalize(sentence).split()[:3]) & {"kok", "why", "knp", "kenapa", "mengapa"})


def _day_words(text: str) -> str:
    """The first word of `text`, with the one after it when it is "hari" or "tanggal"."""
    said = text.split()
    return " ".join(said[:2] if said[:1] and said[0] in ("hari", "tanggal", "tgl") else said[:1])


def refused_day(ctx: Context) -> dt.date | None:
    """The one day a message names, when it names it only to refuse it ("selasa saya tidak
    bisa", "senen abdi teu tiasa") and asks for no other day or time."""
    dated = [c for c in CLAUSE.findall(ctx.text) if parse_date(c, ctx.today) is not None]
    if len(dated) != 1 or parse_time(ctx.text) is not None:
        return None
    clause = f" {normalize(dated[0])} "
    refuses = any(f" {normalize(p)} " in clause for p in words("refuse_day"))
    # "asal jangan jumat", "kecuali hari senin": the word stands right before the day it
    # refuses ("jangan lupa senin ya" refuses nothing)
    before_day = any(
        parse_date(_day_words(clause.split(f" {normalize(p)} ", 1)[1]), ctx.today) is not None
        for p in words("refuse_day_before")
        if f" {normalize(p)} " in clause
    )
    if not (refuses or before_day):
        return None  # "selasa bisa ga?" asks; "selasa saya tidak bisa" refuses
    day = parse_date(dated[0], ctx.today)
    return day if day is not None and day >= ctx.today else None


def _open_day_after(ctx: Context, service: Service, day: dt.date) -> dt.date:
    """The first day after `day` with a free slot ("jumat saya ga bisa": Monday, not a
    Saturday the clinic is closed on); the next day when none is found."""
    after = day + dt.timedelta(days=1)
    found = calendar.free_slots(ctx.session, service, ctx.now, ctx.tz, from_day=after, limit=1)
    return found[0].starts_at.astimezone(ctx.tz).date() if found else after


def _clause_with_time(text: str) -> str:
    """Of several times, the one asked for: in a question, else the last ("jam 2 saya masih
    antar pesanan. Jam 4 sore bisa?" asks for 16.00)."""
    timed = [c for c in faq.CLAUSE.findall(text) if parse_time(c) is not None]
    if not timed:
        return text
    if len(timed) == 1:  # "hr ini jaga warung, kamis dpn aja jam 10 bs?": the day said with it
        return timed[0]
    asked = [c for c in timed if c.rstrip().endswith("?")]
    return (asked or timed)[-1]


def time_named(ctx: Context, service: Service | None, text: str | None = None) -> dt.time | None:
    """The clock time a message names, read in the clinic's hours ("jam 2" at an afternoon
    clinic is 14:00) unless the person said morning."""
    text = ctx.text if text is None else text
    time = parse_time(_clause_with_time(text))
    if time is None or service is None:
        return time
    if mentions(ctx, words("morning"), typos=False):
        return time
    return availability.in_clinic_hours(ctx.session, service, time)


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
    avoid_days: Sequence[dt.date] = (),
) -> list[calendar.Slot]:
    """The nearest free slots (the caller remembers them under `key`).

    With a day and `at_time`, the free times nearest to that moment; with `at_time` alone,
    that clock time on the nearest days first. With `more`, the slots offered last time are
    skipped so the person sees the next ones. Times in `exclude` (the person's own bookings)
    are never offered, nor days in `avoid_days` ("kapan aja asal jangan jumat").
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
        limit=(OFFER_SIZE + AVOIDED_DAY_SLOTS * len(avoid_days)) if at_time is None else 40,
        exclude=set(exclude or ()),
        after=after,
    )
    if avoid_days:
        slots = [s for s in slots if s.starts_at.astimezone(ctx.tz).date() not in avoid_days]
        slots = slots if at_time is not None else slots[:OFFER_SIZE]
    if at_time is not None and start is not None:
        # a named day and time that is not free: the nearest free times around it
        wanted = dt.datetime.combine(start, at_time, tzinfo=ctx.tz)
        slots = sorted(slots, key=lambda s: abs(s.starts_at - wanted))[:OFFER_SIZE]
        slots.sort(key=lambda s: s.starts_at)
    elif at_time is not None:
        # only a time ("jam 10"): that time on the nearest days first
        # (or, when it is never free, "jam 4 sore": the nearest clock times, 15.30 first)
        def distance(slot: calendar.Slot) -> tuple[int, dt.datetime]:
            clock = slot.starts_at.astimezone(ctx.tz)
            minutes = abs((clock.hour - at_time.hour) * 60 + clock.minute - at_time.minute)
            return minutes, slot.starts_at

        slots = sorted(slots, key=distance)[:OFFER_SIZE]
        slots.sort(key=lambda s: s.starts_at)
    return slots


SLOT_SAYS = (
    "reservation.no_slots",
    "reservation.unavailable",
    "reservation.too_far",
    "reservation.bad_slot",
)
# What a slot answer asks the next list for; read once by the prompt, then cleared.
ONE_SHOT_REQUESTS = ("slot_more", "slot_missed", "slot_repeat")
AVOIDED_DAY_SLOTS = 12  # slots of one clinic day, at most, looked past for a day refused


@dataclass(frozen=True)
class SlotOffer:
    """A slot question's content: the local times offered, notices before the list, and the
    slot changes (the offered list remembered, one-shot requests cleared)."""

    slots: list[dt.datetime]
    notices: list[Say]
    changes: dict[str, Any]


def offer_requested_slots(
    ctx: Context,
    service: Service,
    *,
    key: str,
    default_day: str | None = None,
    default_time: str | None = None,
) -> SlotOffer:
    """Offer slots as the person last asked (a day, a time, "more"), never one of their own
    bookings. Asked again without a new request (``ctx.repeat``, or a slip), the same list."""
    cleared: dict[str, Any] = dict.fromkeys(ONE_SHOT_REQUESTS)
    shown = ctx.slots.get(key)
    if shown and (ctx.repeat or ctx.slots.get("slot_repeat")):
        return SlotOffer([local(ctx, dt.datetime.fromisoformat(s)) for s in shown], [], cleared)
    from_day = ctx.slots.get("slot_from_day") or default_day
    at_time = ctx.slots.get("slot_at_time") or default_time
    more = bool(ctx.slots.get("slot_more"))
    missed = bool(ctx.slots.get("slot_missed"))
    wanted_day = dt.date.fromisoformat(from_day) if from_day else None
    wanted_time = dt.time.fromisoformat(at_time) if at_time else None
    if wanted_time is not None and not ctx.slots.get("hint_morning"):
        wanted_time = availability.in_clinic_hours(ctx.session, service, wanted_time)
    asked_day = wanted_day
    if wanted_day is not None and wanted_day < ctx.today:
        wanted_day = None  # never offer the past; the refusal still names the day
    notices: list[Say] = []
    last_day = ctx.today + dt.timedelta(days=calendar.DEFAULT_HORIZON_DAYS)
    if wanted_day and wanted_day > last_day:
        notices.append(Say("reservation.too_far", {"last_day": last_day}))
        wanted_day = wanted_time = None
    own = [r.starts_at for r in reservations.upcoming_for(ctx.session, ctx.contact, ctx.now)]
    avoid = [dt.date.fromisoformat(d) for d in ctx.slots.get("slot_avoid_days") or ()]
    found = offer_slots(
        ctx,
        service,
        key=key,
        from_day=wanted_day,
        at_time=wanted_time,
        more=more,
        exclude=own,
        avoid_days=[d for d in avoid if d != wanted_day],
    )
    changes = {**cleared, key: [s.starts_at.isoformat() for s in found]}
    offered = [local(ctx, s.starts_at) for s in found]
    if not offered:
        label = clinic.label(service, ctx.lang)
        return SlotOffer([], [*notices, Say("reservation.no_slots", {"service": label})], changes)
    if not more:
        refusal = _refusal(ctx, service, asked_day, wanted_time, offered, missed)
        if refusal is None and wanted_time is None:
            refusal = _part_of_day_closed(ctx, service, asked_day)
        if refusal is not None:
            notices.append(refusal)
    return SlotOffer(offered, notices, changes)


NOON = dt.time(12, 0)


def _part_of_day_closed(ctx: Context, service: Service, day: dt.date | None) -> Say | None:
    """ "senin pagi bisa?" at an afternoon clinic: it has no mornings (and "sore" at a morning
    clinic no afternoons); said, with the hours, before the nearest times."""
    assert service.id is not None
    hours = clinic.hours_of(ctx.session, service.id)
    if not hours:
        return None
    if mentions(ctx, words("morning"), typos=False) and all(h.opens_at >= NOON for h in hours):
        reason = "no_mornings"
    elif mentions(ctx, words("afternoon"), typos=False) and all(h.closes_at <= NOON for h in hours):
        reason = "no_afternoons"
    else:
        return None
    return Say("reservation.unavailable", _refusal_vars(ctx, service, day, None, reason))


# One answer per reason a booking or a move failed (the summary and the reschedule agree).
FAILURE_SAYS = {
    BookingFailure.SLOT_FULL: "reservation.slot_taken",
    BookingFailure.TOO_SOON: "reservation.slot_gone",
    BookingFailure.TOO_FAR: "reservation.slot_gone",
    BookingFailure.NO_SUCH_SLOT: "reservation.slot_gone",
    BookingFailure.SAME_SLOT: "reservation.slot_gone",
    BookingFailure.NOT_UPCOMING: "manage.not_upcoming",
}
FAILURE_KEYS = (*sorted(set(FAILURE_SAYS.values())), "reservation.booking_failed")


def booking_failed(error: reservations.BookingError, *, retry_at: str) -> Outcome:
    """The answer to a failed booking or move: why, and the slot question again (or the end,
    when the reservation itself is no longer upcoming)."""
    key = FAILURE_SAYS.get(error.reason, "reservation.booking_failed")
    say = Say(key, {"reason": str(error.reason)})
    if error.reason == BookingFailure.NOT_UPCOMING:
        return Outcome(say=[say], goto=END)
    return Outcome(say=[say], goto=retry_at)


def _refusal(
    ctx: Context,
    service: Service,
    day: dt.date | None,
    time: dt.time | None,
    offered: list[dt.datetime],
    missed: bool,
) -> Say | None:
    """The precise reason the day or time asked for is not on the list, if it is not."""
    if day is not None and all(s.date() != day for s in offered):
        found = availability.why_day(ctx.session, service, day, ctx.now, ctx.tz)
        if found.reason == "full" and time is not None:
            found = availability.why_time(ctx.session, service, day, time, ctx.now, ctx.tz)
    elif time is not None and (missed or all(s.time() != time for s in offered)):
        found = availability.why_time(ctx.session, service, day, time, ctx.now, ctx.tz)
    elif missed:
        return Say("reservation.unavailable", _refusal_vars(ctx, service, day, time, "full"))
    else:
        return None
    return Say(
        "reservation.unavailable",
        {
            **_refusal_vars(ctx, service, day, time, found.reason),
            "name": found.name,
            "last_start": found.last_start,
            "closes": found.closes,
        },
    )


def _refusal_vars(
    ctx: Context, service: Service, day: dt.date | None, time: dt.time | None, reason: str
) -> dict[str, Any]:
    return {
        "reason": reason,
        "day": day,
        "time": time,
        "hours": _hours_of(ctx, service),
        "name": None,
        "last_start": None,
        "closes": None,
    }


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
    moment = local(ctx, starts_at)  # tell why that very time is gone, and offer around it
    return SlotAnswer(from_day=moment.date(), at_time=moment.time(), unavailable=True)


OPTION_NUMBER = re.compile(
    r"\b(?:no|nomor|nomer|nmr|nu|nu\s+ka|yg|yang|pilih|opsi|option|number)\.?\s*(\d{1,2})\b",
    re.IGNORECASE,
)


def _numbered_pick(ctx: Context, offered: list[dt.datetime]) -> dt.datetime | None:
    """A line of the list named with its number beside words that agree with it: "yg no 2
    aja, jumat sore" when line 2 is on Friday. A day or time that disagrees wins (the caller
    reads it)."""
    found = OPTION_NUMBER.search(ctx.text)
    if found is None or not offered:
        return None
    index = int(found.group(1)) - 1
    if not 0 <= index < len(offered):
        return None
    rest = ctx.text[: found.start()] + " " + ctx.text[found.end() :]
    moment = local(ctx, offered[index])
    day = parse_date(rest, ctx.today, now_is_a_day=False)
    time = parse_time(rest)
    if day is not None and day != moment.date():
        return None
    if time is not None and time.hour % 12 != moment.hour % 12:
        return None
    return offered[index]


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
    names_when = parse_time(ctx.text) is not None or parse_date(ctx.text, ctx.today) is not None
    if bare.isdigit() or (
        # "no mate. TUESDAY. 2pm" names a time; "no. 2" a line of the list
        len(ctx.text.split()) <= 4 and mentions(ctx, words("option_markers")) and not names_when
    ):
        picked = match_option(ctx.text, choices)
        if picked is not None:
            return _still_free(ctx, service, offered[picked])
        if bare.isdigit():
            return SlotAnswer(out_of_range=True)
    alone = number_alone(ctx.text) if not names_when else None
    if alone is not None and offered:  # "2 ya kak. btw ini online kan? zoomnya gimana"
        picked = match_option(alone, choices)
        if picked is not None:
            return _still_free(ctx, service, offered[picked])
    numbered = _numbered_pick(ctx, offered)
    if numbered is not None:  # "yg no 2 aja, jumat sore", "nu 2 muhun, jumat"
        return _still_free(ctx, service, numbered)
    if offered and mentions(ctx, words("earliest"), typos=False):
        return _still_free(ctx, service, offered[0])
    if offered and mentions(ctx, words("latest_in_day"), typos=False):  # "yg paling sore aja"
        first_day = offered[0].astimezone(ctx.tz).date()
        same_day = [s for s in offered if s.astimezone(ctx.tz).date() == first_day]
        return _still_free(ctx, service, same_day[-1])
    refused = refused_day(ctx)
    if refused is not None:  # "Selasa saya tidak bisa sama sekali, rapatnya seharian"
        return SlotAnswer(from_day=_open_day_after(ctx, service, refused))
    time = time_named(ctx, service)
    day = day_named(ctx, time=time, service=service)
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
        if offered:  # "jam 3 sore" after a list of 15.30s: that time on the first day listed
            first_day = offered[0].astimezone(ctx.tz).date()
            moment = dt.datetime.combine(first_day, time, tzinfo=ctx.tz).astimezone(dt.UTC)
            slot = calendar.slot_at(ctx.session, service, moment, ctx.tz)
            if slot is not None and calendar.is_bookable(slot, ctx.now):
                return SlotAnswer(chosen=slot.starts_at)
        return SlotAnswer(at_time=time)
    if len(ctx.text.split()) <= 3:
        picked = match_option(ctx.text, choices)
        if picked is not None:
            return _still_free(ctx, service, offered[picked])
    if mentions(ctx, more_words):
        return SlotAnswer(more=True)
    if mentions(ctx, words("morning") + words("afternoon"), typos=False):
        # "emg ga ada yg pagi ya?": the same days again, saying why
        return SlotAnswer(from_day=offered[0].astimezone(ctx.tz).date() if offered else None)
    return SlotAnswer(understood=False)
