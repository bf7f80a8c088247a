"""faq in the reference data: the FAQ entries move the reference version too

The conversation looks for a question on the side in nearly every message; with this the
entries are held per process with the clinics and topics (bot.services.reference) and
reloaded after any edit, instead of read with a query of their own each time.

Revision ID: 0006_faq_reference
Revises: 0004_faq, 0005_reference
Create Date: 2026-12-07 16:30:00
"""

from __future__ import annotations

import importlib

from alembic import op

revision = "0006_faq_reference"
down_revision = ("0004_faq", "0005_reference")
branch_labels = None
depends_on = None

_REFERENCE = importlib.import_module("storage.migrations.versions.0005_reference_version")
TABLE = "faq_entries"


def upgrade() -> None:
    _REFERENCE.create_triggers((TABLE,))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_reference_version ON {TABLE}")
        return
    for event in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {TABLE}_reference_version_{event}")
