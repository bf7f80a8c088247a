"""Delivery settings from the environment: defaults, durations, night hours, bad values."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.delivery_settings import DeliverySettings


def test_defaults_suit_the_clinic() -> None:
    settings = DeliverySettings.from_env({})
    assert settings.reminder_offsets == (dt.timedelta(days=1), dt.timedelta(hours=2))
    assert settings.digest_at is None and settings.admin_numbers == ()
    assert settings.is_quiet(dt.time(21, 0)) and settings.is_quiet(dt.time(5, 59))
    assert not settings.is_quiet(dt.time(6, 0)) and not settings.is_quiet(dt.time(20, 59))


def test_values_are_read_as_people_write_them() -> None:
    settings = DeliverySettings.from_env(
        {
            "EKLINIK_REMINDER_OFFSETS": "1d, 90m",
            "EKLINIK_QUIET_HOURS": "22.00-05.30",
            "EKLINIK_ADMIN_WHATSAPP": "+6281100000001, +6281100000002",
            "EKLINIK_ADMIN_DIGEST_AT": "06:30",
            "EKLINIK_SEND_RATE": "10",
        }
    )
    assert settings.reminder_offsets == (dt.timedelta(days=1), dt.timedelta(minutes=90))
    assert (settings.quiet_start, settings.quiet_end) == (dt.time(22), dt.time(5, 30))
    assert settings.admin_numbers == ("+6281100000001", "+6281100000002")
    assert settings.digest_at == dt.time(6, 30) and settings.rate_per_second == 10
    assert DeliverySettings.from_env({"EKLINIK_REMINDER_OFFSETS": "none"}).reminder_offsets == ()


def test_a_bad_duration_is_refused_with_its_value() -> None:
    with pytest.raises(ValueError, match="2 jam"):
        DeliverySettings.from_env({"EKLINIK_REMINDER_OFFSETS": "2 jam"})
