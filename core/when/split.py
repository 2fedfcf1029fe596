"""Splitting a date off free text: the day at the start or the end of a note, and the
dates that cannot be meant anywhere in it.

Commands that take a date and a free text in one line (``/stunden 2 gestern Recherche``,
``/aufgabe Bericht zum 30.6.``) use these, so that whatever looks like a date is either
read as one or refused with the reason, and never slips into the text: "am 31.2." was
once booked for today with "am 31.2." as its description.

What looks like a date: a numeric or ISO date, a weekday, a day word (heute, gestern,
morgen …), "20. April", "KW 22", "am 15", each possibly after "am", "den" or "letzten";
and a word close to a weekday or a day word ("Mitwoch", "gesten"), which is refused with
"did you mean". A time of day alone ("14 Uhr") is no date. A date after a word that
refers to it ("Protokoll der Sitzung vom 3.3.") belongs to the text.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from functools import cache

from core.when.absolute import dash_date, iso, month_date, numeric_date
from core.when.tokens import (
    ISO_DATE,
    ISO_DATETIME,
    NUMERIC_DATE,
    ORDINAL_NUMBER,
    SHORT_DATE,
    at,
    tokenize,
)
from core.when.values import When, WhenError
from core.when.vocabulary import MODES, MONTHS, RELATIVE_DAYS, WEEKDAYS, WEEKDAYS_PLURAL

Parse = Callable[[str], When]

_LEAD_WORDS = {"am", "an", "den", "on", "the", "seit", "since"} | set(MODES)
# A date after one of these is what the text is about, not when it happened.
_REFERENCE_WORDS = {
    "vom", "von", "zum", "zur", "für", "fuer", "bis", "ab", "seit", "des", "der", "die",
    "dem", "nach", "über", "ueber", "ohne", "of", "from", "for", "until", "about", "since",
}  # fmt: skip
_WEEK_WORDS = {"kw", "cw", "kalenderwoche"}
# Typos only of long words: "Julia" must not be taken for "Juli".
_TYPO_LENGTH = 6
_TYPO_CUTOFF = 0.85


def impossible_date(text: str) -> WhenError | None:
    """The error for the first date in ``text`` that does not exist ("31.2.", "30. Februar").

    Only what is written as a date counts: "31.2." or "31.02.2026", ISO and dash forms,
    a day number before a month; "Ziffer 35.1" without its final dot is no date.
    """
    tokens = tokenize(text)
    for index, word in enumerate(tokens):
        rules = [iso, dash_date]
        if NUMERIC_DATE.fullmatch(word):
            rules.append(numeric_date)
        if word[:1].isdigit():
            rules.append(month_date)
        for rule in rules:
            try:
                rule(tokens, index, [])
            except WhenError as error:
                if error.impossible:
                    return error
    return None


def looks_like_date(text: str) -> bool:
    """Whether ``text`` starts with something that is, or is meant as, a date."""
    return _date_like(tokenize(text), 0)


def leading_when(text: str, parse: Parse) -> tuple[When, str] | None:
    """The longest start of ``text`` that ``parse`` reads, and the words after it.

    None when the text starts with no date; a start that looks like a date but is none
    raises the parser's error ("31.02. does not exist", "did you mean Mittwoch?").
    """
    words = text.split()
    errors: dict[int, WhenError] = {}
    for count in range(len(words), 0, -1):
        try:
            return parse(" ".join(words[:count])), " ".join(words[count:])
        except WhenError as error:
            errors[count] = error
    if not looks_like_date(text):
        return None
    for failed in errors.values():
        if failed.impossible:
            raise failed
    leads = 0
    while leads < len(words) - 1 and words[leads].casefold() in _LEAD_WORDS:
        leads += 1
    # The error of the date word itself (with the words that lead it), not of the
    # whole line, whose later words are the description.
    raise errors[min(leads + 1, len(words))]


def trailing_when(text: str, parse: Parse) -> tuple[When, str] | None:
    """The longest end of ``text`` that looks like a date and is one, and the words before.

    "Recherche gestern" is yesterday's; "Nachbereitung der Sitzung vom 3.3." has no
    date at its end, as "vom" makes 3.3. what the text is about. An end that looks like
    a date and names an impossible one raises; one that is not understood stays text.
    """
    words = text.split()
    for start in range(1, len(words)):
        if words[start - 1].casefold() in _REFERENCE_WORDS:
            continue
        rest = " ".join(words[start:])
        if not looks_like_date(rest):
            continue
        try:
            return parse(rest), " ".join(words[:start])
        except WhenError as error:
            if error.impossible or _typo(tokenize(rest), 0):
                raise
    return None


def _date_like(tokens: Sequence[str], index: int) -> bool:
    after_am = False
    while at(tokens, index) in _LEAD_WORDS and index < len(tokens) - 1:
        after_am = after_am or tokens[index] in ("am", "den")
        index += 1
    word = at(tokens, index)
    if not word:
        return False
    if word in WEEKDAYS or word in WEEKDAYS_PLURAL or word in RELATIVE_DAYS:
        return True
    if any(p.fullmatch(word) for p in (NUMERIC_DATE, SHORT_DATE, ISO_DATE, ISO_DATETIME)):
        return True
    if dash_shaped(tokens, index) or (word in _WEEK_WORDS and at(tokens, index + 1).isdigit()):
        return True
    if ORDINAL_NUMBER.fullmatch(word) and at(tokens, index + 1) in MONTHS:
        return True
    if after_am and word.isdigit() and len(word) <= 2:
        return True
    return _typo(tokens, index)


def dash_shaped(tokens: Sequence[str], index: int) -> bool:
    """07-04-2026, 2026/04/07, 7-Apr-2026: what ``dash_date`` reads (or refuses)."""
    try:
        return dash_date(tokens, index, []) is not None
    except WhenError:
        return True


def _typo(tokens: Sequence[str], index: int) -> bool:
    word = at(tokens, index)
    return len(word) >= _TYPO_LENGTH and word.isalpha() and _close_to_day_word(word)


@cache
def _close_to_day_word(word: str) -> bool:
    known = [w for w in (*WEEKDAYS, *WEEKDAYS_PLURAL, *RELATIVE_DAYS) if len(w) >= _TYPO_LENGTH]
    return bool(difflib.get_close_matches(word, known, n=1, cutoff=_TYPO_CUTOFF))
