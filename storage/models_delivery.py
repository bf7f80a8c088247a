"""Tables of delivery: early status callbacks, the shared send pace, announcements, answers.

Outbound messages themselves are rows of ``messages`` (the outbox); these tables hold what
delivery needs beside them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models import utc_column
from storage.types import JSONType


def cascade_key(target: str, *, unique: bool = False, nullable: bool = False) -> Any:
    """A foreign key column whose rows go when the row they point at is erased."""
    return sa.Column(
        sa.Integer,
        sa.ForeignKey(target, ondelete="CASCADE"),
        nullable=nullable,
        unique=unique,
        index=not unique,
    )


class EarlyStatus(SQLModel, table=True):
    """A delivery status that arrived before the send that caused it was recorded.

    Applied (and deleted) when the outbox stores the provider id it belongs to.
    """

    __tablename__ = "delivery_early_statuses"

    id: int | None = Field(default=None, primary_key=True)
    provider_sid: str = Field(max_length=64, index=True)
    status: str = Field(max_length=20)
    error_code: str | None = Field(default=None, max_length=20)
    received_at: dt.datetime = Field(sa_column=utc_column(nullable=False))


class SendPace(SQLModel, table=True):
    """The next free send slot of one sender, shared by every worker (wall-clock seconds)."""

    __tablename__ = "delivery_send_pace"

    sender: str = Field(primary_key=True, max_length=60)
    next_slot: float = Field(default=0.0)


class Broadcast(SQLModel, table=True):
    """An announcement to an opted-in audience. ``key`` makes a repeated command a resume."""

    __tablename__ = "broadcasts"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=80, sa_column_kwargs={"unique": True})
    title: str = Field(max_length=200)
    body_id: str = Field(sa_type=sa.Text)
    body_en: str | None = Field(default=None, sa_type=sa.Text)
    audience: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(JSONType, nullable=False)
    )
    created_by: str = Field(default="admin", max_length=80)
    status: str = Field(default="queued", max_length=20)  # queued | sending | done
    recipients: int = Field(default=0)
    created_at: dt.datetime = Field(sa_column=utc_column(nullable=False))
    finished_at: dt.datetime | None = Field(default=None, sa_column=utc_column())


class BroadcastRecipient(SQLModel, table=True):
    """One person an announcement goes to: at most once per announcement (unique key)."""

    __tablename__ = "broadcast_recipients"
    __table_args__ = (sa.UniqueConstraint("broadcast_id", "contact_id"),)

    id: int | None = Field(default=None, primary_key=True)
    broadcast_id: int = Field(sa_column=cascade_key("broadcasts.id"))
    contact_id: int = Field(sa_column=cascade_key("contacts.id"))
    message_id: int | None = Field(default=None)


class FeedbackAnswer(SQLModel, table=True):
    """A person's rating (1-5) and comment on one session."""

    __tablename__ = "feedback_answers"

    id: int | None = Field(default=None, primary_key=True)
    reservation_id: int = Field(sa_column=cascade_key("reservations.id", unique=True))
    contact_id: int = Field(sa_column=cascade_key("contacts.id"))
    rating: int
    comment: str | None = Field(default=None, sa_type=sa.Text)
    created_at: dt.datetime = Field(sa_column=utc_column(nullable=False))
    updated_at: dt.datetime = Field(sa_column=utc_column(nullable=False))


class FollowupAnswer(SQLModel, table=True):
    """Whether the expert's recommendation was carried out: done | partly | not_yet."""

    __tablename__ = "followup_answers"

    id: int | None = Field(default=None, primary_key=True)
    reservation_id: int = Field(sa_column=cascade_key("reservations.id", unique=True))
    contact_id: int = Field(sa_column=cascade_key("contacts.id"))
    answer: str = Field(max_length=20)
    note: str | None = Field(default=None, sa_type=sa.Text)
    created_at: dt.datetime = Field(sa_column=utc_column(nullable=False))
    updated_at: dt.datetime = Field(sa_column=utc_column(nullable=False))
