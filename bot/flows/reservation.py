"""Reserving a consultation: clinic, topic, problem, mode, slot, summary, confirmation."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from rapidfuzz import fuzz

from bot.flows import story as story_text
from bot.flows.base import END, Context, Flow, Outcome, Prompted, Say
from bot.flows.booking_details import CLINIC_OF_CATEGORY, keywords_of, understood_in
from bot.flows.common import (
    CLAUSE,
    EMOJI,
    FAILURE_KEYS,
    SLOT_SAYS,
    ask_slot_again,
    best_topic_mention,
    booking_failed,
    choice,
    confirmation,
    day_named,
    first_word_in,
    intent_of,
    local,
    mentions,
    mode_of,
    offer_requested_slots,
    read_slot_answer,
    refused_day,
    time_named,
    without_negated,
)
from bot.flows.registration import (
    home_kecamatan_ending,
    registration_changes_from,
    registration_slots_from,
)
from bot.flows.vocab import words
from bot.intents import parse_date, parse_time
from bot.intents.courtesy import is_complaint
from bot.services import availability, calendar, clinic, faq, history, reservations
from bot.services.contacts import is_registered
from storage.models import Service, Topic

flow = Flow("reservation", start="confirm_profile")
MODES = reservations.MODES
PROBLEM_MIN_CHARS = 10
PROBLEM_MAX_CHARS = 1000
STORY_MIN_WORDS = 4
TOPIC_WORDS_MIN_CHARS = 4
TIME_ANSWER_MAX_WORDS = 7  # longer, a day or time in it belongs to the story ("kemarin ...")
SLOT_KEY = "offered_slots"
TOPIC_STORY_WORDS = 5  # with the topic, "abdi butuh modal kanggo meuli gerobak" tells it
TOPIC_WORD_CHARS = 5  # a word of the topic's name denied ("bukan pendirian")
RECENT_HOURS = 2  # "sudah saya tulis di atas" looks this far back


def _service(ctx: Context) -> Service:
    service = clinic.service(ctx.session, ctx.slots["service_id"])
    assert service is not None
    return service


def _topic(ctx: Context) -> Topic:
    topic = clinic.topic(ctx.session, ctx.slots["topic_id"])
    assert topic is not None
    return topic


# --- entry and profile ----------------------------------------------------------------------


@flow.entry(
    "reserve",
    intents=("reserve",),
    menu=10,
    label="reservation.menu_label",
    goes_to=("confirm_profile", "registration", "choose_service", "choose_topic", "problem"),
)
def begin(ctx: Context) -> Outcome:
    """Begin a reservation (registration first for someone new), keeping everything the
    message already said: a day and time ("mau konsul kamis jam 14"), the clinic, the topic,
    the mode, and the registration answers ("saya Pak Haji Sutrisno, ketua KSP Maju...")."""
    registered = is_registered(ctx.contact)
    # what was written just before is read only when something is still missing
    earlier = [] if registered else _earlier_texts(ctx)
    registration = {} if registered else _registration_said(ctx, earlier)
    category = registration.get("reg_category") or ctx.contact.category
    said = understood_in(ctx, category)
    if not (said.get("topic_id") or said.get("topic_hint")):
        earlier = earlier if not registered else _earlier_texts(ctx)
        said.update(_subject_said_before(ctx, category, earlier))
    introduced = [
        str(value)
        for key in ("reg_name", "reg_organisation", "reg_kecamatan")
        if (value := registration.get(key))
    ]
    story = story_text.story_in(ctx.text, [*introduced, *_introduced(ctx)], ctx.today)
    if story:
        said["story"] = story
    if registered:
        return Outcome(goto="reservation.confirm_profile", slots=said)
    said.update(registration)
    then = "reservation." + _first_question(said)
    return Outcome(call="registration", then=then, slots=said)


SUBJECT_LOOKBACK = dt.timedelta(minutes=30)
SUBJECT_MESSAGES = 4


def _earlier_texts(ctx: Context) -> list[str]:
    """What the person wrote just before this booking began (not in an earlier booking)."""
    if ctx.contact.id is None:
        return []
    earlier = history.recent_texts(
        ctx.session, ctx.contact.id, ctx.now - SUBJECT_LOOKBACK, after_last_booking=True
    )
    return [text for text in earlier[-SUBJECT_MESSAGES:] if text != ctx.text]


def _registration_said(ctx: Context, earlier: list[str]) -> dict[str, Any]:
    """The registration answers of this message, and of the ones just before it ("aku
    jualan kue di IG" ... "mau konsul dong"): the newest message wins."""
    found = registration_slots_from(ctx.text)
    for text in reversed(earlier):
        for key, value in registration_slots_from(text).items():
            found.setdefault(key, value)
    return home_kecamatan_ending(ctx, found)


def _subject_said_before(ctx: Context, category: str | None, earlier: list[str]) -> dict[str, Any]:
    """The clinic and topic of a question asked or a story told just before ("mau bikin
    koperasi caranya gmn?" ... "yaudh sy mau konsul aja"): not the day, time or mode, which
    may have moved."""
    for text in reversed(earlier):
        asked = faq.is_question(text) or story_text.asks_for_a_consultation(text)
        if not (asked or story_text.story_in(text, (), ctx.today)):
            continue
        then = dataclasses.replace(ctx, inbound=dataclasses.replace(ctx.inbound, body=text))
        found = understood_in(then, category)
        subject = {k: v for k, v in found.items() if k in ("service_id", "topic_id", "topic_hint")}
        if subject.get("topic_id") or subject.get("topic_hint"):
            return subject
    return {}


def _first_question(slots: Mapping[str, Any]) -> str:
    """The first booking question the person has not answered yet."""
    if not slots.get("service_id"):
        return "choose_service"
    if not slots.get("topic_id"):
        return "choose_topic"
    return "problem"


def confirm_profile_prompt(ctx: Context) -> Prompted:
    """The registration to check; a reservation already ahead is named, with the way to move
    it ("tgl 3 bisa?" from someone booked may mean that one)."""
    ahead = reservations.upcoming_for(ctx.session, ctx.contact, ctx.now)
    first = ahead[0] if ahead else None
    details = {
        "contact": ctx.contact,
        "ahead": {"code": first.code, "starts": local(ctx, first.starts_at)} if first else None,
    }
    return Prompted([Say("reservation.confirm_profile", details)], {"has_ahead": bool(first)})


@flow.step(
    "confirm_profile",
    prompt=confirm_profile_prompt,
    says=("reservation.confirm_profile", "reservation.profile_yes_no"),
    goes_to=("choose_service", "choose_topic", "problem", "registration"),
)
def confirm_profile(ctx: Context) -> Outcome:
    """A returning person checks their registration: go on, or edit it first; or, with a
    reservation ahead, move that one instead (3, or "bukan, yg selasa itu dipindah")."""
    if ctx.slots.get("has_ahead") and (
        ctx.text.strip() == "3" or mentions(ctx, words("move_words"), typos=False)
    ):
        entry = ctx.entry("reschedule")
        assert entry is not None
        moved = entry.begin(ctx)
        if moved.slots is not None and not moved.slots.get("slot_from_day"):
            # the day said when this began ("tgl 3 bisa?") is the new day wished for
            moved.slots["slot_from_day"] = ctx.slots.get("hint_date")
            moved.slots["slot_at_time"] = ctx.slots.get("hint_time")
        return moved
    answer = confirmation(ctx)
    if answer == "no" or mentions(ctx, words("edit")):
        return Outcome(call="registration", then=_first_question(ctx.slots))
    if answer == "yes" or mentions(ctx, words("go_on")):
        return Outcome(goto=_first_question(ctx.slots))
    return Outcome(say=[Say("reservation.profile_yes_no")], understood=answer == "wait")


# --- clinic and topic ---------------------------------------------------------------------


def service_prompt(ctx: Context) -> Prompted:
    """List the clinics (remembering their order for the answer)."""
    services = clinic.active_services(ctx.session)
    labels = [clinic.label(s, ctx.lang) for s in services]
    return Prompted(
        [Say("reservation.choose_service", {"services": labels})],
        {"service_ids": [s.id for s in services]},
    )


def clinic_of_category(ctx: Context) -> Outcome | None:
    """A cooperative's officer goes to the cooperative clinic and a business to the UMKM
    clinic without being asked (the summary can still change it); a citizen is asked."""
    if ctx.slots.get("service_noted") and ctx.slots.get("service_id"):
        # named while the registration questions were open ("sy mau ke klinik UMKM aja")
        return Outcome(goto="choose_topic", slots={"service_noted": None})
    if ctx.slots.get("service_id") or ctx.slots.get("editing") or ctx.slots.get("clinic_asked"):
        return None
    code = CLINIC_OF_CATEGORY.get(ctx.contact.category or "")
    service = next((s for s in clinic.active_services(ctx.session) if s.code == code), None)
    if service is None:
        return None
    return Outcome(
        goto=_first_question({**ctx.slots, "service_id": service.id}),
        slots={"service_id": service.id},
    )


@flow.step(
    "choose_service",
    prompt=service_prompt,
    skip=clinic_of_category,
    says=("reservation.choose_service", "reservation.bad_service"),
    goes_to=("choose_topic", "summary"),
)
def choose_service(ctx: Context) -> Outcome:
    """Koperasi or UMKM, by number or by name."""
    ids: list[int] = ctx.slots.get("service_ids", [])
    services = [clinic.service(ctx.session, i) for i in ids]
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
    if ctx.slots.get("editing") and ids[picked] == ctx.slots.get("service_id"):
        return Outcome(goto="summary", slots={"editing": None})
    # another clinic: its own topics and times
    cleared = {"topic_id": None, "starts_at": None, "topic_page": None, "topic_suggested": None}
    return Outcome(goto="choose_topic", slots={**cleared, "service_id": ids[picked]})


TOPIC_PAGE = 7
OTHER_TOPIC = "lainnya"
SUGGESTIONS = 2


def _topics(ctx: Context) -> list[Topic]:
    return clinic.topics_of(ctx.session, ctx.slots["service_id"])


def topic_prompt(ctx: Context) -> Prompted:
    """The chosen clinic's topics, a page at a time (numbered across pages), or the nearest
    topics to words that matched none."""
    service = _service(ctx)
    topics = _topics(ctx)
    ids = [t.id for t in topics]
    by_id = {t.id: t for t in topics}
    suggested = [by_id[i] for i in ctx.slots.get("topic_suggested", []) if i in by_id]
    if suggested:
        say = Say(
            "reservation.topic_suggestions",
            {
                "words": ctx.slots.get("topic_words", ""),
                "topics": [clinic.label(t, ctx.lang) for t in suggested],
            },
        )
        return Prompted([say], {"topic_ids": ids})
    page = int(ctx.slots.get("topic_page", 0))
    first = page * TOPIC_PAGE
    shown = topics[first : first + TOPIC_PAGE]
    say = Say(
        "reservation.choose_topic",
        {
            "service": clinic.label(service, ctx.lang),
            "topics": [clinic.label(t, ctx.lang) for t in shown],
            "first": first + 1,
            "more": first + TOPIC_PAGE < len(topics),
        },
    )
    return Prompted([say], {"topic_ids": ids})


def _nearest_topics(ctx: Context, topics: list[Topic]) -> list[Topic]:
    """The topics closest to words that matched none: a topic of this clinic named like the
    other clinic's topic whose keywords hold the words ("pajak" is a keyword of "Laporan
    keuangan sederhana": "Laporan keuangan"), then the closest names and keywords."""
    own = [t for t in topics if t.code != OTHER_TOPIC]
    found: list[Topic] = []
    for service in clinic.active_services(ctx.session):
        if service.id == ctx.slots["service_id"] or service.id is None:
            continue
        elsewhere = clinic.topics_of(ctx.session, service.id)
        hit = best_topic_mention(ctx, keywords_of(elsewhere))
        if hit is None:
            continue
        name = elsewhere[hit].name_id.lower()
        found.extend(t for t in own if t.name_id.lower() in name or name in t.name_id.lower())
    text = ctx.text.lower()
    scored = sorted(
        (
            max(
                (
                    fuzz.token_set_ratio(text, n.strip().lower())
                    for n in (t.name_id, t.name_en, *t.keywords.split(","))
                    if n.strip()
                ),
                default=0,
            ),
            t.position,
            t,
        )
        for t in own
        if t not in found
    )
    close = [t for score, _p, t in sorted(scored, key=lambda x: (-x[0], x[1])) if score >= 60]
    return [*found, *close][:SUGGESTIONS]


def _clinic_switch(ctx: Context) -> Outcome | None:
    """The other clinic named at the topic question, or a wish to choose the clinic."""
    cleared = {"topic_id": None, "topic_page": None, "topic_suggested": None, "starts_at": None}
    current = ctx.slots.get("service_id")
    named = [
        s
        for s in clinic.active_services(ctx.session)
        if s.id != current and mentions(ctx, words(f"service_{s.code}"), typos=False)
    ]
    if len(named) == 1:
        return Outcome(goto="choose_topic", slots={**cleared, "service_id": named[0].id})
    if mentions(ctx, words("change_clinic"), typos=False):
        return Outcome(
            goto="choose_service", slots={**cleared, "service_id": None, "clinic_asked": True}
        )
    return None


def _subject_answer(ctx: Context, topic: Topic) -> Say | None:
    """The FAQ answer to a question about the topic just chosen ("caranya gmn?")."""
    if not faq.is_question(ctx.text):
        return None
    hit = faq.find(ctx.session, ctx.text, ctx.lang)
    if hit is None or hit.topic_code != topic.code:
        return None
    return Say("faq.answer", {"answer": hit.answer, "shows": None})


def _after_topic(ctx: Context, topic: Topic, words_kept: str | None = None) -> Outcome:
    slots: dict[str, object] = {
        "topic_id": topic.id,
        "topic_page": None,
        "topic_suggested": None,
        "topic_words": None,
        "topic_note": words_kept if topic.code == OTHER_TOPIC else None,
    }
    told = story_text.story_in(
        ctx.text, _introduced(ctx), ctx.today, questions=False, min_words=TOPIC_STORY_WORDS
    )
    if told:  # "capital. I want a KUR loan but the bank keeps asking for documents"
        slots["story"] = told
    if topic.code == OTHER_TOPIC and not words_kept:
        # "another topic" picked from the list: its subject is in the problem, asked for now
        return Outcome(goto="problem", slots=slots)
    return Outcome(goto=_then(ctx, "problem", needs=("problem", "mode")), slots=slots)


def topic_said_before(ctx: Context) -> Outcome | None:
    """The topic an earlier message named ("mau konsul soal modal usaha") once the clinic is
    known; the problem question shows it and the summary can change it."""
    hint = ctx.slots.get("topic_hint")
    if not hint or ctx.slots.get("topic_id") or ctx.slots.get("editing"):
        return None
    said = dataclasses.replace(ctx, inbound=dataclasses.replace(ctx.inbound, body=hint))
    topics = _topics(ctx)
    hit = best_topic_mention(said, keywords_of(topics))
    if hit is None:
        return None
    after = _after_topic(ctx, topics[hit])
    return dataclasses.replace(after, slots={**after.slots, "topic_hint": None})


@flow.step(
    "choose_topic",
    prompt=topic_prompt,
    skip=topic_said_before,
    says=(
        "reservation.choose_topic",
        "reservation.bad_topic",
        "reservation.topic_suggestions",
        "faq.answer",
    ),
    goes_to=("problem", "summary", "choose_topic", "choose_service"),
)
def choose_topic(ctx: Context) -> Outcome:
    """A topic by number or words ("laporan keuangan", "modal"); "lainnya" shows more; words
    that match no topic get the nearest two and "another topic", which keeps their words."""
    original = ctx  # the story is told in all its words ("udah 3 taun ga RAT krn ...")
    ctx = without_negated(ctx)
    ids: list[int] = ctx.slots.get("topic_ids", [])
    topics = _topics(ctx)
    by_id = {t.id: t for t in topics}
    # forwarded from the summary ("topiknya ganti jd pendampingan usaha aja") before any list
    # was shown: every topic of the clinic
    listed = [by_id[i] for i in ids if i in by_id] or topics
    suggested = [by_id[i] for i in ctx.slots.get("topic_suggested", []) if i in by_id]
    if suggested:  # answering "1. X 2. Y 3. another topic"
        picked = choice(ctx, [str(i + 1) for i in range(len(suggested))])
        if picked is not None:
            return _after_topic(original, suggested[picked], ctx.slots.get("topic_words"))
    page = int(ctx.slots.get("topic_page", 0))
    has_more = (page + 1) * TOPIC_PAGE < len(listed)
    if has_more and mentions(ctx, words("more"), typos=False) and len(ctx.text.split()) <= 3:
        return Outcome(reprompt=True, slots={"topic_page": page + 1, "topic_suggested": None})
    picked = choice(ctx, [str(i + 1) for i in range(len(listed))])
    if picked is None:
        picked = choice(ctx, [t.name_id for t in listed])
    if picked is None:
        picked = choice(ctx, [t.name_en for t in listed])
    if picked is None:
        picked = best_topic_mention(ctx, keywords_of(listed))
        if picked is not None:  # "sertifikat halal gimana caranya?": answered, and the topic
            after = _after_topic(original, listed[picked], ctx.slots.get("topic_words"))
            answer = _subject_answer(ctx, listed[picked])
            return dataclasses.replace(after, say=[answer]) if answer else after
    if picked is not None:
        return _after_topic(original, listed[picked], ctx.slots.get("topic_words"))
    switched = _clinic_switch(ctx)
    if switched is not None:  # "no not cooperative, i said small business!", "ganti klinik"
        return switched
    if len(ctx.text) >= TOPIC_WORDS_MIN_CHARS and not ctx.text.strip().isdigit():
        nearest = _nearest_topics(ctx, listed)
        other = [t for t in listed if t.code == OTHER_TOPIC]
        return Outcome(
            reprompt=True,
            slots={
                "topic_suggested": [t.id for t in (*nearest, *other)],
                "topic_words": " ".join(ctx.text.split())[:200],
            },
        )
    return Outcome(say=[Say("reservation.bad_topic")], reprompt=True, understood=False)


# --- problem and mode ---------------------------------------------------------------------


def problem_prompt(ctx: Context) -> Prompted:
    """Ask for the problem; what the person already told of it in this conversation (in a
    message the bot took for something else, or in several bubbles) is offered to confirm."""
    story = ctx.slots.get("story")
    changes: dict[str, Any] = {}
    told = _told_earlier(ctx, since=ctx.now - SUBJECT_LOOKBACK, this_booking=True)
    if told and (not story or story in told):  # every bubble of it, the first one included
        story = told[:PROBLEM_MAX_CHARS]
        changes["story"] = story
    say = Say(
        "reservation.ask_problem",
        {"topic": clinic.label(_topic(ctx), ctx.lang), "story": story, "contact": ctx.contact},
    )
    return Prompted([say], changes)


@flow.step(
    "problem",
    prompt=problem_prompt,
    says=(
        "reservation.ask_problem",
        "reservation.problem_too_short",
        "reservation.problem_too_long",
        "reservation.problem_again",
    ),
    goes_to=("mode", "choose_slot", "summary", "problem", "choose_topic"),
    free_text=True,
)
def problem(ctx: Context) -> Outcome:
    """The problem in the person's own words; "ya" or "sudah saya tulis tadi" takes the story
    an earlier message told (and what they add to it); remarks about the question ("bukan
    itu.", "like I said") are not part of it."""
    corrected = _topic_corrected(ctx)
    if corrected is not None:  # "bukan modal pak, masalahnya kredit macet anggota"
        return corrected
    story = ctx.slots.get("story")
    if story and confirmation(ctx) == "no" and len(ctx.text.split()) <= DENIAL_WORDS:
        # "bukan kak itu cuma perkenalan": not the problem; ask for it, without the offer
        return Outcome(slots={"story": None}, reprompt=True)
    refers_back = mentions(ctx, words("already_said"), typos=False)
    said_mode = mode_of(ctx) if story else None  # "iya itu. kalo bisa online aja ya"
    text, wished = _wishes_apart(ctx, story_text.without_remarks(ctx.text))
    text = _without_side_questions(ctx, text)
    if said_mode:
        text = _without_mode_clauses(text)
    # after "iya itu," what is added may be short ("tambahin jg sertifikat halal nya")
    remarked = _plain(text) != _plain(ctx.text)
    enough = story_text.SUBJECT_MIN_WORDS if remarked else story_text.STORY_WORDS
    added = text if len(text.split()) >= enough else ""
    # "tatap muka aja" to the story offered: the next question answered, the story taken
    mode_only = bool(said_mode) and not any(ch.isalpha() for ch in text)
    if story and (refers_back or confirmation(ctx) == "yes" or mode_only or _agrees_and_adds(ctx)):
        text = _joined([story, added]) if added and added not in story else story
    elif refers_back and not added:
        earlier = _told_earlier(ctx)
        if earlier is None:  # nothing kept to refer to: ask once more, kindly
            return Outcome(say=[Say("reservation.problem_again")])
        text = earlier
    if len(text) < PROBLEM_MIN_CHARS:
        return _short_bubble(ctx, story)
    if len(text) > PROBLEM_MAX_CHARS:
        return Outcome(say=[Say("reservation.problem_too_long", {"limit": PROBLEM_MAX_CHARS})])
    next_step = _then(ctx, "mode", needs=("mode",))
    known: dict[str, Any] = {"problem": text, **wished}
    if said_mode and (confirmation(ctx) == "yes" or mode_only):
        known["mode"] = said_mode
    if next_step == "mode" and (ctx.slots.get("mode") or known.get("mode")):
        # the mode came with an earlier message, or with this one
        slot = _wished_slot(dataclasses.replace(ctx, slots={**ctx.slots, **known}))
        if slot is not None:
            return Outcome(goto="summary", slots={**known, "starts_at": slot.isoformat()})
        next_step = "choose_slot"
    return Outcome(goto=next_step, slots=known)


def _without_side_questions(ctx: Context, text: str) -> str:
    """The problem without the questions about the clinic asked beside it ("... tp modal ga
    cukup. konsul nya bayar ga bu?"), which are answered on the side, nor emoji."""
    sentences = [s for s in story_text.SENTENCE.findall(text) if s.strip()]
    if len(sentences) > 1:
        kept = [s for s in sentences if not _about_the_clinic(ctx, s)]
        text = "".join(kept).strip() if kept else text
    tidy = re.sub(r"\s+([.,!?;:])", r"\1", " ".join(EMOJI.sub(" ", text).split()))
    return tidy.strip() or text


def _about_the_clinic(ctx: Context, sentence: str) -> bool:
    """A question about how the clinic works (cost, hours, Zoom), not about the subject:
    "gimana ngurus PIRT?" is the problem itself."""
    if not faq.is_question(sentence):
        return False
    hit = faq.find(ctx.session, sentence, ctx.lang)
    return hit is not None and not hit.topic_code


def _wishes_apart(ctx: Context, text: str) -> tuple[str, dict[str, Any]]:
    """The problem without its sentences that only arrange the meeting ("... gk berani undang
    anggota RAT. bs tatap muka hari senin pagi?"), and what they arrange: the way of meeting,
    the day and time."""
    sentences = [s for s in story_text.SENTENCE.findall(text) if s.strip()]
    wishes = [s for s in sentences if story_text.is_a_wish(s, ctx.today)]
    if not wishes or len(wishes) == len(sentences):
        return text, {}
    kept = "".join(s for s in sentences if s not in wishes).strip()
    said = ctx.with_text(" ".join(wishes))
    found: dict[str, Any] = {}
    mode = mode_of(said)
    if mode is not None:
        found["mode"] = mode
    service = _service(ctx)
    time = time_named(said, service)
    day = day_named(said, time=time, service=service)
    if day is not None:
        found["hint_date"] = day.isoformat()
        found["hint_time"] = time.isoformat() if time else None
    elif time is not None:
        found["hint_time"] = time.isoformat()
    return kept, found


BUBBLES_KEPT = 2  # a second short bubble is no longer "too short": it goes on a story


def _short_bubble(ctx: Context, story: str | None) -> Outcome:
    """A word or two ("kemasan", "keripik", "saya", ...): people who write one word per
    bubble are heard as one story, offered back for a "ya" once it says enough."""
    plain = ctx.text.strip()
    if not any(ch.isalpha() for ch in plain) or confirmation(ctx) or intent_of(ctx):
        return Outcome(say=[Say("reservation.problem_too_short")])
    if story:  # the story offered goes on in this bubble
        return Outcome(goto="problem", slots={"story": f"{story} {plain}"[:PROBLEM_MAX_CHARS]})
    parts = [*ctx.slots.get("problem_parts", []), plain][-BUBBLES_KEPT:]
    if len(parts) == 1:
        return Outcome(say=[Say("reservation.problem_too_short")], slots={"problem_parts": parts})
    # the second bubble: what they wrote so far is offered back, and grows with each bubble
    return Outcome(goto="problem", slots={"story": " ".join(parts), "problem_parts": None})


def _topic_corrected(ctx: Context) -> Outcome | None:
    """A reply that denies the topic shown ("lho bukan pendirian bu, ... soal penilaian
    kesehatan koperasi", "Mohon maaf, bukan akses pasar. Masalah kami ...") or names another
    ("Ya betul. Tapi topiknya lebih pas manajemen koperasi"): the topic it names instead, or
    the list, with the rest of the message kept as the story."""
    topic = _topic(ctx)
    labels = f"{clinic.label(topic, 'id')} {clinic.label(topic, 'en')}".split()
    names = [w for w in labels if len(w) >= TOPIC_WORD_CHARS]
    names += topic.keywords.split(",") if topic.keywords else []
    clauses = [c.strip() for c in CLAUSE.findall(ctx.text) if c.strip()]
    denials = [c for c in clauses if _denies(ctx.with_text(c), names)]
    renamings = [c for c in clauses if mentions(ctx.with_text(c), words("topic_words"))]
    if not (denials or renamings):
        return None
    topics = _topics(ctx)
    asked = " ".join(c for c in clauses if c not in denials) if denials else " ".join(renamings)
    # the denied clauses are left out already; "tidak melaksanakan RAT" still names RAT
    subject = ctx.with_text(asked) if denials else without_negated(ctx.with_text(asked))
    hit = best_topic_mention(subject, keywords_of(topics))
    if not denials and (hit is None or topics[hit].id == topic.id):
        return None  # "topiknya sudah pas": nothing to change
    kept = ctx.text
    for clause in (*denials, *renamings):
        kept = kept.replace(clause, "", 1)
    kept = re.sub(r"\s*([,.;!?])(\s*[,.;!?])+", r"\1", kept).strip(" ,.;!?")
    told = story_text.story_in(kept, _introduced(ctx), ctx.today) or None if kept else None
    slots: dict[str, Any] = {"story": told} if told else {}
    if hit is not None and topics[hit].id != topic.id:
        return Outcome(goto="problem", slots={**slots, "topic_id": topics[hit].id})
    return Outcome(goto="choose_topic", slots={**slots, "topic_id": None, "topic_page": None})


DENIAL_REACH = 3  # "bukan akses pasar", "maaf bukan soal modal": the denial comes first


def _denies(clause: Context, names: list[str]) -> bool:
    """A clause that denies the topic shown: a denial among its first words, then a name or
    keyword of the topic."""
    lead = [w.lower().strip(",.!") for w in clause.text.split()[:DENIAL_REACH]]
    return any(w in words("topic_denials") for w in lead) and mentions(clause, names, typos=False)


def _without_mode_clauses(text: str) -> str:
    """The story without the clauses that choose the way of meeting."""
    modes = [*words("mode_tatap_muka"), *words("mode_online")]
    kept = [
        clause
        for clause in story_text.CLAUSE_END.split(text)
        if not any(f" {m} " in f" {clause.lower().strip(' ,.!?')} " for m in modes)
    ]
    return " ".join(kept).strip(" ,;")


def _told_earlier(
    ctx: Context, since: dt.datetime | None = None, *, this_booking: bool = False
) -> str | None:
    """ "sudah saya ceritakan di atas": the story the person's recent messages told (since
    `since`, by default the last RECENT_HOURS; with `this_booking`, not before their last
    reservation, whose story was its own)."""
    since = since or ctx.now - dt.timedelta(hours=RECENT_HOURS)
    told: list[str] = []
    recent = history.recent_texts(
        ctx.session, ctx.contact.id or 0, since, after_last_booking=this_booking
    )
    for text in recent:
        if faq.is_question(text) and faq.find(ctx.session, text, ctx.lang) is not None:
            continue  # "buka hari sabtu ga?" was answered, it is no part of the problem
        if this_booking and _remark(text):
            continue  # "lho naha klinik UMKM?", "oh udah nyambung ya": about the chat
        told_here = story_text.without_remarks(text)
        story = story_text.story_in(told_here, _introduced(ctx), ctx.today, questions=False)
        if story and story not in told:
            told.append(story)
    return _joined(told)[:PROBLEM_MAX_CHARS] or None


def _agrees_and_adds(ctx: Context) -> bool:
    """ "iya itu, tambahin jg ada toko oleh2 minta BPOM", "iya bener, sama mau tanya KUR": the
    story offered is right and more comes with it (kept together, not replaced)."""
    first = ctx.text.strip().lower().split()[:1]
    leading = bool(first) and first[0].strip(",.!?") in words("yes_leading")
    return leading or mentions(ctx, words("adds_to_story"), typos=False)


def _remark(text: str) -> bool:
    """A message about the conversation rather than the problem: a complaint or an objection
    ("lho bukan itu mksdnya", "kok klinik UMKM?"), a sound check ("halo halo bisa denger?")."""
    first = text.strip().lower().split()[:1]
    leading = bool(first) and first[0].strip(",.!?") in words("story_meta_leading")
    return is_complaint(text) or (leading and len(text.split()) <= REMARK_MAX_WORDS)


REMARK_MAX_WORDS = 12


def _joined(parts: list[str]) -> str:
    """Bubbles joined as sentences ("... di rumah. Saya ingin ...")."""
    joined = ""
    for part in parts:
        part = part.strip()
        if joined and joined[-1] not in ".!?":
            joined += "."
        joined = f"{joined} {part}".strip()
    return joined


def _plain(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _introduced(ctx: Context) -> list[str]:
    contact = ctx.contact
    return [v for v in (contact.name, contact.organisation, contact.kecamatan) if v]


def _then(ctx: Context, step: str, *, needs: tuple[str, ...]) -> str:
    """The next step; or, while changing one part from the summary, back to the summary once
    everything it shows is known."""
    if ctx.slots.get("editing") and all(ctx.slots.get(k) for k in ("starts_at", *needs)):
        return "summary"
    return step


def _wished_slot(ctx: Context) -> dt.datetime | None:
    """The slot the person named in their first message ("besok jam 10"), if it is free."""
    day, time = ctx.slots.get("hint_date"), ctx.slots.get("hint_time")
    if not (day and time):
        return None
    service = _service(ctx)
    clock = availability.in_clinic_hours(ctx.session, service, dt.time.fromisoformat(time))
    moment = dt.datetime.combine(dt.date.fromisoformat(day), clock, ctx.tz)
    slot = calendar.slot_at(ctx.session, service, moment.astimezone(dt.UTC), ctx.tz)
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
    if chosen is None and ctx.text.strip(" .!").lower() in words("mode_step_tatap_muka"):
        chosen = "tatap_muka"  # "tatap" (and "muka" in the next bubble): half of it is enough
    if chosen is None:
        return _mode_not_given(ctx)
    if ctx.slots.get("editing") and ctx.slots.get("starts_at"):
        return Outcome(goto="summary", slots={"mode": chosen, "editing": None})
    refused = refused_day(ctx) if picked is None else None
    if refused is not None:  # "tatap muka aja, kapan aja asal jangan jumat"
        return Outcome(
            goto="choose_slot", slots={"mode": chosen, "slot_avoid_days": [refused.isoformat()]}
        )
    if picked is None and (time_named(ctx, _service(ctx)) or day_named(ctx)):
        # "zoom aja, hari ini bisa jam 3?": the time comes with the mode
        answer = read_slot_answer(ctx, _service(ctx), SLOT_KEY, ())
        if answer.chosen is not None:
            starts = answer.chosen.isoformat()
            return Outcome(goto="summary", slots={"mode": chosen, "starts_at": starts})
        if answer.from_day or answer.at_time:
            return Outcome(
                goto="choose_slot",
                slots={
                    "mode": chosen,
                    "slot_from_day": answer.from_day.isoformat() if answer.from_day else None,
                    "slot_at_time": answer.at_time.isoformat() if answer.at_time else None,
                    "slot_missed": answer.unavailable,
                },
            )
    wished = _wished_slot(ctx)
    if wished is not None:
        return Outcome(goto="summary", slots={"mode": chosen, "starts_at": wished.isoformat()})
    return Outcome(goto="choose_slot", slots={"mode": chosen})


STORY_BUBBLE_WORDS = 6
STORY_QUESTION_WORDS = 10
DENIAL_WORDS = 6  # "bukan kak itu cuma perkenalan"; longer, the new problem comes with it


def _story_goes_on(ctx: Context) -> bool:
    """ "terus anggota juga banyak yang menunggak": more of the story, not a remark ("aiyo.
    tak ada yg mau diubah!! ok") or a question."""
    text = ctx.text.strip()
    first = text.split()[0].lower().strip(",.!") if text else ""
    # after a problem of a word or two ("mau pinjam"), a short bubble goes on ("buat usaha")
    short = len(str(ctx.slots.get("problem") or "").split()) < story_text.STORY_WORDS
    # "mau nanya soal rencana buka minimarket. perlu ubah AD/ART ga? ...": questions for the
    # consultant, not about the clinic (those were answered on the side)
    asks_the_consultant = (
        len(text.split()) >= STORY_QUESTION_WORDS
        and intent_of(ctx) in (None, "info")
        and faq.find(ctx.session, text, ctx.lang) is None
    )
    return (
        (len(text.split()) >= STORY_BUBBLE_WORDS or (short and any(c.isalpha() for c in text)))
        and (asks_the_consultant or (not text.endswith("?") and ctx.intent is None))
        and first not in words("story_meta_leading")
        and not mentions(ctx, words("change_words"), typos=False)
    )


def _mode_not_given(ctx: Context) -> Outcome:
    time = time_named(ctx, _service(ctx))
    day = day_named(ctx, time=time, service=_service(ctx))
    words_said = len(ctx.text.split())
    if (day or time) and words_said <= TIME_ANSWER_MAX_WORDS:  # "besok jam 10": kept
        hints = {"hint_date": day.isoformat() if day else None}
        hints["hint_time"] = time.isoformat() if time else None
        return Outcome(say=[Say("reservation.noted_time")], reprompt=True, slots=hints)
    if _story_goes_on(ctx):
        # the story went on in another bubble: add it to the problem
        bubble = ctx.text.strip()
        if len(bubble.split()) < story_text.STORY_MIN_WORDS:  # "mau pinjam" "buat usaha"
            story = f"{ctx.slots['problem']} {bubble}"[:PROBLEM_MAX_CHARS]
        else:
            story = _joined([ctx.slots["problem"], bubble])[:PROBLEM_MAX_CHARS]
        return Outcome(
            say=[Say("reservation.noted_problem")], reprompt=True, slots={"problem": story}
        )
    return Outcome(say=[Say("reservation.bad_mode")], reprompt=True, understood=False)


# --- slot ---------------------------------------------------------------------------------


def slot_prompt(ctx: Context) -> Prompted:
    """Offer the nearest free slots (from the day and time the person mentioned, if any)."""
    offer = offer_requested_slots(
        ctx,
        _service(ctx),
        key=SLOT_KEY,
        default_day=ctx.slots.get("hint_date"),
        default_time=ctx.slots.get("hint_time"),
    )
    if not offer.slots:
        return Prompted(offer.notices, offer.changes)
    # the example in the question is a time this clinic keeps ("jam 14" at the UMKM clinic)
    example = offer.slots[len(offer.slots) // 2].hour
    chosen = Say("reservation.choose_slot", {"slots": offer.slots, "example_hour": example})
    return Prompted([*offer.notices, chosen], offer.changes)


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


def _problem_text(ctx: Context) -> str:
    """The problem as stored: with the person's own words for a topic outside the list."""
    note = ctx.slots.get("topic_note")
    problem = str(ctx.slots["problem"])
    return f"[{note}] {problem}"[:PROBLEM_MAX_CHARS] if note else problem


def summary_vars(ctx: Context) -> dict[str, object]:
    """What the summary and the confirmation show."""
    starts = dt.datetime.fromisoformat(ctx.slots["starts_at"])
    return {
        "contact": ctx.contact,
        "service": clinic.label(_service(ctx), ctx.lang),
        "topic": clinic.label(_topic(ctx), ctx.lang),
        "topic_note": ctx.slots.get("topic_note"),
        "problem": ctx.slots["problem"],
        "mode": ctx.slots["mode"],
        "starts": local(ctx, starts),
    }


FIELD_STEPS = {
    "field_service": "choose_service",
    "field_topic": "choose_topic",
    "field_problem": "problem",
    "field_mode": "mode",
    "field_slot": "choose_slot",
}
FIELD_ONLY_WORDS = 3  # "ubah topik nya": only which part; longer messages also give the value
FIELD_NAMING_WORDS = 5


def _field_to_change(ctx: Context) -> str | None:
    """The step of the part the person wants to change ("ubah topik", "masalahnya salah")."""
    short = len(ctx.text.split()) <= FIELD_NAMING_WORDS  # "topik sama masalahnya kak"
    asked = mentions(ctx, words("change_words"), typos=False) or short
    if not asked:
        return None
    for field, step in FIELD_STEPS.items():
        if mentions(ctx, words(field), typos=False):
            return step
    return None


def _registration_change(ctx: Context) -> dict[str, Any] | None:
    """The person's own data changed at the summary ("nama saya salah, harusnya Suparmo",
    "kecamatannya Sepatan"): the registration's slots for it; None for anything else, and
    for a question ("tapi lokasinya dimana?")."""
    if ctx.text.rstrip().endswith("?") or intent_of(ctx) == "info":
        return None
    if _field_to_change(ctx) is not None:  # "masalahnya saya ganti: ... koperasi sendiri"
        return None
    changes = registration_changes_from(ctx.text)
    return changes or None  # "ubah" alone asks which part of the booking


@flow.step(
    "summary",
    prompt=lambda ctx: Prompted([Say("reservation.summary", summary_vars(ctx))], {"editing": None}),
    says=(
        "reservation.summary",
        "reservation.booked",
        "reservation.confirm_yes_no",
        "reservation.which_change",
        "common.help",
        *FAILURE_KEYS,
    ),
    goes_to=("choose_slot", END, "announcements", "registration", "summary", *FIELD_STEPS.values()),
    handles=("help", "reserve"),  # "cara" and "klinik" here name a part to change
)
def summary(ctx: Context) -> Outcome:
    """Yes books the seat (atomically); a new time or mode in words updates the summary;
    no goes back to choosing a time."""
    service = _service(ctx)
    names_time = parse_time(ctx.text) is not None
    names_day = parse_date(ctx.text, ctx.today, now_is_a_day=False) is not None
    names_day = names_day and not first_word_in(ctx, "yes_leading")
    if names_time or names_day:  # "ya tapi besok jam 11": a new time, not a yes
        # "maksudku jam 2 bukan jam 3": a time alone keeps the day of the summary
        asked = (
            ctx
            if names_day
            else dataclasses.replace(ctx, slots={**ctx.slots, SLOT_KEY: [ctx.slots["starts_at"]]})
        )
        answer = read_slot_answer(asked, service, SLOT_KEY, ())
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
    changes = _registration_change(ctx)
    if changes is not None:  # "nama saya salah, harusnya Suparmo": the card, then back here
        return Outcome(call="registration", then="summary", slots=changes)
    field = _field_to_change(ctx)
    if field is not None:  # "ubah topik"; "topiknya laporan keuangan, bukan permodalan"
        forward = len(ctx.text.split()) > FIELD_ONLY_WORDS and field != "choose_service"
        return Outcome(goto=field, slots={"editing": True}, forward=forward)
    if ctx.intent is not None and ctx.intent.name == "help":
        return Outcome(say=[Say("common.help", {"at_rest": False})], reprompt=True)
    new_mode = mode_of(ctx)
    if new_mode and new_mode != ctx.slots["mode"]:
        return Outcome(slots={"mode": new_mode}, reprompt=True)
    if ctx.text.strip().rstrip(".") == "3" or (
        mentions(ctx, words("change_words"), typos=False) and len(ctx.text.split()) <= 2
    ):
        return Outcome(say=[Say("reservation.which_change")])
    answer_word = confirmation(ctx)
    if answer_word == "no" or mentions(ctx, words("change_slot")):
        return Outcome(goto="choose_slot")
    if answer_word in (None, "wait") and mentions(ctx, words("book_now"), typos=False):
        answer_word = "yes"  # "finally. yes book it. and can Dewi come too?"
    if answer_word != "yes":
        return Outcome(say=[Say("reservation.confirm_yes_no")], understood=answer_word == "wait")
    try:
        booked = reservations.book(
            ctx.session,
            contact=ctx.contact,
            service=service,
            topic=_topic(ctx),
            problem=_problem_text(ctx),
            mode=ctx.slots["mode"],
            starts_at=dt.datetime.fromisoformat(ctx.slots["starts_at"]),
            now=ctx.now,
            tz=ctx.tz,
        )
    except reservations.BookingError as exc:
        return booking_failed(exc, retry_at="choose_slot")
    done = Say("reservation.booked", {**summary_vars(ctx), "code": booked.code})
    if ctx.contact.announcements_consent is None:  # asked once, after a first booking
        return Outcome(say=[done], call="announcements")
    return Outcome(say=[done], goto=END)
