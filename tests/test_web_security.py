"""Web hardening: security headers on every response, and a simulator that refuses posts a
page of another site makes a browser send (also behind a local reverse proxy)."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.dialog import post_signed, whatsapp_form


@pytest.fixture
def app_overrides() -> dict[str, Any]:
    return {"transport": "console"}  # the simulator exists only with the console transport


@pytest.mark.parametrize("path", ["/healthz", "/simulator", "/no-such-page"])
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_webhook_answers_carry_nosniff(client: FlaskClient) -> None:
    response = post_signed(client, whatsapp_form("+6281234567890", "halo"))
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def send(client: FlaskClient, **headers: str) -> Any:
    return client.post(
        "/simulator/send",
        json={"phone": "+6281200000001", "body": "halo"},
        headers=headers,
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page.html"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://other.localhost"},
        {"Origin": "http://localhost.evil.example"},
    ],
)
def test_the_simulator_refuses_cross_site_posts(
    client: FlaskClient, headers: dict[str, str]
) -> None:
    response = send(client, **headers)
    assert response.status_code == 403
    history = client.get("/simulator/history?phone=%2B6281200000001").get_json()
    assert history["messages"] == []


def test_the_simulator_accepts_its_own_page_and_scripts(client: FlaskClient) -> None:
    assert (
        send(client, Origin="http://localhost", **{"Sec-Fetch-Site": "same-origin"}).status_code
        == 200
    )
    assert send(client, Referer="http://localhost/simulator").status_code == 200
    assert send(client).status_code == 200  # curl, tests: no browser headers at all
