"""Jinja filters of the console: Indonesian dates and numbers, waiting times, and showing what
people typed safely (control characters and terminal escapes made visible)."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from flask import Flask

DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]
MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
]  # fmt: skip
STATUS_LABELS = {
    "booked": "Menunggu konfirmasi",
    "confirmed": "Terkonfirmasi",
    "completed": "Selesai",
    "no_show": "Tidak hadir",
    "cancelled": "Dibatalkan",
}
MODE_LABELS = {"tatap_muka": "Tatap muka", "online": "Online (Zoom)"}
DELIVERY_LABELS = {
    "reply": "terkirim (balasan langsung)",
    "pending": "menunggu dikirim",
    "sending": "sedang dikirim",
    "queued": "diterima Twilio",
    "accepted": "diterima Twilio",
    "sent": "terkirim",
    "delivered": "sampai",
    "read": "dibaca",
    "failed": "gagal",
    "undelivered": "tidak sampai",
    "suppressed": "tidak dikirim",
    "waiting": "tertahan (di luar jendela 24 jam)",
    "uncertain": "sedang dipastikan",
    "expired": "kedaluwarsa, tidak dikirim",
    "withdrawn": "ditarik (reservasi berubah)",
    "late": "terkirim (balasan tertunda)",
    "received": "diterima",
    "processed": "dijawab bot",
    "held_for_human": "untuk petugas",
    "ignored": "diabaikan",
}
HANDOFF_LABELS = {"pending": "Menunggu", "open": "Ditangani", "resolved": "Selesai"}
WEEKDAYS = DAYS

# C0 and C1 controls except newline and tab, DEL, and bidirectional overrides that can make a
# message read differently from what it says
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str | None) -> str:
    """The text with control characters shown as symbols (ESC as ␛), so a terminal escape or
    a direction override cannot hide or disguise anything. Jinja escapes the HTML afterwards."""
    if not text:
        return ""

    def show(match: re.Match[str]) -> str:
        code = ord(match.group())
        if code < 0x20:
            return chr(0x2400 + code)  # the Control Pictures block: ␀ ␁ ... ␛ ...
        if code == 0x7F:
            return "\u2421"
        return f"[U+{code:04X}]"

    return _INVISIBLE.sub(show, text)


def number(value: float | int | None) -> str:
    """1234567 -> 1.234.567 (Indonesian digit grouping)."""
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        whole, _, fraction = f"{value:,.1f}".partition(".")
        return whole.replace(",", ".") + "," + fraction
    return f"{int(value):,}".replace(",", ".")


def percent(value: float | None) -> str:
    """0.125 -> 12,5%."""
    if value is None:
        return "–"
    return number(round(value * 100, 1)) + "%"


def duration(delta: dt.timedelta) -> str:
    """A waiting time as people say it: "3 menit", "2 jam 5 menit", "1 hari 4 jam"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days} hari" + (f" {hours} jam" if hours else "")
    if hours:
        return f"{hours} jam" + (f" {minutes} menit" if minutes else "")
    return f"{minutes} menit" if minutes else "baru saja"


class Dates:
    """Date filters bound to the clinic's timezone."""

    def __init__(self, timezone: str) -> None:
        self.tz = ZoneInfo(timezone)
        self.abbrev = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}.get(
            timezone, ""
        )

    def local(self, moment: dt.datetime) -> dt.datetime:
        """The moment in the clinic's timezone."""
        return moment.astimezone(self.tz)

    def date(self, value: dt.datetime | dt.date | None) -> str:
        """Senin, 23 November 2026."""
        if value is None:
            return "–"
        day = self.local(value).date() if isinstance(value, dt.datetime) else value
        return f"{DAYS[day.weekday()]}, {day.day} {MONTHS[day.month - 1]} {day.year}"

    def short_date(self, value: dt.datetime | dt.date | None) -> str:
        """Sen, 23 Nov."""
        if value is None:
            return "–"
        day = self.local(value).date() if isinstance(value, dt.datetime) else value
        return f"{DAYS[day.weekday()][:3]}, {day.day} {MONTHS[day.month - 1][:3]}"

    def time(self, value: dt.datetime | dt.time | None) -> str:
        """10.30."""
        if value is None:
            return "–"
        moment = self.local(value) if isinstance(value, dt.datetime) else value
        return f"{moment.hour:02d}.{moment.minute:02d}"

    def when(self, value: dt.datetime | None) -> str:
        """23 Nov 2026 10.30 WIB."""
        if value is None:
            return "–"
        moment = self.local(value)
        return (
            f"{moment.day} {MONTHS[moment.month - 1][:3]} {moment.year} "
            f"{moment.hour:02d}.{moment.minute:02d} {self.abbrev}"
        ).strip()


def register(app: Flask, timezone: str) -> None:
    """Add the filters to the app's Jinja environment."""
    dates = Dates(timezone)
    app.jinja_env.filters.update(
        visible=visible,
        angka=number,
        persen=percent,
        durasi=duration,
        tanggal=dates.date,
        tgl_pendek=dates.short_date,
        tgl_iso=lambda moment: dates.local(moment).date().isoformat(),
        jam=dates.time,
        waktu=dates.when,
        status_label=lambda s: STATUS_LABELS.get(s, s),
        mode_label=lambda m: MODE_LABELS.get(m, m),
        delivery_label=lambda s: DELIVERY_LABELS.get(s, s),
        handoff_label=lambda s: HANDOFF_LABELS.get(s, s),
        hari=lambda i: WEEKDAYS[i],
    )
