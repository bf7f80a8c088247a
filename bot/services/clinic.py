"""Read access to the clinic's editable data: clinics, topics, hours, facts.

Answers come from the per-process snapshot (bot.services.reference), reloaded whenever an
administrator's edit moved the reference version; the objects returned are read-only.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.services import reference
from storage.models import ClinicHours, Service, Topic


def active_services(session: Session) -> list[Service]:
    """The clinics people can book, in display order."""
    return [s for s in reference.snapshot(session).services if s.active]


def service(session: Session, service_id: int) -> Service | None:
    """The clinic with this id (active or not)."""
    return reference.snapshot(session).service_by_id.get(service_id)


def topic(session: Session, topic_id: int) -> Topic | None:
    """The topic with this id (active or not)."""
    return reference.snapshot(session).topic_by_id.get(topic_id)


def topics_of(session: Session, service_id: int) -> list[Topic]:
    """A clinic's active topics, in display order."""
    topics = reference.snapshot(session).topics_by_service.get(service_id, ())
    return [t for t in topics if t.active]


def hours_of(session: Session, service_id: int) -> list[ClinicHours]:
    """A clinic's opening hours, Monday first."""
    return list(reference.snapshot(session).hours_by_service.get(service_id, ()))


def info(session: Session, lang: str) -> dict[str, str]:
    """The clinic's facts (address, maps link, phone, ...) in a language."""
    return {
        key: (value_en if lang == "en" else value_id)
        for key, (value_id, value_en) in reference.snapshot(session).facts.items()
    }


def fact(session: Session, key: str, lang: str = "id") -> str | None:
    """One of the clinic's facts in a language, or None when it is not set."""
    values = reference.snapshot(session).facts.get(key)
    if values is None:
        return None
    return values[1] if lang == "en" else values[0]


def label(obj: Service | Topic, lang: str) -> str:
    """The name of a clinic or topic in a language."""
    return obj.name_en if lang == "en" else obj.name_id
