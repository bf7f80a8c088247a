"""The console's audit log: who changed what, when. Details hold ids and labels, never the
text of a message or a phone number."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlmodel import Session, col, select

from storage.models import AdminUser
from storage.models_console import AuditEntry


def record(
    session: Session,
    user: AdminUser | None,
    action: str,
    now: dt.datetime,
    *,
    target_type: str | None = None,
    target_id: int | None = None,
    detail: str = "",
) -> AuditEntry:
    """Add an entry in the caller's transaction (so it exists exactly when the change does)."""
    entry = AuditEntry(
        at=now,
        user_id=user.id if user else None,
        username=user.username if user else "system",
        action=action,
        target_type=target_type,
        target_id=target_id,
        detail=detail[:500],
    )
    session.add(entry)
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page filters on; empty fields match everything."""

    username: str = ""
    action: str = ""
    first: dt.datetime | None = None
    last: dt.datetime | None = None


def entries(session: Session, wanted: AuditFilter, limit: int = 200) -> list[AuditEntry]:
    """The newest entries matching the filter."""
    query = select(AuditEntry)
    if wanted.username:
        query = query.where(AuditEntry.username == wanted.username)
    if wanted.action:
        query = query.where(col(AuditEntry.action).startswith(wanted.action))
    if wanted.first:
        query = query.where(col(AuditEntry.at) >= wanted.first)
    if wanted.last:
        query = query.where(col(AuditEntry.at) < wanted.last)
    return list(session.exec(query.order_by(col(AuditEntry.id).desc()).limit(limit)))


def actions(session: Session) -> list[str]:
    """Every action name recorded so far (for the filter's choices)."""
    return sorted(set(session.exec(select(AuditEntry.action).distinct())))
