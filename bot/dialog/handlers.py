"""The turn handlers, tried in order; the first that answers decides the turn.

Like python-telegram-bot's ConversationHandler (entry points, states, fallbacks), consent,
handoff, language switch and the global words are ordinary handlers here, not special cases
of the engine. A handler returns what to say, or None to let the next one try.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from bot.dialog import navigation as nav
from bot.dialog.turn import Turn
from bot.flows.base import Context, Say, Step
from bot.flows.info import QUESTION_SPLIT
from bot.flows.vocab import words
from bot.intents import parse_date, parse_time
from bot.intents.courtesy import greeting_reply_of, is_complaint
from bot.intents.normalize import normalize
from bot.intents.reading import Reading
from bot.intents.shifts import parse_shift
from bot.services import broadcasts, contacts, faq, handoff, reservations
from bot.services.faq import answer_part, is_question, question_part

Handler = Callable[[Turn], "list[Say] | None"]

GLOBAL_INTENTS = frozenset({"menu", "cancel", "back", "help", "human"})
# Said as a whole message inside a flow, these leave it and start over from the main menu.
RESTART_INTENTS = frozenset({"my_reservations", "reserve"})
# While a handoff waits for staff, these give the chat back to the bot.
TAKE_BACK_INTENTS = frozenset({"menu", "cancel"})
REQUESTS_TAKING_BACK = frozenset({"reserve", "my_reservations", "reschedule"})


def opted_out(turn: Turn) -> list[Say] | None:
    """After "stop" the bot says nothing until "mulai"/"start" (or, within a day, words that
    call the stop a slip: "kepencet, lanjut")."""
    if turn.contact.opted_out_at is None:
        return None
    if turn.reading.intent_name != "start" and not _stopped_by_mistake(turn):
        turn.status = "ignored"
        return []
    contacts.opt_in(turn.contact)
    if turn.handoff_waiting and handoff.open_handoff(turn.session, turn.contact) is not None:
        turn.state.reset()
        return [Say("consent.restarted")]  # a person still owns the chat
    state = turn.state
    if state.flow and not (state.expires_at is not None and state.expires_at <= turn.now):
        # an accidental "stop" in the middle of a booking: pick it up where it was
        return [Say("consent.restarted"), Say("dialog.resume"), *nav.ask_again(turn)]
    return [Say("consent.restarted"), *nav.rest(turn)]


STOP_MISTAKE_WINDOW = dt.timedelta(hours=24)


def _stopped_by_mistake(turn: Turn) -> bool:
    """ "eh maaf kepencet, lanjut" soon after a "stop": they want to go on, as with "mulai"."""
    stopped = turn.contact.opted_out_at
    if stopped is None or turn.now - stopped > STOP_MISTAKE_WINDOW:
        return False
    normal = f" {normalize(turn.inbound.text)} "
    return any(f" {normalize(w)} " in normal for w in words("stop_by_mistake"))


def stop_announcements(turn: Turn) -> list[Say] | None:
    """ "stop info": announcements end; replies and reminders keep coming."""
    if not turn.reading.stops_announcements:
        return None
    broadcasts.set_consent(turn.contact, False, turn.now)
    stopped = Say("announcements.stopped")
    return [stopped, *nav.ask_again(turn)] if turn.state.flow else [stopped]


def stop(turn: Turn) -> list[Say] | None:
    """An opt-out, confirmed once, warning about upcoming reservations."""
    if not turn.reading.is_stop:
        return None
    contacts.opt_out(turn.contact, turn.now)
    # the conversation is kept as it was: "mulai" picks it up again
    upcoming = [r.code for r in reservations.upcoming_for(turn.session, turn.contact, turn.now)]
    return [Say("consent.stopped", {"upcoming": upcoming})]


def held_for_human(turn: Turn) -> list[Say] | None:
    """While a person handles the chat the bot is silent; while the handoff still waits for
    staff, "menu" or "batal" gives the chat back to the bot."""
    if not turn.handoff_waiting:
        return None
    case = handoff.open_handoff(turn.session, turn.contact)
    if case is None:
        return None
    command = turn.reading.command
    asks = turn.reading.intent_name in REQUESTS_TAKING_BACK  # "mo konsul dong" while waiting
    taken_back = command is not None and command.name in TAKE_BACK_INTENTS
    normal = f" {normalize(turn.inbound.text)} "
    # "eh ga jadi, sy daftar sendiri aja": they no longer want a person
    changed_mind = any(f" {normalize(w)} " in normal for w in words("never_mind"))
    if case.status == "pending" and changed_mind and not (taken_back or asks):
        handoff.hand_back_to_bot(turn.session, case, turn.now)
        return [Say("handoff.handed_back"), *nav.rest(turn)]  # "ga jadi" cancels nothing else
    if case.status == "pending" and (taken_back or asks):
        handoff.hand_back_to_bot(turn.session, case, turn.now)
        turn.preface.append(Say("handoff.handed_back"))
        return None  # the menu or cancel handler answers
    last = case.last_message_at or case.opened_at
    quiet = last is not None and turn.now - last >= WAITING_REMINDER
    handoff.note_message(case, turn.inbound.text, turn.now)
    turn.status = "held_for_human"
    if case.status == "pending" and quiet:
        # "halo? kok ga dibales" after a long wait: not silence, but where things stand
        return [Say("handoff.still_waiting")]
    return []


WAITING_REMINDER = dt.timedelta(minutes=30)  # a person still waiting hears from us this often


def welcome_or_expire(turn: Turn) -> list[Say] | None:
    """The privacy notice for a new contact; a fresh start after a long pause. Never answers
    on its own: it only puts text before the answer."""
    state = turn.state
    if turn.contact.privacy_notice_at is None:
        contacts.mark_privacy_notice(turn.contact, turn.now)
        turn.preface.append(Say("common.privacy_notice"))
        turn.fresh = True
    elif state.expires_at is not None and state.expires_at <= turn.now and state.flow:
        state.reset()
        # "nuwun sewu, kulo badhe mbatalaken konsultasi senin" starts anew on its own; "2"
        # after two days answered a question that is gone, so say so
        if turn.reading.intent_name in (None, "yes", "no", "greeting"):
            turn.preface.append(Say("common.expired"))
        turn.fresh = True
    return None


def media_only(turn: Turn) -> list[Say] | None:
    """A photo or location without words: say we read text, and ask again."""
    if turn.inbound.has_text:
        return None
    return [Say("common.text_only"), *nav.ask_again(turn)]


def language_switch(turn: Turn) -> list[Say] | None:
    """ "english please", "bahasa indonesia aja": switch and ask the same question again."""
    language = turn.reading.language_switch
    if language is None:
        return None
    contacts.set_language(turn.contact, language)
    turn.state.misunderstandings = 0
    return [Say("language.set"), *nav.ask_again(turn)]


def global_words(turn: Turn) -> list[Say] | None:
    """menu, batal, kembali, bantuan, petugas: from any step, unless the step takes them."""
    name = turn.reading.intent_name
    step = nav.current_step(turn)
    if name not in GLOBAL_INTENTS or name in step.handles:
        return None
    if step.free_text and not turn.reading.interrupts_free_text():
        return None
    at_rest = turn.state.at_rest
    answer: list[Say] | None
    if name == "menu":
        answer = nav.rest(turn)
    elif name == "cancel":
        if at_rest:
            return None  # the main menu starts the cancel-a-reservation flow
        if _cancels_the_reservation(turn):
            turn.state.reset()
            return None  # the main menu starts the cancel-a-reservation flow with it
        answer = [Say("dialog.cancelled", {"flow": turn.state.flow}), *nav.rest(turn)]
    elif name == "back":
        answer = nav.back(turn)
    elif name == "help":
        # "sertifikat halal gimana caranya?" asks about halal, not how the bot works
        answer = aside(turn) or [Say("common.help", {"at_rest": at_rest}), *nav.ask_again(turn)]
    elif _asks_about_the_booking(turn):
        # "udh dikonfirmasi blm ya sm petugasnya?": staff named, but the booking asked about
        turn.state.reset()
        return None  # the main menu lists it
    else:
        answer = nav.escalate(turn, "requested")
    turn.state.misunderstandings = 0  # asking for help is not a misunderstanding
    return answer


CANCEL_ONLY_WORDS = 5  # "eh batal deh kak" drops a change; longer, it gives a reason


def _cancels_the_reservation(turn: Turn) -> bool:
    """ "yaudah min batalin aja deh, barusan dipanggil rapat" while a move waits for its yes:
    the reservation is cancelled, not only the move ("batal aja pindahnya, tetap jam 10" and
    a bare "batal" drop the move)."""
    if turn.state.flow != "manage" or (turn.state.step or "").startswith("cancel"):
        return False
    text = f" {normalize(turn.inbound.text)} "
    if len(text.split()) <= CANCEL_ONLY_WORDS:
        return False
    keeps = words("move_words") + words("same_time") + words("keep_words")
    return not any(f" {normalize(w) or w} " in text for w in keeps)


def _asks_about_the_booking(turn: Turn) -> bool:
    """Whether a call for staff asks whether one's reservation is confirmed."""
    text = f" {normalize(turn.inbound.text)} "
    if not any(f" {normalize(p) or p} " in text for p in words("asks_confirmed")):
        return False
    return bool(reservations.upcoming_for(turn.session, turn.contact, turn.now))


def complaint(turn: Turn) -> list[Say] | None:
    """ "kok lama banget sih", "pelayanan jelek": apologise, offer a person, and go on."""
    if nav.current_step(turn).free_text or not is_complaint(turn.inbound.text):
        return None
    turn.state.misunderstandings = 0
    person = {"contact": turn.contact, "name": turn.contact.profile_name or ""}
    asks = is_question(turn.inbound.text) and faq.find(
        turn.session, turn.inbound.text, turn.contact.language
    )
    text = turn.inbound.text
    names_when = parse_date(text, turn.context().today) is not None or parse_time(text) is not None
    if turn.reading.intent_name in REQUESTS or asks or (names_when and not turn.state.at_rest):
        # "lelet bgt. sy mau konsul soal modal usaha!!", "biayanya berapa? blm dijawab", "lho
        # kok Jumat? saya mintanya hari Senin": an apology, and the request, question or new
        # time taken as well
        turn.preface.append(Say("common.complaint", person))
        return None
    again = [] if turn.state.at_rest else nav.ask_again(turn)
    return [Say("common.complaint", person), *again]


REQUESTS = frozenset({"reserve", "cancel", "reschedule", "my_reservations", "info", "help"})


def aside(turn: Turn) -> list[Say] | None:
    """A question in the middle of a flow ("alamatnya dimana?") is answered, then the same
    question is asked again."""
    step = nav.current_step(turn)
    if turn.state.at_rest or (step.free_text and not step.asides):
        return None
    if turn.reading.intent_name in ("cancel", "reschedule") or parse_shift(turn.inbound.text):
        # "sy mau batalin aja yg konsul NIB", "push my session back two hours": a request,
        # whatever it names
        return None
    ctx = turn.context()
    for flow in turn.registry.asides():
        assert flow.aside is not None
        say = flow.aside(ctx)
        if say is not None:
            turn.state.misunderstandings = 0
            answered = None if step.free_text else _answer_beside(turn, step)
            return [say, *(answered if answered is not None else nav.ask_again(turn))]
    return None


def _answer_beside(turn: Turn, step: Step) -> list[Say] | None:
    """ "online. zoom di hp bisa kan?": the part of the message that is not the question may
    answer the step; if it does, the conversation moves on instead of asking again."""
    rest = answer_part(turn.inbound.text)
    if not rest:
        return None
    inbound, reading = turn.inbound, turn.reading
    turn.inbound = dataclasses.replace(inbound, body=rest)
    turn.reading = Reading(rest)
    try:
        outcome = step.handle(turn.context())
        moved = outcome.understood and not (outcome.escalate or outcome.pass_on)
        if not (moved and (outcome.goto or outcome.call)):
            return None  # "the consult i mean" beside "biayanya brapa?" answers nothing
        return nav.apply(turn, step, outcome)
    finally:
        turn.inbound, turn.reading = inbound, reading


# Early in a new booking, a request about an existing reservation is that request ("lho
# bukan mau daftar, sy mau batal yg hari kamis", "abdi mah mau mindahin jadwal yg senin").
SWITCH_INTENTS = frozenset({"cancel", "reschedule", "my_reservations"})
SWITCH_STEPS = frozenset(
    {"reservation.confirm_profile", "reservation.choose_service", "reservation.choose_topic"}
)


def switch_to_existing(turn: Turn) -> list[Say] | None:
    """Leave a booking just begun for a request about a reservation the person already has
    (the main menu's step answers, below); a bare "batal" still stops the new booking."""
    name = turn.reading.intent_name
    if name not in SWITCH_INTENTS or f"{turn.flow}.{turn.step_name}" not in SWITCH_STEPS:
        return None
    if turn.reading.command is not None:  # "batal", "ubah jadwal" alone: the step or the
        return None  # global words decide
    if not reservations.upcoming_for(turn.session, turn.contact, turn.now):
        return None
    turn.state.reset()
    return None


def restart(turn: Turn) -> list[Say] | None:
    """ "reservasi saya" said in the middle of something else: leave it and do that instead
    (the main menu's step answers, below)."""
    command = turn.reading.command
    if turn.state.at_rest or command is None or command.name not in RESTART_INTENTS:
        return None
    if command.name in nav.current_step(turn).handles:
        return None
    turn.state.reset()
    return None


def step_answer(turn: Turn) -> list[Say] | None:
    """The current step takes the message; a question asked beside the answer is answered
    too."""
    step = nav.current_step(turn)
    ctx = turn.context()
    outcome = step.handle(ctx)
    says = nav.apply(turn, step, outcome)
    if outcome.escalate or not outcome.understood:
        return says
    return [*_asked_beside(turn, ctx, says), *says]


ANSWER_KEYS = ("info.", "faq.", "main.question_for_consultant")


def _asked_beside(turn: Turn, ctx: Context, says: list[Say]) -> list[Say]:
    """ "kami mau mendirikan koperasi bersama warga RT, gimana caranya ya? pengen
    konsultasi": the step took what the message tells; the clinic's answer to the question
    in it comes first. Only a question of its own sentence, naming no day or time (that is a
    wish for the booking), and only when the step did not answer it already."""
    text = turn.inbound.text
    asked = question_part(text)
    if asked == text or any(say.key.startswith(ANSWER_KEYS) for say in says):
        return []
    if parse_date(asked, ctx.today) is not None or parse_time(asked) is not None:
        return []
    # "how long is a session and can the expert speak English?": each question answered
    parts = [p.strip() for p in QUESTION_SPLIT.split(asked) if len(p.split()) >= 2]
    answers: list[Say] = []
    for part in parts if len(parts) > 1 else [asked]:
        say = _aside_of(turn, ctx, part)
        if say is not None and say not in answers:
            answers.append(say)
    if not answers and len(parts) > 1:
        say = _aside_of(turn, ctx, asked)
        answers = [say] if say is not None else []
    return answers


def _aside_of(turn: Turn, ctx: Context, asked: str) -> Say | None:
    """The first flow's answer on the side to the question `asked`."""
    question = dataclasses.replace(ctx, inbound=dataclasses.replace(ctx.inbound, body=asked))
    for flow in turn.registry.asides():
        assert flow.aside is not None
        say = flow.aside(question)
        if say is not None:
            return say
    return None


# greetings returned in kind before any answer; a bare "halo" is answered by what follows
GREETING_OPENING_WORDS = 3
RETURNED_GREETINGS = frozenset(
    {"salam", "pagi", "siang", "sore", "malam", "rampes", "monggo", "mangga", "swastiastu"}
)


def greeted(turn: Turn, says: list[Say]) -> list[Say]:
    """ "Assalamualaikum, ... mau konsultasi": the salam is answered first, whatever follows
    (the welcome answers it itself)."""
    if not says or any(say.key == "main.welcome" for say in says):
        return says
    opening = " ".join(turn.inbound.text.split()[:GREETING_OPENING_WORDS])
    greeting = greeting_reply_of(opening)  # "ok good. online lah, morning i'm baking" greets not
    if greeting not in RETURNED_GREETINGS:
        return says
    person: dict[str, object] = {"greeting": greeting, "contact": turn.contact}
    if not turn.contact.name:  # "Assalamualaikum, saya Pak Budi dari ...": answered by name
        named = next((s.vars for s in says if s.vars.get("name") and "salutation" in s.vars), {})
        person |= {"name": named.get("name"), "salutation": named.get("salutation")}
    return [Say("common.greeting", person), *says]


HANDLERS: tuple[Handler, ...] = (
    opted_out,
    stop_announcements,
    stop,
    held_for_human,
    welcome_or_expire,
    media_only,
    language_switch,
    switch_to_existing,
    global_words,
    complaint,
    aside,
    restart,
    step_answer,
)
