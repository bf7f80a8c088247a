"""Logging for the app and the CLI: one format, quiet libraries, and no phone number in clear.

Phone numbers are personal data (UU 27/2022) that ``eklinik forget`` cannot erase from log
files, so every record is masked when it is created, whatever handler later writes it
(ours, gunicorn's, a test's): ``+6281234567890`` becomes ``+62812****7890``.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Libraries whose INFO lines are routine noise or carry personal data: the Twilio SDK logs
# every request's headers and form (the recipient's number, the message); APScheduler logs
# every tick; werkzeug logs every request line (URLs may carry a phone number).
QUIET_LOGGERS = {"twilio.http_client": logging.WARNING, "apscheduler": logging.WARNING}

# A phone-like token: "+" (also URL-encoded as %2B) and 8 to 15 digits, which may be grouped
# with single spaces, dots or dashes; a local or country-code form without "+" (0812-3456-7890,
# 62812...); or any bare run of 9 to 15 digits. "whatsapp:" before it is kept. A letter or
# digit right before or after means it is part of something else (a message id SM0123...).
_PHONE = re.compile(
    r"(?<![\w+%])(?P<prefix>whatsapp:|whatsapp%3A)?(?:"
    r"(?P<plus>\+|%2B)(?P<intl>\d(?:\d|[ .\-](?=\d)){7,20})"
    r"|(?P<local>(?:0|62)\d{2,4}(?:[ .\-]?\d{2,5}){1,4})"
    r"|(?P<bare>\d{9,15})"
    r")(?!\w)",
    re.IGNORECASE,
)
MIN_DIGITS, MAX_DIGITS = 9, 15
KEEP_START, KEEP_END, HIDE_AT_LEAST = 5, 4, 4


def _mask_match(match: re.Match[str]) -> str:
    number = match.group("intl") or match.group("local") or match.group("bare") or ""
    digits = re.sub(r"\D", "", number)
    if not MIN_DIGITS <= len(digits) <= MAX_DIGITS:
        return match.group(0)
    keep_start = min(KEEP_START, len(digits) - KEEP_END - HIDE_AT_LEAST)
    masked = digits[:keep_start] + "****" + digits[-KEEP_END:]
    return (match.group("prefix") or "") + (match.group("plus") or "") + masked


def mask_phones(text: str) -> str:
    """`text` with every phone-like number masked (first 5 and last 4 digits kept)."""
    return _PHONE.sub(_mask_match, text)


class PhoneMaskingFilter(logging.Filter):
    """Rewrites a record's message (and its traceback) with phone numbers masked."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_phones_masked", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed call still gets logged, as logging itself would
            message = f"{record.msg!r} {record.args!r}"
        record.msg = mask_phones(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_phones(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_phones(record.stack_info)
        record._phones_masked = True
        return True


_install_lock = threading.Lock()
_installed = False


def install_phone_masking() -> None:
    """Mask every log record of this process when it is created (idempotent)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        previous = logging.getLogRecordFactory()
        masking = PhoneMaskingFilter()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            masking.filter(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True


def configure_logging(level: int = logging.INFO, *, quiet_requests: bool = False) -> None:
    """Our format on the root logger (unless the host, e.g. gunicorn, set one), phone masking,
    and quiet libraries. `quiet_requests` hides werkzeug's line per request (`eklinik serve`,
    so its banner stays readable)."""
    install_phone_masking()
    logging.basicConfig(level=level, format=FORMAT)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, PhoneMaskingFilter) for f in handler.filters):
            handler.addFilter(PhoneMaskingFilter())
    for name, quiet in QUIET_LOGGERS.items():
        logging.getLogger(name).setLevel(quiet)
    if quiet_requests:
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
