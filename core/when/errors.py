"""Honest errors: the examples shown with them, and naming the words that were not placed.

An error says which words it could not place and, where a known word is close, which
one was probably meant ("Mitwoch" → "Mittwoch"). Every example shown here parses (a
test checks it), so a person can copy one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from functools import cache

from core.when.values import WhenError
from core.when.vocabulary import MONTHS, WEEKDAYS

GENERAL_EXAMPLES = ("morgen 15 Uhr", "Di, 7.4. 14:30", "nächsten Freitag 10 Uhr")
DATE_EXAMPLES = ("7.4.", "20. April 10 Uhr", "07.04.2026 14:30")
TIME_EXAMPLES = ("14:30", "um 9 Uhr", "morgen 8 Uhr abends")
SPOKEN_EXAMPLES = ("halb drei nachmittags", "Viertel nach zehn", "14:30")
SERIES_EXAMPLES = (
    "jeden Montag 10 Uhr",
    "alle zwei Wochen donnerstags 14 Uhr",
    "jeden ersten Dienstag im Monat 18 Uhr",
)
WEEK_EXAMPLES = ("Dienstag KW 22 10 Uhr", "Mittwoch in KW 20", "KW 24 Montag 9 Uhr")
PERIOD_EXAMPLES = ("Ende Mai", "Mitte Juni 10 Uhr", "Ende dieser Woche")
FEAST_EXAMPLES = ("Gründonnerstag", "Pfingstmontag", "1. Advent 16 Uhr")
END_EXAMPLES = ("jeden Montag 10 Uhr bis 30.6.", "jeden Montag 10 Uhr, 10 mal")
DEADLINE_EXAMPLES = ("bis Freitag", "spätestens 30.6.", "bis Ende Mai")


_FUNCTION_WORDS = {"nach", "kurz", "ungefähr", "etwa", "gegen", "während", "zwischen"}


class NotUnderstood(WhenError):
    """A word that no rule reads."""


def not_understood(words: Sequence[str], known: Iterable[str]) -> NotUnderstood:
    """ "blumentag" is not understood; with "did you mean" where a known word is close."""
    shown = " ".join(words)
    if words and words[0] in ("kurz", "ungefähr", "etwa", "circa"):
        return NotUnderstood(f'"{shown}" is vague: say the time itself', TIME_EXAMPLES, words=shown)
    close = _closest(words[-1] if words else "", tuple(known))
    hint = f'; did you mean "{close}"?' if close else ""
    return NotUnderstood(
        f'"{shown}" is not understood{hint}',
        GENERAL_EXAMPLES,
        words=shown,
        suggestion=display(close or ""),
    )


@cache
def _closest(word: str, known: tuple[str, ...]) -> str | None:
    if len(word) < 4 or not word.isalpha() or word in _FUNCTION_WORDS:
        return None
    matches = difflib.get_close_matches(word, known, n=1, cutoff=0.8)
    return matches[0] if matches and matches[0] != word else None


def display(words: str) -> str:
    """The words as a person would write them: weekdays and months capitalised."""
    return " ".join(w.capitalize() if w in WEEKDAYS or w in MONTHS else w for w in words.split())


def ambiguous_ordinal_weekday(words: str, nth: int, weekday_plural: str) -> WhenError:
    """ "jeden vierten Montag": of the month, or every four weeks?"""
    words = display(words)
    spelled = {2: "zwei", 3: "drei", 4: "vier", 5: "fünf", -2: "zwei"}.get(nth, str(nth))
    in_month = f"{words} im Monat"
    every = f"alle {spelled} Wochen {weekday_plural}"
    reason = f'"{words}" is ambiguous: say "{in_month}" or "{every}"'
    return WhenError(reason, (in_month, every), words=words)


def vague(words: str, reason: str, examples: tuple[str, ...]) -> WhenError:
    """A phrase that names no single day ("vor Ostern", "über Weihnachten")."""
    shown = display(words)
    return WhenError(f'"{shown}" is not a single day: {reason}', examples, words=shown)
