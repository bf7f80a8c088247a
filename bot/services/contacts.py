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
