"""A fake Meta Graph API on 127.0.0.1, and the signed webhook payloads Meta sends."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

APP_SECRET = "test-meta-app-secret"
VERIFY_TOKEN = "test-meta-verify-token"
ACCESS_TOKEN = "test-meta-access-token"
PHONE_NUMBER_ID = "109876543210987"
API_VERSION = "v21.0"
META_WEBHOOK = "/webhooks/meta"
_timestamps = itertools.count(1_795_000_000)


def new_wamid() -> str:
    """A fresh, Meta-shaped message id (as long as real ones: over 64 characters)."""
    return "wamid.HBgNNjI4MTIzNDU2Nzg5MBUCABIYIDNB" + uuid.uuid4().hex.upper() + "AA=="


@dataclass
class FakeGraphState:
    """What the fake Graph API received, and how it should answer."""

    requests: list[dict[str, Any]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    auth_headers: list[str] = field(default_factory=list)
    wamids: list[str] = field(default_factory=list)  # the ids it gave the accepted messages
    fail_with: list[tuple[int, int]] = field(default_factory=list)  # (HTTP status, error code)
    lock: threading.Lock = field(default_factory=threading.Lock)


class FakeGraphServer:
    """Answers POST /{version}/{phone_number_id}/messages like the Cloud API does."""

    def __init__(self) -> None:
        self.state = FakeGraphState()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as requests' Session expects

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                payload = json.loads(self.rfile.read(length) or b"{}")
                wamid = new_wamid()
                with state.lock:
                    state.requests.append(payload)
                    state.paths.append(self.path)
                    state.auth_headers.append(self.headers.get("Authorization", ""))
                    failure = state.fail_with.pop(0) if state.fail_with else None
                    if failure is None:
                        state.wamids.append(wamid)
                if failure is not None:
                    status, code = failure
                    body: dict[str, Any] = {
                        "error": {
                            "message": "fake failure",
                            "type": "OAuthException",
                            "code": code,
                            "fbtrace_id": "AbCdEf",
                        }
                    }
                else:
                    status = 200
                    to = str(payload.get("to", ""))
                    body = {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": to, "wa_id": to}],
                        "messages": [{"id": wamid, "message_status": "accepted"}],
                    }
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def texts(self) -> list[str]:
        """The bodies of the text and interactive messages received, in order."""
        found = []
        for payload in self.state.requests:
            if payload.get("type") == "text":
                found.append(payload["text"]["body"])
            elif payload.get("type") == "interactive":
                found.append(payload["interactive"]["body"]["text"])
        return found

    def __enter__(self) -> FakeGraphServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- what Meta posts to our webhook -------------------------------------------------------


def sign_meta(body: bytes, secret: str = APP_SECRET) -> str:
    """The X-Hub-Signature-256 header Meta sends with `body`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def envelope(value: dict[str, Any]) -> dict[str, Any]:
    """A webhook body around one change `value` (messages or statuses)."""
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "102290129340398",
                "changes": [
                    {
                        "field": "messages",
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "6281100000000",
                                "phone_number_id": PHONE_NUMBER_ID,
                            },
                            **value,
                        },
                    }
                ],
            }
        ],
    }


def message_payload(
    phone: str, kind: str, content: dict[str, Any], *, wamid: str | None = None, name: str = "Sari"
) -> dict[str, Any]:
    """A webhook body carrying one message of `kind` ("text", "interactive", ...)."""
    wa_id = phone.lstrip("+")
    message = {
        "from": wa_id,
        "id": wamid or new_wamid(),
        "timestamp": str(next(_timestamps)),
        "type": kind,
        kind: content,
    }
    return envelope(
        {"contacts": [{"profile": {"name": name}, "wa_id": wa_id}], "messages": [message]}
    )


def text_payload(phone: str, body: str, **kwargs: Any) -> dict[str, Any]:
    """A webhook body carrying one text message."""
    return message_payload(phone, "text", {"body": body}, **kwargs)


def status_payload(
    wamid: str, status: str, phone: str, error_code: int | None = None
) -> dict[str, Any]:
    """A webhook body carrying one delivery status."""
    entry: dict[str, Any] = {
        "id": wamid,
        "status": status,
        "timestamp": str(next(_timestamps)),
        "recipient_id": phone.lstrip("+"),
    }
    if error_code is not None:
        entry["errors"] = [{"code": error_code, "title": "Message undeliverable"}]
    return envelope({"statuses": [entry]})
