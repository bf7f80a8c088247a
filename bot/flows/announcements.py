"""Asking once whether the person wants announcements (new clinic dates, trainings,
programmes): a consent of its own, apart from the service messages of their reservations.

The reservation flow calls it after the first booking; "stop info" withdraws it any time.
"""

from __future__ import annotations

import re

from bot.flows.base import END, Context, Flow, Outcome, Say
from bot.flows.common import confirmation, intent_of, mentions
from bot.flows.vocab import words
from bot.services import faq
from bot.services.broadcasts import set_consent

flow = Flow("announcements", start="ask")
# a message with another request in it is that request, not an answer to this question
ANSWERS = frozenset({None, "yes", "no", "thanks", "greeting"})


@flow.step(
    "ask",
    prompt=lambda ctx: [Say("announcements.ask", {"contact": ctx.contact})],
    says=("announcements.ask", "announcements.yes", "announcements.no"),
    goes_to=(END,),
    handles=("cancel",),  # "batalkan reservasi" right after booking is for the main menu
)
def ask(ctx: Context) -> Outcome:
    """Yes or no; anything else is not an answer to this optional question and is handled as
    if it had not been asked."""
    if _only_asks(ctx):  # "boleh bawa tetangga ga?" asks something else; "boleh" is no yes
        return Outcome(pass_on=True)
    answer = _consent_words(ctx)
    if answer is None and intent_of(ctx) not in ANSWERS:
        return Outcome(pass_on=True)  # "bukan, saya mau geser jadwal yang sudah ada"
    answer = answer or confirmation(ctx)
    if answer == "yes":
        set_consent(ctx.contact, True, ctx.now)
        return Outcome(say=[Say("announcements.yes")], goto=END)
    if answer == "no":
        set_consent(ctx.contact, False, ctx.now)
        return Outcome(say=[Say("announcements.no", {"contact": ctx.contact})], goto=END)
    return Outcome(pass_on=True)  # they went on to something else: asked again another time


def _only_asks(ctx: Context) -> bool:
    """Every sentence of the message is a question ("sure why not. will I get the zoom link
    here?" answers in its first sentence)."""
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", ctx.text.strip()) if s.strip()]
    return bool(sentences) and all(
        s.rstrip().endswith("?") or (faq.is_question(s) and len(s.split()) > 2) for s in sentences
    )


def _consent_words(ctx: Context) -> str | None:
    """ "nggih angsal", "mangga, kintun wae", "sure why not", "skip aja infonya": the words
    people use to agree or decline, said first."""
    lead = ctx.text.strip().lower()
    if mentions(ctx, words("consent_no"), typos=False):
        return "no"
    first = lead.split()[:1]
    if (first and first[0].strip(",.!") in words("consent_yes")) or mentions(
        ctx, words("consent_yes_phrases"), typos=False
    ):
        return "yes"
    return None
