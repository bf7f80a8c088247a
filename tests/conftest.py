"""Fixtures: a migrated database (SQLite, or PostgreSQL with EKLINIK_TEST_DATABASE_URL), the
app with a fake clock and a recording transport, and a dialog helper.

Set EKLINIK_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run the
whole suite on PostgreSQL; its public schema is dropped and recreated.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from bot import create_app
from bot.clock import FakeClock
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.seed import seed_clinic
from tests.dialog import AUTH_TOKEN, PUBLIC_URL, Dialog, WebhookDialog
from tests.fakes import RecordingTransport

PG_URL = os.environ.get("EKLINIK_TEST_DATABASE_URL")
JAKARTA = dt.timezone(dt.timedelta(hours=7))
# Monday 23 November 2026, 07:50 WIB: the clinic opens at 09:00, and with the 2-hour lead the
# first bookable slot is 10:00 for the next ten minutes (a dialog spends 5 s per message).
START = dt.datetime(2026, 11, 23, 7, 50, tzinfo=JAKARTA)
ENV_VARS = (
    "EKLINIK_DATABASE_URL",
    "EKLINIK_SECRET_KEY",
    "EKLINIK_PUBLIC_URL",
    "EKLINIK_TIMEZONE",
    "EKLINIK_TRANSPORT",
    "TWILIO_ACCOUNT_SID",
    "TWILIO_AUTH_TOKEN",
    "TWILIO_WHATSAPP_FROM",
    "TWILIO_API_BASE_URL",
    "EKLINIK_INSTANCE_PATH",
    "EKLINIK_WHATSAPP_TEMPLATES",
    "META_APP_SECRET",
    "META_VERIFY_TOKEN",
    "META_ACCESS_TOKEN",
    "META_PHONE_NUMBER_ID",
    "META_API_BASE_URL",
    "META_API_VERSION",
)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def migrated_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database at the latest migration: a PostgreSQL URL, or a SQLite template file."""
    if PG_URL:
        engine = make_engine(PG_URL)
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
        engine.dispose()
        upgrade(PG_URL)
        return PG_URL
    template = tmp_path_factory.mktemp("template") / "eklinik.db"
    upgrade(f"sqlite:///{template}")
    return str(template)


def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        tables = [
            row[0]
            for row in connection.execute(
                sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
            )
            if row[0] != "alembic_version"
        ]
        connection.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(migrated_database: str, tmp_path: Path) -> str:
    """A fresh, migrated, seeded database for one test."""
    if PG_URL:
        _truncate_all(PG_URL)
        url = PG_URL
    else:
        target = tmp_path / "eklinik.db"
        shutil.copy(migrated_database, target)
        url = f"sqlite:///{target}"
    engine = make_engine(url)
    with transaction(engine) as session:
        seed_clinic(session)
    engine.dispose()
    return url


@pytest.fixture
def clock() -> FakeClock:
    """A clock frozen at Monday 23 November 2026, 07:50 WIB (dialogs move it 5 s a message)."""
    return FakeClock(START)


@pytest.fixture
def transport() -> RecordingTransport:
    """The outbound transport of the app under test."""
    return RecordingTransport()


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    """Extra settings for the app fixture (override in a test module)."""
    return {}


@pytest.fixture
def app(
    database_url: str,
    clock: FakeClock,
    transport: RecordingTransport,
    tmp_path: Path,
    app_overrides: dict[str, Any],
) -> Iterator[Flask]:
    """The app, signing webhooks with a known token behind a public URL."""
    flask_app = create_app(
        {
            "database_url": database_url,
            "clock": clock,
            "transport": transport,
            "twilio_auth_token": AUTH_TOKEN,
            "public_url": PUBLIC_URL,
            "secret_key": "test-secret",
            "instance_path": tmp_path / "instance",
            **app_overrides,
        }
    )
    flask_app.config["TESTING"] = True
    yield flask_app
    flask_app.extensions["eklinik"].db.dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def db(app: Flask) -> sa.Engine:
    """The app's database engine, for checking what was stored."""
    engine: sa.Engine = app.extensions["eklinik"].db
    return engine


@pytest.fixture
def dialog(client: FlaskClient) -> Dialog:
    """A person (+6281234567890) chatting with the engine in-process."""
    return Dialog(client)


@pytest.fixture
def webhook_dialog(client: FlaskClient) -> WebhookDialog:
    """A person (+6281234567890) chatting through the signed Twilio webhook."""
    return WebhookDialog(client)
