"""Tables of the administrators' console: experts, meeting rooms, notes, the consultation book,
canned replies, settings and the audit log."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models import utc_column
from storage.types import JSONType


class Expert(SQLModel, table=True):
    """A tenaga ahli: who consults, on which topics and weekdays; may have a console account."""

    __tablename__ = "experts"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    user_id: int | None = Field(
        default=None,
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("admin_users.id", ondelete="SET NULL"), unique=True
        ),
    )
    # topic ids (empty: every topic) and weekdays on duty (0 = Monday)
    topic_ids: list[int] = Field(
        default_factory=list, sa_column=sa.Column(JSONType, nullable=False)
    )
    duty_days: list[int] = Field(
        default_factory=list, sa_column=sa.Column(JSONType, nullable=False)
    )
    active: bool = Field(default=True)
    created_at: dt.datetime = Field(sa_column=utc_column(nullable=False))


class MeetingRoom(SQLModel, table=True):
    """A Zoom (or other) meeting room handed out for online sessions."""

    __tablename__ = "meeting_rooms"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    url: str = Field(max_length=500)
    passcode: str | None = Field(default=None, max_length=60)
    active: bool = Field(default=True)
    created_at: dt.datetime = Field(sa_column=utc_column(nullable=False))


class RoomBooking(SQLModel, table=True):
    """One quarter hour of a room held by a reservation.

    A reservation holds one row per quarter hour it covers; the unique key (room, start) makes
    "one room never serves two overlapping sessions" a database fact, also when two admins
    confirm at the same moment.
    """

    __tablename__ = "room_bookings"
    __table_args__ = (sa.UniqueConstraint("room_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    room_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("meeting_rooms.id", ondelete="CASCADE"), nullable=False
        )
    )
    reservation_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("reservations.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        )
    )
    starts_at: dt.datetime = Field(sa_column=utc_column(nullable=False))


class ContactNote(SQLModel, table=True):
    """A private note of the staff about a person (never sent to them)."""

    __tablename__ = "contact_notes"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(
        sa_column=sa.Column(
            sa.Integer, sa.ForeignKey("contacts.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    author: str = Field(max_length=80)
    body: str = Field(sa_type=sa.Text)
    created_at: dt.datetime = Field(sa_column=utc_column(nullable=False))


class CannedReply(SQLModel, table=True):
    """A ready-made answer admins pick in the inbox."""

    __tablename__ = "canned_replies"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=120)
    body: str = Field(sa_type=sa.Text)
    position: int = Field(default=0)


class ConsultationRecord(SQLModel, table=True):
    """The consultation book: the expert's notes and recommendation for one reservation."""

    __tablename__ = "consultation_records"

    id: int | None = Field(default=None, primary_key=True)
    reservation_id: int = Field(
        sa_column=sa.Column(
            sa.Integer,
            sa.ForeignKey("reservations.id", ondelete="CASCADE"),
            nullable=False,
            unique=True,
        )
    )
    expert_id: int | None = Field(default=None)
    notes: str = Field(default="", sa_type=sa.Text)
    recommendation: str = Field(default="", sa_type=sa.Text)
    recommendation_sent_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    recommendation_message_id: int | None = Field(default=None)
    # filled by the follow-up ("was the recommendation carried out?")
    follow_up_answer: str | None = Field(default=None, sa_type=sa.Text)
    follow_up_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    updated_by: str | None = Field(default=None, max_length=80)
    created_at: dt.datetime = Field(sa_column=utc_column(nullable=False))
    updated_at: dt.datetime = Field(sa_column=utc_column(nullable=False))


class ConsoleSetting(SQLModel, table=True):
    """A setting of the clinic edited in the console (yearly target, notifications, ...)."""

    __tablename__ = "console_settings"

    key: str = Field(primary_key=True, max_length=60)
    value: str = Field(default="", sa_type=sa.Text)


class AuditEntry(SQLModel, table=True):
    """One change made in the console: who, what, when (no message text or phone numbers)."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: dt.datetime = Field(sa_column=utc_column(nullable=False, index=True))
    user_id: int | None = Field(default=None)
    username: str = Field(max_length=80)
    action: str = Field(max_length=60, index=True)
    target_type: str | None = Field(default=None, max_length=40)
    target_id: int | None = Field(default=None)
    detail: str = Field(default="", sa_type=sa.Text)
