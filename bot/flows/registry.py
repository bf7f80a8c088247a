"""Finds the flows (one module each in bot/flows/) and checks that they hang together."""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from bot.flows.base import END, Entry, Flow, Step
from bot.intents import INTENTS
from bot.messages import LANGUAGES, MessageCatalog

FRAMEWORK_MODULES = {"base", "registry", "common", "vocab", "story", "booking_details"}


class FlowRegistryError(RuntimeError):
    """A flow points at a step that does not exist or a template that is missing."""


class Registry:
    """The flows by name."""

    def __init__(self, flows: dict[str, Flow]) -> None:
        self.flows = flows
        self.entries: tuple[Entry, ...] = tuple(
            sorted(
                (entry for flow in flows.values() for entry in flow.entries),
                key=lambda e: (e.menu is None, e.menu or 0, e.flow, e.name),
            )
        )
        self.entry_targets = frozenset(
            ".".join(found)
            for e in self.entries
            for t in e.goes_to
            if (found := self.resolve(e.flow, t)) is not None
        )
        self.entry_says = frozenset(k for e in self.entries for k in e.says)

    def flow(self, name: str) -> Flow:
        """The flow called `name`."""
        return self.flows[name]

    def step(self, flow: str, step: str) -> Step | None:
        """A step, or None when the flow or step no longer exists (e.g. after a deploy)."""
        found = self.flows.get(flow)
        return found.steps.get(step) if found else None

    def asides(self) -> list[Flow]:
        """The flows that can answer a question asked in the middle of another flow."""
        return [flow for flow in self.flows.values() if flow.aside is not None]

    def resolve(self, current_flow: str, target: str) -> tuple[str, str] | None:
        """Turn a goto or call target into (flow, step); None for END.

        A bare name is a step of the current flow, or else another flow (at its start step).
        """
        if target == END:
            return None
        if "." in target:
            flow, step = target.split(".", 1)
            return flow, step
        current = self.flows.get(current_flow)
        if (current is None or target not in current.steps) and target in self.flows:
            return target, self.flows[target].start
        return current_flow, target

    def check(self, catalog: MessageCatalog, extra_keys: tuple[str, ...] = ()) -> None:
        """Raise FlowRegistryError listing every dangling step or missing template."""
        problems: list[str] = []
        for flow in self.flows.values():
            if flow.start not in flow.steps:
                problems.append(f"flow {flow.name}: start step {flow.start!r} does not exist")
            for key in flow.aside_says:
                problems.extend(_missing(catalog, key, f"{flow.name} aside"))
            for step in flow.steps.values():
                for target in step.goes_to:
                    resolved = self.resolve(flow.name, target)
                    if resolved and self.step(*resolved) is None:
                        problems.append(f"{flow.name}.{step.name} goes to missing step {target!r}")
                for key in step.says:
                    problems.extend(_missing(catalog, key, f"{flow.name}.{step.name}"))
        problems.extend(self._check_entries(catalog))
        for key in extra_keys:
            problems.extend(_missing(catalog, key, "engine"))
        if problems:
            raise FlowRegistryError("flow registry check failed:\n  " + "\n  ".join(problems))

    def _check_entries(self, catalog: MessageCatalog) -> list[str]:
        problems: list[str] = []
        seen_menu: dict[int, str] = {}
        seen_intent: dict[str, str] = {}
        for entry in self.entries:
            where = f"entry {entry.flow}:{entry.name}"
            if entry.menu is not None:
                if entry.label is None:
                    problems.append(f"{where} is in the menu without a label")
                if entry.menu in seen_menu:
                    problems.append(f"{where} and {seen_menu[entry.menu]} share menu position")
                seen_menu[entry.menu] = where
            for intent in entry.intents:
                if intent not in INTENTS:
                    problems.append(f"{where} starts on {intent!r}, which is no intent")
                if intent in seen_intent:
                    problems.append(f"{where} and {seen_intent[intent]} both start on {intent!r}")
                seen_intent[intent] = where
            for target in entry.goes_to:
                resolved = self.resolve(entry.flow, target)
                if resolved and self.step(*resolved) is None:
                    problems.append(f"{where} goes to missing step {target!r}")
            for key in entry.says:
                problems.extend(_missing(catalog, key, where))
        return problems


def _missing(catalog: MessageCatalog, key: str, where: str) -> list[str]:
    return [
        f"{where} says {key!r}, missing in {lang!r}"
        for lang in LANGUAGES
        if not catalog.exists(key, lang)
    ]


@cache
def discover(package: str = "bot.flows") -> Registry:
    """Import every flow module of the package and collect its module-level ``flow``."""
    module = importlib.import_module(package)
    flows: dict[str, Flow] = {}
    for info in pkgutil.iter_modules(module.__path__):
        if info.name in FRAMEWORK_MODULES or info.name.startswith("_"):
            continue
        flow = getattr(importlib.import_module(f"{package}.{info.name}"), "flow", None)
        if not isinstance(flow, Flow):
            raise FlowRegistryError(f"{package}.{info.name} declares no `flow`")
        if flow.name in flows:
            raise FlowRegistryError(f"two flows are called {flow.name!r}")
        flows[flow.name] = flow
    return Registry(flows)
