"""The main menu: where a conversation rests, and where every other flow starts.

The menu lists the entries the flows declare (``Flow.entry``), in their order; a number picks
one, and a request in words starts the entry of its intent.
"""

from __future__ import annotations

from bot.flows.base import Context, Flow, Outcome, Say
from bot.flows.booking_details import understood_in
from bot.flows.common import choice, mentions
from bot.flows.info import INFO_SAYS, answer_at_rest, answers_to_questions
from bot.flows.manage import CODE, wanted_mode
from bot.flows.registration import registration_changes_from, registration_slots_from
from bot.flows.story import asks_for_a_consultation, story_in
from bot.flows.vocab import words
from bot.intents import parse_date, parse_time
from bot.intents.courtesy import greeting_reply_of
from bot.intents.shifts import parse_shift
from bot.messages import MessageCatalog
from bot.services import faq, reservations
from bot.services.contacts import is_registered
from storage.models import Reservation

flow = Flow("main", start="menu")
FAREWELL_MAX_WORDS = 14  # longer, a goodbye closes a letter with a request in it
MENU_CHOICE_MAX_WORDS = 6  # "1", "no 2 kak", "yg 4 aja deh"; longer, a number is part of a story


def menu_prompt(ctx: Context) -> list[Say]:
    """The numbered main menu, greeting the person by name when we know it."""
    labels = [MessageCatalog.path_of(entry.label) for entry in ctx.menu() if entry.label]
    name = ctx.contact.name or ctx.contact.profile_name or ""
    return [Say("main.menu", {"name": name, "labels": labels, "contact": ctx.contact})]


@flow.entry("human", intents=("human",), menu=60, label="main.menu_label_human")
def ask_for_a_person(_ctx: Context) -> Outcome:
    """Hand the chat to a member of staff."""
    return Outcome(escalate="requested")


def _introduces_themself(text: str) -> bool:
    """A name and the organisation or the kecamatan, as in a letter's opening."""
    said = registration_slots_from(text)
    return "reg_name" in said and ("reg_organisation" in said or "reg_kecamatan" in said)


LETTER_QUESTIONS = 2  # "ingin menanyakan beberapa hal: 1. ...? 2. ...?"
LETTER_WORDS = 20  # a letter that asks one thing is long


def _questions_of_a_letter(ctx: Context) -> list[Say]:
    """The answers to a long message's questions about the clinic, when it asks several and
    asks for no consultation: the person wants to know before booking."""
    asked = faq.question_part(ctx.text)
    several = asked.count("?") >= LETTER_QUESTIONS
    if asked == ctx.text or not (several or len(ctx.text.split()) >= LETTER_WORDS):
        return []
    if asks_for_a_consultation(ctx.text) or mentions(ctx, words("book_now"), typos=False):
        return []
    answers = answers_to_questions(ctx, asked)
    return answers if len(answers) >= (LETTER_QUESTIONS if several else 1) else []


def _tells_a_problem(ctx: Context) -> bool:
    """A story about the person's business that names a consultation subject."""
    asks_for_help = mentions(ctx, words("help_request"), typos=False)  # "Bisa dibantu?"
    if faq.is_question(ctx.text) and not asks_for_help:
        return False
    if story_in(ctx.text, (), ctx.today) is None:
        return False
    said = understood_in(ctx, ctx.contact.category)
    return bool(said.get("topic_id") or said.get("topic_hint") or said.get("service_id"))


def _about_a_reservation_ahead(ctx: Context, wanted: str | None) -> str | None:
    """The entry a message about a reservation already made starts, in the person's own words:
    "geser ke jumat jam 10 bs?" moves it, "bisa diubah jadi online?" changes the way of
    meeting, "sy daftar jam brp ya kemarin?" lists it. Only for someone with one ahead."""
    if wanted not in (None, "info", "yes", "no", "greeting", "thanks"):
        return None
    if mentions(ctx, words("another_booking"), typos=False):
        return None  # "sakalian daftar 1 lagi, lewat zoom aja": a new booking
    # "next week same time please": a time said as the booked one's moves it
    moves = mentions(ctx, words("move_words") + words("same_time"), typos=False)
    drops = mentions(ctx, words("never_mind"), typos=False)  # "yg besok ga jadi online deh"
    # "udah dikonfirmasi belum kak?", "is it confirmed now?": about the one booked
    confirmed = mentions(ctx, words("asks_confirmed"), typos=False)
    # "tiasa ningal reservasi abdi?", "can you show me what I have booked?"
    shows = mentions(ctx, words("show_words"), typos=False)
    asks = confirmed or shows or mentions(ctx, words("asks_when"), typos=False)
    named = bool(parse_date(ctx.text, ctx.today) or parse_time(ctx.text) or parse_shift(ctx.text))
    refers = mentions(ctx, words("booking_refs"), typos=False)
    # "nanti sy ga jadi dateng, mertua meninggal": not coming to the one booked
    refers = refers or confirmed or (drops and mentions(ctx, words("coming_words"), typos=False))
    # "ganti jadi tatap muka"; "apakah konsultasinya bisa lewat zoom saja? jam nya tetap"
    asks_for_a_mode = refers and (faq.is_question(ctx.text) or mentions(ctx, words("only_words")))
    switches = (moves or drops or asks_for_a_mode) and wanted_mode(ctx) is not None
    if not (moves or drops or asks or switches) or not (
        refers or switches or ((moves or drops) and named)
    ):
        return None
    if not is_registered(ctx.contact):
        return None
    if shows and refers and not (moves or drops):
        return "my_reservations"  # the list says so when there is none
    upcoming = reservations.upcoming_for(ctx.session, ctx.contact, ctx.now)
    if not upcoming:
        return None
    if confirmed and not moves:
        # "udh dikonfirmasi blm sih? takut ga jadi", "jadwal zoom aku udah fix kan? link
        # zoomnya kapan dikirim": asked about, neither dropped nor switched
        return "my_reservations"
    if switches and not (moves and _names_a_new_time(ctx, upcoming)):
        return "change_mode"  # with a new time as well, the move carries the new mode
    if drops and not moves:
        return "cancel"
    return "reschedule" if moves else "my_reservations"


def _names_a_new_time(ctx: Context, upcoming: list[Reservation]) -> bool:
    """ "push it back by two days ... and switch it to zoom" names a new time; "yg senin
    diganti jadi tatap muka" names the Monday booked, to say which one."""
    # "jamnya tetap" keeps the time; "next week same time" moves it
    next_week = mentions(ctx, words("next_week"), typos=False)
    if parse_shift(ctx.text) or next_week:
        return True
    booked = [r.starts_at.astimezone(ctx.tz) for r in upcoming]
    day, time = parse_date(ctx.text, ctx.today), parse_time(ctx.text)
    if day is not None and day not in {b.date() for b in booked}:
        return True
    return time is not None and time not in {b.time() for b in booked}


def _asks_about_consulting(ctx: Context) -> bool:
    """A question about how consulting works that names no day or time, answered by the
    FAQ ("bisa konsultasi lewat telepon?"); "bisa konsultasi besok jam 10?" books."""
    if not faq.is_question(ctx.text) or parse_date(ctx.text, ctx.today) or parse_time(ctx.text):
        return False
    return faq.find(ctx.session, ctx.text, ctx.lang) is not None


CONSULTANT_QUESTION_MIN_WORDS = 3


def _asks_the_consultant(ctx: Context) -> bool:
    """A real question (not a word or two) about the person's business or cooperative."""
    return len(ctx.text.split()) >= CONSULTANT_QUESTION_MIN_WORDS and faq.is_question(ctx.text)


WANT_MAX_WORDS = 3


def _wants(ctx: Context) -> bool:
    """A bare "mau", "mau dong kak", "pengen": wanting what the welcome offered."""
    said = ctx.text.lower().split()
    return len(said) <= WANT_MAX_WORDS and bool(said) and said[0] in words("want_words")


def begin(ctx: Context, name: str) -> Outcome:
    """Start the entry called `name`."""
    entry = ctx.entry(name)
    assert entry is not None, f"no flow declares the entry {name!r}"
    return entry.begin(ctx)


@flow.step(
    "menu",
    prompt=menu_prompt,
    says=(
        "main.menu",
        "main.welcome",
        "main.thanks",
        "main.not_understood",
        "main.question_for_consultant",
        "main.ok",
        "common.help",
        *INFO_SAYS,
    ),
    handles=("help",),
    goes_to=("registration",),
)
def menu(ctx: Context) -> Outcome:
    """Route a choice from the menu, or a request said in words, to its flow."""
    entries = ctx.menu()
    picked = choice(ctx, [str(i + 1) for i in range(len(entries))])
    picked = picked if picked is not None and any(ch.isdigit() for ch in ctx.text) else None
    if picked is not None and len(ctx.text.split()) > MENU_CHOICE_MAX_WORDS:
        # "... berdiri 6 tahun, sudah dua tahun belum RAT ...": numbers in a letter, no choice
        picked = None if not ctx.text.strip()[:1].isdigit() else picked
    if picked is not None:
        return entries[picked].begin(ctx)
    wanted = ctx.intent.name if ctx.intent else None
    name = ctx.contact.profile_name or ""
    asking = wanted in (None, "info", "greeting", "thanks", "help")  # no request of its own
    letter_questions = _questions_of_a_letter(ctx) if asking else []
    if letter_questions:  # a letter that asks how things are, and does not yet ask to book
        return Outcome(say=[*letter_questions, Say("info.way_back")])
    if not is_registered(ctx.contact) and _introduces_themself(ctx.text) and wanted != "human":
        # a letter: "Assalamualaikum, saya H. Sukarno, Ketua KSP Tunas Harapan di Balaraja,
        # ... mohon dijadwalkan ... Wassalamualaikum" has come to book, whatever it ends with
        return begin(ctx, "reserve")
    short = len(ctx.text.split()) <= FAREWELL_MAX_WORDS
    leaving = wanted in (None, "reserve", "thanks", "yes", "no", "greeting", "info", "cancel")
    if short and leaving and mentions(ctx, words("farewell"), typos=False):
        # "great, see you monday", "nanti kalo udh sehat sy daftar lg ya", "ok never mind,
        # I'll ask on Thursday. thanks"
        return Outcome(say=[Say("main.thanks", {"contact": ctx.contact, "name": name})])
    started = ctx.entry_for_intent(wanted)
    if wanted == "human" and mentions(ctx, words("asks_confirmed"), typos=False):
        # "udh dikonfirmasi blm ya sm petugasnya?": about the booking, not a call for staff
        about = _about_a_reservation_ahead(ctx, None)
        if about is not None:
            return begin(ctx, about)
    if wanted == "reserve" and _asks_about_consulting(ctx):
        # "bisa konsultasi lewat telepon?", "mahasiswa boleh konsultasi?": asked, not booked
        answered = answer_at_rest(ctx)
        if answered is not None:
            return answered
    if started is not None and wanted != "info":
        return started.begin(ctx)
    about_a_booking = _about_a_reservation_ahead(ctx, wanted)
    if about_a_booking is not None:
        return begin(ctx, about_a_booking)
    if wanted in ("info", "help", "greeting", "thanks", None):
        # "buka hari minggu ga?" asks, it does not book; "halo kak, gmn caranya bikin
        # koperasi?" is a question after a greeting
        answered = answer_at_rest(ctx)
        if answered is not None:
            return answered
    changes = registration_changes_from(ctx.text) if is_registered(ctx.contact) else None
    if changes is not None:  # "ganti nama saya jadi Siti Aminah Zahra", "ubah kecamatan"
        return Outcome(call="registration", slots=changes)
    names_time = bool(parse_date(ctx.text, ctx.today) or parse_time(ctx.text))
    if wanted is None and CODE.search(ctx.text):  # "EK-2611-0042 ke kamis jam 10"
        return begin(ctx, "reschedule" if names_time else "my_reservations")
    if wanted in ("info", "yes", "no", "greeting", "thanks", None) and names_time:
        # "besok jam 10 bisa?", "ada jadwal hari kamis?", "ya udh sabtu aja gmn"
        return begin(ctx, "reserve")
    if started is not None:
        return started.begin(ctx)
    if wanted == "help":
        return Outcome(say=[Say("common.help", {"at_rest": True})])
    if mentions(ctx, words("language_menu")) and len(ctx.text.split()) <= 3:
        return begin(ctx, "language")
    if wanted in (None, "yes") and _tells_a_problem(ctx):
        # "we get heaps of tourists in the dry season but dead quiet the rest of the year and
        # we dont know how to get locals in": a problem for the clinic, so a booking
        return begin(ctx, "reserve")
    if wanted is None and (
        asks_for_a_consultation(ctx.text)
        or (not is_registered(ctx.contact) and registration_slots_from(ctx.text))
    ):
        # "mau tanya soal RAT", "sy ketua KUD": come for a consultation, whatever comes next
        return begin(ctx, "reserve")
    if wanted in (None, "info", "help") and not ctx.fresh and _asks_the_consultant(ctx):
        if mentions(ctx, words("book_now") + words("consult_words"), typos=False):
            # "buku kas kita ga balance, bisa dibantu konsultasi ga": that is the request
            return begin(ctx, "reserve")
        # "rendang beku bisa pake PIRT gak?": no FAQ has it; the consultant answers it
        return Outcome(say=[Say("main.question_for_consultant", {"contact": ctx.contact})])
    if wanted == "thanks" and is_registered(ctx.contact):
        # "siap mas, suwun" a day later: thanked back, not welcomed as new
        return Outcome(say=[Say("main.thanks", {"contact": ctx.contact, "name": name})])
    if wanted in ("greeting", "start") or ctx.fresh:
        # a greeting, or a first message we cannot place: welcome them rather than apologise
        welcome = {"greeting": greeting_reply_of(ctx.text), "contact": ctx.contact, "name": name}
        return Outcome(say=[Say("main.welcome", welcome)], reprompt=True)
    if wanted == "yes" and not is_registered(ctx.contact) and _wants(ctx):
        return begin(ctx, "reserve")  # "mau" to the welcome: a consultation, as it offers
    if wanted in ("yes", "no"):
        return Outcome(say=[Say("main.ok")])  # "oke", "siap 👍" after a booking
    if wanted in ("menu", "back"):
        return Outcome(reprompt=True)
    if wanted == "thanks":
        return Outcome(say=[Say("main.thanks", {"contact": ctx.contact, "name": name})])
    return Outcome(say=[Say("main.not_understood")], reprompt=True, understood=False)
