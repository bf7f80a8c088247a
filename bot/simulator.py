"""/simulator: a WhatsApp-like page to chat with the bot (console transport only)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from sqlmodel import col, select

from bot.engine import MessageNotStored
from bot.inbound import BadInbound
from bot.outbox import PENDING
from bot.runtime import runtime
from bot.transports.console import ConsoleChannel
from storage.db import reading
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


@bp.before_request
def same_site_only() -> ResponseReturnValue | None:
    """Refuse posts that another site's page makes a browser send (cross-site request forgery).

    Behind a reverse proxy on this machine every request looks local, so the check reads what
    the browser says: Sec-Fetch-Site, then Origin, then Referer must name this very host.
    Clients that are not browsers (scripts, tests) send none of them and are let through.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in ("same-origin", "none"):
        return _cross_site()
    source = request.headers.get("Origin") or request.headers.get("Referer")
    if source is None:
        return None
    if source == "null" or urlsplit(source).netloc.lower() != request.host.lower():
        return _cross_site()
    return None


def _cross_site() -> ResponseReturnValue:
    return jsonify({"error": "cross-site requests are refused"}), 403


DEFAULT_PHONE = "+6281200000001"


@bp.get("/simulator")
def page() -> ResponseReturnValue:
    """The chat page."""
    return render_template("simulator.html", phone=request.args.get("phone", DEFAULT_PHONE))


@bp.post("/simulator/send")
def send() -> ResponseReturnValue:
    """Pass a message to the engine as if it came from WhatsApp; return the replies."""
    rt = runtime()
    console = rt.channels["console"]  # parses the page's requests and answers them
    assert isinstance(console, ConsoleChannel)
    try:
        inbound = console.parse(request)
    except BadInbound as exc:
        return jsonify({"error": str(exc)}), 400
    try:
        replies = rt.engine.handle(inbound, console)
    except MessageNotStored:
        return jsonify({"error": "the database is unavailable; try again"}), 503
    return console.acknowledge(replies)


@bp.get("/simulator/history")
def history() -> ResponseReturnValue:
    """The messages exchanged with a phone number, oldest first (also proactive ones)."""
    rt = runtime()
    phone = request.args.get("phone", DEFAULT_PHONE)
    with reading(rt.db) as session:
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
