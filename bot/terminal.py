"""Text from WhatsApp shown on an operator's terminal: control characters escaped.

A person can send terminal escape sequences (ESC [ ... ), 8-bit controls or bidirectional
overrides; printed raw they would recolour, move or hide text, or rewrite the screen of
whoever runs ``eklinik handoff list``. They are shown as visible escapes instead.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

_KEEP_IN_BLOCKS = frozenset("\n\t")


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _unsafe(char: str) -> bool:
    # Cc: C0 and C1 controls and DEL; Cf: format characters (bidi overrides, zero widths);
    # Zl/Zp: line and paragraph separators; Cs: lone surrogates
    return unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs")


def for_terminal(text: str, *, keep_newlines: bool = False) -> str:
    """`text` with every control or format character written as a visible escape (\\x1b)."""
    keep = _KEEP_IN_BLOCKS if keep_newlines else frozenset()
    return "".join(_escape(char) if _unsafe(char) and char not in keep else char for char in text)


def json_for_terminal(data: Any) -> str:
    """Indented JSON whose strings carry no raw control or format character (valid JSON)."""
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    # json.dumps escapes C0 controls itself; C1 controls, bidi overrides and separators it
    # leaves raw. A \\uXXXX escape means the same character to any JSON reader. (The only
    # raw newlines are the indentation's: those inside strings are already escaped.)
    return "".join(
        "".join(f"\\u{unit:04x}" for unit in _utf16(char))
        if _unsafe(char) and char != "\n"
        else char
        for char in text
    )


def _utf16(char: str) -> list[int]:
    data = char.encode("utf-16-be", "surrogatepass")
    return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)]
