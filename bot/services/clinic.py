"""Read access to the clinic's editable data: clinics, topics, hours, facts."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import ClinicHours, ClinicInfo, Service, Topic


def active_services(session: Session) -> list[Service]:
    """The clinics people can book, in display order."""
    return list(
        session.exec(
            select(Service).where(col(Service.active).is_(True)).order_by(col(Service.position))
        )
    )


def topics_of(session: Session, service_id: int) -> list[Topic]:
    """A clinic's active topics, in display order."""
    return list(
        session.exec(
            select(Topic)
            .where(Topic.service_id == service_id, col(Topic.active).is_(True))
            .order_by(col(Topic.position), col(Topic.id))
        )
    )


def hours_of(session: Session, service_id: int) -> list[ClinicHours]:
    """A clinic's opening hours, Monday first."""
    return list(
        session.exec(
            select(ClinicHours)
            .where(ClinicHours.service_id == service_id)
            .order_by(col(ClinicHours.weekday), col(ClinicHours.opens_at))
        )
    )


def info(session: Session, lang: str) -> dict[str, str]:
    """The clinic's facts (address, maps link, phone, ...) in a language."""
    return {
        row.key: (row.value_en if lang == "en" else row.value_id)
        for row in session.exec(select(ClinicInfo))
    }


def label(obj: Service | Topic, lang: str) -> str:
    """The name of a clinic or topic in a language."""
    return obj.name_en if lang == "en" else obj.name_id
