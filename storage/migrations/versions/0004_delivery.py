"""delivery: message kind, reservation and validity; announcement consent; early statuses,
send pace, broadcasts, feedback and follow-up answers

Revision ID: 0004_delivery
Revises: 0003
Create Date: 2026-11-26 14:45:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_delivery"
down_revision = "0003"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _cascade(target: str, *, unique: bool = False) -> sa.Column[int]:
    name = target.split(".")[0].rstrip("s") + "_id"
    return sa.Column(
        name,
        sa.Integer(),
        sa.ForeignKey(target, ondelete="CASCADE"),
        nullable=False,
        unique=unique,
        index=not unique,
    )


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch:
        batch.add_column(sa.Column("announcements_consent", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("announcements_consent_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("messages") as batch:
        batch.add_column(sa.Column("kind", sa.String(length=30), nullable=True))
        batch.add_column(sa.Column("reservation_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("valid_until", sa.DateTime(), nullable=True))
        batch.create_index("ix_messages_reservation_id", ["reservation_id"])
    op.create_table(
        "delivery_early_statuses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("provider_sid", sa.String(length=64), nullable=False, index=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("error_code", sa.String(length=20), nullable=True),
        sa.Column("received_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "delivery_send_pace",
        sa.Column("sender", sa.String(length=60), primary_key=True),
        sa.Column("next_slot", sa.Float(), nullable=False),
    )
    op.create_table(
        "broadcasts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(length=80), nullable=False, unique=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body_id", sa.Text(), nullable=False),
        sa.Column("body_en", sa.Text(), nullable=True),
        sa.Column("audience", JSON, nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
    )
    op.create_table(
        "broadcast_recipients",
        sa.Column("id", sa.Integer(), primary_key=True),
        _cascade("broadcasts.id"),
        _cascade("contacts.id"),
        sa.Column("message_id", sa.Integer(), nullable=True),
        sa.UniqueConstraint("broadcast_id", "contact_id"),
    )
    for table, answer in (
        ("feedback_answers", [sa.Column("rating", sa.Integer(), nullable=False)]),
        ("followup_answers", [sa.Column("answer", sa.String(length=20), nullable=False)]),
    ):
        note = "comment" if table == "feedback_answers" else "note"
        op.create_table(
            table,
            sa.Column("id", sa.Integer(), primary_key=True),
            _cascade("reservations.id", unique=True),
            _cascade("contacts.id"),
            *answer,
            sa.Column(note, sa.Text(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
        )


def downgrade() -> None:
    for table in (
        "followup_answers",
        "feedback_answers",
        "broadcast_recipients",
        "broadcasts",
        "delivery_send_pace",
        "delivery_early_statuses",
    ):
        op.drop_table(table)
    with op.batch_alter_table("messages") as batch:
        batch.drop_index("ix_messages_reservation_id")
        batch.drop_column("valid_until")
        batch.drop_column("reservation_id")
        batch.drop_column("kind")
    with op.batch_alter_table("contacts") as batch:
        batch.drop_column("announcements_consent_at")
        batch.drop_column("announcements_consent")
