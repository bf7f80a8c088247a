"""/simulator: a WhatsApp-like page to chat with the bot (console transport only)."""

from __future__ import annotations

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from sqlmodel import col, select

from bot.engine import MessageNotStored
from bot.inbound import BadInbound
from bot.outbox import PENDING
from bot.runtime import runtime
from bot.transports.console import ConsoleTransport
from storage.db import transaction
from storage.models import Contact, Message

bp = Blueprint("simulator", __name__)
LOOPBACK = {"127.0.0.1", "::1"}


@bp.before_request
def only_where_meant() -> ResponseReturnValue | None:
    """The simulator shows anyone's chat: serve it only on this machine, unless the console
    transport was chosen on purpose (EKLINIK_TRANSPORT=console), e.g. for a demo on a LAN."""
    if runtime().settings.transport_explicit or request.remote_addr in LOOPBACK:
        return None
    return jsonify({"error": "the simulator is only available on this machine"}), 404


DEFAULT_PHONE = "+6281200000001"
CONSOLE = ConsoleTransport()  # parses and answers the page's requests


@bp.get("/simulator")
def page() -> ResponseReturnValue:
    """The chat page."""
    return render_template("simulator.html", phone=request.args.get("phone", DEFAULT_PHONE))


@bp.post("/simulator/send")
def send() -> ResponseReturnValue:
    """Pass a message to the engine as if it came from WhatsApp; return the replies."""
    try:
        inbound = CONSOLE.parse(request)
    except BadInbound as exc:
        return jsonify({"error": str(exc)}), 400
    try:
        replies = runtime().engine.handle(inbound)
    except MessageNotStored:
        return jsonify({"error": "the database is unavailable; try again"}), 503
    return CONSOLE.acknowledge(replies)


@bp.get("/simulator/history")
def history() -> ResponseReturnValue:
    """The messages exchanged with a phone number, oldest first (also proactive ones)."""
    rt = runtime()
    phone = request.args.get("phone", DEFAULT_PHONE)
    with transaction(rt.db) as session:
        contact = session.exec(select(Contact).where(Contact.phone == phone)).first()
        if contact is None:
            return jsonify({"messages": []})
        rows = session.exec(
            select(Message)
            .where(Message.contact_id == contact.id, col(Message.status) != PENDING)
            .order_by(col(Message.id))
        ).all()
        messages = [
            {"id": m.id, "direction": m.direction, "body": m.body, "status": m.status}
            for m in rows[-200:]
        ]
    return jsonify({"messages": messages})
