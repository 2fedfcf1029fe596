"""Rules for times of day: 14:30, 14 Uhr, um 9, 2pm, halb elf, Viertel nach zwei, ranges.

Written times are read on the 24-hour clock ("um 3" is 03:00). Spoken times name an
hour of the twelve-hour clock: "halb elf" is 10:30, "Viertel nach zwei" 2:15,
"Viertel vor acht" 7:45, "dreiviertel zehn" 9:45 and "viertel zehn" 9:15 (the East
German forms), "zehn nach drei", "fünf vor halb neun". An hour named from 1 to 7 needs
a day part ("halb drei nachmittags"), see ``core.when.daytime``. "Punkt 9" is 9:00;
"10 Uhr c.t." is 10:15 (the academic quarter), "s.t." is sharp. A range ("9:30–11:00",
"13-15 Uhr", "von 10 bis 12 Uhr", "zwischen 14 und 16 Uhr") gives a start and an end.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from core.when.components import (
    CalDate,
    ClockRange,
    ClockTime,
    DayPart,
    Feast,
    Found,
    Part,
    PeriodPoint,
    RelDay,
)
from core.when.errors import TIME_EXAMPLES
from core.when.tokens import (
    COLON_TIME,
    DOT_TIME,
    H_TIME,
    MERIDIEM_TIME,
    UHR_TIME,
    at,
    cardinal,
    small_number,
)
from core.when.values import WhenError
from core.when.vocabulary import (
    DASHES,
    DAY_PARTS,
    MERIDIEMS,
    MONTHS,
    RANGE_INTROS,
    TIMES_WORDS,
    UHR,
    UNTIL_WORDS,
)

TIME_INTROS = {"um", "at", "gegen", "@", "punkt", "pünktlich", "puenktlich"}
_SHARP = {"s.t.", "s.t", "st", "sharp"}
_ACADEMIC = {"c.t.", "c.t", "ct"}
_MINUTE_WORDS = {"minuten", "minute", "min", "minutes"}
_DOT_PAIR = re.compile(r"([0-9]{1,2})\.([0-9]{2})")
Clock = tuple[ClockTime, int]


def time_of_day(tokens: Sequence[str], index: int, previous: Sequence[Part]) -> Found:
    """14:30, 14.30 Uhr, 14 Uhr, 9 Uhr 30, um 9, 2pm, halb elf, Punkt 9, 10 Uhr c.t."""
    intro = tokens[index] in TIME_INTROS
    start = index
    while at(tokens, start) in TIME_INTROS and start < index + 2:  # "um Punkt 9", "pünktlich um"
        start += 1
    found = spoken(tokens, start) or clock(tokens, start, intro) or _word_hour(tokens, start, intro)
    if found is None and not intro and _date_before(previous):
        found = _dotted(tokens, start)
    return None if found is None else _academic(tokens, found)


def _date_before(previous: Sequence[Part]) -> bool:
    last = previous[-1] if previous else None
    dated = isinstance(last, RelDay | Feast | PeriodPoint)
    return dated or (isinstance(last, CalDate) and last.month is not None)


def _academic(tokens: Sequence[str], found: Clock) -> Found:
    value, end = found
    check_clock(value)
    following = at(tokens, end)
    if following in _SHARP or tuple(tokens[end : end + 2]) == ("sine", "tempore"):
        end += 1 if following in _SHARP else 2
    elif following in _ACADEMIC or tuple(tokens[end : end + 2]) == ("cum", "tempore"):
        end += 1 if following in _ACADEMIC else 2
        if value.minute + 15 > 59:
            raise WhenError('"c.t." adds a quarter of an hour to a full hour', TIME_EXAMPLES)
        value = ClockTime(value.hour, value.minute + 15, 0, value.meridiem, value.named_hour)
    return [value], end


def _dotted(tokens: Sequence[str], index: int) -> Clock | None:
    """ "12.5. 10.00": after a date, a dotted pair is the time (as letters write it)."""
    match = _DOT_PAIR.fullmatch(at(tokens, index))
    if match is None:
        return None
    return ClockTime(int(match.group(1)), int(match.group(2))), index + 1


def clock(tokens: Sequence[str], index: int, intro: bool) -> Clock | None:
    """A written time; a bare number only after "um" (``intro``) or before "Uhr"/"pm"."""
    word, following = at(tokens, index), at(tokens, index + 1)
    meridiem = _meridiem(following, intro)
    match = MERIDIEM_TIME.fullmatch(word)
    if match:
        hour, minute, mark = match.groups()
        mark = "am" if mark.startswith("a") else "pm"
        return ClockTime(int(hour), int(minute or 0), 0, mark), index + 1
    match = COLON_TIME.fullmatch(word)
    if match:
        hour, minute, second = match.groups()
        found = ClockTime(int(hour), int(minute), int(second or 0), meridiem)
        return found, _after_clock(tokens, index + 1, meridiem)
    match = H_TIME.fullmatch(word) or UHR_TIME.fullmatch(word)
    if match:
        groups = match.groups()
        minute = groups[1] if len(groups) > 1 else None
        return ClockTime(int(groups[0]), int(minute or 0)), index + 1
    match = DOT_TIME.fullmatch(word)
    if match and (intro or match.group(3) or following in UHR):
        found = ClockTime(int(match.group(1)), int(match.group(2)), 0, meridiem)
        return found, _after_clock(tokens, index + 1, meridiem)
    if re.fullmatch(r"[0-9]{1,2}", word) and (intro or following in UHR or meridiem):
        return _hour_clock(tokens, index, meridiem)
    return None


def _meridiem(word: str, intro: bool) -> str | None:
    """am/pm after a number; after "um" the word "am" is German ("um 9 am Montag")."""
    if word == "am" and intro:
        return None
    return MERIDIEMS.get(word)


def _after_clock(tokens: Sequence[str], index: int, meridiem: str | None) -> int:
    if meridiem is not None or at(tokens, index) in UHR:
        return index + 1
    return index


def _hour_clock(tokens: Sequence[str], index: int, meridiem: str | None) -> Clock:
    hour, end = int(tokens[index]), index + 1
    if meridiem is not None:
        return ClockTime(hour, 0, 0, meridiem), end + 1
    minute = 0
    if at(tokens, end) in UHR:
        end += 1
        word = at(tokens, end)
        following = at(tokens, end + 1)
        if (
            re.fullmatch(r"[0-9]{1,2}", word)
            and following not in MONTHS
            and following not in TIMES_WORDS
        ):
            minute, end = int(word), end + 1
    return ClockTime(hour, minute), end


def _word_hour(tokens: Sequence[str], index: int, intro: bool) -> Clock | None:
    """ "zehn Uhr", "um zehn": an hour written as a word, on the 24-hour clock like "10 Uhr"."""
    word = at(tokens, index)
    hour = None if word.isdigit() else cardinal(word)
    if hour is None or hour > 24:
        return None
    if at(tokens, index + 1) in UHR:
        return ClockTime(hour, 0), index + 2
    return (ClockTime(hour, 0), index + 1) if intro else None


def _hour_word(word: str) -> int | None:
    """The hour a spoken time names: drei, 3, zwölf (1 to 24)."""
    hour = small_number(word) if word.isdigit() else cardinal(word)
    return hour if hour is not None and 1 <= hour <= 24 else None


def spoken(tokens: Sequence[str], index: int) -> Clock | None:
    """halb elf, Viertel nach zwei, Viertel vor acht, dreiviertel zehn, zehn nach drei."""
    word, following = at(tokens, index), at(tokens, index + 1)
    if word in ("halb", "half") and following != "past":
        return _spoken_at(tokens, index + 1, -30)
    if word == "half":
        return _spoken_at(tokens, index + 2, 30)
    if word in ("dreiviertel", "drei-viertel") or (word, following) == ("drei", "viertel"):
        return _spoken_at(tokens, index + (2 if word == "drei" else 1), -15)
    if word in ("viertel", "quarter") or (word, following) == ("a", "quarter"):
        start = index + 2 if word == "a" else index + 1
        found = _relative(tokens, start, 15)
        return found or (_spoken_at(tokens, start, -45) if word == "viertel" else None)
    minutes = cardinal(word)
    if minutes is None or not 1 <= minutes <= 29:
        return None
    start = index + 2 if following in _MINUTE_WORDS else index + 1
    return _relative(tokens, start, minutes)


def _relative(tokens: Sequence[str], index: int, minutes: int) -> Clock | None:
    """ "nach zwei" / "vor acht" / "nach halb drei" / "past two" / "to eight", ``minutes`` off."""
    direction = at(tokens, index)
    if direction in ("nach", "past", "after"):
        sign = 1
    elif direction in ("vor", "to", "before"):
        sign = -1
    else:
        return None
    if at(tokens, index + 1) == "halb":
        return _spoken_at(tokens, index + 2, -30 + sign * minutes)
    return _spoken_at(tokens, index + 1, sign * minutes)


def _spoken_at(tokens: Sequence[str], index: int, minutes: int) -> Clock | None:
    """The time ``minutes`` from the hour named at ``index`` ("halb drei": 3, -30)."""
    named = _hour_word(at(tokens, index))
    if named is None:
        return None
    hour, minute = divmod((named * 60 + minutes) % (24 * 60), 60)
    end = index + 2 if at(tokens, index + 1) in UHR else index + 1
    return ClockTime(hour, minute, 0, None, named), end


def clock_range(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """9:30–11:00 Uhr, 13-15 Uhr, von 10 bis 12 Uhr, zwischen 14 und 16 Uhr, 2-4pm.

    One side must be written as a time ("13-15 Uhr"), or the range start with "von";
    a dotted side ("9.30") needs a written time on the other side, and after "bis" a
    dotted right side is a date ("jeden Montag 10 Uhr bis 12.06").
    """
    intro = tokens[index] in RANGE_INTROS
    left = _range_side(tokens, index + 1 if intro else index)
    if left is None:
        return None
    left_clock, left_kind, after_left = left
    separator = at(tokens, after_left)
    between = tokens[index] in ("zwischen", "between") and separator in ("und", "and")
    if separator not in DASHES and not between:
        return None
    right = _range_side(tokens, after_left + 1)
    if right is None:
        return None
    right_clock, right_kind, end = right
    written = "written" in (left_kind, right_kind)
    if not (written or intro):
        return None
    if left_kind == "dotted" and right_kind != "written":
        return None
    if right_kind == "dotted" and (
        separator in UNTIL_WORDS or not (left_kind == "written" or intro)
    ):
        return None
    if left_clock.meridiem is None and right_clock.meridiem is not None:
        left_clock = ClockTime(left_clock.hour, left_clock.minute, 0, right_clock.meridiem)
    check_clock(left_clock)
    check_clock(right_clock)
    return [ClockRange(left_clock, right_clock)], end


def _range_side(tokens: Sequence[str], index: int) -> tuple[ClockTime, str, int] | None:
    """A clock and how it was written: "written" (14 Uhr, 9:30), "bare" (13), "dotted"."""
    written = clock(tokens, index, intro=False) or spoken(tokens, index)
    if written is not None:
        return written[0], "written", written[1]
    word = at(tokens, index)
    if re.fullmatch(r"[0-9]{1,2}", word):
        return ClockTime(int(word), 0), "bare", index + 1
    dotted = _dotted(tokens, index)
    if dotted is not None:
        return dotted[0], "dotted", dotted[1]
    return None


def check_clock(value: ClockTime) -> None:
    limit = 12 if value.meridiem else 23
    if value.hour > limit or value.minute > 59 or value.second > 59:
        shown = f"{value.hour}:{value.minute:02d}" + (
            f" {value.meridiem}" if value.meridiem else ""
        )
        raise WhenError(f"{shown} is not a time of day", TIME_EXAMPLES)


def day_part(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """abends, am Abend, in the evening, in der Früh, noon, midday."""
    word = tokens[index]
    if word in ("noon", "midday"):
        return [ClockTime(12, 0)], index + 1
    if word in DAY_PARTS:
        return [DayPart(DAY_PARTS[word])], index + 1
    if word == "in" and at(tokens, index + 1) in ("the", "der"):
        part = at(tokens, index + 2)
        if part in DAY_PARTS:
            return [DayPart(DAY_PARTS[part])], index + 3
    return None
