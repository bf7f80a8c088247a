"""The reference data's version: one row, moved by database triggers on every change of the
clinics, topics, hours, closures, facts (migration 0005) and FAQ entries (0006), so that each
process's cache of them (bot.services.reference) knows when to reload."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

REFERENCE_TABLES = (
    "services",
    "topics",
    "clinic_hours",
    "closures",
    "clinic_info",
    "faq_entries",  # from migration 0006
)


class ReferenceVersion(SQLModel, table=True):
    """The single row (id 1) whose ``version`` grows with every edit of reference data."""

    __tablename__ = "reference_version"

    id: int = Field(default=1, primary_key=True)
    version: int = Field(default=1)


_TABLE = ReferenceVersion.__table__  # type: ignore[attr-defined]
# The version as a column to read along with other rows (0 before the first edit).
VERSION = (
    sa.select(sa.func.coalesce(sa.func.max(_TABLE.c.version), 0))
    .scalar_subquery()
    .label("reference_version")
)
