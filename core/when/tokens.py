"""Splitting an expression into words, and reading numbers written as digits or words.

The text is folded to lower case (NFKC); commas, semicolons and brackets separate words.
Glued forms are split where a rule expects two words: ``14uhr`` → ``14 uhr``,
``montagabend`` → ``montag abend``, ``14–16`` → ``14 – 16``, ``mo-fr`` → ``mo – fr``,
``kw22`` → ``kw 22``, ``10mal`` → ``10 mal``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from fractions import Fraction

from core.when.vocabulary import (
    ARTICLES,
    CARDINALS,
    FRACTION_WORDS,
    GERMAN_UNITS,
    HALF_WORDS,
    MERIDIEMS,
    MONTHS,
    ORDINAL_WORDS,
    TENS,
    UNITS_ENGLISH,
    WEEKDAYS,
)

TOKEN = re.compile(r"[0-9]+,[0-9]+|[^\s,;!?()\[\]{}\"„“”«»]+")
COLON_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?:h|uhr)?\.?")
H_TIME = re.compile(r"([0-9]{1,2})h([0-9]{2})?")
MERIDIEM_TIME = re.compile(r"([0-9]{1,2})(?::([0-9]{2}))?(am|pm|a\.m\.?|p\.m\.?)")
DOT_TIME = re.compile(r"([0-9]{1,2})\.([0-9]{2})(h|uhr)?")
UHR_TIME = re.compile(r"([0-9]{1,2})uhr")
INT = re.compile(r"[0-9]{1,9}")
DECIMAL = re.compile(r"[0-9]{1,6}[.,][0-9]{1,3}")
NUMERIC_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.(?:([0-9]{4}|[0-9]{2})\.?)?")
SHORT_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})")
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
ISO_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}t[0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:z|[+-][0-9]{2}:?[0-9]{2})?"
)
ORDINAL_NUMBER = re.compile(r"([0-9]{1,2})(?:\.|st|nd|rd|th)")
GLUED_DAY_MONTH = re.compile(r"([0-9]{1,2})\.([a-zäöüß]+)\.?")
UHR_GLUED = re.compile(r"([0-9]{1,2})(uhr)")
HALF_COMPOUND = re.compile(r"([a-zäöü]+)einhalb")
WEEKDAY_COMPOUND = re.compile(
    r"(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)(s?)"
    r"(morgen|früh|frueh|vormittag|mittag|nachmittag|abend|nacht)(s?)"
)
_CLOCKISH = r"[0-9]{1,2}(?:[:.][0-9]{2})?(?:uhr|h|am|pm)?"
_GLUED_RANGE = re.compile(rf"({_CLOCKISH})([-–—])({_CLOCKISH})")
_GLUED_WEEKDAYS = re.compile(r"([a-zäöü]{2,10})\.?([-–—])([a-zäöü]{2,10})\.?")
_GLUED_WEEK = re.compile(r"(kw|cw)\.?([0-9]{1,2})")
_GLUED_TIMES = re.compile(r"([0-9]{1,3}|[a-zäöü]+?)-?(mal)")


def tokenize(text: str) -> list[str]:
    """Lower-case words; commas and brackets separate; compounds are split."""
    folded = unicodedata.normalize("NFKC", text).lower()
    tokens: list[str] = []
    for raw in TOKEN.findall(folded):
        tokens.extend(_split_token(raw))
    return tokens


def _split_token(raw: str) -> list[str]:
    if raw in MERIDIEMS:
        return [raw]
    compound = WEEKDAY_COMPOUND.fullmatch(raw)
    if compound:
        day, plural, part, part_s = compound.groups()
        habitual = "s" if plural or part_s else ""
        return [day + habitual, part + habitual]
    glued = UHR_GLUED.fullmatch(raw)
    if glued:
        return [glued.group(1), "uhr"]
    pair = _GLUED_RANGE.fullmatch(raw) or _weekday_pair(raw)
    if pair:
        return [pair.group(1), "–", pair.group(3)]
    week = _GLUED_WEEK.fullmatch(raw)
    if week:
        return [week.group(1), week.group(2)]
    times = _GLUED_TIMES.fullmatch(raw)
    if times and cardinal(times.group(1)) is not None:
        return [times.group(1), "mal"]
    if raw.endswith(".") and raw.rstrip(".").isalpha():
        return [raw.rstrip(".")]
    return [raw]


def _weekday_pair(raw: str) -> re.Match[str] | None:
    """mo-fr, Mo.–Fr., juli-august: two weekdays or two months joined by a dash."""
    match = _GLUED_WEEKDAYS.fullmatch(raw)
    if match is None:
        return None
    names = (match.group(1), match.group(3))
    if all(name in WEEKDAYS for name in names) or all(name in MONTHS for name in names):
        return match
    return None


def at(tokens: Sequence[str], index: int) -> str:
    """The word at ``index``, or "" past the end."""
    return tokens[index] if index < len(tokens) else ""


def phrase_at(tokens: Sequence[str], index: int, phrases: Sequence[tuple[str, ...]]) -> int:
    """The length of the first of ``phrases`` that starts at ``index`` (0: none)."""
    for phrase in phrases:
        if tuple(tokens[index : index + len(phrase)]) == phrase:
            return len(phrase)
    return 0


# --- numbers --------------------------------------------------------------------------


def cardinal(word: str) -> int | None:
    """A whole number written as digits or words (zwei, einundzwanzig, twenty-one)."""
    if INT.fullmatch(word):
        return int(word)
    if word in CARDINALS:
        return CARDINALS[word]
    if word in TENS:
        return TENS[word]
    for unit, value in GERMAN_UNITS.items():
        tens = word.removeprefix(unit + "und")
        if tens != word and tens in TENS:
            return TENS[tens] + value
    head, _, tail = word.partition("-")
    if head in TENS and tail in UNITS_ENGLISH:
        return TENS[head] + UNITS_ENGLISH[tail]
    return None


def amount(tokens: Sequence[str], index: int) -> tuple[Fraction, int] | None:
    """A count before a unit: 3, 1,5, drei, eine, einer halben, anderthalb, half an."""
    word, following = at(tokens, index), at(tokens, index + 1)
    if DECIMAL.fullmatch(word):
        return Fraction(word.replace(",", ".")), index + 1
    if word in ARTICLES and following in HALF_WORDS:
        return Fraction(1, 2), index + 2
    if word in ARTICLES and following in FRACTION_WORDS:
        return FRACTION_WORDS[following], index + 2
    if word == "half" and following in ("a", "an"):
        return Fraction(1, 2), index + 2
    if word in HALF_WORDS:
        return Fraction(1, 2), index + 1
    if word in FRACTION_WORDS:
        return FRACTION_WORDS[word], index + 1
    half = HALF_COMPOUND.fullmatch(word)
    whole = cardinal(half.group(1)) if half else None
    if whole is not None:
        return whole + Fraction(1, 2), index + 1
    value = cardinal(word)
    if value is None and word in ARTICLES:
        value = 1
    return (Fraction(value), index + 1) if value is not None else None


def ordinal(word: str) -> int | None:
    """1. 1st erste ersten first → 1; letzten → None (see LAST_WORDS)."""
    number = ORDINAL_NUMBER.fullmatch(word)
    if number:
        return int(number.group(1))
    return ORDINAL_WORDS.get(word)


def small_number(word: str) -> int | None:
    """One or two digits only (a day, an hour, a week number)."""
    return int(word) if re.fullmatch(r"[0-9]{1,2}", word) else None
