"""Rules for absolute dates: 7.4., 07.04.2026, 20. April, ISO, 07-04-2026, "am 15.".

Dates are day first. A day and month that do not exist (30.02., 31.04.) are errors,
never rolled over. Dates with "-" or "/" (``07-04-2026``, ``2026/04/07``,
``7-Apr-2026``, ``Apr-7``) are read here too; "4/7" or "10-12" never are.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime

from core.when.components import (
    CalDate,
    ClockTime,
    Found,
    Instant,
    LastDayOfMonth,
    MonthName,
    NthWorkday,
    OrdinalWeekdays,
    Part,
)
from core.when.errors import DATE_EXAMPLES, SERIES_EXAMPLES, TIME_EXAMPLES
from core.when.tokens import (
    GLUED_DAY_MONTH,
    ISO_DATE,
    ISO_DATETIME,
    NUMERIC_DATE,
    SHORT_DATE,
    at,
    ordinal,
    small_number,
)
from core.when.values import WhenError
from core.when.vocabulary import (
    AND_WORDS,
    LAST_WORDS,
    MERIDIEMS,
    MONTHS,
    UHR,
    WEEKDAYS,
    WORKDAY_WORDS,
)

YEARS = range(1900, 2201)
_DASH_NUMERIC = re.compile(r"([0-9]{1,2})([-/])([0-9]{1,2})\2([0-9]{4}|[0-9]{2})")
_DASH_ISO = re.compile(r"([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})")
_DASH_NAMED = re.compile(r"([0-9]{1,2})-([a-zäöü]{3,9})\.?(?:-([0-9]{4}|[0-9]{2}))?")
_DASH_NAMED_FIRST = re.compile(r"([a-zäöü]{3,9})-([0-9]{1,2})(?:-([0-9]{4}|[0-9]{2}))?")
DAY_WORDS = {"tag", "day"}


def iso(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """2026-04-07, 2026-04-07T14:30, 2026-04-07T14:30+00:00."""
    word = tokens[index]
    if ISO_DATETIME.fullmatch(word):
        try:
            moment = datetime.fromisoformat(word.upper())
        except ValueError:
            raise WhenError(f'"{word}" is not a valid date and time', DATE_EXAMPLES) from None
        if moment.tzinfo is not None:
            return [Instant(moment)], index + 1
        day = CalDate(moment.day, moment.month, moment.year)
        return [day, ClockTime(moment.hour, moment.minute, moment.second)], index + 1
    match = ISO_DATE.fullmatch(word)
    if match:
        year, month, day_of_month = (int(group) for group in match.groups())
        return [checked_date(day_of_month, month, year)], index + 1
    return None


def dash_date(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """07-04-2026, 7/4/26, 2026/04/07, 7-Apr-2026, 7-Apr, Apr-7."""
    word = tokens[index]
    match = _DASH_NUMERIC.fullmatch(word)
    if match:
        day, _sep, month, year = match.groups()
        return [checked_date(int(day), int(month), _full_year(year))], index + 1
    match = _DASH_ISO.fullmatch(word)
    if match:
        year, month, day = match.groups()
        return [checked_date(int(day), int(month), int(year))], index + 1
    match = _DASH_NAMED.fullmatch(word)
    if match and match.group(2) in MONTHS:
        day, name, year = match.groups()
        return [checked_date(int(day), MONTHS[name], _full_year(year))], index + 1
    match = _DASH_NAMED_FIRST.fullmatch(word)
    if match and match.group(1) in MONTHS:
        name, day, year = match.groups()
        return [checked_date(int(day), MONTHS[name], _full_year(year))], index + 1
    return None


def _full_year(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) + (2000 if len(text) == 2 else 0)


def numeric_date(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """7.4., 7.4.26, 07.04.2026, 7.4 (day first)."""
    word = tokens[index]
    match = NUMERIC_DATE.fullmatch(word) or SHORT_DATE.fullmatch(word)
    if match is None:
        return None
    groups = match.groups()
    if len(groups) == 2 and 12 < int(groups[1]) < 60:
        raise WhenError(
            f'"{word}" is not a date; a time is written {groups[0]}:{groups[1]}', TIME_EXAMPLES
        )
    year = _full_year(groups[2]) if len(groups) > 2 else None
    return [checked_date(int(groups[0]), int(groups[1]), year)], index + 1


def month_date(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """20. April [2026], 20 Apr, 20th of April, April 20th[, 2026], 20.april."""
    word = tokens[index]
    glued = GLUED_DAY_MONTH.fullmatch(word)
    if glued and glued.group(2) in MONTHS:
        return _with_year(tokens, index + 1, int(glued.group(1)), MONTHS[glued.group(2)])
    day = day_number(word)
    if day is not None:
        end = index + 2 if at(tokens, index + 1) == "of" else index + 1
        if at(tokens, end) in MONTHS:
            return _with_year(tokens, end + 1, day, MONTHS[at(tokens, end)])
        return None
    if word not in MONTHS:
        return None
    month = MONTHS[word]
    day = day_number(at(tokens, index + 1))
    after = at(tokens, index + 2)
    if day is not None and after not in UHR and after not in MERIDIEMS:
        return _with_year(tokens, index + 2, day, month)
    year = year_number(at(tokens, index + 1))
    if year is not None:
        return [MonthName(month, year)], index + 2
    return [MonthName(month)], index + 1


def day_number(word: str) -> int | None:
    number = small_number(word)
    if number is not None:
        return number
    found = ordinal(word)
    return found if found is not None and found > 0 else None


def year_number(word: str) -> int | None:
    return int(word) if re.fullmatch(r"[0-9]{4}", word) else None


def _with_year(tokens: Sequence[str], index: int, day: int, month: int) -> Found:
    year = year_number(at(tokens, index))
    end = index + 1 if year is not None else index
    return [checked_date(day, month, year)], end


def checked_date(day: int, month: int, year: int | None) -> CalDate:
    """A day and month that exist (in the given year, or in some year)."""
    if year is not None and year not in YEARS:
        raise WhenError(f"the year {year} is out of range", DATE_EXAMPLES)
    try:
        date(year if year is not None else 2000, month, day)
    except ValueError:
        shown = f"{day:02d}.{month:02d}." + (str(year) if year is not None else "")
        raise WhenError(f"{shown} does not exist", DATE_EXAMPLES, impossible=shown) from None
    return CalDate(day, month, year)


def ordinals(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """ersten [und dritten] Dienstag, letzten Tag, ersten Werktag, am 15., the 15th."""
    first = ordinal(tokens[index])
    if first is None and tokens[index] in LAST_WORDS:
        following = at(tokens, index + 1)
        countable = following in DAY_WORDS or following in WORKDAY_WORDS
        if not countable and following not in AND_WORDS:
            return None
        first = -1
    if first is None:
        return None
    numbers, end = [first], index + 1
    while at(tokens, end) in AND_WORDS:
        following = at(tokens, end + 1)
        more = -1 if following in LAST_WORDS else ordinal(following)
        if more is None:
            break
        numbers.append(more)
        end += 2
    return _ordinal_target(tokens, end, tuple(numbers))


def _ordinal_target(tokens: Sequence[str], end: int, numbers: tuple[int, ...]) -> Found:
    following = at(tokens, end)
    if following in WEEKDAYS:
        check_ordinals(numbers, 5)
        return [OrdinalWeekdays(numbers, WEEKDAYS[following])], end + 1
    if following in WORKDAY_WORDS:
        check_ordinals(numbers, 23)
        return [NthWorkday(numbers)], end + 1
    if following in DAY_WORDS:
        end += 1
    if len(numbers) == 1 and numbers[0] == -1:
        return [LastDayOfMonth()], end
    if any(number < 1 for number in numbers):
        raise WhenError("only the last day of a month can be counted from the end", SERIES_EXAMPLES)
    check_ordinals(numbers, 31)
    return [CalDate(number) for number in numbers], end


def check_ordinals(numbers: tuple[int, ...], highest: int) -> None:
    for number in numbers:
        if number == 0 or number > highest or number < -2:
            raise WhenError(f"there is no {number}. day of that kind", SERIES_EXAMPLES)


def am_day(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """ "am 15" (without the dot) is the 15th of a month."""
    word = at(tokens, index + 1)
    if tokens[index] != "am" or not re.fullmatch(r"[0-9]{1,2}", word):
        return None
    following = at(tokens, index + 2)
    if following in UHR or following in MERIDIEMS or following in MONTHS or following == "of":
        return None
    check_ordinals((int(word),), 31)
    return [CalDate(int(word))], index + 2
