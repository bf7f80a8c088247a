"""Information about the clinic: hours, address, topics, how it works, and the FAQ (all from
the database), in the info menu, at rest, and on the side of any other step."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from bot.flows.base import END, Context, Flow, Outcome, Say
from bot.flows.common import choice, mentions
from bot.flows.vocab import words
from bot.intents import parse_date, parse_time
from bot.services import availability, calendar, clinic, faq

flow = Flow("info", start="menu")
ITEMS = ("hours", "address", "topics", "how")
QUESTION_MAX_WORDS = 6
REST_MAX_WORDS = 3  # at rest "alamat", "lokasi klinik" ask even without a question's shape
# A question on the side is short ("zoom bisa pake hp?"); a longer message that happens to ask
# something ("nama saya ..., mau konsultasi pendirian koperasi, kapan bisa?") is an answer.
ASIDE_MAX_WORDS = 20
# at rest no step's answer can be mistaken for a question: a longer one is still looked up
# ("halo kak, aku mahasiswa, mau nanya gmn caranya bikin koperasi bareng temen2 kampus?")
REST_QUESTION_MAX_WORDS = 25
# Steps where a question about a consultation subject ("cara bikin koperasi?") is the answer
# itself: the booking asks for the clinic or the topic.
SUBJECT_STEPS = frozenset(
    {"reservation.choose_service", "reservation.choose_topic", "reservation.problem"}
)
# Steps that ask for the way of meeting: a question naming one is the answer
MODE_STEPS = frozenset({"reservation.mode", "reservation.summary"})
ONLINE_QUESTION = "online_possible"
# Steps that ask for a day and time: a question naming one is the answer
TIME_STEPS = frozenset({"reservation.choose_slot", "reservation.summary", "manage.reschedule_slot"})


@flow.entry("info", intents=("info",), menu=50, label="info.menu_label", goes_to=("menu",))
def begin(_ctx: Context) -> Outcome:
    """Show what there is to know."""
    return Outcome(goto="info.menu")


def facts(ctx: Context) -> dict[str, object]:
    """What the information messages show, all from the editable clinic data."""
    services = []
    minutes: set[int] = set()
    for service in clinic.active_services(ctx.session):
        assert service.id is not None
        hours = clinic.hours_of(ctx.session, service.id)
        minutes.update(h.session_minutes for h in hours)
        services.append(
            {
                "name": clinic.label(service, ctx.lang),
                "week": calendar.weekly_hours(hours),
                "topics": [
                    clinic.label(t, ctx.lang) for t in clinic.topics_of(ctx.session, service.id)
                ],
            }
        )
    return {
        "info": clinic.info(ctx.session, ctx.lang),
        "services": services,
        "session_minutes": min(minutes, default=30),
    }


@flow.step(
    "menu",
    prompt=("info.menu",),
    says=(
        "info.hours",
        "info.address",
        "info.topics",
        "info.how",
        "info.not_understood",
        "info.way_back",
        "faq.answer",
        "main.thanks",
    ),
    goes_to=(END,),
)
def menu(ctx: Context) -> Outcome:
    """Show the chosen piece of information with a one-line way back (not the whole menu)."""
    picked = choice(ctx, [str(i + 1) for i in range(len(ITEMS))])
    if picked is None:
        answer = answer_in_words(ctx)
        if answer is not None:
            return Outcome(say=[answer, Say("info.way_back")], goto=END)
        if ctx.intent is not None and ctx.intent.name in ("thanks", "yes", "no"):
            person = {"contact": ctx.contact, "name": ctx.contact.profile_name or ""}
            return Outcome(say=[Say("main.thanks", person)], goto=END)  # "thank u!!"
        return Outcome(say=[Say("info.not_understood")], reprompt=True, understood=False)
    return Outcome(say=[Say(f"info.{ITEMS[picked]}", facts(ctx)), Say("info.way_back")], goto=END)


def faq_answer(ctx: Context, *, subjects: bool = True, hit: faq.FaqHit | None = None) -> Say | None:
    """The FAQ entry the message asks about (`hit`, when already looked up), as a message;
    with `subjects` off, questions about a consultation topic are left to the step."""
    hit = hit or faq.find(ctx.session, ctx.text, ctx.lang)
    if hit is None or (hit.topic_code and not subjects):
        return None
    details: dict[str, object] = facts(ctx) if hit.shows else {}
    if hit.shows == "hours":  # "buka tanggal 24 desember?", "libur natal tanggal berapa?"
        details.update(_days_asked(ctx))
    return Say("faq.answer", {"answer": hit.answer, "shows": hit.shows, **details})


HOLIDAYS_AHEAD_DAYS = 45


def _days_asked(ctx: Context) -> dict[str, object]:
    """The day a question about opening names, with each clinic's hours or the holiday; or,
    asked about holidays, the closed days ahead."""
    day = parse_date(ctx.text, ctx.today)
    if day is not None and day >= ctx.today:
        openings = [
            availability.opening_on(ctx.session, service, day)
            for service in clinic.active_services(ctx.session)
        ]
        rows = [
            {
                "name": clinic.label(o.service, ctx.lang),
                "opens": o.opens,
                "closes": o.closes,
                "closed_for": o.closed_for,
            }
            for o in openings
        ]
        reasons = {o.closed_for for o in openings}
        everywhere = reasons.pop() if len(reasons) == 1 and None not in reasons else None
        return {"asked_day": day, "asked_openings": rows, "closed_for_all": everywhere}
    if mentions(ctx, words("holiday_words"), typos=False):
        until = ctx.today + dt.timedelta(days=HOLIDAYS_AHEAD_DAYS)
        ahead = availability.closed_days(ctx.session, ctx.today, until)
        return {"closed_ahead": [{"day": c.day, "name": c.reason} for c in ahead]}
    return {}


def _info_words(ctx: Context) -> Say | None:
    if len(ctx.text.split()) > QUESTION_MAX_WORDS and not ctx.text.strip().endswith("?"):
        return None
    for item in ITEMS:
        if mentions(ctx, words(f"info_{item}")):
            details = facts(ctx)
            if item == "hours":
                return Say(
                    "faq.answer", {"answer": "", "shows": "hours", **details, **_days_asked(ctx)}
                )
            return Say(f"info.{item}", details)
    return None


def answer_in_words(ctx: Context) -> Say | None:
    """The FAQ answer or the piece of information a question asks for ("jam buka?", "berapa
    biayanya?", "zoom bisa pakai hp?"); a longer story that happens to say "buka" or "harga"
    is not a question about the clinic."""
    return faq_answer(ctx) or _info_words(ctx)


def answer_at_rest(ctx: Context) -> Outcome | None:
    """At the main menu, a question about the clinic is answered with a one-line way back to
    the menu (not the whole menu again). A short phrase ("alamat", "biaya konsultasi")
    counts as a question; a sentence must have a question's shape ("harga produk kami turun"
    is a story)."""
    count = len(ctx.text.split())
    question = faq.is_question(ctx.text)
    if count > REST_QUESTION_MAX_WORDS or (count > REST_MAX_WORDS and not question):
        return None
    answers = _answers_to_each_question(ctx)
    if not answers:
        return None
    return Outcome(say=[*answers, Say("info.way_back")])


QUESTION_SPLIT = re.compile(
    r"\?+|\s(?:terus|trus|trs|lalu|sama|dan|and|also|sareng|jeung|kalih|karo|tur)\s", re.IGNORECASE
)


def answers_to_questions(ctx: Context, questions: str) -> list[Say]:
    """The answers to the questions of a message ("1. Apakah ... dipungut biaya? 2. Dokumen
    apa saja ...? 3. Di mana alamat ...?"), each in order; none when no FAQ has them."""
    return _answers_to_each_question(ctx.with_text(questions))


def _answers_to_each_question(ctx: Context) -> list[Say]:
    """ "buka hari apa aja ya? terus bayar ga?": each question answered, in order (one answer
    when the parts do not each ask something of their own)."""
    parts = [p.strip() for p in QUESTION_SPLIT.split(ctx.text) if len(p.split()) >= 2]
    if len(parts) >= 2:
        answers: list[Say] = []
        for part in parts:
            one = dataclasses.replace(ctx, inbound=dataclasses.replace(ctx.inbound, body=part))
            say = answer_in_words(one)
            if say is not None and say not in answers:
                answers.append(say)
        if len(answers) >= 2:
            return answers
    answer = answer_in_words(ctx)
    return [answer] if answer is not None else []


def _question_aside(ctx: Context) -> Say | None:
    """Mid-flow, a clear question ("jam berapa tutup?", "zoom bisa pake hp", "buka hari
    minggu ga") is answered on the side and the step asks its question again. An answer to
    the step ("2", "online", a name, "besok jam 10") has no question's shape and is left to
    the step."""
    if len(ctx.text.split()) > ASIDE_MAX_WORDS or not faq.is_question(ctx.text):
        return None
    if f"{ctx.flow}.{ctx.step}" in TIME_STEPS and (
        parse_time(ctx.text) is not None or parse_date(ctx.text, ctx.today) is not None
    ):
        return None  # "today's no good, shop's open. next tuesday arvo around 2?" is a time
    asked = faq.question_part(ctx.text)
    if asked != ctx.text:  # "Online saja, jauh ke kantor. Senin jam 10 bisa?" asks no address
        ctx = dataclasses.replace(ctx, inbound=dataclasses.replace(ctx.inbound, body=asked))
    hit = faq.find(ctx.session, ctx.text, ctx.lang)
    if hit is not None and hit.topic_code and f"{ctx.flow}.{ctx.step}" in SUBJECT_STEPS:
        return None  # the step takes the subject and answers the question itself
    if (
        hit is not None
        and hit.slug == ONLINE_QUESTION
        and (
            f"{ctx.flow}.{ctx.step}" in MODE_STEPS
            or mentions(ctx, words("move_words"), typos=False)
        )
    ):
        # "bisa online aja?" asked for the way of meeting is the answer; "bisa diganti lewat
        # zoom aja?" asks to change a booking
        return None
    return (faq_answer(ctx, hit=hit) if hit else None) or _info_words(ctx)


INFO_SAYS = (*(f"info.{item}" for item in ITEMS), "faq.answer", "info.way_back")

flow.aside = _question_aside
flow.aside_says = INFO_SAYS
