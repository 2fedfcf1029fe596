"""What a time expression means: a moment, a date or a series, and the error for none.

These are the values every command receives from :func:`core.when.parse_when`. A
:class:`Note` records a reading the person may not have expected ("nächsten Dienstag"
said on a Monday is tomorrow) or a detail worth repeating (the calendar week that was
given); confirmations show them next to the date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from itertools import islice
from typing import Literal
from zoneinfo import ZoneInfo

Prefer = Literal["future", "past"]
NoteKind = Literal[
    "today", "tomorrow", "day_after_tomorrow", "this_week", "next_year", "last_year", "week"
]


class WhenError(ValueError):
    """The expression was not understood or names an impossible time.

    ``reason`` is English (for logs and ``agbot parse-when``); ``examples`` are
    working expressions a user could send instead. ``words`` are the words that could
    not be placed (as typed, lower case) and ``suggestion`` a known word close to them,
    so that a reply in any language can name both. ``impossible`` is a date that does
    not exist, as a person writes it ("31.02."), so a reply can say exactly that.
    """

    def __init__(
        self,
        reason: str,
        examples: tuple[str, ...] = (),
        *,
        words: str = "",
        suggestion: str = "",
        impossible: str = "",
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.examples = examples
        self.words = words
        self.suggestion = suggestion
        self.impossible = impossible


@dataclass(frozen=True)
class Note:
    """A remark for the confirmation: "(morgen)", "(nächstes Jahr)", "(KW 22)"."""

    kind: NoteKind
    week: int = 0  # the ISO week for kind "week"


@dataclass(frozen=True)
class Moment:
    """A point in time: aware, in the zone it was parsed in.

    ``duration`` is set when a range was given ("14–16 Uhr"): the end is ``at + duration``.
    """

    at: datetime
    duration: timedelta | None = None
    notes: tuple[Note, ...] = field(default=(), compare=False)

    @property
    def end(self) -> datetime | None:
        return None if self.duration is None else self.at + self.duration


@dataclass(frozen=True)
class Day:
    """A calendar date without a time of day (each command picks its default time)."""

    on: date
    notes: tuple[Note, ...] = field(default=(), compare=False)


_UNTIL = re.compile(r"UNTIL=([0-9]{8}T[0-9]{6})Z")


@dataclass(frozen=True)
class Recurrence:
    """A series: an RFC 5545 rule and its first occurrence (aware, in the zone).

    ``first`` keeps the rule's wall-clock time (the DTSTART). ``all_day`` series were
    given without a time of day: their occurrences are at 00:00 and each command
    applies its own default time. An end is part of the rule (``UNTIL`` in UTC, as
    RFC 5545 asks for a DTSTART with a time zone, or ``COUNT``); left-out months are
    its ``BYMONTH``. ``duration`` comes from a range ("jeden Montag 10–12 Uhr").
    """

    rrule: str  # e.g. "FREQ=WEEKLY;BYDAY=MO" (without the "RRULE:" prefix)
    first: datetime
    all_day: bool = False
    duration: timedelta | None = None

    def occurrences(self, count: int) -> list[datetime]:
        """The first ``count`` occurrences, wall-clock times kept across DST changes.

        An occurrence whose wall-clock time falls into the spring-forward gap is the
        moment that the offset before the gap gives (RFC 5545 3.3.5): 02:30 becomes
        03:30 summer time.
        """
        from dateutil.rrule import rrulestr

        zone = self.first.tzinfo
        naive_start = self.first.replace(tzinfo=None)
        rule = rrulestr(_local_until(self.rrule, zone), dtstart=naive_start)
        return [
            moment.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)
            for moment in islice(rule, count)
        ]

    def count_within(self, span: timedelta, limit: int = 1000) -> int:
        """How many occurrences fall into ``span`` from the first one (at most ``limit``)."""
        end = self.first + span
        return sum(1 for moment in self.occurrences(limit) if moment < end)


def _local_until(rrule: str, zone: object) -> str:
    """dateutil compares UNTIL with the naive wall-clock DTSTART: give it local time too."""
    match = _UNTIL.search(rrule)
    if match is None or not isinstance(zone, ZoneInfo):
        return rrule
    until = datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    local = until.astimezone(zone).strftime("%Y%m%dT%H%M%S")
    return rrule[: match.start()] + f"UNTIL={local}" + rrule[match.end() :]


When = Moment | Day | Recurrence
