"""Feedback after a session: a rating from 1 to 5, then an optional comment.

Nobody starts it from the menu: the scheduler puts the person at its first step with
``engine.start(session, contact, "feedback", "rating", {"reservation_id": ...})`` in the
transaction that queues the question, so a "5" that follows is the rating, not a menu choice.
"""

from __future__ import annotations

import contextlib
import re

from bot.flows.base import END, Context, Flow, Outcome, Say
from bot.flows.common import choice, confirmation, mentions
from bot.flows.vocab import words
from bot.services import clinic, feedback
from storage.models import Reservation, Topic

flow = Flow("feedback", start="rating")
flow.examples = {"rating": 5}
RATINGS = ("1", "2", "3", "4", "5")
STARS = re.compile("[⭐🌟]")
LATER = ("nanti", "nanti saja", "nanti aja", "lain kali", "later", "not now")


def rating_prompt(ctx: Context) -> list[Say]:
    """Ask how the session went, naming it."""
    reservation = ctx.session.get(Reservation, ctx.slots["reservation_id"])
    topic = clinic.topic(ctx.session, reservation.topic_id) if reservation else None
    name = ctx.contact.name or ""
    return [Say("feedback.ask_rating", {"name": name, "topic": _label(topic, ctx.lang)})]


def _label(topic: Topic | None, lang: str) -> str:
    if topic is None:
        return ""
    return topic.name_en if lang == "en" else topic.name_id


def rating_of(ctx: Context) -> int | None:
    """1-5 from "5", "lima", "4 bintang" or a row of stars; None otherwise."""
    stars = len(STARS.findall(ctx.text))
    if 1 <= stars <= 5 and not STARS.sub("", ctx.text).strip():
        return stars
    picked = choice(ctx, RATINGS)
    return picked + 1 if picked is not None else None


@flow.step(
    "rating",
    prompt=rating_prompt,
    says=("feedback.ask_rating", "feedback.bad_rating", "feedback.later"),
    goes_to=("comment", END),
)
def rating(ctx: Context) -> Outcome:
    """The rating; "nanti saja" leaves it."""
    value = rating_of(ctx)
    if value is None:
        if confirmation(ctx) == "no" or mentions(ctx, (*LATER, *words("skip")), typos=False):
            return Outcome(say=[Say("feedback.later")], goto=END)
        return Outcome(say=[Say("feedback.bad_rating")], understood=False)
    try:
        feedback.store_feedback(
            ctx.session, ctx.slots["reservation_id"], ctx.contact, value, ctx.now
        )
    except feedback.AnswerError:  # not this person's session (any more): nothing to rate
        return Outcome(goto=END)
    return Outcome(goto="comment", slots={"rating": value})


@flow.step(
    "comment",
    prompt=lambda ctx: [Say("feedback.ask_comment", {"rating": ctx.slots["rating"]})],
    says=("feedback.ask_comment", "feedback.thanks"),
    goes_to=(END,),
    free_text=True,
)
def comment(ctx: Context) -> Outcome:
    """Anything they want to add; "tidak"/"-" skips it."""
    text = " ".join(ctx.text.split())
    skipped = text in ("-", ".") or confirmation(ctx) is not None or mentions(ctx, words("skip"))
    if not skipped and len(text) >= 2:
        with contextlib.suppress(feedback.AnswerError):
            feedback.add_feedback_comment(
                ctx.session, ctx.slots["reservation_id"], ctx.contact, text, ctx.now
            )
    thanks = Say("feedback.thanks", {"name": ctx.contact.name or "", "rating": ctx.slots["rating"]})
    return Outcome(say=[thanks], goto=END, slots={"rating": None})
