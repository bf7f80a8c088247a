"""Settings, read from the environment (names fixed by DESIGN.md) and overridable per app."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

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
    run_scheduler: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

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
        """Return a copy with known fields replaced; unknown keys go to `extra`."""
        if not overrides:
            return self
        known = {f.name for f in fields(self)}
        direct = {k: v for k, v in overrides.items() if k in known}
        extra = {**self.extra, **{k: v for k, v in overrides.items() if k not in known}}
        return replace(self, **direct, extra=extra)

    def ensure_secret_key(self) -> Settings:
        """Use the configured key, or one generated once into the instance folder."""
        if self.secret_key:
            return self
        key_file = self.instance_path / "secret_key"
        if not key_file.exists():
            self.instance_path.mkdir(parents=True, exist_ok=True)
            key_file.write_text(secrets.token_hex(32))
            key_file.chmod(0o600)
        return replace(self, secret_key=key_file.read_text().strip())
