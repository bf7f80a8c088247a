"""The follow-up some days after the expert's recommendation: was it carried out?

Started from outside with ``engine.start`` in the transaction that queues the question
(bot.services.delivery_after); the answer (1. Sudah 2. Sebagian 3. Belum) is stored with the
consultation (bot.services.feedback.store_followup).
"""

from __future__ import annotations

from bot.flows.base import END, Context, Flow, Outcome, Say
from bot.flows.common import choice
from bot.services import clinic, feedback
from bot.services import delivery_render as render
from storage.models import Reservation

flow = Flow("followup", start="done")


def _reservation(ctx: Context) -> Reservation | None:
    found = ctx.session.get(Reservation, ctx.slots.get("reservation_id"))
    return found if found is not None and found.contact_id == ctx.contact.id else None


def question_prompt(ctx: Context) -> list[Say]:
    """Ask whether the recommendation was carried out, naming the consultation."""
    reservation = _reservation(ctx)
    if reservation is None:
        return []
    topic = clinic.topic(ctx.session, reservation.topic_id)
    variables = {
        "name": ctx.contact.name or "",
        "code": reservation.code,
        "topic": clinic.label(topic, ctx.lang) if topic else "",
    }
    return [Say("delivery.followup", variables)]


@flow.step(
    "done",
    prompt=question_prompt,
    says=("delivery.followup", "delivery.followup_thanks", "delivery.followup_bad"),
    goes_to=(END,),
)
def done(ctx: Context) -> Outcome:
    """Sudah, Sebagian or Belum, by number or in words."""
    reservation = _reservation(ctx)
    if reservation is None or reservation.id is None:
        return Outcome(goto=END)
    catalog, _tz = render.catalog_and_timezone()
    labels = render.lines(catalog, "delivery.followup_buttons", ctx.lang)
    index = choice(ctx, labels)
    if index is None or index >= len(feedback.FOLLOWUP_ANSWERS):
        return Outcome(say=[Say("delivery.followup_bad")], understood=False)
    answer = feedback.FOLLOWUP_ANSWERS[index]
    feedback.store_followup(ctx.session, reservation.id, ctx.contact, answer, ctx.now)
    thanks = Say("delivery.followup_thanks", {"name": ctx.contact.name or "", "answer": answer})
    return Outcome(say=[thanks], goto=END)
