"""`eklinik broadcast`: send an announcement to an opted-in audience, with a progress bar."""

from __future__ import annotations

import time
from pathlib import Path

import click
from sqlalchemy.engine import Engine

from bot.clock import SystemClock
from bot.config import Settings
from bot.messages import MessageCatalog
from bot.services import broadcasts
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models_delivery import Broadcast

POLL_SECONDS = 2.0


def _text(message: str | None, message_file: Path | None, what: str) -> str | None:
    if message and message_file:
        raise click.UsageError(f"give the {what} with --message or --message-file, not both")
    if message_file:
        return message_file.read_text(encoding="utf-8")
    return message


@click.command("broadcast")
@click.option("--title", required=True, help="the announcement's heading")
@click.option("--message", help="the text in Indonesian")
@click.option("--message-file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--message-en", help="the text in English (for contacts who chose English)")
@click.option("--clinic", "service", help="only people who booked this clinic (koperasi, umkm)")
@click.option("--category", help="only this registration category (e.g. umkm)")
@click.option("--kecamatan", help="only people from this kecamatan")
@click.option("--past-session", is_flag=True, help="only people who had a session")
@click.option("--key", help="name of the announcement; the same key resumes it (default: content)")
@click.option("--by", "created_by", default="admin", show_default=True, help="who sends it")
@click.option("--dry-run", is_flag=True, help="only count the audience")
@click.option("--wait/--no-wait", default=True, show_default=True, help="follow the delivery")
def broadcast(
    title: str,
    message: str | None,
    message_file: Path | None,
    message_en: str | None,
    service: str | None,
    category: str | None,
    kecamatan: str | None,
    past_session: bool,
    key: str | None,
    created_by: str,
    dry_run: bool,
    wait: bool,
) -> None:
    """Send an announcement to everyone who agreed to receive them (optionally filtered).

    Only contacts who consented to announcements receive it. Running the same command again
    resumes it: nobody receives it twice. The workers send it at the sender's rate.
    """
    body = _text(message, message_file, "text")
    if not body:
        raise click.UsageError("give the text with --message or --message-file")
    audience = {
        "service": service,
        "category": category,
        "kecamatan": kecamatan,
        "past_session": past_session,
    }
    settings = Settings.from_env()
    upgrade(settings.database_url)
    db = make_engine(settings.database_url)
    clock = SystemClock()
    try:
        with transaction(db) as session:
            size = broadcasts.audience_size(session, audience)
            if dry_run:
                click.echo(f"audience: {size} people who agreed to announcements")
                return
            found, resumed = broadcasts.create_or_resume(
                session,
                title=title,
                body_id=body,
                body_en=message_en,
                audience=audience,
                key=key,
                created_by=created_by,
                now=clock.now(),
            )
            broadcast_id = found.id
            assert broadcast_id is not None
        click.echo(
            f"{'resuming' if resumed else 'new'} announcement {found.key} "
            f"(id {broadcast_id}): {size} people in the audience"
        )
        with click.progressbar(length=size, label="queueing") as bar:
            queued = broadcasts.queue_recipients(
                db, broadcast_id, _catalog(settings), clock.now(), progress=bar.update
            )
        click.echo(f"queued for {queued} more people")
        if wait:
            _follow(db, broadcast_id)
    except broadcasts.BroadcastError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        db.dispose()


def _catalog(settings: Settings) -> MessageCatalog:
    return MessageCatalog(settings.templates_path, {"timezone_name": settings.timezone})


def _follow(db: Engine, broadcast_id: int) -> None:
    """A progress bar of the delivery until every recipient's message has left."""
    with transaction(db) as session:
        found = session.get(Broadcast, broadcast_id)
        total = found.recipients if found else 0
    done_before = 0
    with click.progressbar(
        length=total, label="sending (Ctrl+C stops watching, not sending)"
    ) as bar:
        while True:
            with transaction(db) as session:
                counts = broadcasts.progress(session, broadcast_id)
                found = session.get(Broadcast, broadcast_id)
                assert found is not None
                finished = broadcasts.finish_if_done(session, found, SystemClock().now())
            left = sum(counts.get(s, 0) for s in broadcasts.OPEN_STATUSES)
            done = total - left
            bar.update(done - done_before)
            done_before = done
            if finished:
                break
            time.sleep(POLL_SECONDS)
    click.echo(
        "delivery: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        if counts
        else "nobody to send to"
    )


command = broadcast
