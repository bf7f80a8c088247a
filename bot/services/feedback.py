"""The answers people give after a session: a rating with a comment, and whether the expert's
recommendation was carried out. Flows call these; the console and the reports read them."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, func, select

from storage.models import Contact, Reservation
from storage.models_delivery import FeedbackAnswer, FollowupAnswer

RATINGS = range(1, 6)
FOLLOWUP_ANSWERS = ("done", "partly", "not_yet")
COMMENT_MAX = 1000


class AnswerError(ValueError):
    """The answer cannot be stored: not this person's session, or not a valid value."""


def _own_reservation(session: Session, reservation_id: int, contact: Contact) -> Reservation:
    reservation = session.get(Reservation, reservation_id)
    if reservation is None or reservation.contact_id != contact.id:
        raise AnswerError("not_yours")
    return reservation


def store_feedback(
    session: Session,
    reservation_id: int,
    contact: Contact,
    rating: int,
    now: dt.datetime,
    comment: str | None = None,
) -> FeedbackAnswer:
    """Record (or correct) the rating 1-5 of a session, with an optional comment."""
    if rating not in RATINGS:
        raise AnswerError("bad_rating")
    _own_reservation(session, reservation_id, contact)
    assert contact.id is not None
    answer = session.exec(
        select(FeedbackAnswer).where(FeedbackAnswer.reservation_id == reservation_id)
    ).first()
    if answer is None:
        answer = FeedbackAnswer(
            reservation_id=reservation_id,
            contact_id=contact.id,
            rating=rating,
            created_at=now,
            updated_at=now,
        )
        session.add(answer)
    answer.rating = rating
    if comment is not None:
        answer.comment = comment.strip()[:COMMENT_MAX] or None
    answer.updated_at = now
    session.flush()
    return answer


def add_feedback_comment(
    session: Session, reservation_id: int, contact: Contact, comment: str, now: dt.datetime
) -> FeedbackAnswer:
    """Add the comment to a rating already given."""
    _own_reservation(session, reservation_id, contact)
    answer = session.exec(
        select(FeedbackAnswer).where(FeedbackAnswer.reservation_id == reservation_id)
    ).first()
    if answer is None:
        raise AnswerError("no_rating")
    answer.comment = comment.strip()[:COMMENT_MAX] or None
    answer.updated_at = now
    session.flush()
    return answer


def store_followup(
    session: Session,
    reservation_id: int,
    contact: Contact,
    answer: str,
    now: dt.datetime,
    note: str | None = None,
) -> FollowupAnswer:
    """Record whether the recommendation was carried out (done, partly, not_yet); the answer
    is also written into the consultation book when the session has an entry there."""
    if answer not in FOLLOWUP_ANSWERS:
        raise AnswerError("bad_answer")
    _own_reservation(session, reservation_id, contact)
    assert contact.id is not None
    row = session.exec(
        select(FollowupAnswer).where(FollowupAnswer.reservation_id == reservation_id)
    ).first()
    if row is None:
        row = FollowupAnswer(
            reservation_id=reservation_id,
            contact_id=contact.id,
            answer=answer,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
    row.answer = answer
    if note is not None:
        row.note = note.strip()[:COMMENT_MAX] or None
    row.updated_at = now
    _write_to_book(session, reservation_id, answer, row.note, now)
    session.flush()
    return row


def _write_to_book(
    session: Session, reservation_id: int, answer: str, note: str | None, now: dt.datetime
) -> None:
    try:
        from storage.models_console import ConsultationRecord
    except ImportError:  # the console's tables are not there: the answer stays in ours
        return
    record = session.exec(
        select(ConsultationRecord).where(ConsultationRecord.reservation_id == reservation_id)
    ).first()
    if record is not None:
        record.follow_up_answer = answer + (f": {note}" if note else "")
        record.follow_up_at = now


def feedback_of(session: Session, reservation_id: int) -> FeedbackAnswer | None:
    """The rating and comment given for a session, if any."""
    return session.exec(
        select(FeedbackAnswer).where(FeedbackAnswer.reservation_id == reservation_id)
    ).first()


def followup_of(session: Session, reservation_id: int) -> FollowupAnswer | None:
    """The follow-up answer for a session, if any."""
    return session.exec(
        select(FollowupAnswer).where(FollowupAnswer.reservation_id == reservation_id)
    ).first()


def average_rating(
    session: Session, since: dt.datetime | None = None, until: dt.datetime | None = None
) -> tuple[float | None, int]:
    """The mean rating and the number of ratings (optionally of answers in a period)."""
    query = select(func.avg(FeedbackAnswer.rating), func.count(col(FeedbackAnswer.id)))
    if since is not None:
        query = query.where(col(FeedbackAnswer.created_at) >= since)
    if until is not None:
        query = query.where(col(FeedbackAnswer.created_at) < until)
    mean, count = session.exec(query).one()
    return (float(mean) if mean is not None else None), int(count)
