"""Rules for relative expressions: in 3 Tagen, vor einer Woche, nächsten Montag, morgen.

"in N Minuten/Stunden" is exact; "in N Tagen/Wochen/Monaten" keeps the wall-clock
time. A weekday is "plain", "next" (nächsten), "last" (letzten), "this" (diesen) or
"overnext" (übernächsten); "nächste Woche" is a week shift that needs a weekday.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from core.when.components import (
    CalDate,
    DayPart,
    Found,
    Offset,
    Part,
    RelDay,
    WeekdayRef,
    WeekdaySet,
    WeekShift,
)
from core.when.errors import GENERAL_EXAMPLES
from core.when.tokens import amount, at
from core.when.values import WhenError
from core.when.vocabulary import (
    AND_WORDS,
    DAY_PARTS,
    MODES,
    OFFSET_UNITS,
    RELATIVE_DAYS,
    RELATIVE_PHRASES,
    WEEK_SHIFTS,
    WEEK_WORDS,
    WEEKDAYS,
)

MAX_AMOUNT = 100_000


def offset(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """in 3 Tagen, vor einer Stunde, in 1 Stunde und 30 Minuten, 3 days ago."""
    word = tokens[index]
    if word in ("in", "vor"):
        terms = offset_terms(tokens, index + 1)
        if terms is None:
            return None
        found, end = terms
        sign = -1 if word == "vor" else 1
        return [Offset(sign, found.months, found.days, found.seconds)], end
    terms = offset_terms(tokens, index)
    if terms is None:
        return None
    found, end = terms
    if at(tokens, end) in ("ago", "früher", "frueher"):
        return [Offset(-1, found.months, found.days, found.seconds)], end + 1
    if tuple(tokens[end : end + 2]) == ("from", "now"):
        return [found], end + 2
    return None


def offset_terms(tokens: Sequence[str], index: int) -> tuple[Offset, int] | None:
    months, days, seconds = 0, 0, Fraction(0)
    end, count = index, 0
    while True:
        term = offset_term(tokens, end)
        if term is None:
            break
        (unit, value), end = term
        count += 1
        if unit == "s":
            seconds += value
        elif unit == "d":
            days += whole(value, "days")
        else:
            months += whole(value, "months")
        if at(tokens, end) in AND_WORDS and offset_term(tokens, end + 1) is not None:
            end += 1
    if count == 0:
        return None
    return Offset(1, months, days, seconds), end


def offset_term(tokens: Sequence[str], index: int) -> tuple[tuple[str, Fraction], int] | None:
    counted = amount(tokens, index)
    if counted is None:
        return None
    value, end = counted
    unit_word = at(tokens, end)
    if unit_word not in OFFSET_UNITS:
        return None
    unit, factor = OFFSET_UNITS[unit_word]
    end += 1
    if tuple(tokens[end : end + 3]) in (("and", "a", "half"), ("und", "ein", "halb")):
        value, end = value + Fraction(1, 2), end + 3
    if value > MAX_AMOUNT:
        raise WhenError(f"{value} {unit_word} is too far away", GENERAL_EXAMPLES)
    return (unit, value * factor), end


def whole(value: Fraction, unit: str) -> int:
    if value.denominator != 1:
        raise WhenError(
            f"{float(value):g} {unit} is not a whole number of {unit}; use hours or a date",
            ("in 36 Stunden", "in 2 Tagen", "in einem halben Jahr"),
        )
    return int(value)


def week_shift(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """nächste/diese/letzte/übernächste Woche, next week (optionally "in der")."""
    end = index
    if tuple(tokens[end : end + 2]) == ("in", "der"):
        end += 2
    mode = MODES.get(at(tokens, end))
    if mode is None or at(tokens, end + 1) not in WEEK_WORDS:
        return None
    return [WeekShift(WEEK_SHIFTS[mode])], end + 2


def weekday(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """[nächsten|letzten|diesen|übernächsten|next|last|this] Montag."""
    word = tokens[index]
    if word in WEEKDAYS:
        return [WeekdayRef(WEEKDAYS[word], "plain")], index + 1
    mode = MODES.get(word)
    if mode is None:
        return None
    following = at(tokens, index + 1)
    if following in WEEKDAYS:
        return [WeekdayRef(WEEKDAYS[following], mode)], index + 2
    if mode == "this" and following in DAY_PARTS:
        return [RelDay(0), DayPart(DAY_PARTS[following])], index + 2
    return None


def relative_day(tokens: Sequence[str], index: int, previous: Sequence[Part]) -> Found:
    """heute, morgen, übermorgen, gestern, the day after tomorrow, tonight."""
    word = tokens[index]
    for phrase, days in RELATIVE_PHRASES.items():
        if tuple(tokens[index : index + len(phrase)]) == phrase:
            return [RelDay(days)], index + len(phrase)
    if word == "tonight":
        return [RelDay(0), DayPart("abends")], index + 1
    if word == "morgen" and previous and names_a_day(previous[-1]):
        return [DayPart("morgens")], index + 1  # "heute Morgen", "Montag morgen"
    if word in RELATIVE_DAYS:
        return [RelDay(RELATIVE_DAYS[word])], index + 1
    return None


def names_a_day(component: Part) -> bool:
    return isinstance(component, RelDay | WeekdayRef | CalDate | WeekdaySet)
