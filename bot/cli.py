"""The `eklinik` command: serve, worker, chat, db upgrade, admin create."""

from __future__ import annotations

import getpass
import secrets
import sys
from typing import Any

import click
from werkzeug.security import generate_password_hash

from bot.clock import SystemClock
from bot.config import Settings
from bot.logs import configure_logging
from bot.terminal import for_terminal, json_for_terminal
from storage.db import transaction
from storage.migrate import upgrade
from storage.models import AdminUser
from storage.seed import seed_clinic, seed_demo_admin


def prepare_database(settings: Settings) -> str | None:
    """Migrate and seed; return the demo admin's password when it was just created."""
    upgrade(settings.database_url)
    from storage.db import make_engine

    engine = make_engine(settings.database_url)
    try:
        with transaction(engine) as session:
            seed_clinic(session)
            return seed_demo_admin(session, SystemClock().now())
    finally:
        engine.dispose()


@click.group()
def main() -> None:
    """E-Klinik: the WhatsApp assistant of a Klinik Koperasi dan UMKM."""
    configure_logging()


def settings_from_env() -> Settings:
    """The settings of the environment, checked; a bad value stops the command with its reason."""
    try:
        return Settings.from_env().validate()
    except ValueError as exc:
        raise click.ClickException(str(exc)) from exc


def show_demo_password(password: str | None) -> None:
    """Print the demo admin's password the one time it exists in clear."""
    if password:
        click.echo(f"  demo admin: username 'admin', password '{password}' (shown only this once)")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Migrate, seed on first run, and run the web app and the scheduler in one process."""
    from werkzeug.serving import make_server

    from bot import create_app
    from bot.runtime import Runtime
    from bot.scheduler import start_background

    settings = settings_from_env()
    password = prepare_database(settings)
    configure_logging(quiet_requests=True)  # a line per request would push the banner away
    app = create_app()
    rt: Any = app.extensions["eklinik"]
    assert isinstance(rt, Runtime)
    server = make_server(host, port, app, threaded=True)  # bound: the URLs below answer
    start_background(rt)
    show_banner(f"http://{host}:{port}", settings, rt.settings.transport == "console", password)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo()
    finally:
        server.server_close()


def show_banner(base: str, settings: Settings, simulator: bool, password: str | None) -> None:
    """The addresses (and the demo password, once), printed last so they stay on screen."""
    lines = [
        f"E-Klinik is running on {base}  (database: {_safe_url(settings.database_url)})",
        f"  webhook    {base}/webhooks/twilio  (Meta: {base}/webhooks/meta)",
        f"  health     {base}/healthz",
        f"  console    {base}/admin/",
    ]
    if simulator:
        lines.append(f"  simulator  {base}/simulator")
    if password:
        lines.append(
            f"  demo admin: username 'admin', password '{password}' (shown only this once)"
        )
    lines.append("Press Ctrl+C to stop.")
    rule = "=" * max(len(line) for line in lines)
    click.echo("\n".join(["", rule, *lines, rule, ""]))


def _safe_url(url: str) -> str:
    from sqlalchemy.engine.url import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "(unreadable URL)"


@main.command()
def worker() -> None:
    """Run the scheduler/dispatcher alone (next to `gunicorn wsgi:app`)."""
    from bot.clock import SystemClock
    from bot.runtime import build_runtime
    from bot.scheduler import run_blocking

    settings = settings_from_env().ensure_secret_key()
    if settings.transport == "console" and not settings.transport_explicit:
        raise click.ClickException(
            "no TWILIO_ACCOUNT_SID: this worker would only print messages. Set the Twilio "
            "variables, or EKLINIK_TRANSPORT=console to really mean that."
        )
    click.echo("E-Klinik worker: sending due messages every few seconds (Ctrl+C to stop)")
    run_blocking(build_runtime(settings, SystemClock()))


@main.command()
@click.option("--phone", default="+6281200000001", show_default=True, help="who you are")
def chat(phone: str) -> None:
    """Chat with the bot in the terminal, through the same engine."""
    from bot.clock import SystemClock
    from bot.inbound import BadInbound, InboundMessage, normalise_phone
    from bot.runtime import build_runtime
    from bot.transports.console import ConsoleTransport, console_sid

    try:
        phone = normalise_phone(phone)
    except BadInbound as exc:
        raise click.BadParameter(str(exc), param_hint="--phone") from exc
    settings = settings_from_env().with_overrides({"transport": "console"}).ensure_secret_key()
    show_demo_password(prepare_database(settings))
    rt = build_runtime(settings, SystemClock(), ConsoleTransport())
    click.echo(f"Chatting as {phone}. Type your message; Ctrl+D or Ctrl+C to quit.")
    while True:
        try:
            text = input("> ")
        except (EOFError, KeyboardInterrupt):
            click.echo()
            return
        if not text.strip():
            continue
        replies = rt.engine.handle(
            InboundMessage(provider_sid=console_sid(), phone=phone, body=text, channel="console")
        )
        for reply in replies:
            click.echo("\n" + for_terminal(reply, keep_newlines=True) + "\n")
        sys.stdout.flush()


@main.group()
def db() -> None:
    """Database commands."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply the migrations, and seed the clinic's defaults into an empty database."""
    show_demo_password(prepare_database(settings_from_env()))
    click.echo("database is up to date")


@main.group()
def admin() -> None:
    """Console accounts."""


@admin.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "expert"]), default="admin", show_default=True)
def admin_create(name: str, role: str) -> None:
    """Create a console account; the password is prompted (or generated when not interactive)."""
    from sqlmodel import select

    from storage.db import make_engine

    settings = settings_from_env()
    upgrade(settings.database_url)
    generated = not sys.stdin.isatty()
    password = secrets.token_urlsafe(12) if generated else getpass.getpass("Password: ")
    if len(password) < 8:
        raise click.ClickException("the password needs at least 8 characters")
    engine = make_engine(settings.database_url)
    with transaction(engine) as session:
        if session.exec(select(AdminUser).where(AdminUser.username == name)).first():
            raise click.ClickException(f"an account called {for_terminal(repr(name))} exists")
        session.add(
            AdminUser(
                username=name,
                password_hash=generate_password_hash(password),
                role=role,
                created_at=SystemClock().now(),
            )
        )
    created = f"created {role} {for_terminal(repr(name))}"
    click.echo(created + (f" with password {password}" if generated else ""))


def _contact_or_fail(session: Any, phone: str) -> Any:
    from bot.inbound import BadInbound, normalise_phone
    from bot.services.contacts import find_contact

    try:
        number = normalise_phone(phone)
    except BadInbound as exc:
        raise click.BadParameter(str(exc), param_hint="PHONE") from exc
    contact = find_contact(session, number)
    if contact is None:
        raise click.ClickException(f"no one with the number {number} is stored")
    return contact


@main.command()
@click.argument("phone")
def export(phone: str) -> None:
    """Print everything stored about a person as JSON (UU PDP right of access)."""
    from bot.services.privacy import export_contact
    from storage.db import make_engine, reading

    engine = make_engine(settings_from_env().database_url)
    with reading(engine) as session:
        data = export_contact(session, _contact_or_fail(session, phone))
    click.echo(json_for_terminal(data))


@main.command()
@click.argument("phone")
@click.option("--yes", is_flag=True, help="do not ask for confirmation")
def forget(phone: str, yes: bool) -> None:
    """Erase a person and everything linked to them (UU PDP right to erasure)."""
    from sqlalchemy.exc import OperationalError

    from bot.inbound import BadInbound, normalise_phone
    from bot.services.privacy import ErasureFailed, NoSuchPerson, erase_person
    from storage.db import make_engine, reading

    try:
        number = normalise_phone(phone)
    except BadInbound as exc:
        raise click.BadParameter(str(exc), param_hint="PHONE") from exc
    engine = make_engine(settings_from_env().database_url)
    try:
        with reading(engine) as session:
            _contact_or_fail(session, number)  # a clear error before asking
        if not yes:
            click.confirm(f"Erase {number} and all their data for good?", abort=True)
        counts = erase_person(engine, number, SystemClock().now())
    except NoSuchPerson:
        raise click.ClickException(f"no one with the number {number} is stored") from None
    except (ErasureFailed, OperationalError) as exc:
        reason = exc if isinstance(exc, ErasureFailed) else type(exc.orig or exc).__name__
        raise click.ClickException(
            f"could not erase {number} now ({reason}): the database is busy, or they are "
            "chatting at this moment. Nothing was erased; run the command again."
        ) from None
    finally:
        engine.dispose()
    click.echo("erased: " + ", ".join(f"{n} {name}" for name, n in counts.items()))


@main.group()
def handoff() -> None:
    """Chats handed to a human (until the console's inbox exists)."""


@handoff.command("list")
def handoff_list() -> None:
    """The chats waiting for a human."""
    from sqlmodel import col, select

    from bot.services.handoff import WAITING
    from storage.db import make_engine, reading
    from storage.models import Contact, Handoff

    engine = make_engine(settings_from_env().database_url)
    with reading(engine) as session:
        rows = session.exec(
            select(Handoff, Contact)
            .where(Handoff.contact_id == Contact.id, col(Handoff.status).in_(WAITING))
            .order_by(col(Handoff.opened_at))
        ).all()
        for case, contact in rows:
            last = for_terminal((case.last_user_text or "").replace("\n", " ")[:60])
            click.echo(
                f"{for_terminal(contact.phone)}  since {case.opened_at:%Y-%m-%d %H:%M} UTC  "
                f"{for_terminal(case.reason)}  {case.status}  {last}"
            )
    if not rows:
        click.echo("no chat is waiting for a human")


@handoff.command("resolve")
@click.argument("phone")
@click.option("--by", default="admin", show_default=True, help="who handled it")
def handoff_resolve(phone: str, by: str) -> None:
    """Give the chat back to the bot."""
    from bot.services import handoff as handoffs
    from storage.db import make_engine

    engine = make_engine(settings_from_env().database_url)
    with transaction(engine) as session:
        contact = _contact_or_fail(session, phone)
        case = handoffs.open_handoff(session, contact)
        if case is None:
            raise click.ClickException(f"{contact.phone} has no open handoff")
        handoffs.resolve(case, by=by, now=SystemClock().now())
    click.echo(f"{for_terminal(contact.phone)} is back with the bot")


def _register_plugin_commands() -> None:
    from bot import commands

    for command in commands.discover():
        main.add_command(command)


_register_plugin_commands()
