"""Resolving a series: its rule, its first occurrence after now, its start and its end.

"ab <Datum>" starts it later; "bis <Datum>" ends it with that day (``UNTIL``, the end
of the day in the AG's zone, written in UTC as RFC 5545 asks); "10 mal" gives its
number of occurrences (``COUNT``, counted from the first). A range ("jeden Montag
10–12 Uhr") gives every occurrence its duration.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import islice

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from core.when.components import (
    CalDate,
    CountLimit,
    Feast,
    Instant,
    MonthName,
    Part,
    PeriodPoint,
    RelDay,
    StartMarker,
    UntilMarker,
    WeekdayRef,
    WeekRef,
    WeekShift,
)
from core.when.context import Context, only
from core.when.daytime import no_time_allowed, wall_time
from core.when.errors import END_EXAMPLES, SERIES_EXAMPLES
from core.when.resolve import resolve_day
from core.when.series_rules import SeriesRule, check_spelled, series_rule
from core.when.values import Recurrence, WhenError

_BOUND_KINDS = (
    RelDay,
    CalDate,
    WeekdayRef,
    WeekShift,
    MonthName,
    Instant,
    WeekRef,
    PeriodPoint,
    Feast,
)
SCAN_LIMIT = 5000


def resolve_series(parts: Sequence[Part], ctx: Context) -> Recurrence:
    main, start = _split(parts, StartMarker, '"ab"')
    main, until = _split(main, UntilMarker, '"bis"')
    limit = only(main, CountLimit, "number of occurrences")
    if until and limit:
        raise WhenError(
            'a series ends on a date ("bis") or after a count ("mal"), not both', END_EXAMPLES
        )
    rule = series_rule([p for p in main if not isinstance(p, CountLimit)])
    check_spelled(rule, main)
    wall, duration = wall_time(main, ctx)
    start_day = max(ctx.today, _resolve_start(start, ctx)) if start else ctx.today
    first = _first_occurrence(rule, start_day, wall, ctx)
    if until:
        last_day = _resolve_bound(until, ctx, '"bis"')
        end = datetime.combine(last_day, time(23, 59, 59), tzinfo=ctx.zone)
        if end < first.replace(tzinfo=ctx.zone):
            raise WhenError(
                f"the series would end ({last_day:%d.%m.%Y}) before it starts", END_EXAMPLES
            )
        rule = replace(rule, until=end.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))
    if limit:
        rule = replace(rule, count=limit.count)
    return Recurrence(rule.text(), first.replace(tzinfo=ctx.zone), wall is None, duration)


def _split(parts: Sequence[Part], marker: type[Part], name: str) -> tuple[list[Part], list[Part]]:
    """The parts without ``marker`` and the date parts that follow it."""
    markers = [i for i, p in enumerate(parts) if isinstance(p, marker)]
    if not markers:
        return list(parts), []
    if len(markers) > 1:
        raise WhenError(f"more than one {name}", SERIES_EXAMPLES)
    head, tail = parts[: markers[0]], parts[markers[0] + 1 :]
    size = 0
    while size < len(tail) and isinstance(tail[size], _BOUND_KINDS):
        size += 1
    if size == 0:
        raise WhenError(
            f'{name} needs a date, e.g. "jeden Montag ab 13.4. bis 30.6."', END_EXAMPLES
        )
    return [*head, *tail[size:]], list(tail[:size])


def _resolve_start(start: Sequence[Part], ctx: Context) -> date:
    month = only(start, MonthName, "month")
    shift = only(start, WeekShift, "week")
    if shift is not None and len(start) == 1:
        monday = ctx.today - timedelta(days=ctx.today.weekday())
        return monday + timedelta(weeks=shift.weeks)
    if month is not None and len(start) == 1:
        years = [month.year] if month.year else [ctx.today.year, ctx.today.year + 1]
        firsts = [date(y, month.month, 1) for y in years]
        return next((d for d in firsts if (d + relativedelta(months=1)) > ctx.today), firsts[-1])
    return _resolve_bound(start, ctx, '"ab"')


def _resolve_bound(parts: Sequence[Part], ctx: Context, name: str) -> date:
    """The day a start or end names: always looking ahead; "bis Juni" is the end of June."""
    if any(isinstance(p, Instant) for p in parts):
        raise WhenError(f"{name} takes a date", SERIES_EXAMPLES)
    no_time_allowed(parts, name)
    future = Context(ctx.now, ctx.zone, "future", ctx.day_parts, ctx.state, deadline=True)
    month = only(parts, MonthName, "month")
    if month is not None and len(parts) == 1:
        years = [month.year] if month.year else [ctx.today.year, ctx.today.year + 1]
        ends = [date(y, month.month, 1) + relativedelta(months=1, days=-1) for y in years]
        return next((d for d in ends if d >= ctx.today), ends[-1])
    return resolve_day(parts, None, future)


def _first_occurrence(rule: SeriesRule, start: date, wall: time | None, ctx: Context) -> datetime:
    """The earliest occurrence on or after ``start`` and after now (naive wall-clock time).

    Whole-day series start at 00:00, so today's occurrence has begun and is not the first.
    """
    dtstart = datetime.combine(start, wall or time(0))
    occurrences = rrulestr(rule.text(interval=1, bounded=False), dtstart=dtstart)
    for occurrence in islice(occurrences, SCAN_LIMIT):
        moment: datetime = occurrence
        if moment.replace(tzinfo=ctx.zone) > ctx.now:
            return moment
    raise WhenError("this series has no occurrence", SERIES_EXAMPLES)
