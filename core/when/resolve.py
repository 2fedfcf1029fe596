"""Resolving the parts of a single moment or date against now, in the preferred direction.

Incomplete dates (a weekday, a day and month, "am 15.", a time alone) are the earliest
match after now (future) or the latest at or before it (past). Relative weeks count
from today: "Montag in einer Woche" is the first Monday at least a week away,
"Mittwoch in zwei Wochen" said on a Wednesday is today in two weeks. As a deadline,
"in zwei Wochen" is that whole day, not the current clock time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from core.when.components import (
    DATE_KINDS,
    CalDate,
    Feast,
    Instant,
    LastDayOfMonth,
    MonthName,
    NthWorkday,
    Offset,
    OrdinalWeekdays,
    Part,
    PeriodPoint,
    RelDay,
    UntilMarker,
    WeekdayRef,
    WeekRef,
    WeekShift,
)
from core.when.context import Context, localize, note_year, only, pick, pick_by_year
from core.when.daytime import wall_time
from core.when.errors import (
    DATE_EXAMPLES,
    END_EXAMPLES,
    GENERAL_EXAMPLES,
    SERIES_EXAMPLES,
    NotUnderstood,
)
from core.when.feasts import is_workday
from core.when.periods import resolve_period
from core.when.values import Day, Moment, Note, When, WhenError
from core.when.weeks import check_week_note, resolve_week

ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_PRIMARIES = (RelDay, CalDate, OrdinalWeekdays, PeriodPoint, Feast, NthWorkday)


def resolve_single(parts: Sequence[Part], ctx: Context) -> When:
    """One moment or one date."""
    for part in parts:
        if isinstance(part, LastDayOfMonth):
            raise WhenError('"letzten Tag" needs a month, e.g. a series', SERIES_EXAMPLES)
        if isinstance(part, UntilMarker):
            raise WhenError(
                f'"{part.words}" ends a series, e.g. "jeden Montag 10 Uhr bis 30.6."',
                END_EXAMPLES,
            )
    dated = [part for part in parts if isinstance(part, DATE_KINDS)]
    offset = only(parts, Offset, "offset")
    wall, duration = wall_time(parts, ctx)
    if duration is not None and ctx.deadline:
        raise WhenError("a deadline is one moment, not a time range", ("bis Freitag 12 Uhr",))
    instant = only(dated, Instant, "date and time")
    if instant is not None:
        return _resolve_instant(instant, dated, parts, ctx)
    if offset is not None:
        return _resolve_offset(offset, dated, wall, ctx)
    if not dated:
        if wall is None:
            raise NotUnderstood("no date or time found", GENERAL_EXAMPLES)
        day = pick((ctx.today + timedelta(days=k) for k in (-1, 0, 1)), wall, ctx)
        if day == ctx.today + timedelta(days=1):
            ctx.note(Note("tomorrow"))  # "um 9" said at 10:15 is tomorrow's
        return _moment(day, wall, duration, ctx)
    day = resolve_day(dated, wall, ctx)
    if wall is None:
        return Day(day, tuple(ctx.notes))
    return _moment(day, wall, duration, ctx)


def _moment(day: date, wall: time, duration: timedelta | None, ctx: Context) -> Moment:
    return Moment(localize(day, wall, ctx.zone), duration, tuple(ctx.notes))


def _resolve_instant(
    instant: Instant, dated: Sequence[Part], parts: Sequence[Part], ctx: Context
) -> Moment:
    moment = instant.at.astimezone(ctx.zone)
    others = [p for p in parts if p is not instant and not isinstance(p, WeekdayRef)]
    if others:
        raise WhenError("a date-time with an offset stands alone", DATE_EXAMPLES)
    check_weekdays(moment.date(), dated)
    return Moment(moment)


def _resolve_offset(offset: Offset, dated: Sequence[Part], wall: time | None, ctx: Context) -> When:
    exact = timedelta(seconds=float(offset.seconds) * offset.sign)
    if offset.months == 0 and offset.days == 0:
        if dated or wall is not None:
            raise WhenError(
                '"in N Minuten/Stunden" stands alone', ("in 45 Minuten", "in 2 Stunden")
            )
        return Moment(_plus_exact(ctx.now, exact, ctx).replace(microsecond=0))
    if exact and (dated or wall is not None):
        raise WhenError("hours or minutes cannot be combined with a date", GENERAL_EXAMPLES)
    weekdays = [p for p in dated if isinstance(p, WeekdayRef)]
    if weekdays and len(dated) == 1:
        return _weekday_in_weeks(weekdays[0], offset, wall, ctx)
    if any(not isinstance(p, RelDay) for p in dated):
        raise WhenError(
            '"in N Tagen" counts from now, "heute" or "morgen"',
            ("in 2 Wochen", "morgen in einer Woche", "Montag in einer Woche"),
        )
    base = resolve_day(dated, wall, ctx) if dated else ctx.today
    day = base + relativedelta(months=offset.months * offset.sign, days=offset.days * offset.sign)
    if wall is None and (dated or ctx.deadline):
        return Day(day, tuple(ctx.notes))
    clock = wall if wall is not None else ctx.now.time().replace(microsecond=0)
    return Moment(_plus_exact(localize(day, clock, ctx.zone), exact, ctx))


def _weekday_in_weeks(ref: WeekdayRef, offset: Offset, wall: time | None, ctx: Context) -> When:
    """ "Montag in einer Woche": the first such weekday on or after today in N weeks."""
    if ref.mode != "plain" or offset.sign < 0 or offset.months or offset.days % 7:
        raise WhenError(
            f'"{ref.words}" with "{offset.words}": a weekday takes whole weeks from now',
            ("Montag in einer Woche", "Mittwoch in zwei Wochen 10 Uhr"),
        )
    start = ctx.today + timedelta(days=offset.days)
    day = start + timedelta(days=(ref.weekday - start.weekday()) % 7)
    return Day(day) if wall is None else Moment(localize(day, wall, ctx.zone))


def _plus_exact(moment: datetime, exact: timedelta, ctx: Context) -> datetime:
    """Elapsed time: added in UTC, so that "in 3 Stunden" is three real hours across DST."""
    return (moment.astimezone(UTC) + exact).astimezone(ctx.zone)


def resolve_day(dated: Sequence[Part], wall: time | None, ctx: Context) -> date:
    """The date the date words name, in the preferred direction where they are incomplete."""
    weekdays = [p for p in dated if isinstance(p, WeekdayRef)]
    shift = only(dated, WeekShift, "week")
    month = only(dated, MonthName, "month")
    week = only(dated, WeekRef, "calendar week")
    primaries = [p for p in dated if isinstance(p, _PRIMARIES)]
    feast = next((p for p in primaries if isinstance(p, Feast)), None)
    if feast is not None and len(primaries) == 2:
        # "Do, 02.04.2026 (Gründonnerstag)": the name confirms the date.
        day = resolve_day([p for p in dated if p is not feast], wall, ctx)
        if feast.compute(day.year, ctx.state) != day:
            raise WhenError(f'{day:%d.%m.%Y} is not "{feast.words}"', DATE_EXAMPLES)
        return day
    if len(primaries) > 1:
        shown = " and ".join(f'"{p.words}"' for p in primaries if p.words)
        raise WhenError("more than one date" + (f": {shown}" if shown else ""), GENERAL_EXAMPLES)
    if week is not None:
        if primaries or shift or month:
            if len(primaries) == 1 and isinstance(primaries[0], CalDate) and not (shift or month):
                day = _resolve_primary(primaries[0], None, wall, ctx)
                check_weekdays(day, weekdays)
                check_week_note(week, day, ctx)
                return day
            raise WhenError("a calendar week takes a weekday, not another date", DATE_EXAMPLES)
        return resolve_week(week, weekdays, wall, ctx)
    if shift is not None:
        if primaries or month or len(weekdays) != 1 or weekdays[0].mode != "plain":
            raise WhenError(
                "a week needs exactly one weekday", ("Montag nächster Woche", "Ende dieser Woche")
            )
        monday = ctx.today - timedelta(days=ctx.today.weekday())
        return monday + timedelta(weeks=shift.weeks, days=weekdays[0].weekday)
    if month is not None and not primaries and [w.mode for w in weekdays] == ["last"]:
        primaries, weekdays = [OrdinalWeekdays((-1,), weekdays[0].weekday)], []
    ordinal_kinds = OrdinalWeekdays | NthWorkday
    if month is not None and not (primaries and isinstance(primaries[0], ordinal_kinds)):
        raise WhenError("which day of that month?", ("Ende Mai", "15. Mai", "ersten Montag im Mai"))
    if primaries:
        day = _resolve_primary(primaries[0], month, wall, ctx)
        check_weekdays(day, weekdays)
        return day
    if len(weekdays) > 1:
        raise WhenError("more than one weekday", GENERAL_EXAMPLES)
    return _resolve_weekday(weekdays[0], wall, ctx)


def check_weekdays(day: date, dated: Sequence[Part]) -> None:
    for ref in dated:
        if isinstance(ref, WeekdayRef) and ref.weekday != day.weekday():
            raise WhenError(
                f"{day:%d.%m.%Y} is a {ENGLISH_WEEKDAYS[day.weekday()]}, "
                f"not a {ENGLISH_WEEKDAYS[ref.weekday]}",
                DATE_EXAMPLES,
            )


def _resolve_primary(
    primary: Part, month: MonthName | None, wall: time | None, ctx: Context
) -> date:
    if isinstance(primary, RelDay):
        return ctx.today + timedelta(days=primary.days)
    if isinstance(primary, OrdinalWeekdays | NthWorkday):
        return _resolve_nth_of_month(primary, month, wall, ctx)
    if isinstance(primary, PeriodPoint):
        return resolve_period(primary, wall, ctx)
    if isinstance(primary, Feast):
        return pick_by_year(lambda year: primary.compute(year, ctx.state), primary.year, wall, ctx)
    assert isinstance(primary, CalDate)
    if primary.month is None:
        return _resolve_day_of_month(primary.day, wall, ctx)
    if primary.year is not None:
        return date(primary.year, primary.month, primary.day)
    years = range(ctx.today.year - 8, ctx.today.year + 9)
    candidates = [_safe_date(y, primary.month, primary.day) for y in years]
    chosen = pick([c for c in candidates if c is not None], wall, ctx)
    note_year(chosen, ctx)
    return chosen


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve_day_of_month(day: int, wall: time | None, ctx: Context) -> date:
    candidates = []
    for shift in range(-13, 14):
        first = ctx.today.replace(day=1) + relativedelta(months=shift)
        candidate = _safe_date(first.year, first.month, day)
        if candidate is not None:
            candidates.append(candidate)
    return pick(candidates, wall, ctx)


def _resolve_nth_of_month(
    spec: OrdinalWeekdays | NthWorkday, month: MonthName | None, wall: time | None, ctx: Context
) -> date:
    if month is None or len(spec.ordinals) != 1:
        raise WhenError(
            "the first/last weekday needs a month, or is a series",
            ("erster Montag im April", "erster Werktag im Juni"),
        )
    years = (
        [month.year] if month.year is not None else range(ctx.today.year - 1, ctx.today.year + 2)
    )
    found = [d for d in (_nth_day(y, month.month, spec, ctx) for y in years) if d is not None]
    if month.year is not None:
        if not found:
            raise WhenError("that month has no such weekday", DATE_EXAMPLES)
        return found[0]
    chosen = pick(found, wall, ctx)
    note_year(chosen, ctx)
    return chosen


def _nth_day(
    year: int, month: int, spec: OrdinalWeekdays | NthWorkday, ctx: Context
) -> date | None:
    days = [d for d in (_safe_date(year, month, day) for day in range(1, 32)) if d is not None]
    if isinstance(spec, OrdinalWeekdays):
        days = [d for d in days if d.weekday() == spec.weekday]
    else:
        days = [d for d in days if is_workday(d, ctx.state)]
    nth = spec.ordinals[0]
    index = nth - 1 if nth > 0 else nth
    return days[index] if -len(days) <= index < len(days) else None


def _resolve_weekday(ref: WeekdayRef, wall: time | None, ctx: Context) -> date:
    today = ctx.today
    ahead = (ref.weekday - today.weekday()) % 7
    if ref.mode == "next":
        day = today + timedelta(days=ahead or 7)
        _note_near(day, ctx)
        return day
    if ref.mode == "overnext":
        return today + timedelta(days=(ahead or 7) + 7)
    if ref.mode == "last":
        back = (today.weekday() - ref.weekday) % 7
        return today - timedelta(days=back or 7)
    if ref.mode == "this":
        return today + timedelta(days=ref.weekday - today.weekday())
    candidates = [today + timedelta(days=ahead + 7 * k) for k in (-1, 0, 1)]
    # On a Wednesday, "Mittwoch" is another Wednesday (today is "heute").
    return pick(candidates, wall, ctx, today_counts=False)


def _note_near(day: date, ctx: Context) -> None:
    """ "nächsten Dienstag" said on a Monday is tomorrow: some mean next week's, so say it."""
    days = (day - ctx.today).days
    if days == 1:
        ctx.note(Note("tomorrow"))
    elif days == 2:
        ctx.note(Note("day_after_tomorrow"))
    elif day.isocalendar()[:2] == ctx.today.isocalendar()[:2]:
        ctx.note(Note("this_week"))
