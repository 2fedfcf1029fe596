"""Reading words into parts: every word must be taken by a rule, in the order below.

The first rule that takes the words at a position wins, so the order matters: names of
several words (holidays, "Ende Mai", "KW 22", ranges) come before the single words they
contain, and fillers ("am", "den", "um" left over) come last.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from core.when.absolute import am_day, dash_date, iso, month_date, numeric_date, ordinals
from core.when.clock import clock_range, day_part, time_of_day
from core.when.components import Part, Rule
from core.when.errors import TIME_EXAMPLES, NotUnderstood, not_understood
from core.when.feasts import feast
from core.when.periods import period_point
from core.when.relative import offset, relative_day, week_shift, weekday
from core.when.series_words import (
    alle,
    every,
    except_months,
    scope,
    series_word,
    times,
    until,
    weekday_range,
)
from core.when.tokens import at
from core.when.vocabulary import (
    DAY_PARTS,
    FILLERS,
    MODES,
    MONTHS,
    RELATIVE_DAYS,
    SERIES_WORDS,
    WEEKDAYS,
    WEEKDAYS_PLURAL,
)
from core.when.weeks import calendar_week


def filler(tokens: Sequence[str], index: int, _: Sequence[Part]) -> tuple[list[Part], int] | None:
    return ([], index + 1) if tokens[index] in FILLERS else None


RULES: tuple[Rule, ...] = (
    scope,
    feast,
    period_point,
    calendar_week,
    offset,
    except_months,
    times,
    weekday_range,
    series_word,
    every,
    alle,
    week_shift,
    clock_range,
    weekday,
    relative_day,
    iso,
    dash_date,
    time_of_day,
    until,
    numeric_date,
    month_date,
    ordinals,
    am_day,
    day_part,
    filler,
)


@cache
def known_words() -> tuple[str, ...]:
    """The words a "did you mean" may suggest."""
    tables = (WEEKDAYS, WEEKDAYS_PLURAL, MONTHS, RELATIVE_DAYS, DAY_PARTS, SERIES_WORDS, MODES)
    words = {word for table in tables for word in table if len(word) > 3}
    words |= {"ende", "mitte", "anfang", "kalenderwoche", "halb", "viertel", "dreiviertel"}
    return tuple(sorted(words))


def scan(tokens: Sequence[str]) -> list[Part]:
    """Read every word with the first rule that takes it; a word no rule takes is an error."""
    parts: list[Part] = []
    index = 0
    while index < len(tokens):
        for rule in RULES:
            found = rule(tokens, index, parts)
            if found is not None:
                new, end = found
                words = " ".join(tokens[index:end])
                for part in new:
                    object.__setattr__(part, "words", words)  # frozen, but not yet shared
                parts.extend(new)
                index = end
                break
        else:
            raise _unplaced(tokens, index)
    return parts


_LEADS = {"in", "an", "am", "im", "um", "zwischen", "vor", "nach", "über", "bei", "kurz"}


def _unplaced(tokens: Sequence[str], index: int) -> NotUnderstood:
    """The error for the word at ``index``: with the words it leads ("in den Osterferien")."""
    word = tokens[index]
    if word.isdigit():
        return NotUnderstood(
            f'"{word}": a bare number is never a time; write "{word} Uhr" or "{word}:00"',
            (f"{word} Uhr", *TIME_EXAMPLES[:2]),
            words=word,
            suggestion=f"{word} Uhr",
        )
    size = 1
    if word in MODES:
        size = 2
    elif word in _LEADS:
        size = 3 if at(tokens, index + 1) in ("den", "der", "dem", "die") else 2
    return not_understood(tokens[index : index + size], known_words())
