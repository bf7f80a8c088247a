"""parse_shift: a reservation moved by an amount of time, as people write it."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.intents.shifts import parse_shift

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "shift"),
    [
        ("bisa dimundurin satu jam?", HOUR),
        ("jamnya dimajuin sejam bisa ga", -HOUR),
        ("diundur 2 hari ya", 2 * DAY),
        ("can you push it back an hour", HOUR),
        ("can we push it an hour?", HOUR),
        ("push it forward an hour", -HOUR),
        ("move it a week later", 7 * DAY),
        ("dimajuin setengah jam", -HOUR / 2),
        ("mundur 30 menit aja", dt.timedelta(minutes=30)),
        ("geser sejam lebih awal bisa?", -HOUR),
        ("ditunda sehari", DAY),
    ],
)
def test_an_amount_with_a_direction_is_a_shift(text: str, shift: dt.timedelta) -> None:
    assert parse_shift(text) == shift


@pytest.mark.parametrize(
    "text",
    [
        "mundur ke jam 11",  # a clock time, not an amount
        "majuin ke kamis",
        "sudah 2 tahun belum RAT",  # an amount without a direction
        "1 jam cukup ga?",
        "",
    ],
)
def test_no_amount_or_no_direction_is_no_shift(text: str) -> None:
    assert parse_shift(text) is None
