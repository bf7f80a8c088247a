"""Test doubles: a recording transport and a fake Twilio REST server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from flask import Request, Response

from bot.inbound import InboundMessage
from bot.transports.base import OutboundMessage, SendResult, TransportError
from bot.transports.twilio import parse_twilio_form, twiml


class RecordingTransport:
    """Remembers what it was asked to send; can be told to fail the next sends."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[OutboundMessage] = []
        self.failures: list[TransportError] = []

    def verify(self, request: Request) -> bool:
        return True

    def parse(self, request: Request) -> InboundMessage:
        return parse_twilio_form(request.form)

    def acknowledge(self, replies: list[str]) -> Response:
        return twiml(replies)

    def send(self, message: OutboundMessage) -> SendResult:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)
        return SendResult(provider_sid="SM" + uuid.uuid4().hex, status="queued")


@dataclass
class FakeTwilioState:
    """What the fake server received, and how it should answer."""

    requests: list[dict[str, list[str]]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    auth_headers: list[str] = field(default_factory=list)
    fail_with: list[int] = field(default_factory=list)  # HTTP statuses for the next calls
    lock: threading.Lock = field(default_factory=threading.Lock)


class FakeTwilioServer:
    """Answers the Messages API like Twilio does, on an ephemeral port of 127.0.0.1."""

    def __init__(self) -> None:
        self.state = FakeTwilioState()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                with state.lock:
                    state.requests.append(form)
                    state.paths.append(self.path)
                    state.auth_headers.append(self.headers.get("Authorization", ""))
                    status = state.fail_with.pop(0) if state.fail_with else 201
                if status >= 400:
                    body = {
                        "code": 20500 if status >= 500 else 21211,
                        "message": "fake failure",
                        "status": status,
                        "more_info": "https://example.invalid",
                    }
                else:
                    body = {
                        "sid": "SM" + uuid.uuid4().hex,
                        "status": "queued",
                        "to": form.get("To", [""])[0],
                        "from": form.get("From", [""])[0],
                        "body": form.get("Body", [""])[0],
                        "account_sid": self.path.split("/")[3],
                        "num_segments": "1",
                    }
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakeTwilioServer:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
