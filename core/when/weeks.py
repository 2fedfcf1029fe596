"""Calendar weeks as German calendars print them (ISO 8601): KW 22, Dienstag in KW 22.

Weeks start on Monday; week 1 is the week with the year's first Thursday. A week
without a year is the next one with that number (or the last one, when logging the
past); ``KW 22/2026`` and ``KW 22 2026`` fix the year. A meeting needs the day
("Mittwoch KW 20"); a deadline given as a week ("bis KW 18") is its Friday. The
confirmation names the week: "Di, 26.05.2026 (KW 22)".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time, timedelta

from core.when.components import Found, Part, WeekdayRef, WeekRef
from core.when.context import Context, note_year, pick
from core.when.errors import WEEK_EXAMPLES
from core.when.tokens import at, small_number
from core.when.values import Note, WhenError
from core.when.vocabulary import MODES, WEEK_SHIFTS

WEEK_WORDS = {"kw", "kalenderwoche", "cw", "wk"}
_WEEK_PHRASES = (("calendar", "week"),)
_WEEK_YEAR = re.compile(r"([0-9]{1,2})/([0-9]{4}|[0-9]{2})")
_GERMAN_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag")


def _week_word(tokens: Sequence[str], index: int) -> int:
    """How many words the word for "calendar week" takes at ``index`` (0: none)."""
    word = at(tokens, index)
    if word in WEEK_WORDS or (word == "week" and small_number(at(tokens, index + 1))):
        return 1
    return 2 if tuple(tokens[index : index + 2]) in _WEEK_PHRASES else 0


def calendar_week(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """KW 22, KW22, KW 22/2026, Kalenderwoche 22, 22. KW, in KW 22, der KW 26, diese KW."""
    start = index
    while at(tokens, start) in ("in", "der", "die", "the") and start < index + 2:
        start += 1
    mode = MODES.get(at(tokens, start))
    if mode is not None and _week_word(tokens, start + 1):
        return [WeekRef(None, shift=WEEK_SHIFTS[mode])], start + 1 + _week_word(tokens, start + 1)
    size = _week_word(tokens, start)
    if size:
        return _numbered(tokens, start + size)
    number = re.fullmatch(r"([0-9]{1,2})\.", at(tokens, start))
    if number and _week_word(tokens, start + 1):
        end = start + 1 + _week_word(tokens, start + 1)
        return [_checked(int(number.group(1)), _year_at(tokens, end))], end + (
            1 if _year_at(tokens, end) else 0
        )
    return None


def _numbered(tokens: Sequence[str], index: int) -> Found:
    word = at(tokens, index)
    glued = _WEEK_YEAR.fullmatch(word)
    if glued:
        year = int(glued.group(2)) + (2000 if len(glued.group(2)) == 2 else 0)
        return [_checked(int(glued.group(1)), year)], index + 1
    number = small_number(word)
    if number is None:
        raise WhenError('"KW" needs the number of the week, e.g. "KW 22"', WEEK_EXAMPLES)
    following = _year_at(tokens, index + 1)
    return [_checked(number, following)], index + (2 if following else 1)


def _year_at(tokens: Sequence[str], index: int) -> int | None:
    word = at(tokens, index)
    return int(word) if re.fullmatch(r"20[0-9]{2}", word) else None


def _checked(number: int, year: int | None) -> WeekRef:
    if not 1 <= number <= 53:
        raise WhenError(f"there is no calendar week {number}", WEEK_EXAMPLES)
    if year is not None and _monday(year, number) is None:
        raise WhenError(f"{year} has no calendar week {number}", WEEK_EXAMPLES)
    return WeekRef(number, year)


def _monday(year: int, number: int) -> date | None:
    try:
        return date.fromisocalendar(year, number, 1)
    except ValueError:
        return None


def week_monday(week: WeekRef, ctx: Context, wall: time | None, weekday: int) -> date:
    """The Monday of the week the reference names, seen from now."""
    if week.shift is not None:
        return ctx.today - timedelta(days=ctx.today.weekday()) + timedelta(weeks=week.shift)
    assert week.number is not None
    if week.year is not None:
        monday = _monday(week.year, week.number)
        assert monday is not None
        return monday
    years = range(ctx.today.year - 1, ctx.today.year + 2)
    mondays = [m for m in (_monday(y, week.number) for y in years) if m is not None]
    chosen = pick([m + timedelta(days=weekday) for m in mondays], wall, ctx)
    note_year(chosen, ctx)
    return chosen - timedelta(days=weekday)


def resolve_week(
    week: WeekRef, weekdays: Sequence[WeekdayRef], wall: time | None, ctx: Context
) -> date:
    """The day of the week that the weekday names; a deadline without one is its Friday."""
    if len(weekdays) > 1 or any(ref.mode != "plain" for ref in weekdays):
        raise WhenError("a calendar week takes one weekday", WEEK_EXAMPLES)
    if weekdays:
        weekday = weekdays[0].weekday
    elif ctx.deadline:
        weekday = 4
    else:
        monday = week_monday(week, ctx, None, 4)
        shown = f"KW {monday.isocalendar().week}"
        raise WhenError(
            f"which day of {shown} ({monday:%d.%m.}–{monday + timedelta(days=6):%d.%m.%Y})?",
            tuple(f"{name} {shown} 10 Uhr" for name in _GERMAN_WEEKDAYS[1:3]),
        )
    day = week_monday(week, ctx, wall, weekday) + timedelta(days=weekday)
    ctx.note(Note("week", day.isocalendar().week))
    return day


def check_week_note(week: WeekRef, day: date, ctx: Context) -> None:
    """A week given next to a full date ("Di, 26.05.2026 (KW 22)") must be its week."""
    if week.number is not None and day.isocalendar().week != week.number:
        raise WhenError(
            f"{day:%d.%m.%Y} is in KW {day.isocalendar().week}, not in KW {week.number}",
            WEEK_EXAMPLES,
        )
    ctx.note(Note("week", day.isocalendar().week))
