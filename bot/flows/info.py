"""Information about the clinic: hours, address, topics, how it works (all from the database)."""

from __future__ import annotations

from bot.flows.base import Context, Flow, Outcome, Say
from bot.flows.common import choice, mentions
from bot.flows.vocab import words
from bot.services import calendar, clinic

flow = Flow("info", start="menu")
ITEMS = ("hours", "address", "topics", "how")


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
    says=("info.hours", "info.address", "info.topics", "info.how", "info.not_understood"),
    goes_to=("main.menu",),
)
def menu(ctx: Context) -> Outcome:
    """Show the chosen piece of information, then return to the main menu."""
    picked = choice(ctx, [str(i + 1) for i in range(len(ITEMS))])
    if picked is None:
        answer = answer_in_words(ctx)
        if answer is not None:
            return Outcome(say=[answer], goto="main.menu")
        return Outcome(say=[Say("info.not_understood")], reprompt=True, understood=False)
    return Outcome(say=[Say(f"info.{ITEMS[picked]}", facts(ctx))], goto="main.menu")


QUESTION_MAX_WORDS = 6


def answer_in_words(ctx: Context) -> Say | None:
    """The piece of information a short question asks for ("jam buka?", "berapa biayanya?");
    a longer story that happens to say "buka" or "harga" is not a question about the clinic."""
    if len(ctx.text.split()) > QUESTION_MAX_WORDS and not ctx.text.strip().endswith("?"):
        return None
    for item in ITEMS:
        if mentions(ctx, words(f"info_{item}")):
            return Say(f"info.{item}", facts(ctx))
    return None


INFO_SAYS = tuple(f"info.{item}" for item in ITEMS)


def _question_aside(ctx: Context) -> Say | None:
    """Mid-booking, only a real question ("jam berapa tutup?") is answered on the side."""
    if not ctx.text.strip().endswith("?"):
        return None
    return answer_in_words(ctx)


flow.aside = _question_aside
flow.aside_says = INFO_SAYS
