"""Approved WhatsApp templates, mapped per channel from one TOML file.

The bot refers to a template by a neutral ``TemplateRef(name, language, variables)``; the file
named by EKLINIK_WHATSAPP_TEMPLATES says what each channel sends for it (docs/CHANNELS.md)::

    [templates.reminder.id]
    variables = ["name", "when", "code"]   # the order of the template's {{1}}, {{2}}, ...
    twilio_content_sid = "HX..."
    meta_name = "eklinik_reminder"
    meta_language = "id"

    [twilio.quick_reply]                   # optional: twilio/quick-reply Content templates
    2 = "HX..."                            # body {{1}}, button titles {{2}}, {{3}}; by count
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.transports.base import TemplateRef, TransportError

CONTENT_SID = re.compile(r"^HX[0-9a-fA-F]{32}$")
META_NAME = re.compile(r"^[a-z0-9_]{1,512}$")
TEMPLATE_KEYS = {"variables", "twilio_content_sid", "meta_name", "meta_language"}


@dataclass(frozen=True)
class TemplateEntry:
    """One template in one language, as each channel knows it."""

    variables: tuple[str, ...] = ()
    twilio_content_sid: str | None = None
    meta_name: str | None = None
    meta_language: str | None = None

    def values(self, ref: TemplateRef) -> list[str]:
        """The variables of `ref` in the template's order; a missing one is an error."""
        missing = [name for name in self.variables if name not in ref.variables]
        if missing:
            raise TransportError(
                f"template {ref.name!r} needs variables {', '.join(missing)}",
                retryable=False,
                code="template_variables",
            )
        return [str(ref.variables[name]) for name in self.variables]


@dataclass(frozen=True)
class TemplateMap:
    """Every mapped template, and Twilio's quick-reply Content templates by button count."""

    entries: dict[tuple[str, str], TemplateEntry] = field(default_factory=dict)
    twilio_quick_reply: dict[int, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path | None) -> TemplateMap:
        """Read the mapping file (none: an empty map); ValueError names what is wrong."""
        if path is None:
            return cls()
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ValueError(f"EKLINIK_WHATSAPP_TEMPLATES {path}: {exc}") from exc
        return cls.from_dict(data, f"EKLINIK_WHATSAPP_TEMPLATES {path}")

    @classmethod
    def from_dict(cls, data: dict[str, Any], where: str = "templates") -> TemplateMap:
        """Check and build the map from parsed TOML."""
        entries: dict[tuple[str, str], TemplateEntry] = {}
        for name, languages in _table(data.get("templates", {}), where).items():
            for language, raw in _table(languages, f"{where}: {name}").items():
                entries[(name, language)] = _entry(raw, f"{where}: templates.{name}.{language}")
        quick: dict[int, str] = {}
        twilio = _table(data.get("twilio", {}), where)
        for count, sid in _table(twilio.get("quick_reply", {}), where).items():
            if not (count.isdigit() and 1 <= int(count) <= 10 and CONTENT_SID.match(str(sid))):
                raise ValueError(f"{where}: twilio.quick_reply.{count} = {sid!r} is not valid")
            quick[int(count)] = str(sid)
        return cls(entries=entries, twilio_quick_reply=quick)

    def entry(self, ref: TemplateRef) -> TemplateEntry:
        """The mapping of `ref`, or a permanent TransportError when there is none."""
        found = self.entries.get((ref.name, ref.language))
        if found is None:
            raise TransportError(
                f"template {ref.name!r} ({ref.language}) is not in the template mapping",
                retryable=False,
                code="template_unmapped",
            )
        return found


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected a table, found {value!r}")
    return value


def _entry(raw: Any, where: str) -> TemplateEntry:
    raw = _table(raw, where)
    unknown = set(raw) - TEMPLATE_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    variables = raw.get("variables", [])
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise ValueError(f"{where}: variables must be a list of names")
    sid = raw.get("twilio_content_sid")
    if sid is not None and not CONTENT_SID.match(str(sid)):
        raise ValueError(f"{where}: twilio_content_sid {sid!r} is not a ContentSid (HX...)")
    meta_name = raw.get("meta_name")
    if meta_name is not None and not META_NAME.match(str(meta_name)):
        raise ValueError(f"{where}: meta_name {meta_name!r}: lower case letters, digits and _")
    if sid is None and meta_name is None:
        raise ValueError(f"{where}: give twilio_content_sid, meta_name or both")
    return TemplateEntry(
        variables=tuple(variables),
        twilio_content_sid=str(sid) if sid else None,
        meta_name=str(meta_name) if meta_name else None,
        meta_language=str(raw.get("meta_language") or "") or None,
    )
