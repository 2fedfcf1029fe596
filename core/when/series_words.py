"""Rules for the words of series: jeden, alle N Wochen, montags, Mo–Fr, im Monat, ends.

Ends and exceptions of a series: "bis 30.6." (UNTIL), "10 mal" (COUNT), "außer im
August", "Sommerpause Juli bis August" (the months left out). Only whole months can be
left out: "außer an Feiertagen" or "außer in den Sommerferien" are errors that say so.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.when.components import (
    CountLimit,
    Every,
    ExceptMonths,
    Found,
    Interval,
    MonthScope,
    Part,
    QuarterScope,
    StartMarker,
    UntilMarker,
    WeekdaySet,
)
from core.when.errors import END_EXAMPLES
from core.when.tokens import at, cardinal, ordinal, phrase_at
from core.when.values import WhenError
from core.when.vocabulary import (
    AND_WORDS,
    ARTICLES,
    BREAK_WORDS,
    DASHES,
    EVERY_WORDS,
    EXCEPT_WORDS,
    MONTH_SCOPES,
    MONTHS,
    QUARTER_SCOPES,
    SERIES_UNITS,
    SERIES_WORDS,
    START_WORDS,
    TIMES_WORDS,
    UNTIL_WORDS,
    WEEKDAYS,
    WEEKDAYS_PLURAL,
)

_MONTH_LEAD = {"im", "in", "den", "dem", "der", "monaten", "monat", "the", "month", "months"}
_MONTH_LEAD |= {"of", "during", "von", "vom"}
_INCLUSIVE = {"einschließlich", "einschliesslich", "einschl", "inkl", "inklusive", "zum"}
_INCLUSIVE |= {"zur", "including", "inclusive", "spätestens"}


def scope(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """im Monat, des Monats, of the month; im Quartal, of each quarter."""
    size = phrase_at(tokens, index, MONTH_SCOPES)
    if size:
        return [MonthScope()], index + size
    size = phrase_at(tokens, index, QUARTER_SCOPES)
    return ([QuarterScope()], index + size) if size else None


def series_word(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """täglich, wöchentlich, 14-tägig, quartalsweise, montags, ab."""
    word = tokens[index]
    if word in SERIES_WORDS:
        count, unit = SERIES_WORDS[word]
        return [Interval(count, unit)], index + 1
    if word in WEEKDAYS_PLURAL:
        return [WeekdaySet((WEEKDAYS_PLURAL[word],))], index + 1
    if word in START_WORDS:
        return [StartMarker()], index + 1
    return None


def every(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """jeden/every [other | N | zweite] [Tag/Woche/Monat/…]."""
    if tokens[index] not in EVERY_WORDS:
        return None
    end, interval = index + 1, 1
    word, unit_word = at(tokens, end), at(tokens, end + 1)
    if word == "other":
        interval, end = 2, end + 1
    elif unit_word in SERIES_UNITS:
        number = cardinal(word) if word not in ARTICLES else None
        position = ordinal(word) if number is None else None
        if position is not None and _scope_follows(tokens, end + 2):
            return [Every(1)], index + 1  # "jeden ersten Tag im Monat": a day of the month
        if position == 1:
            raise WhenError(
                f'"{" ".join(tokens[index : end + 2])}" is unclear: of the month, or every one?',
                (f"jeden ersten {unit_word.capitalize()} im Monat", "täglich 9 Uhr"),
            )
        number = number if number is not None else position
        if number is not None and number > 0:
            interval, end = number, end + 1
    if at(tokens, end) in SERIES_UNITS:
        factor, unit = SERIES_UNITS[at(tokens, end)]
        return [_interval(interval, factor, unit)], end + 1
    return [Every(interval)], end


def _scope_follows(tokens: Sequence[str], index: int) -> bool:
    return bool(phrase_at(tokens, index, MONTH_SCOPES) or phrase_at(tokens, index, QUARTER_SCOPES))


def _interval(count: int, factor: int, unit: str) -> Interval:
    if unit == "quarter" and count > 1:
        return Interval(count * 3, "month")  # "alle zwei Quartale" is every six months
    return Interval(count * factor, unit)


def alle(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """alle N Tage/Wochen/Monate/Quartale/Jahre."""
    if tokens[index] != "alle":
        return None
    number = cardinal(at(tokens, index + 1))
    unit_word = at(tokens, index + 2)
    if number is None or number < 1 or unit_word not in SERIES_UNITS:
        return None
    factor, unit = SERIES_UNITS[unit_word]
    return [_interval(number, factor, unit)], index + 3


def weekday_range(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """Mo–Fr, Montag bis Freitag, montags bis freitags: every day of that span of the week."""
    first = WEEKDAYS.get(tokens[index], WEEKDAYS_PLURAL.get(tokens[index]))
    if first is None or at(tokens, index + 1) not in DASHES:
        return None
    following = at(tokens, index + 2)
    last = WEEKDAYS.get(following, WEEKDAYS_PLURAL.get(following))
    if last is None:
        return None
    if last <= first:
        raise WhenError(f'"{" ".join(tokens[index : index + 3])}" runs backwards', ("Mo–Fr 8 Uhr",))
    return [WeekdaySet(tuple(range(first, last + 1)))], index + 3


def until(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """bis [einschließlich] <Datum>: the end of a series (the date's parts follow)."""
    if tokens[index] not in UNTIL_WORDS:
        return None
    end = index + 1
    while at(tokens, end) in _INCLUSIVE:
        end += 1
    return [UntilMarker()], end


def times(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """10 mal, zehnmal, 10 Termine, 10 times: the number of occurrences."""
    number = cardinal(tokens[index])
    following = at(tokens, index + 1)
    if number is None or following not in TIMES_WORDS:
        return None
    if not 1 <= number <= 1000:
        raise WhenError(f"{number} occurrences are too many or too few", END_EXAMPLES)
    return [CountLimit(number)], index + 2


def except_months(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """außer im August, nicht im Juli und August, Sommerpause Juli bis August."""
    word = tokens[index].rstrip(":")
    if word not in EXCEPT_WORDS and word not in BREAK_WORDS:
        return None
    end = index + 1
    while at(tokens, end) in _MONTH_LEAD:
        end += 1
    months, after = _months(tokens, end)
    if not months:
        if word in BREAK_WORDS or at(tokens, end) in MONTHS:
            raise WhenError(f'"{tokens[index]}" needs months, e.g. "Sommerpause Juli bis August"')
        if word in ("nicht", "not", "ohne"):
            return None
        shown = " ".join(tokens[index : index + 4])
        raise WhenError(
            f'"{shown}": only whole months can be left out of a series; cancel single '
            "meetings afterwards",
            (
                "jeden Montag 10 Uhr außer im August",
                "jeden Montag 10 Uhr, Sommerpause Juli bis August",
            ),
        )
    return [ExceptMonths(tuple(sorted(months)))], after


def _months(tokens: Sequence[str], index: int) -> tuple[set[int], int]:
    """Juli, August und September / Juli bis August (inclusive, also across the new year)."""
    found: set[int] = set()
    end = index
    while at(tokens, end) in MONTHS:
        month = MONTHS[at(tokens, end)]
        found.add(month)
        end += 1
        separator, following = at(tokens, end), at(tokens, end + 1)
        if separator in DASHES and following in MONTHS:
            last = MONTHS[following]
            span = (last - month) % 12
            found |= {(month - 1 + step) % 12 + 1 for step in range(span + 1)}
            end += 2
            separator, following = at(tokens, end), at(tokens, end + 1)
        if separator in AND_WORDS and following in MONTHS:
            end += 1
    return found, end
