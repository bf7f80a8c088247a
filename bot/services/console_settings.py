"""Settings edited in the console (yearly target, escalation alerts) and the first-run setup
checklist."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, func, select

from storage.models import ClinicHours, ClinicInfo
from storage.models_console import ConsoleSetting, Expert, MeetingRoom

DEFAULTS: dict[str, Any] = {
    "yearly_target": 0,
    "notify_admins": False,  # WhatsApp alert to the numbers below on a new escalation
    "notify_numbers": [],
}
PLACEHOLDER_ADDRESS = "Jl. Contoh"  # the seeded address: nobody should be sent there


def get(session: Session, key: str) -> Any:
    """A setting's value, or its default."""
    row = session.get(ConsoleSetting, key)
    if row is None:
        return DEFAULTS.get(key)
    return json.loads(row.value)


def put(session: Session, key: str, value: Any) -> None:
    """Store a setting."""
    row = session.get(ConsoleSetting, key)
    encoded = json.dumps(value, ensure_ascii=False)
    if row is None:
        session.add(ConsoleSetting(key=key, value=encoded))
    else:
        row.value = encoded


@dataclass(frozen=True)
class SetupStep:
    """One item of the first-run checklist."""

    label: str
    done: bool
    endpoint: str


def checklist(session: Session) -> list[SetupStep]:
    """What must be set before the clinic can serve people well."""
    address = session.get(ClinicInfo, "address")
    address_set = bool(address and address.value_id.strip()) and (
        PLACEHOLDER_ADDRESS not in (address.value_id if address else "")
    )
    hours = session.exec(select(func.count()).select_from(ClinicHours)).one()
    rooms = session.exec(
        select(func.count()).select_from(MeetingRoom).where(col(MeetingRoom.active).is_(True))
    ).one()
    experts = session.exec(
        select(func.count()).select_from(Expert).where(col(Expert.active).is_(True))
    ).one()
    return [
        SetupStep(
            "Alamat kantor klinik diisi (bukan alamat contoh)", address_set, "console.settings"
        ),
        SetupStep("Jam layanan klinik diatur", hours > 0, "console.hours"),
        SetupStep("Minimal satu tenaga ahli", experts > 0, "console.experts"),
        SetupStep("Minimal satu ruang Zoom (link rapat)", rooms > 0, "console.rooms"),
    ]
