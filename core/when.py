"""Understanding when: German (and English) time expressions as moments, dates or series.

Every command that takes a time uses :func:`parse_when`. The rules are in the
README ("Dates and times") and in the docstring of ``core/when_parser.py``, where the
parser behind this interface lives. :func:`format_de` echoes a result in German for
confirmations, :func:`result_line` prints it for ``agbot parse-when``, and
:func:`warm_up` loads dateparser's language data once at start-up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from itertools import islice
from typing import Literal

from babel.dates import format_date

Prefer = Literal["future", "past"]


class WhenError(ValueError):
    """The expression was not understood or names an impossible time.

    ``reason`` is English (for logs and ``agbot parse-when``); ``examples`` are
    working expressions a user could send instead.
    """

    def __init__(self, reason: str, examples: tuple[str, ...] = ()) -> None:
        super().__init__(reason)
        self.reason = reason
        self.examples = examples


@dataclass(frozen=True)
class Moment:
    """A point in time: aware, in the zone it was parsed in."""

    at: datetime


@dataclass(frozen=True)
class Day:
    """A calendar date without a time of day (each command picks its default time)."""

    on: date


@dataclass(frozen=True)
class Recurrence:
    """A series: an RFC 5545 rule and its first occurrence (aware, in the zone).

    ``first`` keeps the rule's wall-clock time (the DTSTART). ``all_day`` series were
    given without a time of day: their occurrences are at 00:00 and each command
    applies its own default time.
    """

    rrule: str  # e.g. "FREQ=WEEKLY;BYDAY=MO" (without the "RRULE:" prefix)
    first: datetime
    all_day: bool = False

    def occurrences(self, count: int) -> list[datetime]:
        """The first ``count`` occurrences, wall-clock times kept across DST changes.

        An occurrence whose wall-clock time falls into the spring-forward gap is the
        moment that the offset before the gap gives (RFC 5545 3.3.5): 02:30 becomes
        03:30 summer time.
        """
        from dateutil.rrule import rrulestr

        naive_start = self.first.replace(tzinfo=None)
        rule = rrulestr(self.rrule, dtstart=naive_start)
        zone = self.first.tzinfo
        return [
            moment.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
            for moment in islice(rule, count)
        ]


When = Moment | Day | Recurrence


def parse_when(
    text: str,
    now: datetime,
    tz: str,
    prefer: Prefer = "future",
    day_parts: Mapping[str, time] | None = None,
) -> When:
    """Read ``text`` relative to ``now`` (aware) in the zone ``tz``.

    ``prefer`` decides incomplete expressions: "future" (scheduling) takes the earliest
    match after now, "past" (logging work) the latest at or before now. ``day_parts``
    overrides the clock times of "morgens", "vormittags", "mittags", "nachmittags" and
    "abends". Raises :class:`WhenError` for anything not understood or impossible.
    """
    from core import when_parser

    return when_parser.parse(text, now, tz, prefer, day_parts)


def warm_up() -> None:
    """Load dateparser and its language data now, so no user's first command waits for it."""
    from core import when_parser

    when_parser.warm_up()


def format_de(value: When) -> str:
    """The German echo for confirmations: "Di, 07.04.2026, 14:00 Uhr"."""
    if isinstance(value, Moment):
        return f"{_date_de(value.at.date())}, {_time_de(value.at.time())}"
    if isinstance(value, Day):
        return _date_de(value.on)
    from core.when_parser import describe_series_de

    description = describe_series_de(value.rrule)
    clock = "" if value.all_day else f", {_time_de(value.first.time())}"
    return f"{description}{clock}, ab {_date_de(value.first.date())}"


def _date_de(day: date) -> str:
    # "ccc" is the stand-alone abbreviation: "Di" (the format form "EEE" is "Di.").
    return format_date(day, "ccc, dd.MM.yyyy", locale="de")


def _time_de(clock: time) -> str:
    return f"{clock:%H:%M} Uhr"


def result_line(value: When) -> str:
    """One line of ``agbot parse-when``: a moment, a date, or a rule and three occurrences."""
    if isinstance(value, Moment):
        return value.at.isoformat(timespec="seconds")
    if isinstance(value, Day):
        return value.on.isoformat()
    upcoming = " | ".join(moment.isoformat(timespec="seconds") for moment in value.occurrences(3))
    return f"RRULE:{value.rrule} | {upcoming}"


def error_line(error: WhenError) -> str:
    """The ``agbot parse-when`` line for an expression that was not understood."""
    examples = "; ".join(f'"{example}"' for example in error.examples)
    return f"ERROR: {error.reason}" + (f" (try: {examples})" if examples else "")
