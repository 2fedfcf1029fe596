"""Amounts and report periods as people write them: every documented form, and random text
that must never crash the parsers or yield a negative amount."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.hours.amounts import format_days, format_minutes, parse_amount
from handlers.shared.periods import parse_period

NOW = datetime(2026, 3, 25, 10, 15, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2", 120),
        ("2,5", 150),
        ("2.5h", 150),
        ("1:30", 90),
        ("90min", 90),
        ("1 Std 15 Min", 75),
        ("1 std. 15 min.", 75),
        ("0,5 TW", 240),
        ("1 Tagewerk", 480),
        ("2 PT", 960),
        ("1h30", 90),
        ("1h 30min", 90),
        ("45 Minuten", 45),
        ("2 hours", 120),
        ("0,01", 1),
        ("24", 1440),
    ],
)
def test_documented_amounts(text: str, minutes: int) -> None:
    assert parse_amount(text, 8) == minutes


@pytest.mark.parametrize("text", ["", "abc", "-2", "2,555", "1:75", "2 Tage", "zwei", "1,5,5"])
def test_what_is_not_an_amount(text: str) -> None:
    assert parse_amount(text, 8) is None


def test_a_tagewerk_has_the_ags_hours() -> None:
    assert parse_amount("1 TW", 7.8) == 468
    assert format_days(468, 7.8) == "1,0"


@given(st.integers(min_value=0, max_value=100_000))
def test_shown_minutes_read_back(minutes: int) -> None:
    assert parse_amount(format_minutes(minutes), 8) == minutes


@given(st.text(max_size=40))
def test_random_text_never_crashes_or_goes_negative(text: str) -> None:
    minutes = parse_amount(text, 8)
    assert minutes is None or minutes >= 0
    parse_period(text, NOW, "Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Monat", date(2026, 3, 1), date(2026, 3, 31)),
        ("Vormonat", date(2026, 2, 1), date(2026, 2, 28)),
        ("Jahr", date(2026, 1, 1), date(2026, 12, 31)),
        ("Vorjahr", date(2025, 1, 1), date(2025, 12, 31)),
        ("März", date(2026, 3, 1), date(2026, 3, 31)),
        ("Maerz 2025", date(2025, 3, 1), date(2025, 3, 31)),
        ("April", date(2025, 4, 1), date(2025, 4, 30)),  # the latest April that has begun
        ("Dez.", date(2025, 12, 1), date(2025, 12, 31)),
        ("03/2026", date(2026, 3, 1), date(2026, 3, 31)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
        ("Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("Q4", date(2025, 10, 1), date(2025, 12, 31)),
        ("von 1.1. bis 30.6.2026", date(2026, 1, 1), date(2026, 6, 30)),
        ("from 3 March to yesterday", date(2026, 3, 3), date(2026, 3, 24)),
        ("Woche", date(2026, 3, 23), date(2026, 3, 29)),
    ],
)
def test_periods(text: str, start: date, end: date) -> None:
    period = parse_period(text, NOW, "Europe/Berlin")
    assert period is not None
    assert (period.start, period.end) == (start, end)


def test_period_labels() -> None:
    assert parse_period("März", NOW, "Europe/Berlin").label("de") == "März 2026"  # type: ignore[union-attr]
    assert parse_period("März", NOW, "Europe/Berlin").label("en") == "March 2026"  # type: ignore[union-attr]
    assert parse_period("von 30.6.2026 bis 1.1.2026", NOW, "Europe/Berlin") is None
