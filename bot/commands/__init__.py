"""Extra `eklinik` sub-commands, one module each; a module's ``command`` is registered by
``bot.cli`` (so adding a command touches its own module only)."""

from __future__ import annotations

import importlib
import pkgutil

import click


def discover() -> list[click.Command]:
    """The ``command`` of every module in this package."""
    found: list[click.Command] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        command = getattr(importlib.import_module(f"{__name__}.{info.name}"), "command", None)
        if isinstance(command, click.Command):
            found.append(command)
    return found
