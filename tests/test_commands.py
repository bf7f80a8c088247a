"""The `eklinik` commands on a machine with no settings: serve (with the simulator) and chat."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PG_URL

EKLINIK = str(Path(sys.executable).with_name("eklinik"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bare_environment(tmp_path: Path) -> dict[str, str]:
    """No E-Klinik or Twilio settings at all, and a fresh instance folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EKLINIK_", "TWILIO_"))}
    env["EKLINIK_INSTANCE_PATH"] = str(tmp_path / "instance")
    return env


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    port = free_port()
    process = subprocess.Popen(
        [EKLINIK, "serve", "--port", str(port)],
        env=bare_environment(tmp_path),
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None:
                pytest.fail(process.stdout.read() if process.stdout else "serve exited")
            time.sleep(0.2)
    yield base, process
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.skipif(bool(PG_URL), reason="exercises the embedded SQLite default")
def test_serve_on_a_fresh_machine_answers_halo_in_the_simulator(
    served: tuple[str, subprocess.Popen[str]], tmp_path: Path
) -> None:
    base, _process = served
    with urllib.request.urlopen(base + "/simulator", timeout=5) as response:
        assert b"simulator" in response.read()
    request = urllib.request.Request(
        base + "/simulator/send",
        data=json.dumps({"phone": "+6281200000009", "body": "halo"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        replies = json.loads(response.read())["replies"]
    assert "Menu utama" in "\n".join(replies)
    with urllib.request.urlopen(
        base + "/simulator/history?phone=%2B6281200000009", timeout=5
    ) as response:
        history = json.loads(response.read())["messages"]
    assert [m["direction"] for m in history][:2] == ["in", "out"]
    assert (tmp_path / "instance" / "eklinik.db").exists()


@pytest.mark.skipif(bool(PG_URL), reason="exercises the embedded SQLite default")
def test_chat_talks_to_the_bot_in_the_terminal(tmp_path: Path) -> None:
    result = subprocess.run(
        [EKLINIK, "chat", "--phone", "+6281200000010"],
        input="halo\ninfo\n1\n",
        env=bare_environment(tmp_path),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Menu utama" in result.stdout
    assert "Jam layanan" in result.stdout
    assert "09.00–12.00 WIB" in result.stdout


def test_simulator_rejects_an_empty_message(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/simulator/send", json={"phone": "+6281200000001", "body": "  "})
    assert response.status_code == 400
    assert "empty" in response.get_json()["error"]


def test_simulator_is_only_served_to_this_machine(client) -> None:  # type: ignore[no-untyped-def]
    outside = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/simulator", environ_base=outside).status_code == 404
    assert (
        client.get("/simulator/history?phone=%2B6281200000001", environ_base=outside).status_code
        == 404
    )
    assert client.get("/simulator").status_code == 200
