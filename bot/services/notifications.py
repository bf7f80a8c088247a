"""WhatsApp messages the console sends: rendered from templates/messages/*/console/, queued in
the outbox in the caller's transaction, once per cause (the dedupe key).

Outside WhatsApp's 24-hour window only an approved template can reach the person: each console
message names the template that carries it there.
"""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

from sqlmodel import Session

from bot import outbox
from bot.messages import MessageCatalog
from bot.transports.base import TemplateRef
from storage.models import Contact, Message

WINDOW = outbox.WINDOW


def in_window(contact: Contact, now: dt.datetime) -> bool:
    """True while the person wrote to us in the last 24 hours (free text can reach them)."""
    return contact.last_inbound_at is not None and now - contact.last_inbound_at < WINDOW


def window_closes_at(contact: Contact) -> dt.datetime | None:
    """When free text stops reaching the person (None: it already cannot)."""
    if contact.last_inbound_at is None:
        return None
    return contact.last_inbound_at + WINDOW


def _outbox_takes(name: str) -> bool:
    return name in inspect.signature(outbox.enqueue).parameters


def send(
    session: Session,
    catalog: MessageCatalog,
    contact: Contact,
    key: str,
    now: dt.datetime,
    *,
    dedupe_key: str,
    template: str | None = None,
    template_variables: dict[str, str] | None = None,
    reservation_id: int | None = None,
    expect: dict[str, Any] | None = None,
    **variables: Any,
) -> Message:
    """Queue the message `console.<key>` for the person, in their language.

    `template` names the approved WhatsApp template the outbox sends instead when the 24-hour
    window is closed at sending time; `expect` (the reservation's status and time) withdraws
    the message when the reservation changed before it went out.
    """
    full_key = f"console.{key}"
    body = catalog.render(full_key, contact.language, **variables)
    ref = (
        TemplateRef(template, contact.language, dict(template_variables or {}))
        if template
        else None
    )
    options: dict[str, Any] = {}
    if ref is not None and _outbox_takes("template"):
        options["template"] = ref
    if reservation_id is not None and _outbox_takes("reservation_id"):
        options["reservation_id"] = reservation_id
    if expect is not None and _outbox_takes("expect"):
        options["expect"] = expect
    if _outbox_takes("kind"):
        options["kind"] = full_key
    message = outbox.enqueue(
        session, contact, body, now, template_key=full_key, dedupe_key=dedupe_key, **options
    )
    if ref is not None and "template" not in options and not message.extra:
        # an outbox without templates: keep the reference for when it can send them
        message.extra = {
            "template": {"name": ref.name, "language": ref.language, "variables": ref.variables}
        }
    return message
