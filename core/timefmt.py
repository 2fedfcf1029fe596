"""Dates and times as people read them: "Di, 07.04.2026, 14:00 Uhr" / "Tue, 07.04.2026, 14:00".

Weekday names come from Babel (CLDR); German abbreviations lose CLDR's trailing
period, as in German office correspondence.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date


def _weekday(day: date, language: str) -> str:
    return _weekday_name(day.weekday(), language)


# Babel's formatting costs about 25 µs a call; a list of 200 tasks shows 200 dates.
@functools.cache
def _weekday_name(weekday: int, language: str) -> str:
    monday = date(2024, 1, 1)
    return format_date(monday + timedelta(days=weekday), "EEE", locale=language).rstrip(".")


def format_day(day: date, language: str) -> str:
    """``Di, 07.04.2026`` (both languages use the German date order of the users)."""
    return f"{_weekday(day, language)}, {day:%d.%m.%Y}"


def format_moment(moment: datetime, language: str, zone: str | None = None) -> str:
    """``Di, 07.04.2026, 14:00 Uhr``; aware moments are shown in ``zone`` if given."""
    if zone is not None and moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(zone))
    clock = f"{moment:%H:%M} Uhr" if language == "de" else f"{moment:%H:%M}"
    return f"{format_day(moment.date(), language)}, {clock}"


def format_time(moment: datetime, language: str, zone: str | None = None) -> str:
    """``14:00 Uhr`` / ``14:00``."""
    if zone is not None and moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(zone))
    return f"{moment:%H:%M} Uhr" if language == "de" else f"{moment:%H:%M}"


def format_length(minutes: int, language: str) -> str:
    """A meeting's length as an office writes it: ``3 Std.``, ``2,5 Std.``, ``1:40 Std.``,
    ``45 Min.``; in English ``3 h``, ``2.5 h``, ``1:40 h``, ``45 min``."""
    hours_unit, minutes_unit = ("Std.", "Min.") if language == "de" else ("h", "min")
    if minutes < 60:
        return f"{minutes} {minutes_unit}"
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return f"{hours} {hours_unit}"
    if rest == 30:
        # Half hours read as a decimal ("2,5 Std."); other minutes as a clock ("1:40 Std.").
        decimal = "," if language == "de" else "."
        return f"{hours}{decimal}5 {hours_unit}"
    return f"{hours}:{rest:02d} {hours_unit}"
