"""What the browser tests share: Debian's Chromium with the flags this offline machine needs,
and the app served on 127.0.0.1 for it."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator

from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
HAS_CHROMIUM = shutil.which("chromium") is not None
# Without the background-networking flags Chromium stalls on a machine with no internet.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def serve(app: Flask) -> Iterator[str]:
    """Serve the app on a free port of 127.0.0.1 for the test's duration; yield its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
