"""What a run of words means before it is resolved against now: the grammar's parts.

A rule (see ``core.when.scanner``) turns words into parts; the resolvers combine them
with now, the zone and the direction. Every part remembers the words it was read from
(``words``), so that an error can name them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from fractions import Fraction
from typing import Literal


@dataclass(frozen=True, kw_only=True)
class Part:
    """The base of every part: the words it came from (not part of its value)."""

    words: str = field(default="", compare=False, repr=False)


# --- days -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RelDay(Part):
    days: int  # heute 0, morgen 1, gestern -1


@dataclass(frozen=True)
class WeekdayRef(Part):
    weekday: int
    mode: str  # "plain", "next", "last", "this", "overnext"


@dataclass(frozen=True)
class WeekShift(Part):
    weeks: int  # diese Woche 0, nächste Woche 1


@dataclass(frozen=True)
class CalDate(Part):
    day: int
    month: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class MonthName(Part):
    month: int
    year: int | None = None


@dataclass(frozen=True)
class OrdinalWeekdays(Part):
    ordinals: tuple[int, ...]
    weekday: int


@dataclass(frozen=True)
class LastDayOfMonth(Part):
    pass


@dataclass(frozen=True)
class NthWorkday(Part):
    """der erste / letzte Werktag (of a month, or of every month in a series)."""

    ordinals: tuple[int, ...]


@dataclass(frozen=True)
class WeekRef(Part):
    """An ISO 8601 calendar week: KW 22, KW 22/2026, diese KW (``shift``)."""

    number: int | None
    year: int | None = None
    shift: int | None = None


PeriodUnit = Literal["week", "month", "quarter", "half", "year"]
Point = Literal["start", "middle", "end"]


@dataclass(frozen=True)
class PeriodPoint(Part):
    """Anfang/Mitte/Ende of a week, month, quarter, half year or year.

    ``value`` names it (Mai 5, Q3 3, KW 22), ``shift`` counts from the current one
    (dieses 0, nächsten 1), ``year`` fixes the year; neither value nor shift: the
    current one when it is still to come.
    """

    point: Literal["start", "middle", "end"]
    unit: PeriodUnit
    value: int | None = None
    shift: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class Feast(Part):
    """A named day: a public holiday or a church date (Ostermontag, 1. Advent)."""

    key: str
    compute: Callable[[int, str | None], date | None] = field(compare=False)
    year: int | None = None


@dataclass(frozen=True)
class Instant(Part):
    at: datetime


# --- times of day -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClockTime(Part):
    hour: int
    minute: int
    second: int = 0
    meridiem: str | None = None
    # Spoken forms name an hour of the twelve-hour clock: "halb drei" names 3 (is 2:30).
    named_hour: int = 0


@dataclass(frozen=True)
class ClockRange(Part):
    start: ClockTime
    end: ClockTime


@dataclass(frozen=True)
class DayPart(Part):
    name: str


@dataclass(frozen=True)
class Offset(Part):
    sign: int
    months: int
    days: int
    seconds: Fraction


# --- series -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Every(Part):
    interval: int


@dataclass(frozen=True)
class Interval(Part):
    count: int
    unit: str  # "day", "weekday", "week", "month", "quarter", "year"


@dataclass(frozen=True)
class WeekdaySet(Part):
    weekdays: tuple[int, ...]


@dataclass(frozen=True)
class MonthScope(Part):
    pass


@dataclass(frozen=True)
class QuarterScope(Part):
    pass


@dataclass(frozen=True)
class StartMarker(Part):
    pass


@dataclass(frozen=True)
class UntilMarker(Part):
    pass


@dataclass(frozen=True)
class CountLimit(Part):
    count: int


@dataclass(frozen=True)
class ExceptMonths(Part):
    months: tuple[int, ...]


SERIES_MARKERS = (
    Every,
    Interval,
    WeekdaySet,
    MonthScope,
    QuarterScope,
    StartMarker,
    CountLimit,
    ExceptMonths,
    NthWorkday,
)
DATE_KINDS = (
    RelDay,
    WeekdayRef,
    WeekShift,
    CalDate,
    MonthName,
    OrdinalWeekdays,
    Instant,
    WeekRef,
    PeriodPoint,
    Feast,
    NthWorkday,
)
Found = tuple[list[Part], int] | None
Rule = Callable[[Sequence[str], int, Sequence[Part]], Found]
