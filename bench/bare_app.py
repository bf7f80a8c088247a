"""The yardstick of bench/bench_load.py: a bare Flask endpoint that parses Twilio's form and
answers a fixed TwiML reply, served by gunicorn exactly like the real app
(`gunicorn -w 2 bench.bare_app:app`)."""

from __future__ import annotations

from flask import Flask, Response, request

app = Flask(__name__)
TWIML = (
    '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Terima kasih.</Message></Response>'
)


@app.post("/webhooks/twilio")
def webhook() -> Response:
    """Parse the form, answer a fixed reply."""
    form = request.form
    if not form.get("MessageSid") or not form.get("From"):
        return Response("missing fields", status=400)
    return Response(TWIML, mimetype="application/xml")


@app.get("/healthz")
def health() -> Response:
    """Up."""
    return Response("ok")
