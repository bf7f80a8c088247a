"""Test doubles: a recording transport and a fake Twilio REST server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from bot.transports.base import OutboundMessage, SendResult, TransportError


class RecordingTransport:
    """Remembers what it was asked to send, on every channel; can be told to fail the next
    sends. Given to create_app as the `transport` object, it receives every outbound message."""

    name = "recording"

    def __init__(self) -> None:
        self.sent: list[OutboundMessage] = []
        self.failures: list[TransportError] = []

    def send(self, message: OutboundMessage) -> SendResult:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(message)
        return SendResult(provider_sid="SM" + uuid.uuid4().hex, status="queued")


@dataclass(frozen=True)
class Fault:
    """How the fake answers one create call: an HTTP status with a Twilio error code in
    Twilio's JSON error shape, and/or a delay before answering (longer than the client's
    timeout: a timeout). `accept` keeps the message as created although the answer is an
    error or comes too late, as Twilio does when only the answer is lost."""

    status: int = 201
    code: int | None = None
    delay: float = 0.0
    accept: bool | None = None  # default: accepted when the status is a success

    @property
    def accepted(self) -> bool:
        return self.status < 400 if self.accept is None else self.accept


@dataclass
class FakeTwilioState:
    """What the fake server received, and how it should answer."""

    requests: list[dict[str, list[str]]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    auth_headers: list[str] = field(default_factory=list)
    fail_with: list[int] = field(default_factory=list)  # HTTP statuses for the next calls
    faults: list[Fault] = field(default_factory=list)  # answers for the next create calls
    accepted: list[dict[str, str]] = field(default_factory=list)  # messages "Twilio" has
    arrivals: list[float] = field(default_factory=list)  # wall-clock time of each create call
    list_calls: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def accepted_bodies(self) -> list[str]:
        """The bodies of the accepted messages (ContentSid for template sends)."""
        with self.lock:
            return [m["body"] or m.get("content_sid", "") for m in self.accepted]


def _error(status: int, code: int | None) -> dict[str, object]:
    default = 20500 if status >= 500 else 20429 if status == 429 else 21211
    return {
        "code": code or default,
        "message": f"fake failure {code or default}",
        "status": status,
        "more_info": f"https://www.twilio.com/docs/errors/{code or default}",
    }


class FakeTwilioServer:
    """Answers the Messages API (create and list) like Twilio does, on an ephemeral port of
    127.0.0.1, keeping connections alive; faults are injected through `state.faults` (or the
    older `state.fail_with`, a list of HTTP statuses)."""

    def __init__(self) -> None:
        self.state = FakeTwilioState()
        state = self.state

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body are two writes

            def _answer(self, status: int, body: dict[str, object]) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = parse_qs(url.query)
                to, sender = query.get("To", [None])[0], query.get("From", [None])[0]
                with state.lock:
                    state.list_calls += 1
                    found = [
                        m
                        for m in reversed(state.accepted)
                        if (to is None or m["to"] == to) and (sender is None or m["from"] == sender)
                    ][: int(query.get("PageSize", ["50"])[0])]
                self._answer(
                    200,
                    {
                        "messages": found,
                        "first_page_uri": url.path,
                        "next_page_uri": None,
                        "previous_page_uri": None,
                        "page": 0,
                        "page_size": len(found),
                        "start": 0,
                        "end": max(len(found) - 1, 0),
                        "uri": self.path,
                    },
                )

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                with state.lock:
                    state.arrivals.append(time.time())
                    state.requests.append(form)
                    state.paths.append(self.path)
                    state.auth_headers.append(self.headers.get("Authorization", ""))
                    if state.faults:
                        fault = state.faults.pop(0)
                    elif state.fail_with:
                        fault = Fault(status=state.fail_with.pop(0))
                    else:
                        fault = Fault()
                    message = {
                        "sid": "SM" + uuid.uuid4().hex,
                        "status": "queued",
                        "to": form.get("To", [""])[0],
                        "from": form.get("From", [""])[0],
                        "body": form.get("Body", [""])[0],
                        "content_sid": form.get("ContentSid", [""])[0],
                        "account_sid": self.path.split("/")[3],
                        "num_segments": "1",
                        "date_created": email.utils.format_datetime(dt.datetime.now(dt.UTC)),
                    }
                    if fault.accepted:
                        state.accepted.append(message)
                if fault.delay:
                    time.sleep(fault.delay)
                if fault.status >= 400:
                    self._answer(fault.status, _error(fault.status, fault.code))
                else:
                    self._answer(fault.status, message)

            def log_message(self, *_args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

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
