"""The clinic's frequently asked questions: editable rows the chat answers on the side."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from storage.models import utc_column


class FaqEntry(SQLModel, table=True):
    """One question the chat answers at any step ("buka hari minggu?", "zoom bisa pakai hp?").

    ``keywords_id`` and ``keywords_en`` hold one pattern per line; a pattern matches when
    each of its words is in the message, a word may list alternatives with ``|``
    ("zoom hp|handphone|android"), and ``a-b`` wants the words side by side ("bayar-ga").
    Both languages are matched whatever the person's language; the answer is given in
    theirs. ``shows`` names a piece of the clinic's live information ("hours", "address",
    "topics", "how") shown after the answer, so an answer about opening days or the address
    never goes stale when the hours or the address are edited.
    """

    __tablename__ = "faq_entries"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, sa_column_kwargs={"unique": True})
    keywords_id: str = Field(default="", sa_type=sa.Text)
    keywords_en: str = Field(default="", sa_type=sa.Text)
    answer_id: str = Field(default="", sa_type=sa.Text)
    answer_en: str = Field(default="", sa_type=sa.Text)
    shows: str | None = Field(default=None, max_length=20)
    # the consultation topic (Topic.code) the question is about: where a booking asks for the
    # clinic or the topic, such a question is the person's answer, not a question on the side
    topic_code: str | None = Field(default=None, max_length=60)
    position: int = Field(default=0)
    active: bool = Field(default=True)
    updated_at: dt.datetime | None = Field(default=None, sa_column=utc_column())
