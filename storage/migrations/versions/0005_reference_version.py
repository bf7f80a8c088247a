"""reference version: a counter that triggers move on every change of reference data

Every INSERT, UPDATE or DELETE on services, topics, clinic_hours, closures and clinic_info
(through the ORM, Core or plain SQL, from any process) increments reference_version.version
in the same transaction. Each process keeps those tables in memory and reloads them when the
version it reads with the conversation row has moved (bot.services.reference).

SQLite drops a table's triggers when a later migration rebuilds that table (batch mode): such
a migration must call `create_triggers` again (tests/test_reference_cache.py notices).

Revision ID: 0005_reference
Revises: 0003
Create Date: 2026-11-26 15:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_reference"
down_revision = "0003"
branch_labels = None
depends_on = None

TABLES = ("services", "topics", "clinic_hours", "closures", "clinic_info")
BUMP = (
    "INSERT INTO reference_version (id, version) VALUES (1, 1) "
    "ON CONFLICT (id) DO UPDATE SET version = reference_version.version + 1"
)


def create_triggers(tables: tuple[str, ...] = TABLES) -> None:
    """(Re)create the triggers that move the version on the reference tables."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE OR REPLACE FUNCTION bump_reference_version() RETURNS trigger "
            f"LANGUAGE plpgsql AS $$ BEGIN {BUMP}; RETURN NULL; END $$"
        )
        for table in tables:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_reference_version ON {table}")
            op.execute(
                f"CREATE TRIGGER {table}_reference_version "
                f"AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION bump_reference_version()"
            )
        return
    for table in tables:
        for event in ("INSERT", "UPDATE", "DELETE"):
            name = f"{table}_reference_version_{event.lower()}"
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
            op.execute(f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {BUMP}; END")


def upgrade() -> None:
    op.create_table(
        "reference_version",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("version", sa.Integer(), nullable=False),
    )
    op.execute("INSERT INTO reference_version (id, version) VALUES (1, 1)")
    create_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_reference_version ON {table}")
        op.execute("DROP FUNCTION IF EXISTS bump_reference_version()")
    else:
        for table in TABLES:
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_reference_version_{event}")
    op.drop_table("reference_version")
