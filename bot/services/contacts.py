"""Contacts: finding or creating them, consent and language."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.models import Contact


def get_or_create_contact(
    session: Session, phone: str, now: dt.datetime, language: Callable[[], str] = lambda: "id"
) -> tuple[Contact, bool]:
    """The contact with this number, created if new (in the language `language()` tells);
    True as second value when created.

    Creation runs in a savepoint so two first messages arriving together both succeed: the
    loser of the unique-key race reads the winner's row.
    """
    contact = session.exec(select(Contact).where(Contact.phone == phone)).first()
    if contact is not None:
        return contact, False
    try:
        with session.begin_nested():
            contact = Contact(phone=phone, language=language(), created_at=now)
            session.add(contact)
    except IntegrityError:
        contact = session.exec(select(Contact).where(Contact.phone == phone)).one()
        return contact, False
    return contact, True


def find_contact(session: Session, phone: str) -> Contact | None:
    """The contact with this E.164 number, if any."""
    return session.exec(select(Contact).where(Contact.phone == phone)).first()


def opt_out(contact: Contact, now: dt.datetime) -> bool:
    """Record the withdrawal of consent; False when it was already withdrawn."""
    if contact.opted_out_at is not None:
        return False
    contact.opted_out_at = now
    return True


def opt_in(contact: Contact) -> bool:
    """Lift a withdrawal of consent; False when there was none."""
    if contact.opted_out_at is None:
        return False
    contact.opted_out_at = None
    return True


def is_registered(contact: Contact) -> bool:
    """True when the registration questions have been answered."""
    return bool(contact.name and contact.category and contact.kecamatan)


def mark_privacy_notice(contact: Contact, now: dt.datetime) -> None:
    """Record that the privacy notice was shown."""
    contact.privacy_notice_at = now


def set_language(contact: Contact, language: str) -> None:
    """The language the contact is answered in ("id" or "en")."""
    contact.language = language


def note_inbound(
    contact: Contact, *, channel: str, profile_name: str | None, now: dt.datetime
) -> None:
    """A message came in: remember when, on which channel, and the provider's profile name."""
    if profile_name:
        contact.profile_name = profile_name[:200]
    contact.last_inbound_at = now
    contact.last_channel = channel


def register(
    contact: Contact,
    *,
    name: str | None,
    category: str | None,
    organisation: str | None,
    kecamatan: str,
    now: dt.datetime,
    salutation: str | None = None,
    regency: str | None = None,
) -> None:
    """Save the registration answers (a name or category left None keeps what was there; the
    salutation, organisation and regency are saved as given, None clearing them)."""
    contact.name = name or contact.name
    contact.category = category or contact.category
    contact.organisation = organisation
    contact.kecamatan = kecamatan
    contact.salutation = salutation
    contact.regency = regency
    if contact.registered_at is None:
        contact.registered_at = now
