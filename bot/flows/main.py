"""The main menu: where a conversation rests, and where every other flow starts."""

from __future__ import annotations

from bot.flows.base import Context, Flow, Outcome, Say
from bot.flows.common import choice, intent_of, mentions
from bot.flows.info import INFO_SAYS, answer_in_words
from bot.flows.manage import CHANGE_SAYS, CODE, start_change
from bot.flows.vocab import words
from bot.intents import parse_date, parse_time
from bot.services import reservations
from bot.services.contacts import is_registered

flow = Flow("main", start="menu")

# The menu's options in order; the template main/menu.txt shows them with the same numbers.
MENU = ("reserve", "my_reservations", "reschedule", "cancel", "info", "human", "language")


def menu_prompt(ctx: Context) -> list[Say]:
    """The numbered main menu, greeting the person by name when we know it."""
    return [Say("main.menu", {"name": ctx.contact.name or ctx.contact.profile_name or ""})]


def start_reservation(ctx: Context) -> Outcome:
    """Begin a reservation, with registration first for someone new."""
    hints: dict[str, str] = {}
    day = parse_date(ctx.text, ctx.today)
    time = parse_time(ctx.text)
    if day is not None:
        hints["hint_date"] = day.isoformat()
    if time is not None:
        hints["hint_time"] = time.isoformat()
    if is_registered(ctx.contact):
        return Outcome(goto="reservation.confirm_profile", slots=hints)
    return Outcome(goto="registration.name", slots={**hints, "after_registration": "reservation"})


ROUTES = {
    "my_reservations": "manage.list",
    "info": "info.menu",
    "language": "language.choose",
}


@flow.step(
    "menu",
    prompt=menu_prompt,
    says=(
        "main.menu",
        "main.welcome",
        "main.thanks",
        "main.not_understood",
        "main.ok",
        "common.help",
        *CHANGE_SAYS,
        *INFO_SAYS,
    ),
    handles=("help",),
    goes_to=(
        "reservation.confirm_profile",
        "registration.name",
        *ROUTES.values(),
        "manage.reschedule_pick",
        "manage.cancel_pick",
        "manage.reschedule_slot",
        "manage.reschedule_confirm",
        "manage.cancel_reason",
    ),
)
def menu(ctx: Context) -> Outcome:
    """Route a choice from the menu, or a request said in words, to its flow."""
    picked = choice(ctx, [str(i + 1) for i in range(len(MENU))])
    picked = picked if picked is not None and any(ch.isdigit() for ch in ctx.text) else None
    wanted = MENU[picked] if picked is not None else intent_of(ctx)
    if wanted == "reserve":
        return start_reservation(ctx)
    if wanted in ("reschedule", "cancel"):
        return start_change(ctx, wanted, prefix="manage.")
    if wanted == "my_reservations" and not reservations.upcoming_for(
        ctx.session, ctx.contact, ctx.now
    ):
        return Outcome(say=[Say("manage.none")])
    names_time = bool(parse_date(ctx.text, ctx.today) or parse_time(ctx.text))
    if wanted is None and CODE.search(ctx.text):  # "EK-2611-0042 ke kamis jam 10"
        return (
            start_change(ctx, "reschedule", prefix="manage.")
            if names_time
            else Outcome(goto="manage.list")
        )
    if wanted in ("info", None) and names_time:
        return start_reservation(ctx)  # "besok jam 10 bisa?", "ada jadwal hari kamis?"
    if wanted in ("info", "help", None) and picked is None:
        answer = answer_in_words(ctx)  # "berapa biayanya?" is answered, not sent to a submenu
        if answer is not None:
            return Outcome(say=[answer], reprompt=True)
    if wanted in ROUTES and not (wanted == "language" and picked is None):
        return Outcome(goto=ROUTES[wanted])
    if wanted == "human":
        return Outcome(escalate="requested")
    if wanted == "help":
        return Outcome(say=[Say("common.help", {"at_rest": True})], reprompt=True)
    if mentions(ctx, words("language_menu")) and len(ctx.text.split()) <= 3:
        return Outcome(goto="language.choose")
    if wanted in ("greeting", "start") or ctx.fresh:
        # a greeting, or a first message we cannot place: welcome them rather than apologise
        return Outcome(say=[Say("main.welcome")], reprompt=True)
    if wanted in ("yes", "no"):
        return Outcome(say=[Say("main.ok")])  # "oke", "siap 👍" after a booking
    if wanted in ("menu", "back"):
        return Outcome(reprompt=True)
    if wanted == "thanks":
        return Outcome(say=[Say("main.thanks")])
    return Outcome(say=[Say("main.not_understood")], reprompt=True, understood=False)
