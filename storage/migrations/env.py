"""Alembic environment: the URL comes from the config (set by storage.migrate) or the env."""

from __future__ import annotations

import os
from typing import Any, Literal

from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.db import make_engine
from storage.models import import_table_modules

config = context.config
url = config.get_main_option("sqlalchemy.url") or os.environ.get(
    "EKLINIK_DATABASE_URL", "sqlite:///instance/eklinik.db"
)
import_table_modules()
target_metadata = SQLModel.metadata


def render_item(type_: str, obj: Any, _context: Any) -> str | Literal[False]:
    """Write SQLModel's AutoString as a plain sa.String so migrations need no sqlmodel."""
    if type_ == "type" and isinstance(obj, AutoString):
        return f"sa.String(length={obj.length})"
    return False


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(url)
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # a migration may rebuild a large table: not the service's per-request timeouts
            connection.exec_driver_sql("SET lock_timeout = 0")
            connection.exec_driver_sql("SET statement_timeout = 0")
            connection.commit()
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
