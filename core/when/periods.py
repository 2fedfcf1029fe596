"""Parts of weeks, months, quarters and years: Ende Mai, Mitte Juni, Anfang Juli, Q3.

- **Ende** is the last day: of a month (Ende Mai 31.05., Monatsende), a quarter (Ende Q3,
  Quartalsende 30.09.), a half year (30.06., 31.12.), a year (Jahresende 31.12.); of a
  week it is the Friday (Ende dieser Woche, Ende übernächster Woche, Ende KW 22).
- **Mitte** is the 15th of a month (of the middle month for a quarter), the Wednesday of
  a week, the 30 June of a year.
- **Anfang** is the first working day: Monday to Friday and not a public holiday of the
  AG's state (Anfang Juli 2026 is Wednesday 01.07.; Anfang 2027 Monday 04.01.), the
  Monday of a week. A person who says "Anfang Juli" in an office means the first day on
  which work is done; an error asking for the day would only add a round trip.

Without "dieses/nächsten" or a name, the current one is meant while it is still to
come, else the next ("Monatsende", "Anfang des Monats" on the 20th: next month's). As a
deadline each is the end of that day; with a time (``Ende Juli 16 Uhr``) that moment.
English: end of May, mid-June, middle of June, beginning of July, end of the quarter,
end of next week, end of Q3, month-end, year-end.
"""

from __future__ import annotations

import re
from calendar import monthrange
from collections.abc import Sequence
from datetime import date, time, timedelta

from core.when.components import Found, Part, PeriodPoint, PeriodUnit, Point
from core.when.context import Context, note_year, pick
from core.when.errors import PERIOD_EXAMPLES
from core.when.feasts import first_workday
from core.when.tokens import at, ordinal, small_number
from core.when.values import Note, WhenError
from core.when.vocabulary import MODES, MONTHS, WEEK_SHIFTS

_POINTS: dict[str, Point] = {
    **dict.fromkeys(("anfang", "beginn", "start", "beginning"), "start"),
    **dict.fromkeys(("mitte", "mid", "middle"), "middle"),
    **dict.fromkeys(("ende", "end"), "end"),
}
_UNITS: dict[str, PeriodUnit] = {
    **dict.fromkeys(("woche", "week", "kw"), "week"),
    **dict.fromkeys(("monat", "monats", "month"), "month"),
    **dict.fromkeys(("quartal", "quartals", "quarter"), "quarter"),
    **dict.fromkeys(("halbjahr", "halbjahres", "halbjahrs", "half-year"), "half"),
    **dict.fromkeys(("jahr", "jahres", "jahrs", "year"), "year"),
}
_COMPOUND_STEMS: tuple[tuple[str, PeriodUnit], ...] = (
    ("monats", "month"),
    ("quartals", "quarter"),
    ("halbjahres", "half"),
    ("jahres", "year"),
    ("month-", "month"),
    ("quarter-", "quarter"),
    ("year-", "year"),
)
_COMPOUND_POINTS: tuple[tuple[str, Point], ...] = (
    ("ende", "end"),
    ("end", "end"),
    ("mitte", "middle"),
    ("anfang", "start"),
    ("beginn", "start"),
)
_COMPOUNDS: dict[str, tuple[Point, PeriodUnit]] = {
    f"{stem}{suffix}": (point, unit)
    for stem, unit in _COMPOUND_STEMS
    for suffix, point in _COMPOUND_POINTS
}
_ARTICLES = {"des", "der", "dem", "of", "the", "von"}
_QUARTER = re.compile(r"q([1-4])(?:/([0-9]{4}|[0-9]{2}))?")


def period_point(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """Ende Mai, Ende dieses Monats, Monatsende, Ende Q3, Mitte KW 22, end of May, mid-June."""
    word = tokens[index]
    if word in _COMPOUNDS:
        point, unit = _COMPOUNDS[word]
        return _with_year(tokens, index + 1, PeriodPoint(point, unit))
    if word.startswith("mid-") and word[4:] in MONTHS:
        return _with_year(tokens, index + 1, PeriodPoint("middle", "month", MONTHS[word[4:]]))
    if word not in _POINTS:
        return None
    point = _POINTS[word]
    end = index + 1
    while at(tokens, end) in _ARTICLES:
        end += 1
    return _target(tokens, end, point)


def _target(tokens: Sequence[str], index: int, point: Point) -> Found:
    word = at(tokens, index)
    if word in MONTHS:
        return _with_year(tokens, index + 1, PeriodPoint(point, "month", MONTHS[word]))
    quarter = _QUARTER.fullmatch(word)
    if quarter:
        year = quarter.group(2)
        full = int(year) + (2000 if len(year) == 2 else 0) if year else None
        found = PeriodPoint(point, "quarter", int(quarter.group(1)), year=full)
        return _with_year(tokens, index + 1, found) if full is None else ([found], index + 1)
    if re.fullmatch(r"20[0-9]{2}", word):
        return [PeriodPoint(point, "year", year=int(word))], index + 1
    mode = MODES.get(word)
    if mode is not None and at(tokens, index + 1) in _UNITS:
        unit = _UNITS[at(tokens, index + 1)]
        return [PeriodPoint(point, unit, shift=WEEK_SHIFTS[mode])], index + 2
    number = ordinal(word)
    if number is not None and at(tokens, index + 1) in _UNITS:
        unit = _UNITS[at(tokens, index + 1)]
        if unit in ("quarter", "half") and 1 <= number <= (4 if unit == "quarter" else 2):
            found = PeriodPoint(point, unit, number)
            return _with_year(tokens, index + 2, found)
    if word in _UNITS:
        unit = _UNITS[word]
        if unit == "week" and small_number(at(tokens, index + 1)):
            return [PeriodPoint(point, "week", small_number(at(tokens, index + 1)))], index + 2
        return _with_year(tokens, index + 1, PeriodPoint(point, unit))
    raise WhenError(
        f'"{" ".join(tokens[index - 1 : index + 1])}": the start, middle or end of what?',
        PERIOD_EXAMPLES,
    )


def _with_year(tokens: Sequence[str], index: int, found: PeriodPoint) -> Found:
    word = at(tokens, index)
    if re.fullmatch(r"20[0-9]{2}", word):
        return [PeriodPoint(found.point, found.unit, found.value, year=int(word))], index + 1
    return [found], index


# --- resolving -----------------------------------------------------------------------------


def resolve_period(found: PeriodPoint, wall: time | None, ctx: Context) -> date:
    """The day that the part of the period names, seen from now."""
    if found.unit == "week":
        return _week_day(found, wall, ctx)
    if found.shift is not None:
        return _day_in(found, _shifted(found.unit, found.shift, ctx.today), ctx)
    if found.value is None and found.year is None:
        here = _shifted(found.unit, 0, ctx.today)
        around = [_shifted(found.unit, shift, ctx.today) for shift in (-1, 0, 1)]
        days = [_day_in(found, period, ctx) for period in around]
        chosen = pick(days, wall, ctx)
        if chosen != _day_in(found, here, ctx):
            note_year(chosen, ctx)
        return chosen
    years = [found.year] if found.year else list(range(ctx.today.year - 2, ctx.today.year + 3))
    days = [_day_in(found, (year, found.value or 1), ctx) for year in years]
    if found.year is not None:
        return days[0]
    chosen = pick(days, wall, ctx)
    note_year(chosen, ctx)
    return chosen


def _shifted(unit: str, shift: int, today: date) -> tuple[int, int]:
    """(year, number of the month/quarter/half) of today's period moved by ``shift``."""
    size = {"month": 1, "quarter": 3, "half": 6, "year": 12}[unit]
    index = (today.year * 12 + today.month - 1) // size + shift
    if unit == "year":
        return index, 1
    per_year = 12 // size
    return index // per_year, index % per_year + 1


def _day_in(found: PeriodPoint, period: tuple[int, int], ctx: Context) -> date:
    year, number = period
    if year not in range(1900, 2201):
        raise WhenError("the date is out of range", PERIOD_EXAMPLES)
    size = {"month": 1, "quarter": 3, "half": 6, "year": 12}[found.unit]
    first_month = (number - 1) * size + 1
    last_month = first_month + size - 1
    if found.point == "end":
        return date(year, last_month, monthrange(year, last_month)[1])
    if found.point == "start":
        return first_workday(date(year, first_month, 1), ctx.state)
    if found.unit == "month":
        return date(year, first_month, 15)
    if found.unit == "quarter":
        return date(year, first_month + 1, 15)
    if found.unit == "year":
        return date(year, 6, 30)
    raise WhenError("the middle of a half year is no single day", PERIOD_EXAMPLES)


def _week_day(found: PeriodPoint, wall: time | None, ctx: Context) -> date:
    weekday = {"start": 0, "middle": 2, "end": 4}[found.point]
    this_monday = ctx.today - timedelta(days=ctx.today.weekday())
    if found.shift is not None:
        return this_monday + timedelta(weeks=found.shift, days=weekday)
    if found.value is not None:
        years = range(ctx.today.year - 1, ctx.today.year + 2)
        days = []
        for year in years:
            try:
                days.append(date.fromisocalendar(year, found.value, weekday + 1))
            except ValueError:
                continue
        if not days:
            raise WhenError(f"there is no calendar week {found.value}", PERIOD_EXAMPLES)
        chosen = pick(days, wall, ctx)
        ctx.note(Note("week", found.value))
        return chosen
    days = [this_monday + timedelta(weeks=k, days=weekday) for k in (-1, 0, 1)]
    return pick(days, wall, ctx)
