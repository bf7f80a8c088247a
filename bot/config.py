"""Settings, read from the environment (names fixed by DESIGN.md) and overridable per app."""

from __future__ import annotations

import os
import re
import secrets
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"
TRANSPORTS = ("twilio", "meta", "console")
META_SETTINGS = {
    "meta_app_secret": "META_APP_SECRET",
    "meta_verify_token": "META_VERIFY_TOKEN",
    "meta_access_token": "META_ACCESS_TOKEN",
    "meta_phone_number_id": "META_PHONE_NUMBER_ID",
}
REPLY_DISPATCH = ("background", "inline", "off")


@dataclass(frozen=True)
class Settings:
    """Everything the service can be configured with."""

    database_url: str = ""
    secret_key: str = ""
    public_url: str | None = None
    timezone: str = "Asia/Jakarta"
    transport: str = "console"
    twilio_account_sid: str | None = None
    twilio_auth_token: str | None = None
    twilio_whatsapp_from: str | None = None
    twilio_api_base_url: str = "https://api.twilio.com"
    twilio_timeout_seconds: float = 10.0
    meta_app_secret: str | None = None
    meta_verify_token: str | None = None
    meta_access_token: str | None = None
    meta_phone_number_id: str | None = None
    meta_api_base_url: str = "https://graph.facebook.com"
    meta_api_version: str = "v21.0"
    meta_timeout_seconds: float = 10.0
    whatsapp_templates: Path | None = None  # the template mapping file (docs/CHANNELS.md)
    # how replies queued by a webhook (Meta) leave: "background" (a thread of this process,
    # at once), "inline" (before the webhook answers; tests) or "off" (the worker's next tick)
    reply_dispatch: str = "background"
    instance_path: Path = DEFAULT_INSTANCE
    templates_path: Path = PROJECT_ROOT / "templates"
    conversation_idle_hours: float = 24.0
    max_request_bytes: int = 64 * 1024
    transport_explicit: bool = False  # EKLINIK_TRANSPORT was set, not inferred

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Build settings from environment variables, filling development defaults."""
        env = dict(os.environ if env is None else env)
        instance = Path(env.get("EKLINIK_INSTANCE_PATH", str(DEFAULT_INSTANCE)))
        sid = env.get("TWILIO_ACCOUNT_SID") or None
        meta_token = env.get("META_ACCESS_TOKEN") or None
        inferred = "twilio" if sid else "meta" if meta_token else "console"
        templates = env.get("EKLINIK_WHATSAPP_TEMPLATES") or None
        return cls(
            database_url=env.get("EKLINIK_DATABASE_URL") or f"sqlite:///{instance / 'eklinik.db'}",
            secret_key=env.get("EKLINIK_SECRET_KEY") or "",
            public_url=(env.get("EKLINIK_PUBLIC_URL") or "").rstrip("/") or None,
            timezone=env.get("EKLINIK_TIMEZONE") or "Asia/Jakarta",
            transport=env.get("EKLINIK_TRANSPORT") or inferred,
            transport_explicit=bool(env.get("EKLINIK_TRANSPORT")),
            twilio_account_sid=sid,
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            twilio_whatsapp_from=env.get("TWILIO_WHATSAPP_FROM") or None,
            twilio_api_base_url=(env.get("TWILIO_API_BASE_URL") or "https://api.twilio.com").rstrip(
                "/"
            ),
            meta_app_secret=env.get("META_APP_SECRET") or None,
            meta_verify_token=env.get("META_VERIFY_TOKEN") or None,
            meta_access_token=meta_token,
            meta_phone_number_id=env.get("META_PHONE_NUMBER_ID") or None,
            meta_api_base_url=(env.get("META_API_BASE_URL") or "https://graph.facebook.com").rstrip(
                "/"
            ),
            meta_api_version=env.get("META_API_VERSION") or "v21.0",
            whatsapp_templates=Path(templates) if templates else None,
            instance_path=instance,
            conversation_idle_hours=float(env.get("EKLINIK_CONVERSATION_IDLE_HOURS") or 24),
        )

    def with_overrides(self, overrides: dict[str, Any] | None) -> Settings:
        """Return a copy with fields replaced; an unknown name is an error, not a silent no-op."""
        if not overrides:
            return self
        unknown = set(overrides) - {f.name for f in fields(self)}
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        if "transport" in overrides:
            overrides = {"transport_explicit": True, **overrides}
        return replace(self, **overrides)

    def validate(self) -> Settings:
        """Fail at start-up, not on the first message, when a setting cannot work."""
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"EKLINIK_TIMEZONE {self.timezone!r} is not a known timezone") from exc
        if self.transport not in TRANSPORTS:
            raise ValueError(f"EKLINIK_TRANSPORT {self.transport!r}: use twilio, meta or console")
        self._validate_meta()
        if self.whatsapp_templates is not None and not self.whatsapp_templates.is_file():
            raise ValueError(f"EKLINIK_WHATSAPP_TEMPLATES {self.whatsapp_templates}: no such file")
        if self.reply_dispatch not in REPLY_DISPATCH:
            raise ValueError(f"reply_dispatch {self.reply_dispatch!r}: use {REPLY_DISPATCH}")
        return self

    @property
    def meta_configured(self) -> bool:
        """True when the Meta WhatsApp Cloud API channel has its settings."""
        return all(getattr(self, name) for name in META_SETTINGS)

    def _validate_meta(self) -> None:
        given = [env for name, env in META_SETTINGS.items() if getattr(self, name)]
        if given and len(given) < len(META_SETTINGS):
            missing = [env for env in META_SETTINGS.values() if env not in given]
            raise ValueError(
                f"the meta channel needs {', '.join(META_SETTINGS.values())}; missing: "
                + ", ".join(missing)
            )
        if not re.fullmatch(r"v\d+\.\d+", self.meta_api_version):
            raise ValueError(f"META_API_VERSION {self.meta_api_version!r}: e.g. v21.0")
        if not self.meta_api_base_url.startswith(("https://", "http://")):
            raise ValueError(f"META_API_BASE_URL {self.meta_api_base_url!r}: an http(s) URL")
        phone_id = self.meta_phone_number_id
        if phone_id and not phone_id.isdigit():
            raise ValueError("META_PHONE_NUMBER_ID is the numeric id of the sender, not a phone")

    def ensure_secret_key(self) -> Settings:
        """Use the configured key, or one generated once into the instance folder."""
        if self.secret_key:
            return self
        key_file = self.instance_path / "secret_key"
        self.instance_path.mkdir(parents=True, exist_ok=True)
        try:
            # O_EXCL: of several workers starting together exactly one writes the key
            descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "w") as handle:
                handle.write(secrets.token_hex(32))
        for _ in range(50):  # another process may be between creating and writing the file
            key = key_file.read_text().strip()
            if key:
                return replace(self, secret_key=key)
            time.sleep(0.01)
        raise RuntimeError(f"{key_file} stays empty; delete it or set EKLINIK_SECRET_KEY")
