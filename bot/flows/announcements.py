"""Asking once whether the person wants announcements (new clinic dates, trainings,
programmes): a consent of its own, apart from the service messages of their reservations.

The reservation flow calls it after the first booking; "stop info" withdraws it any time.
"""

from __future__ import annotations

from bot.flows.base import END, Context, Flow, Outcome, Say
from bot.flows.common import confirmation, intent_of
from bot.services.broadcasts import set_consent

flow = Flow("announcements", start="ask")
# a message with another request in it is that request, not an answer to this question
ANSWERS = frozenset({None, "yes", "no", "thanks", "greeting"})


@flow.step(
    "ask",
    prompt=("announcements.ask",),
    says=("announcements.yes", "announcements.no"),
    goes_to=(END,),
    handles=("cancel",),  # "batalkan reservasi" right after booking is for the main menu
)
def ask(ctx: Context) -> Outcome:
    """Yes or no; anything else is not an answer to this optional question and is handled as
    if it had not been asked."""
    if intent_of(ctx) not in ANSWERS:  # "bukan, saya mau geser jadwal yang sudah ada"
        return Outcome(pass_on=True)
    answer = confirmation(ctx)
    if answer == "yes":
        set_consent(ctx.contact, True, ctx.now)
        return Outcome(say=[Say("announcements.yes")], goto=END)
    if answer == "no":
        set_consent(ctx.contact, False, ctx.now)
        return Outcome(say=[Say("announcements.no")], goto=END)
    return Outcome(pass_on=True)  # they went on to something else: asked again another time
