"""Choosing the language of the conversation (Indonesian or English)."""

from __future__ import annotations

from bot.flows.base import Context, Flow, Outcome, Say
from bot.intents import detect_language_choice, match_option
from bot.services.contacts import set_language

flow = Flow("language", start="choose")
CHOICES = ("id", "en")


@flow.entry("language", menu=70, label="language.menu_label", goes_to=("choose",))
def begin(_ctx: Context) -> Outcome:
    """Ask which language."""
    return Outcome(goto="language.choose")


@flow.step(
    "choose",
    prompt=("language.choose",),
    says=("language.set", "language.not_understood"),
    goes_to=("main.menu",),
)
def choose(ctx: Context) -> Outcome:
    """Take "1"/"2" or the name of a language."""
    picked = match_option(ctx.text, [str(i + 1) for i in range(len(CHOICES))])
    language = CHOICES[picked] if picked is not None else detect_language_choice(ctx.text)
    if language not in CHOICES:
        return Outcome(say=[Say("language.not_understood")], reprompt=True, understood=False)
    set_language(ctx.contact, language)
    return Outcome(say=[Say("language.set")], goto="main.menu")
