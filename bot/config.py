"""Settings, read from the environment (names fixed by DESIGN.md) and overridable per app."""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INSTANCE = PROJECT_ROOT / "instance"


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
        return cls(
            database_url=env.get("EKLINIK_DATABASE_URL") or f"sqlite:///{instance / 'eklinik.db'}",
            secret_key=env.get("EKLINIK_SECRET_KEY") or "",
            public_url=(env.get("EKLINIK_PUBLIC_URL") or "").rstrip("/") or None,
            timezone=env.get("EKLINIK_TIMEZONE") or "Asia/Jakarta",
            transport=env.get("EKLINIK_TRANSPORT") or ("twilio" if sid else "console"),
            transport_explicit=bool(env.get("EKLINIK_TRANSPORT")),
            twilio_account_sid=sid,
            twilio_auth_token=env.get("TWILIO_AUTH_TOKEN") or None,
            twilio_whatsapp_from=env.get("TWILIO_WHATSAPP_FROM") or None,
            twilio_api_base_url=(env.get("TWILIO_API_BASE_URL") or "https://api.twilio.com").rstrip(
                "/"
            ),
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
        if self.transport not in ("twilio", "console"):
            raise ValueError(f"EKLINIK_TRANSPORT {self.transport!r}: use twilio or console")
        return self

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
