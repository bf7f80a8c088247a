"""What one running app holds: settings, database, clock, catalog, flows, engine, channels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.engine import Engine

from bot import intents
from bot.clock import Clock
from bot.config import Settings
from bot.engine import ENGINE_KEYS, ConversationEngine
from bot.flows.registry import Registry, discover
from bot.messages import MessageCatalog
from bot.outbox import dispatch_due
from bot.services import places
from bot.transports import Channel, Transport, make_channels, make_transport
from bot.transports.waker import DispatchWaker
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
    transport: Transport  # outbound: how the outbox delivers (routed by each message's channel)
    channels: dict[str, Channel]  # by name: twilio, meta, console (webhooks and replies)
    waker: DispatchWaker  # sends the replies a webhook queued, at once


def build_runtime(settings: Settings, clock: Clock, transport: Transport | None = None) -> Runtime:
    """Wire the objects together and check the flows against the templates."""
    db = make_engine(settings.database_url)
    catalog = MessageCatalog(settings.templates_path, {"timezone_name": settings.timezone})
    registry = discover()
    registry.check(catalog, ENGINE_KEYS)
    intents.preload()  # read the phrase data now, not on the first person's message
    places.districts()  # the kecamatan list too, rather than at the first registration
    engine = ConversationEngine(db, registry, catalog, settings, clock)
    channels = make_channels(settings)
    # an object given by the caller (a test's recording transport) receives every message
    outbound = transport or make_transport(settings, channels)
    return Runtime(
        settings=settings,
        db=db,
        clock=clock,
        catalog=catalog,
        registry=registry,
        engine=engine,
        transport=outbound,
        channels=channels,
        waker=DispatchWaker(_dispatcher(db, outbound, clock, settings), settings.reply_dispatch),
    )


def _dispatcher(
    db: Engine, transport: Transport, clock: Clock, settings: Settings
) -> Callable[[], object]:
    def dispatch() -> object:
        callback = f"{settings.public_url}/webhooks/twilio/status" if settings.public_url else None
        return dispatch_due(db, transport, clock, status_callback=callback)

    return dispatch


def runtime() -> Runtime:
    """The runtime of the current Flask app."""
    found = current_app.extensions["eklinik"]
    assert isinstance(found, Runtime)
    return found
