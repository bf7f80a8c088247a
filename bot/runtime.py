"""What one running app holds: settings, database, clock, catalog, flows, engine, transport."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from sqlalchemy.engine import Engine

from bot import intents
from bot.clock import Clock
from bot.config import Settings
from bot.engine import ENGINE_KEYS, ConversationEngine
from bot.flows.registry import Registry, discover
from bot.messages import MessageCatalog
from bot.transports import Transport, make_transport
from bot.transports.twilio import TwilioTransport
from storage.db import make_engine


@dataclass
class Runtime:
    """The long-lived objects of one app (created by create_app, never at import time)."""

    settings: Settings
    db: Engine
    clock: Clock
    catalog: MessageCatalog
    registry: Registry
    engine: ConversationEngine
    transport: Transport  # outbound: how the outbox delivers
    webhook: Transport  # inbound: how Twilio's webhooks are verified, parsed and answered


def build_runtime(settings: Settings, clock: Clock, transport: Transport | None = None) -> Runtime:
    """Wire the objects together and check the flows against the templates."""
    db = make_engine(settings.database_url)
    catalog = MessageCatalog(settings.templates_path, {"timezone_name": settings.timezone})
    registry = discover()
    registry.check(catalog, ENGINE_KEYS)
    intents.preload()  # read the phrase data now, not on the first person's message
    engine = ConversationEngine(db, registry, catalog, settings, clock)
    return Runtime(
        settings=settings,
        db=db,
        clock=clock,
        catalog=catalog,
        registry=registry,
        engine=engine,
        transport=transport or make_transport(settings),
        webhook=TwilioTransport(settings),
    )


def runtime() -> Runtime:
    """The runtime of the current Flask app."""
    found = current_app.extensions["eklinik"]
    assert isinstance(found, Runtime)
    return found
