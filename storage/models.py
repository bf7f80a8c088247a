"""SQLModel tables. Times are aware UTC datetimes (stored naive UTC, see UTCDateTime)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.types import JSONType, UTCDateTime


def utc_column(nullable: bool = True, index: bool = False) -> Any:
    """A UTC datetime column."""
    return sa.Column(UTCDateTime(), nullable=nullable, index=index)


# --- people and conversations -------------------------------------------------------------


class Contact(SQLModel, table=True):
    """A person writing to the clinic, keyed by E.164 number (no `whatsapp:` prefix)."""

    __tablename__ = "contacts"

    id: int | None = Field(default=None, primary_key=True)
    phone: str = Field(max_length=20, sa_column_kwargs={"unique": True}, index=False)
    profile_name: str | None = Field(default=None, max_length=200)
    language: str = Field(default="id", max_length=5)
    # registration (filled by the reservation flow, editable)
    name: str | None = Field(default=None, max_length=120)
    category: str | None = Field(default=None, max_length=40)
    organisation: str | None = Field(default=None, max_length=200)
    kecamatan: str | None = Field(default=None, max_length=120)
    # the kecamatan's regency ("Kabupaten Tangerang"); None when not in the list of places
    regency: str | None = Field(default=None, max_length=120)
    # how to address them: "bapak", "ibu", "haji", "hajjah", or None ("Bapak/Ibu")
    salutation: str | None = Field(default=None, max_length=20)
    registered_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    # consent (UU PDP): the privacy notice, and a withdrawal with "stop"
    privacy_notice_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    opted_out_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    last_inbound_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    # the channel (twilio, meta, console) the contact last wrote on: replies go back there
    last_channel: str | None = Field(default=None, max_length=20)
    # announcements (broadcasts) need their own consent: None = never asked, True = yes,
    # False = declined or withdrawn with "stop info"; the time of the last answer
    announcements_consent: bool | None = Field(default=None)
    announcements_consent_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    created_at: dt.datetime = Field(sa_column=utc_column(nullable=False))


class Conversation(SQLModel, table=True):
    """Where a contact is in a flow. `version` guards against two messages racing."""

    __tablename__ = "conversations"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contacts.id", sa_column_kwargs={"unique": True})
    flow: str | None = Field(default=None, max_length=40)
    step: str | None = Field(default=None, max_length=60)
    slots: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(JSONType, nullable=False)
    )
    misunderstandings: int = Field(default=0)
    # where called flows return to ("flow.step" frames, innermost last), and the steps visited
    # (for "kembali"); both kept by the engine, out of the flows' slots
    stack: list[str] = Field(default_factory=list, sa_column=sa.Column(JSONType, nullable=False))
    trail: list[str] = Field(default_factory=list, sa_column=sa.Column(JSONType, nullable=False))
    expires_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    updated_at: dt.datetime = Field(sa_column=utc_column(nullable=False))
    version: int = Field(default=1)


class Message(SQLModel, table=True):
    """Every message in and out. Outbound rows not yet delivered are the durable outbox."""

    __tablename__ = "messages"
    __table_args__ = (sa.Index("ix_messages_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contacts.id", index=True)
    direction: str = Field(max_length=3)  # "in" | "out"
    provider_sid: str | None = Field(default=None, max_length=64, sa_column_kwargs={"unique": True})
    channel: str = Field(default="whatsapp", max_length=20)
    body: str = Field(default="", sa_type=sa.Text)
    media: list[dict[str, Any]] | None = Field(default=None, sa_column=sa.Column(JSONType))
    extra: dict[str, Any] | None = Field(default=None, sa_column=sa.Column(JSONType))
    template_key: str | None = Field(default=None, max_length=80)
    # an outbound reply: the inbound message it answers (a redelivery gets the same replies)
    reply_to_id: int | None = Field(default=None, foreign_key="messages.id", index=True)
    # in: received | processed | held_for_human | ignored | failed
    # out: reply (sent in the webhook's TwiML) | pending (in the outbox) | sending | suppressed |
    #      queued | sent | delivered | read | failed | undelivered (the provider's statuses)
    status: str = Field(max_length=20)
    dedupe_key: str | None = Field(default=None, max_length=120, sa_column_kwargs={"unique": True})
    attempts: int = Field(default=0)
    next_attempt_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    # proactive messages: what it is (reminder_1d, feedback, broadcast, ...), the reservation
    # it is about (re-checked before sending), and when it stops being worth sending
    kind: str | None = Field(default=None, max_length=30)
    reservation_id: int | None = Field(default=None, index=True)
    valid_until: dt.datetime | None = Field(default=None, sa_column=utc_column())
    created_at: dt.datetime = Field(sa_column=utc_column(nullable=False))
    updated_at: dt.datetime = Field(sa_column=utc_column(nullable=False))


# --- the clinic -----------------------------------------------------------------------------


class Service(SQLModel, table=True):
    """A clinic: `koperasi` or `umkm`."""

    __tablename__ = "services"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=20, sa_column_kwargs={"unique": True})
    name_id: str = Field(max_length=120)
    name_en: str = Field(max_length=120)
    position: int = Field(default=0)
    active: bool = Field(default=True)


class Topic(SQLModel, table=True):
    """A consultation topic offered by one clinic."""

    __tablename__ = "topics"
    __table_args__ = (sa.UniqueConstraint("service_id", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="services.id", index=True)
    code: str = Field(max_length=60)
    name_id: str = Field(max_length=160)
    name_en: str = Field(max_length=160)
    # other words people use for it, comma-separated ("modal, pinjaman, KUR"); editable
    keywords: str = Field(default="", sa_type=sa.Text, sa_column_kwargs={"server_default": ""})
    position: int = Field(default=0)
    active: bool = Field(default=True)


class ClinicHours(SQLModel, table=True):
    """Opening hours of one clinic on one weekday (0 = Monday), in the clinic's timezone."""

    __tablename__ = "clinic_hours"
    __table_args__ = (sa.UniqueConstraint("service_id", "weekday", "opens_at"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="services.id", index=True)
    weekday: int
    opens_at: dt.time
    closes_at: dt.time
    session_minutes: int = Field(default=30)
    capacity: int = Field(default=1)


class Closure(SQLModel, table=True):
    """A day with no sessions: a public holiday (all clinics) or a closure of one clinic."""

    __tablename__ = "closures"
    __table_args__ = (sa.UniqueConstraint("day", "service_id"),)

    id: int | None = Field(default=None, primary_key=True)
    day: dt.date = Field(index=True)
    service_id: int | None = Field(default=None, foreign_key="services.id")
    reason: str = Field(max_length=160)
    is_public_holiday: bool = Field(default=False)


class ClinicInfo(SQLModel, table=True):
    """Editable facts about the clinic shown in the chat (address, maps link, phone, ...)."""

    __tablename__ = "clinic_info"

    key: str = Field(primary_key=True, max_length=60)
    value_id: str = Field(sa_type=sa.Text)
    value_en: str = Field(sa_type=sa.Text)


# --- reservations ---------------------------------------------------------------------------


class Reservation(SQLModel, table=True):
    """A consultation booked by a contact. Its history is in ReservationEvent."""

    __tablename__ = "reservations"
    __table_args__ = (sa.Index("ix_reservations_contact_start", "contact_id", "starts_at"),)

    id: int | None = Field(default=None, primary_key=True)
    code: str | None = Field(default=None, max_length=20, sa_column_kwargs={"unique": True})
    contact_id: int = Field(foreign_key="contacts.id")
    service_id: int = Field(foreign_key="services.id")
    topic_id: int = Field(foreign_key="topics.id")
    problem: str = Field(sa_type=sa.Text)
    mode: str = Field(max_length=20)  # tatap_muka | online
    starts_at: dt.datetime = Field(sa_column=utc_column(nullable=False, index=True))
    ends_at: dt.datetime = Field(sa_column=utc_column(nullable=False))
    # booked | confirmed | completed | no_show | cancelled
    status: str = Field(default="booked", max_length=20, index=True)
    cancel_reason: str | None = Field(default=None, sa_type=sa.Text)
    cancelled_by: str | None = Field(default=None, max_length=20)
    meeting_link: str | None = Field(default=None, max_length=500)
    # set by the console: the expert assigned (experts.id), when it was confirmed, who booked
    # it when not the person themself, and the Dinas referral ("rujukan") it came with
    expert_id: int | None = Field(default=None, index=True)
    confirmed_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    booked_by: str | None = Field(default=None, max_length=80)
    referral: str | None = Field(default=None, sa_type=sa.Text)
    created_at: dt.datetime = Field(sa_column=utc_column(nullable=False))
    updated_at: dt.datetime = Field(sa_column=utc_column(nullable=False))


class ReservationEvent(SQLModel, table=True):
    """One change in a reservation's life: created, rescheduled, cancelled, confirmed, ..."""

    __tablename__ = "reservation_events"

    id: int | None = Field(default=None, primary_key=True)
    reservation_id: int = Field(foreign_key="reservations.id", index=True)
    kind: str = Field(max_length=20)
    actor: str = Field(max_length=20)  # contact | admin | system
    from_starts_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    to_starts_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    note: str | None = Field(default=None, sa_type=sa.Text)
    at: dt.datetime = Field(sa_column=utc_column(nullable=False))


class SlotSeat(SQLModel, table=True):
    """One held seat of a slot. The unique key makes capacity a database fact."""

    __tablename__ = "slot_seats"
    __table_args__ = (sa.UniqueConstraint("service_id", "starts_at", "seat"),)

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="services.id")
    starts_at: dt.datetime = Field(sa_column=utc_column(nullable=False))
    seat: int
    reservation_id: int = Field(foreign_key="reservations.id", sa_column_kwargs={"unique": True})


class Handoff(SQLModel, table=True):
    """A chat escalated to a human.

    pending: nobody has taken it yet (the person may still say "menu" to get the bot back);
    open: a staff member took it or replied (the bot stays silent); resolved: back with the bot.
    """

    __tablename__ = "handoffs"

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contacts.id", index=True)
    reason: str = Field(max_length=40)  # requested | misunderstood
    status: str = Field(default="pending", max_length=20, index=True)  # pending|open|resolved
    last_user_text: str | None = Field(default=None, sa_type=sa.Text)
    opened_at: dt.datetime = Field(sa_column=utc_column(nullable=False))
    resolved_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    resolved_by: str | None = Field(default=None, max_length=80)
    # the console: who took the chat (admin_users.id), messages not yet read by staff
    assigned_to_id: int | None = Field(default=None)
    unread: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    taken_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
    last_message_at: dt.datetime | None = Field(default=None, sa_column=utc_column())


class ErasedMessage(SQLModel, table=True):
    """A tombstone of a message id erased by `forget`: a replayed webhook is not stored again.

    It holds the provider's id only, no personal data.
    """

    __tablename__ = "erased_messages"

    provider_sid: str = Field(primary_key=True, max_length=64)
    erased_at: dt.datetime = Field(sa_column=utc_column(nullable=False))


class AdminUser(SQLModel, table=True):
    """An account of the administrators' console."""

    __tablename__ = "admin_users"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, sa_column_kwargs={"unique": True})
    password_hash: str = Field(max_length=255)
    role: str = Field(default="admin", max_length=20)  # admin | expert
    created_at: dt.datetime = Field(sa_column=utc_column(nullable=False))
    # the console: display name, disabled accounts, throttled logins
    display_name: str | None = Field(default=None, max_length=120)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})
    failed_logins: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    locked_until: dt.datetime | None = Field(default=None, sa_column=utc_column())
    last_login_at: dt.datetime | None = Field(default=None, sa_column=utc_column())


def import_table_modules() -> None:
    """Import every ``storage/models_*.py`` so all tables are on SQLModel.metadata.

    Tables of one area (the console, delivery) live in a module of their own next to this one.
    """
    import importlib
    import pkgutil

    import storage

    for info in pkgutil.iter_modules(storage.__path__):
        if info.name.startswith("models_"):
            importlib.import_module(f"storage.{info.name}")
