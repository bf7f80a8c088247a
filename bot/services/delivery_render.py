"""Rendering proactive messages: the catalog and timezone to use, a reservation's details."""

from __future__ import annotations

import functools
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.config import PROJECT_ROOT
from bot.messages import MessageCatalog
from bot.services import clinic
from storage.models import Contact, Reservation


@functools.lru_cache(maxsize=4)
def _default_catalog(timezone: str) -> MessageCatalog:
    return MessageCatalog(PROJECT_ROOT / "templates", {"timezone_name": timezone})


def catalog_and_timezone() -> tuple[MessageCatalog, ZoneInfo]:
    """The running app's catalog and timezone; outside an app, the defaults."""
    from flask import has_app_context

    if has_app_context():
        from bot.runtime import runtime

        rt = runtime()
        return rt.catalog, ZoneInfo(rt.settings.timezone)
    from bot.config import Settings

    timezone = Settings.from_env().timezone
    return _default_catalog(timezone), ZoneInfo(timezone)


def lines(catalog: MessageCatalog, key: str, lang: str, **variables: Any) -> list[str]:
    """A template rendered as a list of its non-empty lines (button labels, one a line)."""
    return [line.strip() for line in catalog.render(key, lang, **variables).splitlines() if line]


def reservation_vars(
    session: Session, reservation: Reservation, contact: Contact, tz: ZoneInfo
) -> dict[str, Any]:
    """What the delivery templates show about a reservation, in the contact's language."""
    lang = contact.language
    topic = clinic.topic(session, reservation.topic_id)
    service = clinic.service(session, reservation.service_id)
    facts = clinic.info(session, lang)
    return {
        "name": contact.name or contact.profile_name or "",
        "code": reservation.code or "",
        "starts": reservation.starts_at.astimezone(tz),
        "topic": clinic.label(topic, lang) if topic else "",
        "service": clinic.label(service, lang) if service else "",
        "mode": reservation.mode,
        "status": reservation.status,
        "meeting_link": reservation.meeting_link,
        "info": facts,
    }


def when_text(catalog: MessageCatalog, lang: str, variables: dict[str, Any]) -> str:
    """The session's day and time as one short text (a template variable)."""
    return catalog.render("delivery.when", lang, **variables)


def place_text(catalog: MessageCatalog, lang: str, variables: dict[str, Any]) -> str:
    """Where the session is: the meeting link online, the office address face to face."""
    return catalog.render("delivery.place", lang, **variables)
