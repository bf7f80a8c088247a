"""Information about the clinic: hours, address, topics, how it works (all from the database)."""

from __future__ import annotations

from bot.flows.base import Context, Flow, Outcome, Say
from bot.flows.common import choice, mentions
from bot.flows.vocab import words
from bot.services import clinic

flow = Flow("info", start="menu")
ITEMS = ("hours", "address", "topics", "how")


def _facts(ctx: Context) -> dict[str, object]:
    services = clinic.active_services(ctx.session)
    return {
        "info": clinic.info(ctx.session, ctx.lang),
        "services": [
            {
                "name": clinic.label(s, ctx.lang),
                "hours": clinic.hours_of(ctx.session, s.id or 0),
                "topics": [
                    clinic.label(t, ctx.lang) for t in clinic.topics_of(ctx.session, s.id or 0)
                ],
            }
            for s in services
        ],
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
        picked = next(
            (i for i, item in enumerate(ITEMS) if mentions(ctx, words(f"info_{item}"))),
            None,
        )
    if picked is None:
        return Outcome(say=[Say("info.not_understood")], reprompt=True, understood=False)
    return Outcome(say=[Say(f"info.{ITEMS[picked]}", _facts(ctx))], goto="main.menu")
