"""Seed what a fresh install needs: clinics, topics, hours, holidays, facts, a demo admin."""

from __future__ import annotations

import datetime as dt
import secrets
import tomllib
from pathlib import Path
from typing import Any

from sqlmodel import Session, select
from werkzeug.security import generate_password_hash

from storage.models import AdminUser, ClinicHours, ClinicInfo, Closure, Service, Topic
from storage.seed_faq import seed_faq

SEED_FILE = Path(__file__).with_name("seed_data.toml")
DEMO_ADMIN = "admin"


def load_seed_data() -> dict[str, Any]:
    """The default data, as kept in seed_data.toml."""
    return tomllib.loads(SEED_FILE.read_text(encoding="utf-8"))


def seed_clinic(session: Session) -> bool:
    """Insert clinics, topics, hours, holidays and facts unless clinics exist; True if seeded."""
    if session.exec(select(Service)).first() is not None:
        return False
    data = load_seed_data()
    for position, spec in enumerate(data["services"]):
        service = Service(
            code=spec["code"], name_id=spec["name_id"], name_en=spec["name_en"], position=position
        )
        session.add(service)
        session.flush()
        assert service.id is not None
        for order, (code, name_id, name_en, *keywords) in enumerate(spec["topics"]):
            session.add(
                Topic(
                    service_id=service.id,
                    code=code,
                    name_id=name_id,
                    name_en=name_en,
                    keywords=keywords[0] if keywords else "",
                    position=order,
                )
            )
        hours = spec["hours"]
        for weekday in hours["weekdays"]:
            session.add(
                ClinicHours(
                    service_id=service.id,
                    weekday=weekday,
                    opens_at=dt.time.fromisoformat(hours["opens"]),
                    closes_at=dt.time.fromisoformat(hours["closes"]),
                    session_minutes=hours["session_minutes"],
                    capacity=hours["capacity"],
                )
            )
    for day, reason in data["holidays"]:
        session.add(Closure(day=dt.date.fromisoformat(day), reason=reason, is_public_holiday=True))
    for key, (value_id, value_en) in data["info"].items():
        session.add(ClinicInfo(key=key, value_id=value_id, value_en=value_en))
    seed_faq(session, data)
    session.flush()
    return True


def seed_demo_admin(session: Session, now: dt.datetime) -> str | None:
    """Create the demo admin if no account exists; return its password (shown once)."""
    if session.exec(select(AdminUser)).first() is not None:
        return None
    password = secrets.token_urlsafe(12)
    session.add(
        AdminUser(
            username=DEMO_ADMIN,
            password_hash=generate_password_hash(password),
            role="admin",
            created_at=now,
        )
    )
    return password
