"""Quick answers to a reminder: "Hadir", "Jadwal ulang" or "Batal", tapped or typed.

Nobody starts it from the menu: the reminder puts the person at its step with
``engine.start`` in the transaction that queues the reminder (bot.services.reminders), so
"3" or "batal" that follows means that reservation. "Batal" asks for confirmation and then
cancels it (manage.cancel_confirm); "Jadwal ulang" offers new times for it
(manage.reschedule_slot); "Hadir" is noted with thanks.
"""

from __future__ import annotations

from bot.flows.base import END, Context, Flow, Outcome, Say
from bot.flows.common import choice, intent_of, local
from bot.services import clinic, reservations
from bot.services import delivery_render as render
from storage.models import Reservation

flow = Flow("reminder_answer", start="answer")
ANSWERS = ("attend", "reschedule", "cancel")  # in the order of the reminder's buttons
INTENTS = {"yes": "attend", "reschedule": "reschedule", "cancel": "cancel"}


def _reservation(ctx: Context) -> Reservation | None:
    """The reminded reservation, while it is the person's and still ahead."""
    found = ctx.session.get(Reservation, ctx.slots.get("reservation_id"))
    if found is None or found.contact_id != ctx.contact.id:
        return None
    return found if reservations.is_upcoming(found, ctx.now) else None


def reminder_vars(ctx: Context, reservation: Reservation) -> dict[str, object]:
    """What the reminder shows about its reservation."""
    topic = clinic.topic(ctx.session, reservation.topic_id)
    return {
        "name": ctx.contact.name or "",
        "code": reservation.code,
        "starts": local(ctx, reservation.starts_at),
        "topic": clinic.label(topic, ctx.lang) if topic else "",
        "mode": reservation.mode,
        "meeting_link": reservation.meeting_link,
        "info": clinic.info(ctx.session, ctx.lang),
        "lead": ctx.slots.get("lead", "soon"),
    }


def answer_prompt(ctx: Context) -> list[Say]:
    """The reminder itself (its buttons are added by the outbox)."""
    reservation = _reservation(ctx)
    if reservation is None:
        return []
    return [Say("delivery.reminder", reminder_vars(ctx, reservation))]


def picked(ctx: Context) -> str | None:
    """attend, reschedule or cancel: by number, by the button's words, or said otherwise."""
    catalog, _tz = render.catalog_and_timezone()
    labels = render.lines(catalog, "delivery.reminder_buttons", ctx.lang)
    index = choice(ctx, labels)
    if index is not None and index < len(ANSWERS):
        return ANSWERS[index]
    return INTENTS.get(intent_of(ctx) or "")


@flow.step(
    "answer",
    prompt=answer_prompt,
    says=(
        "delivery.reminder",
        "delivery.answer_attend",
        "delivery.answer_gone",
        "delivery.answer_other",
    ),
    goes_to=("manage.reschedule_slot", "manage.cancel_confirm", END),
    handles=("cancel",),
)
def answer(ctx: Context) -> Outcome:
    """Hadir, Jadwal ulang or Batal for the reminded reservation."""
    reservation = _reservation(ctx)
    if reservation is None:
        return Outcome(say=[Say("delivery.answer_gone")], goto=END)
    chosen = {"reservation_id": reservation.id}
    what = picked(ctx)
    if what == "attend":
        return Outcome(
            say=[Say("delivery.answer_attend", reminder_vars(ctx, reservation))], goto=END
        )
    if what == "reschedule":
        return Outcome(
            goto="manage.reschedule_slot",
            slots={**chosen, "slot_from_day": None, "slot_at_time": None},
        )
    if what == "cancel":
        return Outcome(goto="manage.cancel_confirm", slots={**chosen, "cancel_reason": None})
    return Outcome(say=[Say("delivery.answer_other", {"code": reservation.code})], goto=END)
