"""The clinic's reference data held per process: clinics, topics, hours, closures, facts, FAQ.

The conversation reads them on nearly every message; they change only when an administrator
edits them. Database triggers (migration 0005) move ``reference_version.version`` in the same
transaction as any change of those tables, whoever makes it, so nobody has to remember to
invalidate anything. A reader compares the version with the snapshot's and reloads when it
moved: the engine reads the version in the statement that loads the conversation
(storage.models_reference.VERSION, then ``note_version``); any other transaction pays one
small SELECT, once.

The snapshot's objects are shared and read-only: to edit a clinic or a topic, load it through
the session (``session.get``) as usual.
"""

from __future__ import annotations

import datetime as dt
import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session

from storage.models import ClinicHours, ClinicInfo, Closure, Service, Topic
from storage.models_faq import FaqEntry
from storage.models_reference import REFERENCE_TABLES, VERSION, ReferenceVersion

_MODELS = (Service, Topic, ClinicHours, Closure, ClinicInfo, FaqEntry)

_VERSION_TABLE = ReferenceVersion.__table__  # type: ignore[attr-defined]
_READ_VERSION = sa.select(VERSION)
_SESSION_KEY = "eklinik_reference_version"


@dataclass(frozen=True)
class Snapshot:
    """The reference data at one version."""

    version: int
    services: tuple[Service, ...]  # all, in display order
    topics: tuple[Topic, ...]  # all, in display order
    hours: tuple[ClinicHours, ...]  # all, by weekday and opening time
    closures: dict[dt.date, frozenset[int | None]]  # day: closed clinics (None: all)
    facts: dict[str, tuple[str, str]]  # key: (Indonesian, English)
    faq: tuple[FaqEntry, ...] = ()  # the active entries, in display order
    service_by_id: dict[int, Service] = field(default_factory=dict)
    topic_by_id: dict[int, Topic] = field(default_factory=dict)
    hours_by_service: dict[int, tuple[ClinicHours, ...]] = field(default_factory=dict)
    topics_by_service: dict[int, tuple[Topic, ...]] = field(default_factory=dict)

    def closed_days(self, service_id: int, first: dt.date, last: dt.date) -> set[dt.date]:
        """Days from `first` to `last` on which the clinic is closed."""
        if not self.closures:
            return set()
        return {
            day
            for day, closed in self.closures.items()
            if first <= day <= last and (None in closed or service_id in closed)
        }


_snapshots: weakref.WeakKeyDictionary[Engine, Snapshot] = weakref.WeakKeyDictionary()
_loading = threading.Lock()


def note_version(session: Session, version: int | None) -> None:
    """Remember the version read along with other rows in this transaction (saves a SELECT)."""
    session.info[_SESSION_KEY] = int(version or 0)


def snapshot(session: Session) -> Snapshot:
    """The reference data as this transaction sees it (reloaded when an edit moved it)."""
    version = session.info.get(_SESSION_KEY)
    if version is None:
        version = int(session.execute(_READ_VERSION).scalar_one())
        session.info[_SESSION_KEY] = version
    bind = session.get_bind()
    key: Engine = bind if isinstance(bind, Engine) else bind.engine
    current = _snapshots.get(key)
    if current is not None and current.version == version:
        return current
    with _loading:
        fresh = _load(session, version)
        _snapshots[key] = fresh
    return fresh


def forget(session: Session) -> None:
    """Drop the version this transaction read, after it edited reference data itself: the
    next read in it sees its own edit."""
    session.info.pop(_SESSION_KEY, None)


def bump(session: Session) -> None:
    """Move the version by hand. Not needed after edits through SQL (the triggers do it); for
    data that lives elsewhere. Other processes reload at their next message."""
    table = _VERSION_TABLE
    session.execute(sa.update(table).where(table.c.id == 1).values(version=table.c.version + 1))
    forget(session)


@event.listens_for(OrmSession, "after_flush")
def _after_flush(session: OrmSession, _context: Any) -> None:
    # A transaction that edits reference data must read its own edit afterwards.
    if _SESSION_KEY in session.info and any(
        isinstance(obj, _MODELS) for obj in (*session.new, *session.dirty, *session.deleted)
    ):
        forget(session)  # type: ignore[arg-type]


@event.listens_for(OrmSession, "after_commit")
@event.listens_for(OrmSession, "after_rollback")
def _after_transaction(session: OrmSession) -> None:
    # the version read belongs to one transaction; a session used again reads it anew
    session.info.pop(_SESSION_KEY, None)


@event.listens_for(OrmSession, "do_orm_execute")
def _on_execute(state: Any) -> None:
    writes = state.is_insert or state.is_update or state.is_delete
    if writes and _SESSION_KEY in state.session.info:
        table = getattr(state.statement, "table", None)
        if getattr(table, "name", None) in REFERENCE_TABLES:
            forget(state.session)


def _plain(model: Any, row: Any) -> Any:
    """A detached model instance from a row (never added to a session)."""
    return model(**dict(row._mapping))


def _load(session: Session, version: int) -> Snapshot:
    def rows(model: Any, *order: str) -> list[Any]:
        table = model.__table__
        result = session.execute(sa.select(table).order_by(*(table.c[o] for o in order)))
        return [_plain(model, row) for row in result]

    services: list[Service] = rows(Service, "position", "id")
    topics: list[Topic] = rows(Topic, "position", "id")
    hours: list[ClinicHours] = rows(ClinicHours, "weekday", "opens_at", "id")
    closure_table = Closure.__table__  # type: ignore[attr-defined]
    closures: dict[dt.date, set[int | None]] = {}
    for day, service_id in session.execute(
        sa.select(closure_table.c.day, closure_table.c.service_id)
    ):
        closures.setdefault(day, set()).add(service_id)
    info_table = ClinicInfo.__table__  # type: ignore[attr-defined]
    facts = {
        key: (value_id, value_en)
        for key, value_id, value_en in session.execute(
            sa.select(info_table.c.key, info_table.c.value_id, info_table.c.value_en)
        )
    }
    faq: list[FaqEntry] = [e for e in rows(FaqEntry, "position", "id") if e.active]
    hours_by_service: dict[int, list[ClinicHours]] = {}
    for block in hours:
        hours_by_service.setdefault(block.service_id, []).append(block)
    topics_by_service: dict[int, list[Topic]] = {}
    for topic in topics:
        topics_by_service.setdefault(topic.service_id, []).append(topic)
    return Snapshot(
        version=version,
        services=tuple(services),
        topics=tuple(topics),
        hours=tuple(hours),
        closures={day: frozenset(ids) for day, ids in closures.items()},
        facts=facts,
        faq=tuple(faq),
        service_by_id={s.id: s for s in services if s.id is not None},
        topic_by_id={t.id: t for t in topics if t.id is not None},
        hours_by_service={k: tuple(v) for k, v in hours_by_service.items()},
        topics_by_service={k: tuple(v) for k, v in topics_by_service.items()},
    )
