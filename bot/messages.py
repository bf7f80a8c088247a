"""The message catalog: every user-visible WhatsApp text is a Jinja2 template per language.

A key such as ``reservation.choose_topic`` lives at
``templates/messages/<lang>/reservation/choose_topic.txt``. Shared macros (dates, times,
numbered lists) sit in ``templates/messages/<lang>/_macros.txt`` so that day and month names,
too, are template text and not Python.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from bot.intents.people import gender_of_name, profile_reading

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"
SUFFIX = ".txt"


class MessageCatalog:
    """Renders message templates by key and language."""

    def __init__(
        self, root: Path, globals_: dict[str, Any] | None = None, *, auto_reload: bool = False
    ) -> None:
        """`auto_reload`: check every template file for edits at each use (development
        only: it costs a stat() per template and render)."""
        self.root = root / "messages"
        self.auto_reload = auto_reload
        self._envs = {lang: self._make_env(lang, globals_ or {}) for lang in LANGUAGES}

    def _make_env(self, lang: str, globals_: dict[str, Any]) -> jinja2.Environment:
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(self.root / lang),
            auto_reload=self.auto_reload,
            cache_size=-1,  # every template stays compiled (a few hundred small files)
            autoescape=False,  # WhatsApp text, not HTML
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
        )
        env.globals.update(globals_)
        env.globals["lang"] = lang
        # "Ibu Yanti", not "Bapak/Ibu Yanti", when the name says it (never stored: a guess)
        env.globals["salutation_of_name"] = gender_of_name
        env.globals["profile_reading"] = profile_reading
        return env

    @staticmethod
    def path_of(key: str) -> str:
        """The template file name (relative to a language folder) of a key."""
        return key.replace(".", "/") + SUFFIX

    def exists(self, key: str, lang: str) -> bool:
        """True when the key has a template in that language."""
        return (self.root / lang / self.path_of(key)).is_file()

    def keys(self, lang: str) -> set[str]:
        """Every message key defined for a language (macro files excluded)."""
        base = self.root / lang
        return {
            str(p.relative_to(base))[: -len(SUFFIX)].replace("/", ".")
            for p in base.rglob("*" + SUFFIX)
            if not p.name.startswith("_")
        }

    def render(self, key: str, lang: str, **variables: Any) -> str:
        """Render a message; falls back to Indonesian for an unknown language."""
        env = self._envs.get(lang) or self._envs[DEFAULT_LANGUAGE]
        text = env.get_template(self.path_of(key)).render(**variables)
        return _tidy(text)


def _tidy(text: str) -> str:
    # Templates may leave trailing spaces or runs of blank lines around conditionals.
    lines = [line.rstrip() for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line == "" and tidy and tidy[-1] == "":
            continue
        tidy.append(line)
    return "\n".join(tidy)
