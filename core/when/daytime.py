"""The wall-clock time (and duration) that the time-of-day parts of an expression give.

Day parts set a time (früh/morgens 08:00, vormittags 10:00, mittags 12:00, nachmittags
15:00, abends 19:00) or decide the half of the day for a clock time ("8 Uhr abends" is
20:00). Written hours are on the 24-hour clock, so "um 3" is 03:00. A spoken time names
an hour of the twelve-hour clock: from 8 to 12 it is the working day's ("halb elf"
10:30, "Viertel vor acht" 7:45); a named hour from 1 to 7 would be a night hour by the
rule for bare hours, which nobody means, so without a day part it is an error that says
so ("halb drei nachmittags", "14:30").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, time, timedelta

from core.when.components import ClockRange, ClockTime, DayPart, Part
from core.when.context import Context, only
from core.when.errors import GENERAL_EXAMPLES, TIME_EXAMPLES
from core.when.values import WhenError

_ALLOWED = {
    "morgens": range(0, 12),
    "vormittags": range(5, 13),
    "mittags": range(11, 16),
    "nachmittags": range(12, 20),
    "abends": range(16, 24),
    "nachts": set(range(0, 6)) | set(range(18, 24)),
}


def wall_time(parts: Sequence[Part], ctx: Context) -> tuple[time | None, timedelta | None]:
    """The time of day and, for a range, the duration; (None, None) without any."""
    span = only(parts, ClockRange, "time range")
    clock = only(parts, ClockTime, "time of day")
    part = only(parts, DayPart, "part of the day")
    if span is not None:
        if clock is not None:
            raise WhenError(
                f'a time range and another time: "{span.words}" and "{clock.words}"',
                ("7.5. 14–16 Uhr", "von 10 bis 12 Uhr"),
            )
        start, end = _clock_time(span.start, part), _clock_time(span.end, part)
        begin = datetime.combine(datetime.min, start)
        finish = datetime.combine(datetime.min, end)
        if finish <= begin:
            raise WhenError(
                f'"{span.words}" ends before it starts', ("9:30–11:00 Uhr", "13-15 Uhr")
            )
        return start, finish - begin
    if clock is None:
        if part is None:
            return None, None
        if part.name not in ctx.day_parts:
            raise WhenError('"nachts" needs a time, e.g. "2 Uhr nachts"', TIME_EXAMPLES)
        return ctx.day_parts[part.name], None
    return _clock_time(clock, part), None


def _clock_time(clock: ClockTime, part: DayPart | None) -> time:
    if clock.named_hour:
        return _spoken_time(clock, part)
    hour = _hour_with_meridiem(clock)
    if part is not None:
        hour = hour_in_day_part(hour, part.name)
    return time(hour, clock.minute, clock.second)


def _spoken_time(clock: ClockTime, part: DayPart | None) -> time:
    named = clock.named_hour
    if part is None:
        if 1 <= named <= 7:
            words = clock.words or f"{named}"
            later = f"{clock.hour + 12}:{clock.minute:02d}"
            raise WhenError(
                f'"{words}" names {named} o\'clock: hours from 1 to 7 are read like bare hours '
                f'("um 3" is 03:00), so say which half of the day: "{words} nachmittags" or '
                f'"{later}"',
                (f"{words} nachmittags", later),
            )
        return time(clock.hour, clock.minute)
    if named > 12:
        return time(hour_in_day_part(clock.hour, part.name), clock.minute)
    twelve = clock.hour % 12 or 12
    if part.name in ("morgens", "vormittags", "nachts") and twelve == 12:
        twelve = 0 if part.name != "vormittags" else 12
    return time(hour_in_day_part(twelve, part.name), clock.minute)


def _hour_with_meridiem(clock: ClockTime) -> int:
    if clock.meridiem is None:
        return clock.hour
    if not 1 <= clock.hour <= 12:
        raise WhenError(f"{clock.hour} {clock.meridiem} is not a time of day", TIME_EXAMPLES)
    hour = clock.hour % 12
    return hour + 12 if clock.meridiem == "pm" else hour


def hour_in_day_part(hour: int, part: str) -> int:
    """ "8 Uhr abends" is 20:00; a clock time that contradicts the day part is an error."""
    if part in ("nachmittags", "abends") and 1 <= hour <= 11:
        return hour + 12
    if part == "mittags" and 1 <= hour <= 3:
        return hour + 12
    if part == "nachts" and 6 <= hour <= 11:
        return hour + 12
    if hour not in _ALLOWED[part]:
        raise WhenError(f"{hour} Uhr does not fit {part}", TIME_EXAMPLES)
    return hour


def no_time_allowed(parts: Sequence[Part], what: str) -> None:
    """Refuse a time of day where only a date makes sense (a series end, a start)."""
    for part in parts:
        if isinstance(part, ClockTime | ClockRange | DayPart):
            raise WhenError(f'{what} takes a date, not "{part.words}"', GENERAL_EXAMPLES)
