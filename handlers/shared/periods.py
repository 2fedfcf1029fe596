"""Periods as people name them when they look back: ``März``, ``03/2026``, ``2026``, ``Q1``,
``Vormonat``, ``Jahr``, ``von 1.1. bis 30.6.``. Hour reports and exports, past meetings,
completed tasks and the protocols of a year read them here.

A month or quarter named without a year is the latest one that has begun: in February
2027, "März" is March 2026 — these lists look back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import get_month_names

from core.when import Day, Moment, WhenError, parse_when


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included
    kind: str  # "month", "year" or "range": how it is named

    def label(self, language: str) -> str:
        if self.kind == "month":
            return month_label(self.start, language)
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start:%d.%m.%Y} – {self.end:%d.%m.%Y}"

    def moments(self, timezone: str) -> tuple[datetime, datetime]:
        """The first and the last moment of the period in ``timezone``."""
        zone = ZoneInfo(timezone)
        start = datetime.combine(self.start, time(0), zone)
        end = datetime.combine(self.end, time(23, 59, 59, 999999), zone)
        return start, end


_THIS_MONTH = {"monat", "month", "diesen monat", "this month", "aktueller monat"}
_LAST_MONTH = {"vormonat", "letzter monat", "letzten monat", "last month", "previous month"}
_THIS_YEAR = {"jahr", "year", "dieses jahr", "this year", "aktuelles jahr"}
_LAST_YEAR = {"vorjahr", "letztes jahr", "last year", "previous year"}
_THIS_WEEK = {"woche", "week", "diese woche", "this week"}
_YEAR = re.compile(r"^((?:19|20)\d\d)$")
_NUMERIC_MONTH = re.compile(r"^(\d{1,2})[./](\d{4})$|^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^q([1-4])(?:\s*[/ ]\s*((?:19|20)\d\d))?$", re.IGNORECASE)
_RANGE = re.compile(r"^(?:von|from)\s+(?P<start>.+?)\s+(?:bis|to|until)\s+(?P<end>.+)$", re.I)


def parse_period(text: str, now: datetime, timezone: str) -> Period | None:
    """The period ``text`` names, seen from ``now`` (aware, in the AG's zone); None if none."""
    key = " ".join(text.split()).casefold().rstrip(".")
    today = now.date()
    if key in _THIS_MONTH:
        return _month(today.year, today.month)
    if key in _LAST_MONTH:
        previous = today.replace(day=1) - timedelta(days=1)
        return _month(previous.year, previous.month)
    if key in _THIS_YEAR:
        return _year(today.year)
    if key in _LAST_YEAR:
        return _year(today.year - 1)
    if key in _THIS_WEEK:
        monday = today - timedelta(days=today.weekday())
        return Period(monday, monday + timedelta(days=6), "range")
    if match := _YEAR.match(key):
        return _year(int(match[1]))
    if match := _NUMERIC_MONTH.match(key):
        month, year = (match[1], match[2]) if match[1] else (match[4], match[3])
        return _month(int(year), int(month)) if 1 <= int(month) <= 12 else None
    if match := _QUARTER.match(key):
        quarter = int(match[1])
        year = int(match[2]) if match[2] else today.year
        if not match[2] and date(year, quarter * 3 - 2, 1) > today:
            year -= 1
        start = date(year, quarter * 3 - 2, 1)
        end = _month(year, quarter * 3).end
        return Period(start, end, "range")
    if (month := _named_month(key, today)) is not None:
        return month
    if match := _RANGE.match(" ".join(text.split())):
        first, last = _day(match["start"], now, timezone), _day(match["end"], now, timezone)
        if first is None or last is None or last < first:
            return None
        return Period(first, last, "range")
    return None


def _named_month(key: str, today: date) -> Period | None:
    words = key.split()
    if not 1 <= len(words) <= 2:
        return None
    number = _month_numbers().get(words[0].rstrip("."))
    if number is None:
        return None
    if len(words) == 2:
        if not _YEAR.match(words[1]):
            return None
        return _month(int(words[1]), number)
    year = today.year if number <= today.month else today.year - 1
    return _month(year, number)


@cache
def _month_numbers() -> dict[str, int]:
    """German and English month names, wide and abbreviated, from CLDR; "maerz" too."""
    names: dict[str, int] = {}
    for locale in ("de", "en"):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, "format", locale).items():
                names[name.casefold().rstrip(".")] = number
    names["maerz"] = 3
    names["jänner"] = 1
    return names


def _day(text: str, now: datetime, timezone: str) -> date | None:
    try:
        when = parse_when(text, now, timezone, "past")
    except WhenError:
        return None
    if isinstance(when, Moment):
        return when.at.date()
    if isinstance(when, Day):
        return when.on
    return None


def _month(year: int, month: int) -> Period:
    start = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return Period(start, following - timedelta(days=1), "month")


def _year(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), "year")


def month_label(day: date, language: str) -> str:
    """``März 2026`` / ``March 2026``."""
    return f"{get_month_names('wide', 'stand-alone', language)[day.month]} {day.year}"
