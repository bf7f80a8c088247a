"""Moving a conversation: asking a step's question, applying an outcome, calling and returning,
going back, resting, handing over to a person.

The return stack (``state.stack``) works like a dialog stack: ``Outcome(call=..., then=...)``
pushes ``then`` and enters the called flow; when a flow ends, the innermost frame is popped
and its question asked. The trail (``state.trail``) is the steps visited, for "kembali".
"""

from __future__ import annotations

import logging
from typing import Any

from bot.dialog.turn import REST_FLOW, REST_STEP, Turn
from bot.flows.base import END, Outcome, Prompted, Say, Step
from bot.services import handoff
from bot.services.calendar import office_hours, office_open

log = logging.getLogger(__name__)

TRAIL_LENGTH = 20
STACK_DEPTH = 5
OFFER_WAYS_OUT_AFTER = 2  # misunderstandings in a row
NOT_CONFUSED = frozenset({"greeting", "thanks", "yes", "no"})  # "halo?" mid-flow is not confusion


def current_step(turn: Turn) -> Step:
    """The step the conversation is at (the main menu at rest or when the step is gone)."""
    state = turn.state
    if state.flow and state.step:
        step = turn.registry.step(state.flow, state.step)
        if step is not None:
            return step
        state.reset()  # the step no longer exists (a deploy renamed it): start over
    step = turn.registry.step(REST_FLOW, REST_STEP)
    assert step is not None
    return step


def prompt(turn: Turn, step: Step, *, repeat: bool = False) -> list[Say]:
    """The step's question; slot changes the prompt implies are applied to the state."""
    asked = step.prompt(turn.context(repeat=repeat))
    says, changes = (asked.say, asked.slots) if isinstance(asked, Prompted) else (asked, {})
    update_slots(turn, changes)
    _check_declared(turn, f"{turn.flow}.{step.name}", step, says)
    return says


def ask_again(turn: Turn) -> list[Say]:
    """The current question again, as it was (after help, an aside, a language switch)."""
    return prompt(turn, current_step(turn), repeat=True)


def update_slots(turn: Turn, changes: dict[str, Any]) -> None:
    """Apply slot changes; a value of None removes the slot."""
    for key, value in changes.items():
        if value is None:
            turn.state.slots.pop(key, None)
        else:
            turn.state.slots[key] = value


def rest(turn: Turn) -> list[Say]:
    """Back to the main menu, with its prompt."""
    turn.state.reset()
    step = turn.registry.step(REST_FLOW, REST_STEP)
    assert step is not None
    return prompt(turn, step)


def enter(turn: Turn, flow: str, step_name: str) -> list[Say]:
    """Put the conversation at a step and ask its question."""
    if (flow, step_name) == (REST_FLOW, REST_STEP):
        return rest(turn)
    step = turn.registry.step(flow, step_name)
    if step is None:
        raise RuntimeError(f"no step {flow}.{step_name}")
    _place(turn, flow, step_name)
    known = step.skip(turn.context()) if step.skip is not None else None
    if known is not None:  # already answered: go on without asking
        return apply(turn, step, known)
    return prompt(turn, step)


def _place(turn: Turn, flow: str, step_name: str) -> None:
    state = turn.state
    state.flow, state.step = flow, step_name
    here = f"{flow}.{step_name}"
    # back at a step already on the trail: what came after it is undone, so "kembali" from
    # here goes further back instead of bouncing between two steps
    trail = state.trail[: state.trail.index(here)] if here in state.trail else state.trail
    state.trail = [*trail, here][-TRAIL_LENGTH:]


def finish(turn: Turn) -> list[Say]:
    """The current flow ended: return to the caller's step, or rest."""
    state = turn.state
    if not state.stack:
        turn.state.reset()
        return []
    flow, step_name = state.stack.pop().split(".", 1)
    return enter(turn, flow, step_name)


def apply(turn: Turn, step: Step, outcome: Outcome) -> list[Say]:
    """Carry out what a step decided: slots, misunderstandings, and where to go next."""
    _check_outcome(turn, step, outcome)
    update_slots(turn, outcome.slots)
    says = list(outcome.say)
    if outcome.pass_on:  # the message was for whoever comes next: let that step answer it
        finish(turn)
        following = current_step(turn)
        return [*says, *apply(turn, following, following.handle(turn.context()))]
    if outcome.escalate:
        return [*says, *escalate(turn, outcome.escalate)]
    chatter = turn.reading.intent_name
    if outcome.understood or chatter in NOT_CONFUSED:
        turn.state.misunderstandings = 0
    else:
        turn.state.misunderstandings += 1
        if turn.state.misunderstandings >= OFFER_WAYS_OUT_AFTER:
            # never the same sentence again, never a silent handoff: say what can be done
            turn.state.misunderstandings = 0
            return [Say("dialog.ways_out", {"at_rest": turn.state.at_rest})]
    if outcome.call is not None:
        return [*says, *_call(turn, outcome.call, outcome.then)]
    if outcome.goto is None:
        if outcome.reprompt:
            says.extend(prompt(turn, step))
        return says
    target = turn.registry.resolve(turn.flow, outcome.goto)
    if target is None:
        return [*says, *finish(turn)]
    if target == (REST_FLOW, REST_STEP):
        return [*says, *rest(turn)]
    if outcome.forward:  # the same message answers the next step too (once: no ping-pong)
        next_step = turn.registry.step(*target)
        assert next_step is not None
        _place(turn, *target)
        answer = next_step.handle(turn.context())
        answer.forward = False
        return [*says, *apply(turn, next_step, answer)]
    return [*says, *enter(turn, *target)]


def _call(turn: Turn, target: str, then: str | None) -> list[Say]:
    resolved = turn.registry.resolve(turn.flow, target)
    assert resolved is not None, "a call needs a flow or step, not END"
    if then is not None:
        back_to = turn.registry.resolve(turn.flow, then)
        if back_to is not None:
            turn.state.stack = [*turn.state.stack, ".".join(back_to)][-STACK_DEPTH:]
    return enter(turn, *resolved)


def back(turn: Turn) -> list[Say]:
    """ "kembali": the previous step's question, or the menu at the start of a flow."""
    trail = list(turn.state.trail)
    if len(trail) < 2:
        return [Say("common.back_at_start"), *rest(turn)]
    trail.pop()
    flow, step_name = trail.pop().split(".", 1)
    turn.state.trail = trail
    return enter(turn, flow, step_name)


def escalate(turn: Turn, reason: str) -> list[Say]:
    """Hand the chat to a person and tell them what happens next."""
    already = handoff.open_handoff(turn.session, turn.contact) is not None
    handoff.escalate(
        turn.session, turn.contact, reason=reason, text=turn.inbound.text, now=turn.now
    )
    turn.state.reset()
    key = "handoff.already_open" if already else "handoff.started"
    ctx = turn.context()
    open_now = office_open(turn.session, turn.now, ctx.tz)
    hours = office_hours(turn.session)
    return [Say(key, {"reason": reason, "office_open": open_now, "hours": hours})]


def _check_outcome(turn: Turn, step: Step, outcome: Outcome) -> None:
    where = f"{turn.flow}.{step.name}"
    for target in (outcome.goto, outcome.call, outcome.then):
        if target is None or target == END or target in step.goes_to:
            continue
        resolved = turn.registry.resolve(turn.flow, target)
        if resolved is not None and ".".join(resolved) in turn.registry.entry_targets:
            continue  # a flow's entry, started from the menu or by an intent
        raise RuntimeError(f"{where} went to undeclared step {target!r}")
    _check_declared(turn, where, step, outcome.say)


def _check_declared(turn: Turn, where: str, step: Step, says: list[Say]) -> None:
    # An undeclared key is a bug in the flow's declaration, not in the person's message: log it
    # loudly but still answer (a key missing from the catalog fails when it is rendered).
    for say in says:
        if say.key not in step.says and say.key not in turn.registry.entry_says:
            log.error("%s used template %r without declaring it in `says`", where, say.key)
