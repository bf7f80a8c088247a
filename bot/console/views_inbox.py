"""The inbox of escalated chats: the list, one chat with its history, replies, notes,
assignment, resolving; and the canned replies admins keep."""

from __future__ import annotations

import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlmodel import Session, col, select

from bot.console.blueprint import admin_only, bp, db, user
from bot.runtime import runtime
from bot.services import audit, handoff, notifications
from storage.models import AdminUser, Contact, Handoff, Message
from storage.models_console import CannedReply, ContactNote

MAX_REPLY = 1600
HISTORY = 200


def _handoff_or_404(s: Session, handoff_id: int) -> tuple[Handoff, Contact]:
    case = s.get(Handoff, handoff_id)
    if case is None:
        abort(404)
    contact = s.get(Contact, case.contact_id)
    assert contact is not None
    return case, contact


def _staff(s: Session) -> dict[int, AdminUser]:
    return {
        u.id: u
        for u in s.exec(select(AdminUser).where(col(AdminUser.active).is_(True)))
        if u.id is not None and u.role == "admin"
    }


@bp.get("/inbox")
@admin_only
def inbox() -> ResponseReturnValue:
    """Chats waiting for a human, oldest first, and the ones resolved lately."""
    now = runtime().clock.now()
    with db() as s:
        waiting = s.exec(
            select(Handoff, Contact)
            .where(Handoff.contact_id == Contact.id, col(Handoff.status).in_(handoff.WAITING))
            .order_by(col(Handoff.opened_at), col(Handoff.id))
        ).all()
        resolved = s.exec(
            select(Handoff, Contact)
            .where(Handoff.contact_id == Contact.id, Handoff.status == handoff.RESOLVED)
            .order_by(col(Handoff.resolved_at).desc())
            .limit(20)
        ).all()
        staff = _staff(s)
    return render_template(
        "admin/inbox.html", waiting=waiting, resolved=resolved, staff=staff, now=now
    )


@bp.get("/inbox/<int:handoff_id>")
@admin_only
def chat(handoff_id: int) -> ResponseReturnValue:
    """One chat: the whole history, the reply box, notes and actions."""
    now = runtime().clock.now()
    with db() as s:
        case, contact = _handoff_or_404(s, handoff_id)
        handoff.mark_read(case)
        messages = list(
            reversed(
                s.exec(
                    select(Message)
                    .where(Message.contact_id == contact.id)
                    .order_by(col(Message.id).desc())
                    .limit(HISTORY)
                ).all()
            )
        )
        notes = s.exec(
            select(ContactNote)
            .where(ContactNote.contact_id == contact.id)
            .order_by(col(ContactNote.id))
        ).all()
        canned = s.exec(
            select(CannedReply).order_by(col(CannedReply.position), col(CannedReply.id))
        ).all()
        staff = _staff(s)
    return render_template(
        "admin/chat.html",
        case=case,
        contact=contact,
        messages=messages,
        notes=notes,
        canned=canned,
        staff=staff,
        now=now,
        window_open=notifications.in_window(contact, now),
        window_closes=notifications.window_closes_at(contact),
        nonce=secrets.token_hex(8),
    )


@bp.post("/inbox/<int:handoff_id>/reply")
@admin_only
def reply(handoff_id: int) -> ResponseReturnValue:
    """Send the reply on WhatsApp through the outbox; the chat becomes open (the bot stays
    silent). A double submit sends it once."""
    text = (request.form.get("text") or "").strip()
    nonce = (request.form.get("nonce") or "")[:32]
    rt = runtime()
    now = rt.clock.now()
    back = redirect(url_for("console.chat", handoff_id=handoff_id))
    if not text:
        flash("Balasan masih kosong.", "error")
        return back
    if len(text) > MAX_REPLY:
        flash(f"Balasan terlalu panjang (maksimal {MAX_REPLY} karakter).", "error")
        return back
    with db() as s:
        case, contact = _handoff_or_404(s, handoff_id)
        if case.status == handoff.RESOLVED:
            flash("Percakapan ini sudah selesai; pesan tidak dikirim.", "error")
            return back
        if not notifications.in_window(contact, now):
            flash(
                "Jendela 24 jam WhatsApp sudah tertutup: pesan bebas tidak akan sampai. "
                "Kirim templat yang disetujui di bawah.",
                "error",
            )
            return back
        me = user()
        if case.status == handoff.PENDING or case.assigned_to_id is None:
            assert me.id is not None
            handoff.take(case, me.id, now)
        message = notifications.send(
            s,
            rt.catalog,
            contact,
            "reply",
            now,
            dedupe_key=f"reply:{case.id}:{nonce or secrets.token_hex(8)}",
            text=text,
            staff=me.display_name or "",
        )
        s.flush()
        audit.record(
            s,
            me,
            "inbox.reply",
            now,
            target_type="handoff",
            target_id=case.id,
            detail=f"message {message.id}",
        )
    flash("Balasan masuk antrean kirim.", "ok")
    return back


@bp.post("/inbox/<int:handoff_id>/template")
@admin_only
def send_template(handoff_id: int) -> ResponseReturnValue:
    """Outside the 24-hour window: the approved template that asks the person to reply."""
    rt = runtime()
    now = rt.clock.now()
    with db() as s:
        case, contact = _handoff_or_404(s, handoff_id)
        me = user()
        if case.status == handoff.PENDING:
            assert me.id is not None
            handoff.take(case, me.id, now)
        notifications.send(
            s,
            rt.catalog,
            contact,
            "reopen",
            now,
            dedupe_key=f"reopen:{case.id}:{now:%Y%m%d}",
            template="reopen",
            template_variables={"1": contact.name or ""},
            name=contact.name or "",
        )
        audit.record(s, me, "inbox.template", now, target_type="handoff", target_id=case.id)
    flash("Templat WhatsApp masuk antrean kirim.", "ok")
    return redirect(url_for("console.chat", handoff_id=handoff_id))


@bp.post("/inbox/<int:handoff_id>/assign")
@admin_only
def assign(handoff_id: int) -> ResponseReturnValue:
    """Take the chat, or give it to a colleague: it becomes open."""
    now = runtime().clock.now()
    with db() as s:
        case, _contact = _handoff_or_404(s, handoff_id)
        if case.status == handoff.RESOLVED:
            abort(409)
        me = user()
        raw = request.form.get("user_id") or ""
        target = me.id if raw in ("", "me") else int(raw) if raw.isdigit() else None
        if target is None or target not in _staff(s):
            flash("Petugas tidak dikenal.", "error")
            return redirect(url_for("console.chat", handoff_id=handoff_id))
        handoff.take(case, target, now)
        case.assigned_to_id = target
        audit.record(
            s,
            me,
            "inbox.assign",
            now,
            target_type="handoff",
            target_id=case.id,
            detail=f"to account {target}",
        )
    flash("Percakapan sudah ditugaskan.", "ok")
    return redirect(url_for("console.chat", handoff_id=handoff_id))


@bp.post("/inbox/<int:handoff_id>/resolve")
@admin_only
def resolve(handoff_id: int) -> ResponseReturnValue:
    """Hand the chat back to the bot and tell the person so, in their language."""
    rt = runtime()
    now = rt.clock.now()
    with db() as s:
        case, _contact = _handoff_or_404(s, handoff_id)
        if case.status == handoff.RESOLVED:
            flash("Percakapan ini sudah selesai.", "ok")
            return redirect(url_for("console.inbox"))
        me = user()
        handoff.resolve(case, by=me.username, now=now, catalog=rt.catalog)
        audit.record(s, me, "inbox.resolve", now, target_type="handoff", target_id=case.id)
    flash("Percakapan selesai; bot kembali melayani dan orangnya sudah diberi tahu.", "ok")
    return redirect(url_for("console.inbox"))


@bp.post("/inbox/<int:handoff_id>/note")
@admin_only
def note(handoff_id: int) -> ResponseReturnValue:
    """A private note about the person (never sent to them)."""
    body = (request.form.get("body") or "").strip()[:2000]
    now = runtime().clock.now()
    with db() as s:
        _case, contact = _handoff_or_404(s, handoff_id)
        if not body:
            flash("Catatan masih kosong.", "error")
        else:
            assert contact.id is not None
            me = user()
            entry = ContactNote(
                contact_id=contact.id, author=me.username, body=body, created_at=now
            )
            s.add(entry)
            s.flush()
            audit.record(s, me, "note.add", now, target_type="contact", target_id=contact.id)
            flash("Catatan disimpan.", "ok")
    return redirect(url_for("console.chat", handoff_id=handoff_id) + "#catatan")


# --- canned replies -------------------------------------------------------------------------


@bp.route("/inbox/canned", methods=["GET", "POST"])
@admin_only
def canned() -> ResponseReturnValue:
    """The canned replies: list, add, edit, delete."""
    now = runtime().clock.now()
    if request.method == "POST":
        action = request.form.get("action")
        title = (request.form.get("title") or "").strip()[:120]
        body = (request.form.get("body") or "").strip()[:MAX_REPLY]
        raw_id = request.form.get("id") or ""
        with db() as s:
            me = user()
            row = s.get(CannedReply, int(raw_id)) if raw_id.isdigit() else None
            if action == "delete" and row is not None:
                s.delete(row)
                audit.record(s, me, "canned.delete", now, target_type="canned", target_id=row.id)
                flash("Balasan cepat dihapus.", "ok")
            elif not title or not body:
                flash("Judul dan isi wajib diisi.", "error")
            elif row is not None:
                row.title, row.body = title, body
                audit.record(s, me, "canned.edit", now, target_type="canned", target_id=row.id)
                flash("Balasan cepat disimpan.", "ok")
            else:
                row = CannedReply(title=title, body=body, position=100)
                s.add(row)
                s.flush()
                audit.record(s, me, "canned.add", now, target_type="canned", target_id=row.id)
                flash("Balasan cepat ditambahkan.", "ok")
        return redirect(url_for("console.canned"))
    with db() as s:
        rows = s.exec(
            select(CannedReply).order_by(col(CannedReply.position), col(CannedReply.id))
        ).all()
    return render_template("admin/canned.html", rows=rows)
