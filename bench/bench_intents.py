"""Timing of bot.intents over a realistic mix of WhatsApp messages.

Run: .venv/bin/python bench/bench_intents.py [--rounds N]
Prints the import time, the first call of each function (data files loaded, caches empty),
then per-call mean and p95 over the mix, with warm caches and with the per-word caches
cleared before each round (a new message's words are rarely all cached in production).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MESSAGES = [
    "halo",
    "Haloooo kak 🙏",
    "selamat pagi min",
    "assalamualaikum wr wb",
    "menu",
    "1",
    "2",
    "reservasi",
    "resevasi",
    "sy mau konsul bsk jam 10",
    "saya mau konsultasi tentang laporan keuangan koperasi kami",
    "cek reservasi saya",
    "mau ganti jadwal ke senin depan jam 2 siang",
    "batal",
    "saya mau batalkan reservasi",
    "gak jadi kak",
    "info jam buka dong",
    "alamat kantornya dimana?",
    "admin",
    "bicara dengan petugas",
    "bingung",
    "?",
    "kembali",
    "ya",
    "iya betul",
    "ok",
    "tidak",
    "makasih kak",
    "thx",
    "stop",
    "tolong berhenti kirim pesan",
    "mulai",
    "penjualan kami menurun tahun ini",
    "koperasi kami belum punya badan hukum, bagaimana cara mengurusnya?",
    "I want to book a consultation for next monday at 10am",
    "can I talk to a human please",
    "tgl 5",
    "5 Desember 2026",
    "jumat ini jam 9 pagi",
    "besok",
    "lusa setengah 11",
    "👍",
    "Saya pemilik usaha batik di kecamatan Sukamaju. Omzet kami turun sejak pandemi dan "
    "kami kesulitan memasarkan produk secara online. Apakah bisa dibantu?",
]
TODAY = dt.date(2026, 11, 22)


def _measure(function: Callable[[str], object], messages: list[str]) -> list[float]:
    times: list[float] = []
    for message in messages:
        start = time.perf_counter()
        function(message)
        times.append(time.perf_counter() - start)
    return times


def _report(name: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(
        f"  {name:<14} mean {statistics.fmean(times) * 1e6:8.1f} µs"
        f"   p95 {p95 * 1e6:8.1f} µs   max {ordered[-1] * 1e6:8.1f} µs"
    )


def _clear_word_caches() -> None:
    modules = {
        name: importlib.import_module(f"bot.intents.{name}")
        for name in ("calendar", "language", "normalize", "spelling", "stemming")
    }
    for module, function in (
        ("normalize", "collapse_repeats"),
        ("normalize", "_expand_word"),
        ("spelling", "correct"),
        ("stemming", "stem"),
        ("calendar", "_fix_name"),
        ("language", "_fix"),
    ):
        getattr(modules[module], function).cache_clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    rounds = parser.parse_args().rounds

    start = time.perf_counter()
    import bot  # noqa: F401  (the parent package, Flask: not ours, timed apart)

    parent = time.perf_counter()
    import bot.intents as intents

    imported = time.perf_counter()
    print(f"import bot (parent, Flask)    {(parent - start) * 1e3:7.1f} ms")
    print(f"import bot.intents            {(imported - parent) * 1e3:7.1f} ms")
    first: list[tuple[str, Callable[[], object]]] = [
        ("classify", lambda: intents.classify("sy mau konsul bsk jam 10")),
        ("parse_date", lambda: intents.parse_date("sy mau konsul bsk jam 10", TODAY)),
        ("parse_time", lambda: intents.parse_time("sy mau konsul bsk jam 10")),
        ("normalize", lambda: intents.normalize("Haloooo kak")),
        ("language", lambda: intents.detect_language_choice("english please")),
        ("match_option", lambda: intents.match_option("modal", ["Akses permodalan", "Pasar"])),
    ]
    for name, call in first:
        begin = time.perf_counter()
        call()
        print(f"first call {name:<18} {(time.perf_counter() - begin) * 1e3:7.1f} ms")

    functions: list[tuple[str, Callable[[str], object]]] = [
        ("classify", intents.classify),
        ("parse_date", lambda text: intents.parse_date(text, TODAY)),
        ("parse_time", intents.parse_time),
        ("normalize", intents.normalize),
    ]
    matcher = importlib.import_module("bot.intents.matcher")
    for label, clear in (("warm word caches", False), ("cold word caches", True)):
        print(f"\nper call, {len(MESSAGES)} messages x {rounds} rounds, {label}:")
        for name, function in functions:
            times: list[float] = []
            for _ in range(rounds):
                matcher._classify_cached.cache_clear()  # each message is new to classify
                if clear:
                    _clear_word_caches()
                times.extend(_measure(function, MESSAGES))
            _report(name, times)
    print("\nthe same message classified again (the engine and flows ask several times):")
    times = []
    for _ in range(rounds):
        times.extend(_measure(intents.classify, MESSAGES))
    _report("classify", times)
    long_text = "saya mau tanya " * 700
    begin = time.perf_counter()
    intents.classify(long_text)
    print(
        f"\nclassify of a {len(long_text):,}-character message: "
        f"{(time.perf_counter() - begin) * 1e3:.1f} ms"
    )


if __name__ == "__main__":
    main()
