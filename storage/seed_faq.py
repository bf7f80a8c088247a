"""Seed the frequently asked questions (the ``[[faq]]`` section of seed_data.toml)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from storage.models_faq import FaqEntry


def _lines(value: Any) -> str:
    if isinstance(value, list):
        return "\n".join(str(item).strip() for item in value if str(item).strip())
    return str(value or "").strip()


def _entry(spec: dict[str, Any], position: int) -> FaqEntry:
    """A FAQ row from its entry in seed_data.toml."""
    return FaqEntry(
        slug=spec["slug"],
        keywords_id=_lines(spec.get("keywords_id")),
        keywords_en=_lines(spec.get("keywords_en")),
        answer_id=_lines(spec.get("answer_id")),
        answer_en=_lines(spec.get("answer_en")),
        shows=spec.get("shows") or None,
        topic_code=spec.get("topic") or None,
        position=position,
    )


def seed_faq(session: Session, data: dict[str, Any] | None = None) -> bool:
    """Insert the default FAQ unless the table has rows already; True if it seeded."""
    if session.exec(select(FaqEntry)).first() is not None:
        return False
    if data is None:
        from storage.seed import load_seed_data  # the seed module calls this one

        data = load_seed_data()
    for position, spec in enumerate(data.get("faq", [])):
        session.add(_entry(spec, position))
    session.flush()
    return True


def add_entries(session: Session, slugs: tuple[str, ...], data: dict[str, Any]) -> int:
    """Insert the seed entries named `slugs` that the table lacks (a later release's new
    questions reaching a database seeded before it); entries an administrator removed on
    purpose are not brought back, since this runs once, from a migration. Returns how many."""
    have = set(session.exec(select(FaqEntry.slug)))
    position = len(have)
    added = 0
    for spec in data.get("faq", []):
        if spec["slug"] not in slugs or spec["slug"] in have:
            continue
        session.add(_entry(spec, position + added))
        added += 1
    session.flush()
    return added


def bring_entries(session: Session, slugs: tuple[str, ...]) -> None:
    """For a migration: add the seed entries `slugs` to a database seeded before them (an
    empty database is left to the seed, which brings every entry)."""
    if session.exec(select(FaqEntry.slug)).first() is None:
        return
    from storage.seed import load_seed_data  # the seed module imports this one

    add_entries(session, slugs, load_seed_data())
    session.flush()


def remove_entries(session: Session, slugs: tuple[str, ...]) -> None:
    """For a migration's downgrade: remove the entries `slugs`."""
    for entry in session.exec(select(FaqEntry).where(col(FaqEntry.slug).in_(slugs))):
        session.delete(entry)
    session.flush()
