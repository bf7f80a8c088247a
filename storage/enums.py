"""Values that cross modules: statuses and reasons, as enums (they compare equal to their
strings, which is what the database stores)."""

from __future__ import annotations

from enum import StrEnum


class ReservationStatus(StrEnum):
    """A reservation's life: booked -> confirmed -> completed | no_show; or cancelled."""

    BOOKED = "booked"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    NO_SHOW = "no_show"
    CANCELLED = "cancelled"


ACTIVE_RESERVATION = (ReservationStatus.BOOKED, ReservationStatus.CONFIRMED)


class HandoffStatus(StrEnum):
    """A chat handed to a person: nobody took it yet, a member of staff has it, back to the bot."""

    PENDING = "pending"
    OPEN = "open"
    RESOLVED = "resolved"


class InboundStatus(StrEnum):
    """What became of a message someone sent."""

    RECEIVED = "received"
    PROCESSED = "processed"
    HELD_FOR_HUMAN = "held_for_human"
    IGNORED = "ignored"
    FAILED = "failed"


class OutboundStatus(StrEnum):
    """Where a message we send is: answered inline, in the outbox, or at the provider."""

    REPLY = "reply"  # went back in the webhook's answer
    LATE = "late"  # ready after the provider stopped waiting; a redelivery gets it
    PENDING = "pending"  # waiting in the outbox
    SENDING = "sending"
    SUPPRESSED = "suppressed"
    ACCEPTED = "accepted"
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    FAILED = "failed"
    UNDELIVERED = "undelivered"


class BookingFailure(StrEnum):
    """Why a reservation could not be made or changed."""

    NO_SUCH_SLOT = "no_such_slot"
    TOO_SOON = "too_soon"
    TOO_FAR = "too_far"
    ALREADY_BOOKED = "already_booked"
    SLOT_FULL = "slot_full"
    BAD_MODE = "bad_mode"
    BAD_TOPIC = "bad_topic"
    NOT_UPCOMING = "not_upcoming"
    SAME_SLOT = "same_slot"
