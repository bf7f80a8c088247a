"""Plain-text helpers for outgoing WhatsApp messages."""

from __future__ import annotations

WHATSAPP_LIMIT = 1600  # characters per message through Twilio


def split_for_whatsapp(text: str, limit: int = WHATSAPP_LIMIT) -> list[str]:
    """Split a long text into messages of at most `limit` characters, at line boundaries.

    Paragraphs stay together when they fit; a single line longer than the limit is cut at the
    last space before it (or hard, for a run without spaces).
    """
    text = text.strip()
    if len(text) <= limit:
        return [text] if text else []
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _cut_line(line, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                if current.strip():
                    parts.append(current.strip("\n"))
                current = piece
    if current.strip():
        parts.append(current.strip("\n"))
    return parts


def _cut_line(line: str, limit: int) -> list[str]:
    pieces = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        pieces.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    pieces.append(line)
    return pieces
