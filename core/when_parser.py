"""The parser behind :func:`core.when.parse_when`: German and English time expressions.

The rules below are the README section "Dates and times" (rules 1-10 of issue 5).

**1. Time zone.** "Now" is taken in the AG's time zone (default ``Europe/Berlin``).
Results carry the zone's offset for that date, so summer and winter time are right
(``2026-03-27T10:00+01:00``, ``2026-03-30T10:00+02:00``).

**2. Moment or date.** An expression with a time of day ("morgen 15 Uhr", "Di 9:30")
is a *moment*; without one ("morgen", "7.4.") it is a *date*, and each command applies
its own default time.

**3. Direction.** When scheduling (``prefer="future"``) an incomplete expression means
the earliest match after now; when logging past work (``prefer="past"``) the latest
match at or before now. Incomplete means: a weekday ("Donnerstag"), a day and month
without year ("10.3."), a day of the month ("am 15."), a time without date ("18:30").
Moments are compared with now: at 10:15 on a Wednesday "Mittwoch 18 Uhr" is today and
"Mittwoch 8 Uhr" next week, "18:30" today and "9:00" tomorrow. A weekday without a time
never means today (that is "heute"): on a Wednesday "Mittwoch" is next week's (future)
or last week's (past). A written date that is today ("25.3." on 25 March) is today in
both directions. "gestern", "vorgestern", "letzten Freitag", "vor 3 Tagen", "2 days
ago" are past by themselves; "heute", "morgen", "übermorgen" and full dates
("7.4.2026") mean exactly that day.

**4. Weeks.** "nächsten/kommenden Montag", "next Monday" is the first Monday after
today (on a Monday: in a week); "übernächsten Montag" the one after that; "letzten
Montag" the last Monday before today. "Montag nächste(r) Woche", "nächste Woche
Montag", "Monday next week" is the Monday of the next calendar week (weeks start on
Monday); likewise "diese Woche", "letzte Woche", "übernächste Woche". "diesen
Freitag" is the Friday of the current calendar week.

**5. Day parts.** früh/morgens 08:00, vormittags 10:00, mittags 12:00, nachmittags
15:00, abends 19:00 ("morgen früh", "heute Abend", "Montagabend", "tomorrow
evening", "tonight"); configurable per call (``day_parts``). With a clock time they
decide the half of the day: "8 Uhr abends" is 20:00, "3 Uhr nachmittags" 15:00, "2 Uhr
nachts" 02:00; "nachts" needs a clock time. "noon" is 12:00.

**6. Offsets.** "in N Minuten/Stunden" (and seconds) is exact: ``now + N``, across
DST changes. "in N Tagen/Wochen/Monaten/Jahren" keeps the wall-clock time ("in 2
Wochen" at 10:15 is 10:15 two weeks later, also after the clocks changed); a month
later than the 31st is the month's last day. "vor N …" and "N … ago" count
backwards; several parts add up ("in 1 Stunde und 30 Minuten"). With a clock time,
the time replaces the wall-clock time ("in 2 Tagen um 9"). "heute in 14 Tagen",
"morgen in einer Woche" count from that day. Numbers: digits, "1,5", and the words ein,
eine, einer, zwei … zwölf, zwanzig …, halbe ("in einer halben Stunde"), anderthalb,
eineinhalb, zweieinhalb, Viertelstunde; English one … twelve, a/an, half an hour,
an hour and a half.

**7. Formats.** Dates are day first: ``7.4.``, ``7.4.26``, ``07.04.2026``, ISO
``2026-04-07``; month names and abbreviations in German and English ("20. April",
"3. Okt. 2026", "April 20th", "20th of April"); "am 15." is the 15th of a month.
Times: ``14:30``, ``14.30 Uhr``, ``14 Uhr``, ``14h``, ``14h30``, "um 9", "9 Uhr 30",
``2pm``, ``3:30pm``, "at 9". A bare number is never a time ("um 9" is). ISO
date-times (``2026-04-07T14:30``, with or without offset) work too. A weekday given
together with a date must match it ("Di, 07.04.2026"). The bot's own confirmations
("Di, 07.04.2026, 14:00 Uhr") read back unchanged.

**8. Impossible times are errors.** 30.02., 31.04., 25 Uhr, 14:60, "13pm" are
errors, never rolled over. A time inside the spring-forward gap (29.03.2026 02:30 in
Berlin) is an error that names the gap; a time that occurs twice in autumn
(25.10.2026 02:30) is the first of the two (summer time), as RFC 5545 prescribes.

**9. Series** become RFC 5545 rules; the first occurrence is the earliest after now
(or after "ab <Datum>" / "from <date>"):
täglich, jeden Tag, alle 3 Tage (``FREQ=DAILY``); werktags, wochentags, jeden
Werktag (Monday to Friday); jeden Montag (und Donnerstag), montags, jede Woche am
Montag, alle zwei Wochen donnerstags, jede zweite Woche (``FREQ=WEEKLY``); jeden
ersten/zweiten/dritten/vierten/fünften/vorletzten/letzten Dienstag im Monat, monatlich
am 15., am letzten Tag des Monats, vierteljährlich (quartalsweise) am 1., halbjährlich
am 1., alle zwei Monate am 15. (``FREQ=MONTHLY``); jährlich am 3.10., jedes Jahr am 3.
Oktober (``FREQ=YEARLY``). English: daily, every day, weekdays, every Monday (and
Thursday), every other Wednesday, every 2 weeks on Monday, every first Tuesday of the
month, the last Friday of every month, monthly on the 15th, quarterly on the 1st,
yearly on October 3. A clock time or day part sets the time of every occurrence;
without one the series has whole days (occurrences at 00:00, the first one after
today). "jeden zweiten Dienstag" without "im Monat" is ambiguous (every other Tuesday
or the second Tuesday of the month) and an error. A month without the given day (31.)
is skipped. An occurrence whose time falls into the spring-forward gap takes place one
hour later (02:30 becomes 03:30 summer time), as RFC 5545 prescribes. An end date
("bis") is not supported yet.

**10. Nothing is guessed.** Every word must be understood; anything else ("nächste
Woche" without a day, "im April", "Blumentag", "halb drei") is an error that names
what was not understood and shows two or three working examples. English works in
every language setting; ASCII spellings (``naechsten``, ``Maerz``) work too.

dateparser is only a fallback for purely absolute dates in unusual punctuation
(``07-04-2026``, ``7-Apr-2026``, ``2026/04/07 14:30``); the explicit rules above
always take precedence because dateparser reads many German forms wrongly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from functools import cache
from itertools import islice
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr

from core.when import Day, Moment, Prefer, Recurrence, When, WhenError

# --- examples shown with errors -------------------------------------------------------

GENERAL_EXAMPLES = ("morgen 15 Uhr", "Di, 7.4. 14:30", "nächsten Freitag 10 Uhr")
DATE_EXAMPLES = ("7.4.", "20. April 10 Uhr", "07.04.2026 14:30")
TIME_EXAMPLES = ("14:30", "um 9 Uhr", "morgen 8 Uhr abends")
SERIES_EXAMPLES = (
    "jeden Montag 10 Uhr",
    "alle zwei Wochen donnerstags 14 Uhr",
    "jeden ersten Dienstag im Monat 18 Uhr",
)

DEFAULT_DAY_PARTS: Mapping[str, time] = {
    "morgens": time(8),
    "vormittags": time(10),
    "mittags": time(12),
    "nachmittags": time(15),
    "abends": time(19),
}

PREFERENCES: tuple[Prefer, ...] = ("future", "past")
MAX_LENGTH = 200
MAX_AMOUNT = 100_000
YEARS = range(1900, 2201)


class NotUnderstood(WhenError):
    """A word that no rule reads (the only error after which dateparser is tried)."""


# --- vocabulary ---------------------------------------------------------------------

V = TypeVar("V")


def _variants(word: str) -> set[str]:
    ascii_form = word.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    bare = word.replace("ä", "a").replace("ö", "o").replace("ü", "u")
    return {form.replace("ß", "ss") for form in (word, ascii_form, bare)} | {word}


def _table(entries: Mapping[str, V]) -> dict[str, V]:
    """The entries plus their spellings without umlauts (nächsten, naechsten, nachsten)."""
    return {variant: value for word, value in entries.items() for variant in _variants(word)}


def _inflected(stems: Iterable[str], value: V) -> dict[str, V]:
    return {stem + ending: value for stem in stems for ending in ("e", "en", "er", "es", "em")}


WEEKDAYS = _table(
    {
        **dict.fromkeys(("montag", "mo", "mon", "monday"), 0),
        **dict.fromkeys(("dienstag", "di", "tue", "tues", "tuesday"), 1),
        **dict.fromkeys(("mittwoch", "mi", "wed", "weds", "wednesday"), 2),
        **dict.fromkeys(("donnerstag", "do", "thu", "thur", "thurs", "thursday"), 3),
        **dict.fromkeys(("freitag", "fr", "fri", "friday"), 4),
        **dict.fromkeys(("samstag", "sonnabend", "sa", "sat", "saturday"), 5),
        **dict.fromkeys(("sonntag", "so", "sun", "sunday"), 6),
    }
)
WEEKDAYS_PLURAL = _table(
    {
        **dict.fromkeys(("montags", "mondays"), 0),
        **dict.fromkeys(("dienstags", "tuesdays"), 1),
        **dict.fromkeys(("mittwochs", "wednesdays"), 2),
        **dict.fromkeys(("donnerstags", "thursdays"), 3),
        **dict.fromkeys(("freitags", "fridays"), 4),
        **dict.fromkeys(("samstags", "sonnabends", "saturdays"), 5),
        **dict.fromkeys(("sonntags", "sundays"), 6),
    }
)
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
MONTHS = _table(
    {
        **dict.fromkeys(("januar", "jänner", "jan", "jän", "january"), 1),
        **dict.fromkeys(("februar", "feb", "febr", "february"), 2),
        **dict.fromkeys(("märz", "mär", "mrz", "mar", "march"), 3),
        **dict.fromkeys(("april", "apr"), 4),
        **dict.fromkeys(("mai", "may"), 5),
        **dict.fromkeys(("juni", "jun", "june"), 6),
        **dict.fromkeys(("juli", "jul", "july"), 7),
        **dict.fromkeys(("august", "aug"), 8),
        **dict.fromkeys(("september", "sep", "sept"), 9),
        **dict.fromkeys(("oktober", "okt", "october", "oct"), 10),
        **dict.fromkeys(("november", "nov"), 11),
        **dict.fromkeys(("dezember", "dez", "december", "dec"), 12),
    }
)
RELATIVE_DAYS = _table(
    {
        **dict.fromkeys(("heute", "heut", "today"), 0),
        **dict.fromkeys(("morgen", "tomorrow"), 1),
        "übermorgen": 2,
        **dict.fromkeys(("gestern", "yesterday"), -1),
        "vorgestern": -2,
    }
)
RELATIVE_PHRASES: Mapping[tuple[str, ...], int] = {
    ("the", "day", "after", "tomorrow"): 2,
    ("day", "after", "tomorrow"): 2,
    ("the", "day", "before", "yesterday"): -2,
    ("day", "before", "yesterday"): -2,
}
# How a weekday is meant: the next one, the last one, this week's, the one after next.
MODES = _table(
    {
        **_inflected(("nächst", "kommend"), "next"),
        **dict.fromkeys(("next", "coming"), "next"),
        **_inflected(("letzt", "vergangen", "vorig"), "last"),
        **dict.fromkeys(("last", "past", "previous"), "last"),
        **_inflected(("dies",), "this"),
        "this": "this",
        **_inflected(("übernächst",), "overnext"),
    }
)
WEEK_SHIFTS = {"next": 1, "last": -1, "this": 0, "overnext": 2}
WEEK_WORDS = {"woche", "week"}
DAY_PARTS = _table(
    {
        **dict.fromkeys(("früh", "morgens", "morning"), "morgens"),
        **dict.fromkeys(("vormittags", "vormittag", "forenoon"), "vormittags"),
        **dict.fromkeys(("mittags", "mittag"), "mittags"),
        **dict.fromkeys(("nachmittags", "nachmittag", "afternoon"), "nachmittags"),
        **dict.fromkeys(("abends", "abend", "evening"), "abends"),
        **dict.fromkeys(("nachts", "nacht", "night"), "nachts"),
    }
)
UHR = {"uhr", "h", "o'clock", "oclock"}
MERIDIEMS = {"am": "am", "pm": "pm", "a.m.": "am", "p.m.": "pm", "a.m": "am", "p.m": "pm"}
TIME_INTROS = {"um", "at", "gegen", "@"}
FILLERS = {
    "am",
    "an",
    "den",
    "dem",
    "der",
    "im",
    "on",
    "at",
    "the",
    "of",
    "und",
    "and",
    "jeweils",
    "immer",
    "ca",
    "etwa",
    "gegen",
    "zu",
    "-",
}
AND_WORDS = {"und", "and", "&", "+"}
START_WORDS = {"ab", "from", "starting", "beginning", "beginnend", "startend"}

CARDINALS = _table(
    {
        **dict.fromkeys(("eins", "ein", "eine", "einer", "einem", "einen", "one"), 1),
        **dict.fromkeys(("zwei", "zwo", "two"), 2),
        **dict.fromkeys(("drei", "three"), 3),
        **dict.fromkeys(("vier", "four"), 4),
        **dict.fromkeys(("fünf", "five"), 5),
        **dict.fromkeys(("sechs", "six"), 6),
        **dict.fromkeys(("sieben", "seven"), 7),
        **dict.fromkeys(("acht", "eight"), 8),
        **dict.fromkeys(("neun", "nine"), 9),
        **dict.fromkeys(("zehn", "ten"), 10),
        **dict.fromkeys(("elf", "eleven"), 11),
        **dict.fromkeys(("zwölf", "twelve"), 12),
        **dict.fromkeys(("dreizehn", "thirteen"), 13),
        **dict.fromkeys(("vierzehn", "fourteen"), 14),
        **dict.fromkeys(("fünfzehn", "fifteen"), 15),
        **dict.fromkeys(("sechzehn", "sixteen"), 16),
        **dict.fromkeys(("siebzehn", "seventeen"), 17),
        **dict.fromkeys(("achtzehn", "eighteen"), 18),
        **dict.fromkeys(("neunzehn", "nineteen"), 19),
    }
)
TENS = _table(
    {
        **dict.fromkeys(("zwanzig", "twenty"), 20),
        **dict.fromkeys(("dreißig", "thirty"), 30),
        **dict.fromkeys(("vierzig", "forty"), 40),
        **dict.fromkeys(("fünfzig", "fifty"), 50),
        **dict.fromkeys(("sechzig", "sixty"), 60),
        **dict.fromkeys(("siebzig", "seventy"), 70),
        **dict.fromkeys(("achtzig", "eighty"), 80),
        **dict.fromkeys(("neunzig", "ninety"), 90),
    }
)
UNITS_ENGLISH = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
UNITS_ENGLISH |= {"six": 6, "seven": 7, "eight": 8, "nine": 9}
GERMAN_UNIT_WORDS = {"ein": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6}
GERMAN_UNIT_WORDS |= {"sieben": 7, "acht": 8, "neun": 9}
GERMAN_UNITS = _table(GERMAN_UNIT_WORDS)
ARTICLES = {"a", "an"} | {w for w, v in CARDINALS.items() if v == 1}
HALF_WORDS = {"halb", "halbe", "halben", "halber", "halbes"}
FRACTION_WORDS = _table(
    {
        "anderthalb": Fraction(3, 2),
        "eineinhalb": Fraction(3, 2),
        "einhalb": Fraction(1, 2),
        "dreiviertel": Fraction(3, 4),
        "viertel": Fraction(1, 4),
    }
)
# unit word -> (unit, factor)
OFFSET_UNITS = _table(
    {
        **dict.fromkeys(("sekunde", "sekunden", "sek", "second", "seconds", "sec"), ("s", 1)),
        **dict.fromkeys(("minute", "minuten", "min", "mins", "minutes"), ("s", 60)),
        **dict.fromkeys(
            ("stunde", "stunden", "std", "h", "hour", "hours", "hrs", "hr"), ("s", 3600)
        ),
        "viertelstunde": ("s", 900),
        "dreiviertelstunde": ("s", 2700),
        **dict.fromkeys(("tag", "tage", "tagen", "day", "days"), ("d", 1)),
        **dict.fromkeys(("woche", "wochen", "week", "weeks"), ("d", 7)),
        **dict.fromkeys(("fortnight", "fortnights"), ("d", 14)),
        **dict.fromkeys(("monat", "monate", "monaten", "month", "months"), ("m", 1)),
        **dict.fromkeys(("jahr", "jahre", "jahren", "year", "years"), ("m", 12)),
    }
)
# recurrence words -> (interval, unit)
SERIES_WORDS = _table(
    {
        **dict.fromkeys(("täglich", "daily"), (1, "day")),
        **dict.fromkeys(("werktags", "wochentags", "werktagen", "weekdays"), (1, "weekday")),
        **dict.fromkeys(("wöchentlich", "weekly"), (1, "week")),
        **dict.fromkeys(
            ("zweiwöchentlich", "vierzehntägig", "vierzehntäglich", "14-tägig", "fortnightly"),
            (2, "week"),
        ),
        **dict.fromkeys(("monatlich", "monthly"), (1, "month")),
        **dict.fromkeys(("vierteljährlich", "quartalsweise", "quarterly"), (3, "month")),
        **dict.fromkeys(("halbjährlich", "semiannually"), (6, "month")),
        **dict.fromkeys(("jährlich", "yearly", "annually"), (1, "year")),
    }
)
SERIES_UNITS = _table(
    {
        **dict.fromkeys(("tag", "tage", "day", "days"), (1, "day")),
        **dict.fromkeys(("werktag", "werktage", "weekday"), (1, "weekday")),
        **dict.fromkeys(("woche", "wochen", "week", "weeks"), (1, "week")),
        **dict.fromkeys(("monat", "monate", "month", "months"), (1, "month")),
        **dict.fromkeys(("quartal", "quartale", "quarter", "quarters"), (3, "month")),
        **dict.fromkeys(("jahr", "jahre", "year", "years"), (1, "year")),
    }
)
EVERY_WORDS = {"jeden", "jede", "jedes", "jeder", "jedem", "every", "each"}
MONTH_SCOPES: tuple[tuple[str, ...], ...] = (
    ("eines", "jeden", "monats"),
    ("of", "every", "month"),
    ("of", "each", "month"),
    ("of", "the", "month"),
    ("in", "the", "month"),
    ("im", "monat"),
    ("des", "monats"),
    ("jedes", "monats"),
    ("jeden", "monats"),
    ("pro", "monat"),
)

_ORDINAL_STEMS_DE = {
    1: "erst",
    2: "zweit",
    3: "dritt",
    4: "viert",
    5: "fünft",
    6: "sechst",
    7: "siebt",
    8: "acht",
    9: "neunt",
    10: "zehnt",
    11: "elft",
    12: "zwölft",
    13: "dreizehnt",
    14: "vierzehnt",
    15: "fünfzehnt",
    16: "sechzehnt",
    17: "siebzehnt",
    18: "achtzehnt",
    19: "neunzehnt",
    20: "zwanzigst",
    30: "dreißigst",
}
_ORDINALS_EN = {
    1: "first",
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    6: "sixth",
    7: "seventh",
    8: "eighth",
    9: "ninth",
    10: "tenth",
    11: "eleventh",
    12: "twelfth",
    13: "thirteenth",
    14: "fourteenth",
    15: "fifteenth",
    16: "sixteenth",
    17: "seventeenth",
    18: "eighteenth",
    19: "nineteenth",
    20: "twentieth",
    30: "thirtieth",
}


def _ordinal_words() -> dict[str, int]:
    words: dict[str, int] = {}
    stems = dict(_ORDINAL_STEMS_DE)
    for unit_word, unit in GERMAN_UNIT_WORDS.items():
        stems[20 + unit] = f"{unit_word}undzwanzigst"
    stems[31] = "einunddreißigst"
    for value, stem in stems.items():
        words |= _inflected((stem,), value)
    words |= {name: value for value, name in _ORDINALS_EN.items()}
    for value in range(21, 32):
        tens, unit = divmod(value, 10)
        if unit:
            words[f"{'twenty' if tens == 2 else 'thirty'}-{_ORDINALS_EN[unit]}"] = value
    words |= _inflected(("vorletzt",), -2) | {"penultimate": -2}
    return _table(words)


ORDINAL_WORDS = _ordinal_words()
LAST_WORDS = {w for w, mode in MODES.items() if mode == "last"}

# --- token shapes ---------------------------------------------------------------------

_TOKEN = re.compile(r"[0-9]+,[0-9]+|[^\s,;!?()\[\]{}\"„“”«»]+")
_COLON_TIME = re.compile(r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2}))?(?:h|uhr)?\.?")
_H_TIME = re.compile(r"([0-9]{1,2})h([0-9]{2})?")
_MERIDIEM_TIME = re.compile(r"([0-9]{1,2})(?::([0-9]{2}))?(am|pm|a\.m\.?|p\.m\.?)")
_DOT_TIME = re.compile(r"([0-9]{1,2})\.([0-9]{2})(h|uhr)?")
_UHR_TIME = re.compile(r"([0-9]{1,2})uhr")
_INT = re.compile(r"[0-9]{1,9}")
_DECIMAL = re.compile(r"[0-9]{1,6}[.,][0-9]{1,3}")
_NUMERIC_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.(?:([0-9]{4}|[0-9]{2})\.?)?")
_SHORT_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ISO_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}t[0-9]{2}:[0-9]{2}(?::[0-9]{2})?(?:z|[+-][0-9]{2}:?[0-9]{2})?"
)
_ORDINAL_NUMBER = re.compile(r"([0-9]{1,2})(?:\.|st|nd|rd|th)")
_GLUED_DAY_MONTH = re.compile(r"([0-9]{1,2})\.([a-zäöüß]+)\.?")
_UHR_GLUED = re.compile(r"([0-9]{1,2})(uhr)")
_HALF_COMPOUND = re.compile(r"([a-zäöü]+)einhalb")
_WEEKDAY_COMPOUND = re.compile(
    r"(montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag)(s?)"
    r"(morgen|früh|frueh|vormittag|mittag|nachmittag|abend|nacht)(s?)"
)


def tokenize(text: str) -> list[str]:
    """Lower-case words; commas and brackets separate; compounds are split."""
    folded = unicodedata.normalize("NFKC", text).lower()
    tokens: list[str] = []
    for raw in _TOKEN.findall(folded):
        tokens.extend(_split_token(raw))
    return tokens


def _split_token(raw: str) -> list[str]:
    if raw in MERIDIEMS:
        return [raw]
    compound = _WEEKDAY_COMPOUND.fullmatch(raw)
    if compound:
        day, plural, part, part_s = compound.groups()
        habitual = "s" if plural or part_s else ""
        return [day + habitual, part + habitual]
    glued = _UHR_GLUED.fullmatch(raw)
    if glued:
        return [glued.group(1), "uhr"]
    if raw.endswith(".") and raw.rstrip(".").isalpha():
        return [raw.rstrip(".")]
    return [raw]


# --- components: what a run of words means, before it is resolved against now ---------


@dataclass(frozen=True)
class RelDay:
    days: int


@dataclass(frozen=True)
class WeekdayRef:
    weekday: int
    mode: str  # "plain", "next", "last", "this", "overnext"


@dataclass(frozen=True)
class WeekShift:
    weeks: int


@dataclass(frozen=True)
class CalDate:
    day: int
    month: int | None = None
    year: int | None = None


@dataclass(frozen=True)
class MonthName:
    month: int
    year: int | None = None


@dataclass(frozen=True)
class OrdinalWeekdays:
    ordinals: tuple[int, ...]
    weekday: int


@dataclass(frozen=True)
class LastDayOfMonth:
    pass


@dataclass(frozen=True)
class ClockTime:
    hour: int
    minute: int
    second: int = 0
    meridiem: str | None = None


@dataclass(frozen=True)
class DayPart:
    name: str


@dataclass(frozen=True)
class Offset:
    sign: int
    months: int
    days: int
    seconds: Fraction


@dataclass(frozen=True)
class Instant:
    at: datetime


@dataclass(frozen=True)
class Every:
    interval: int


@dataclass(frozen=True)
class Interval:
    count: int
    unit: str  # "day", "weekday", "week", "month", "year"


@dataclass(frozen=True)
class WeekdaySet:
    weekdays: tuple[int, ...]


@dataclass(frozen=True)
class MonthScope:
    pass


@dataclass(frozen=True)
class StartMarker:
    pass


Component = (
    RelDay
    | WeekdayRef
    | WeekShift
    | CalDate
    | MonthName
    | OrdinalWeekdays
    | LastDayOfMonth
    | ClockTime
    | DayPart
    | Offset
    | Instant
    | Every
    | Interval
    | WeekdaySet
    | MonthScope
    | StartMarker
)
SERIES_MARKERS = (Every, Interval, WeekdaySet, MonthScope, StartMarker)
Found = tuple[list[Component], int] | None
Rule = Callable[[Sequence[str], int, Sequence[Component]], Found]


def _at(tokens: Sequence[str], index: int) -> str:
    return tokens[index] if index < len(tokens) else ""


# --- numbers --------------------------------------------------------------------------


def _cardinal(word: str) -> int | None:
    """A whole number written as digits or words (zwei, einundzwanzig, twenty-one)."""
    if _INT.fullmatch(word):
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


def _amount(tokens: Sequence[str], index: int) -> tuple[Fraction, int] | None:
    """A count before a unit: 3, 1,5, drei, eine, einer halben, anderthalb, half an."""
    word, following = _at(tokens, index), _at(tokens, index + 1)
    if _DECIMAL.fullmatch(word):
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
    half = _HALF_COMPOUND.fullmatch(word)
    if half and _cardinal(half.group(1)) is not None:
        return _cardinal(half.group(1)) + Fraction(1, 2), index + 1  # type: ignore[operator]
    value = _cardinal(word)
    if value is None and word in ARTICLES:
        value = 1
    return (Fraction(value), index + 1) if value is not None else None


def _ordinal(word: str) -> int | None:
    number = _ORDINAL_NUMBER.fullmatch(word)
    if number:
        return int(number.group(1))
    return ORDINAL_WORDS.get(word)


# --- rules that read components ---------------------------------------------------------


def _month_scope(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    for phrase in MONTH_SCOPES:
        if tuple(tokens[index : index + len(phrase)]) == phrase:
            return [MonthScope()], index + len(phrase)
    return None


def _offset(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    word = tokens[index]
    if word in ("in", "vor"):
        terms = _offset_terms(tokens, index + 1)
        if terms is None:
            return None
        offset, end = terms
        sign = -1 if word == "vor" else 1
        return [Offset(sign, offset.months, offset.days, offset.seconds)], end
    terms = _offset_terms(tokens, index)
    if terms is None:
        return None
    offset, end = terms
    if _at(tokens, end) in ("ago", "früher", "frueher"):
        return [Offset(-1, offset.months, offset.days, offset.seconds)], end + 1
    if tuple(tokens[end : end + 2]) == ("from", "now"):
        return [offset], end + 2
    return None


def _offset_terms(tokens: Sequence[str], index: int) -> tuple[Offset, int] | None:
    months, days, seconds = 0, 0, Fraction(0)
    end, count = index, 0
    while True:
        term = _offset_term(tokens, end)
        if term is None:
            break
        (unit, value), end = term
        count += 1
        if unit == "s":
            seconds += value
        elif unit == "d":
            days += _whole(value, "days")
        else:
            months += _whole(value, "months")
        if _at(tokens, end) in AND_WORDS and _offset_term(tokens, end + 1) is not None:
            end += 1
    if count == 0:
        return None
    return Offset(1, months, days, seconds), end


def _offset_term(tokens: Sequence[str], index: int) -> tuple[tuple[str, Fraction], int] | None:
    amount = _amount(tokens, index)
    if amount is None:
        return None
    value, end = amount
    unit_word = _at(tokens, end)
    if unit_word not in OFFSET_UNITS:
        return None
    unit, factor = OFFSET_UNITS[unit_word]
    end += 1
    if tuple(tokens[end : end + 3]) in (("and", "a", "half"), ("und", "ein", "halb")):
        value, end = value + Fraction(1, 2), end + 3
    if value > MAX_AMOUNT:
        raise WhenError(f"{value} {unit_word} is too far away", GENERAL_EXAMPLES)
    return (unit, value * factor), end


def _whole(value: Fraction, unit: str) -> int:
    if value.denominator != 1:
        raise WhenError(
            f"{float(value):g} {unit} is not a whole number of {unit}; use hours or a date",
            ("in 36 Stunden", "in 2 Tagen", "in einem halben Jahr"),
        )
    return int(value)


def _series_word(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    word = tokens[index]
    if word in SERIES_WORDS:
        count, unit = SERIES_WORDS[word]
        return [Interval(count, unit)], index + 1
    if word in WEEKDAYS_PLURAL:
        return [WeekdaySet((WEEKDAYS_PLURAL[word],))], index + 1
    if word in START_WORDS:
        return [StartMarker()], index + 1
    return None


def _every(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    """jeden/every [other | N | zweite] [Tag/Woche/Monat/…]."""
    if tokens[index] not in EVERY_WORDS:
        return None
    end, interval = index + 1, 1
    word, unit_word = _at(tokens, end), _at(tokens, end + 1)
    if word == "other":
        interval, end = 2, end + 1
    elif unit_word in SERIES_UNITS:
        number = _cardinal(word) if word not in ARTICLES else None
        number = number if number is not None else _ordinal(word)
        if number is not None and number > 0:
            interval, end = number, end + 1
    if _at(tokens, end) in SERIES_UNITS:
        factor, unit = SERIES_UNITS[_at(tokens, end)]
        return [Interval(interval * factor, unit)], end + 1
    return [Every(interval)], end


def _alle(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    """alle N Tage/Wochen/Monate/Jahre."""
    if tokens[index] != "alle":
        return None
    number = _cardinal(_at(tokens, index + 1))
    unit_word = _at(tokens, index + 2)
    if number is None or number < 1 or unit_word not in SERIES_UNITS:
        return None
    factor, unit = SERIES_UNITS[unit_word]
    return [Interval(number * factor, unit)], index + 3


def _week_shift(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    """nächste/diese/letzte/übernächste Woche, next week (optionally "in der")."""
    end = index
    if tuple(tokens[end : end + 2]) == ("in", "der"):
        end += 2
    mode = MODES.get(_at(tokens, end))
    if mode is None or _at(tokens, end + 1) not in WEEK_WORDS:
        return None
    return [WeekShift(WEEK_SHIFTS[mode])], end + 2


def _weekday(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    """[nächsten|letzten|diesen|übernächsten|next|last|this] Montag."""
    word = tokens[index]
    if word in WEEKDAYS:
        return [WeekdayRef(WEEKDAYS[word], "plain")], index + 1
    mode = MODES.get(word)
    if mode is None:
        return None
    following = _at(tokens, index + 1)
    if following in WEEKDAYS:
        return [WeekdayRef(WEEKDAYS[following], mode)], index + 2
    if mode == "this" and following in DAY_PARTS:
        return [RelDay(0), DayPart(DAY_PARTS[following])], index + 2
    return None


def _relative_day(tokens: Sequence[str], index: int, previous: Sequence[Component]) -> Found:
    word = tokens[index]
    for phrase, days in RELATIVE_PHRASES.items():
        if tuple(tokens[index : index + len(phrase)]) == phrase:
            return [RelDay(days)], index + len(phrase)
    if word == "tonight":
        return [RelDay(0), DayPart("abends")], index + 1
    if word == "morgen" and previous and _names_a_day(previous[-1]):
        return [DayPart("morgens")], index + 1  # "heute Morgen", "Montag morgen"
    if word in RELATIVE_DAYS:
        return [RelDay(RELATIVE_DAYS[word])], index + 1
    return None


def _names_a_day(component: Component) -> bool:
    return isinstance(component, RelDay | WeekdayRef | CalDate | WeekdaySet)


def _iso(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    word = tokens[index]
    if _ISO_DATETIME.fullmatch(word):
        try:
            moment = datetime.fromisoformat(word.upper())
        except ValueError:
            raise WhenError(f'"{word}" is not a valid date and time', DATE_EXAMPLES) from None
        if moment.tzinfo is not None:
            return [Instant(moment)], index + 1
        day = CalDate(moment.day, moment.month, moment.year)
        return [day, ClockTime(moment.hour, moment.minute, moment.second)], index + 1
    match = _ISO_DATE.fullmatch(word)
    if match:
        year, month, day_of_month = (int(group) for group in match.groups())
        return [CalDate(day_of_month, month, year)], index + 1
    return None


def _time(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    """14:30, 14.30 Uhr, 14 Uhr, 14h, 9 Uhr 30, um 9, 2pm, 3:30 pm, at 9."""
    intro = tokens[index] in TIME_INTROS
    start = index + 1 if intro else index
    found = _clock(tokens, start, intro)
    if found is None:
        return None
    clock, end = found
    _check_clock(clock)
    return [clock], end


def _clock(tokens: Sequence[str], index: int, intro: bool) -> tuple[ClockTime, int] | None:
    word, following = _at(tokens, index), _at(tokens, index + 1)
    meridiem = _meridiem(following, intro)
    match = _MERIDIEM_TIME.fullmatch(word)
    if match:
        hour, minute, mark = match.groups()
        mark = "am" if mark.startswith("a") else "pm"
        return ClockTime(int(hour), int(minute or 0), 0, mark), index + 1
    match = _COLON_TIME.fullmatch(word)
    if match:
        hour, minute, second = match.groups()
        clock = ClockTime(int(hour), int(minute), int(second or 0), meridiem)
        return clock, _after_clock(tokens, index + 1, meridiem)
    match = _H_TIME.fullmatch(word) or _UHR_TIME.fullmatch(word)
    if match:
        groups = match.groups()
        minute = groups[1] if len(groups) > 1 else None
        return ClockTime(int(groups[0]), int(minute or 0)), index + 1
    match = _DOT_TIME.fullmatch(word)
    if match and (intro or match.group(3) or following in UHR):
        clock = ClockTime(int(match.group(1)), int(match.group(2)), 0, meridiem)
        return clock, _after_clock(tokens, index + 1, meridiem)
    if re.fullmatch(r"[0-9]{1,2}", word) and (intro or following in UHR or meridiem):
        return _hour_clock(tokens, index, meridiem)
    return None


def _meridiem(word: str, intro: bool) -> str | None:
    """am/pm after a number; after "um" the word "am" is German ("um 9 am Montag")."""
    if word == "am" and intro:
        return None
    return MERIDIEMS.get(word)


def _after_clock(tokens: Sequence[str], index: int, meridiem: str | None) -> int:
    if meridiem is not None or _at(tokens, index) in UHR:
        return index + 1
    return index


def _hour_clock(tokens: Sequence[str], index: int, meridiem: str | None) -> tuple[ClockTime, int]:
    hour, end = int(tokens[index]), index + 1
    if meridiem is not None:
        return ClockTime(hour, 0, 0, meridiem), end + 1
    minute = 0
    if _at(tokens, end) in UHR:
        end += 1
        word = _at(tokens, end)
        if re.fullmatch(r"[0-9]{1,2}", word) and _at(tokens, end + 1) not in MONTHS:
            minute, end = int(word), end + 1
    return ClockTime(hour, minute), end


def _check_clock(clock: ClockTime) -> None:
    limit = 12 if clock.meridiem else 23
    if clock.hour > limit or clock.minute > 59 or clock.second > 59:
        shown = f"{clock.hour}:{clock.minute:02d}" + (
            f" {clock.meridiem}" if clock.meridiem else ""
        )
        raise WhenError(f"{shown} is not a time of day", TIME_EXAMPLES)


def _numeric_date(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    """7.4., 7.4.26, 07.04.2026, 7.4 (day first)."""
    word = tokens[index]
    match = _NUMERIC_DATE.fullmatch(word) or _SHORT_DATE.fullmatch(word)
    if match is None:
        return None
    groups = match.groups()
    if len(groups) == 2 and 12 < int(groups[1]) < 60:
        raise WhenError(
            f'"{word}" is not a date; a time is written {groups[0]}:{groups[1]}', TIME_EXAMPLES
        )
    year_text = groups[2] if len(groups) > 2 else None
    year = None
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    return [_checked_date(int(groups[0]), int(groups[1]), year)], index + 1


def _month_date(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    """20. April [2026], 20 Apr, 20th of April, April 20th[, 2026], 20.april."""
    word = tokens[index]
    glued = _GLUED_DAY_MONTH.fullmatch(word)
    if glued and glued.group(2) in MONTHS:
        return _with_year(tokens, index + 1, int(glued.group(1)), MONTHS[glued.group(2)])
    day = _day_number(word)
    if day is not None:
        end = index + 2 if _at(tokens, index + 1) == "of" else index + 1
        if _at(tokens, end) in MONTHS:
            return _with_year(tokens, end + 1, day, MONTHS[_at(tokens, end)])
        return None
    if word not in MONTHS:
        return None
    month = MONTHS[word]
    day = _day_number(_at(tokens, index + 1))
    after = _at(tokens, index + 2)
    if day is not None and after not in UHR and after not in MERIDIEMS:
        return _with_year(tokens, index + 2, day, month)
    year = _year(_at(tokens, index + 1))
    if year is not None:
        return [MonthName(month, year)], index + 2
    return [MonthName(month)], index + 1


def _day_number(word: str) -> int | None:
    if re.fullmatch(r"[0-9]{1,2}", word):
        return int(word)
    ordinal = _ordinal(word)
    return ordinal if ordinal is not None and ordinal > 0 else None


def _year(word: str) -> int | None:
    return int(word) if re.fullmatch(r"[0-9]{4}", word) else None


def _with_year(tokens: Sequence[str], index: int, day: int, month: int) -> Found:
    year = _year(_at(tokens, index))
    end = index + 1 if year is not None else index
    return [_checked_date(day, month, year)], end


def _checked_date(day: int, month: int, year: int | None) -> CalDate:
    """A day and month that exist (in the given year, or in some year)."""
    if year is not None and year not in YEARS:
        raise WhenError(f"the year {year} is out of range", DATE_EXAMPLES)
    try:
        date(year if year is not None else 2000, month, day)
    except ValueError:
        shown = f"{day:02d}.{month:02d}." + (str(year) if year is not None else "")
        raise WhenError(f"{shown} does not exist", DATE_EXAMPLES) from None
    return CalDate(day, month, year)


def _ordinals(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    """ersten [und dritten] Dienstag, letzten Tag, am 15., the 15th, am ersten."""
    first = _ordinal(tokens[index])
    if first is None and tokens[index] in LAST_WORDS:
        following = _at(tokens, index + 1)
        if following not in ("tag", "day") and following not in AND_WORDS:
            return None
        first = -1
    if first is None:
        return None
    numbers, end = [first], index + 1
    while _at(tokens, end) in AND_WORDS:
        following = _at(tokens, end + 1)
        more = -1 if following in LAST_WORDS else _ordinal(following)
        if more is None:
            break
        numbers.append(more)
        end += 2
    return _ordinal_target(tokens, end, tuple(numbers))


def _ordinal_target(tokens: Sequence[str], end: int, numbers: tuple[int, ...]) -> Found:
    following = _at(tokens, end)
    if following in WEEKDAYS:
        _check_ordinals(numbers, 5)
        return [OrdinalWeekdays(numbers, WEEKDAYS[following])], end + 1
    if following in ("tag", "day"):
        end += 1
    if len(numbers) == 1 and numbers[0] == -1:
        return [LastDayOfMonth()], end
    if any(number < 1 for number in numbers):
        raise WhenError("only the last day of a month can be counted from the end", SERIES_EXAMPLES)
    _check_ordinals(numbers, 31)
    return [CalDate(number) for number in numbers], end


def _check_ordinals(numbers: tuple[int, ...], highest: int) -> None:
    for number in numbers:
        if number == 0 or number > highest or number < -2:
            raise WhenError(f"there is no {number}. day of that kind", SERIES_EXAMPLES)


def _am_day(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    """ "am 15" (without the dot) is the 15th of a month."""
    word = _at(tokens, index + 1)
    if tokens[index] != "am" or not re.fullmatch(r"[0-9]{1,2}", word):
        return None
    following = _at(tokens, index + 2)
    if following in UHR or following in MERIDIEMS or following in MONTHS or following == "of":
        return None
    _check_ordinals((int(word),), 31)
    return [CalDate(int(word))], index + 2


def _day_part(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    """abends, am Abend, in the evening, in der Früh, noon, midday."""
    word = tokens[index]
    if word in ("noon", "midday"):
        return [ClockTime(12, 0)], index + 1
    if word in DAY_PARTS:
        return [DayPart(DAY_PARTS[word])], index + 1
    if word == "in" and _at(tokens, index + 1) in ("the", "der"):
        part = _at(tokens, index + 2)
        if part in DAY_PARTS:
            return [DayPart(DAY_PARTS[part])], index + 3
    return None


def _filler(tokens: Sequence[str], index: int, _: Sequence[Component]) -> Found:
    return ([], index + 1) if tokens[index] in FILLERS else None


RULES: tuple[Rule, ...] = (
    _month_scope,
    _offset,
    _series_word,
    _every,
    _alle,
    _week_shift,
    _weekday,
    _relative_day,
    _iso,
    _time,
    _numeric_date,
    _month_date,
    _ordinals,
    _am_day,
    _day_part,
    _filler,
)


def scan(tokens: Sequence[str]) -> list[Component]:
    """Read every word with the first rule that takes it; a word no rule takes is an error."""
    components: list[Component] = []
    index = 0
    while index < len(tokens):
        for rule in RULES:
            found = rule(tokens, index, components)
            if found is not None:
                new, index = found
                components.extend(new)
                break
        else:
            words = (
                tokens[index : index + 2] if tokens[index] in MODES else tokens[index : index + 1]
            )
            raise NotUnderstood(f'"{" ".join(words)}" is not understood', GENERAL_EXAMPLES)
    return components


# --- resolving against now --------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """Now in the zone, the direction, and the day parts' clock times."""

    now: datetime
    zone: ZoneInfo
    prefer: Prefer
    day_parts: Mapping[str, time]

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def future(self) -> bool:
        return self.prefer == "future"


def _only(components: Sequence[Component], kind: type[V], name: str) -> V | None:
    found = [component for component in components if isinstance(component, kind)]
    if len(found) > 1:
        raise WhenError(f"more than one {name}", GENERAL_EXAMPLES)
    return found[0] if found else None


def _loose(day: date, wall: time, ctx: Context) -> datetime:
    return datetime.combine(day, wall, tzinfo=ctx.zone)


def localize(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The aware moment for a wall-clock time; a time in the spring-forward gap is an error."""
    local = datetime.combine(day, wall, tzinfo=zone)
    if local.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise WhenError(
            f"{day:%d.%m.%Y} {wall:%H:%M} does not exist in {zone.key}: the clocks jump "
            "forward then (summer time)",
            (f"{day:%d.%m.%Y} 03:00", f"{day:%d.%m.%Y} 01:30"),
        )
    return local


def _pick(
    candidates: Iterable[date], wall: time | None, ctx: Context, today_counts: bool = True
) -> date:
    """The earliest candidate after now (future) or the latest at or before now (past).

    Without a time, days are compared: today counts unless ``today_counts`` is false.
    """
    if wall is None:
        after = ctx.today if today_counts else ctx.today + timedelta(days=1)
        before = ctx.today if today_counts else ctx.today - timedelta(days=1)
        fits = [day for day in candidates if (day >= after if ctx.future else day <= before)]
    else:
        fits = [
            day
            for day in candidates
            if (
                _loose(day, wall, ctx) > ctx.now
                if ctx.future
                else _loose(day, wall, ctx) <= ctx.now
            )
        ]
    if not fits:
        raise WhenError("no matching date found", DATE_EXAMPLES)
    return min(fits) if ctx.future else max(fits)


def _time_of_day(components: Sequence[Component], ctx: Context) -> time | None:
    clock = _only(components, ClockTime, "time of day")
    part = _only(components, DayPart, "part of the day")
    if clock is None:
        if part is None:
            return None
        if part.name not in ctx.day_parts:
            raise WhenError('"nachts" needs a time, e.g. "2 Uhr nachts"', TIME_EXAMPLES)
        return ctx.day_parts[part.name]
    hour = _hour_with_meridiem(clock)
    if part is not None:
        hour = _hour_in_day_part(hour, part.name)
    return time(hour, clock.minute, clock.second)


def _hour_with_meridiem(clock: ClockTime) -> int:
    if clock.meridiem is None:
        return clock.hour
    if not 1 <= clock.hour <= 12:
        raise WhenError(f"{clock.hour} {clock.meridiem} is not a time of day", TIME_EXAMPLES)
    hour = clock.hour % 12
    return hour + 12 if clock.meridiem == "pm" else hour


def _hour_in_day_part(hour: int, part: str) -> int:
    """ "8 Uhr abends" is 20:00; a clock time that contradicts the day part is an error."""
    if part in ("nachmittags", "abends") and 1 <= hour <= 11:
        return hour + 12
    if part == "mittags" and 1 <= hour <= 3:
        return hour + 12
    if part == "nachts" and 6 <= hour <= 11:
        return hour + 12
    allowed = {
        "morgens": range(0, 12),
        "vormittags": range(5, 13),
        "mittags": range(11, 16),
        "nachmittags": range(12, 20),
        "abends": range(16, 24),
        "nachts": set(range(0, 6)) | set(range(18, 24)),
    }[part]
    if hour not in allowed:
        raise WhenError(f"{hour} Uhr does not fit {part}", TIME_EXAMPLES)
    return hour


DATE_KINDS = (RelDay, WeekdayRef, WeekShift, CalDate, MonthName, OrdinalWeekdays, Instant)


def resolve_single(components: Sequence[Component], ctx: Context) -> When:
    """One moment or one date."""
    dated = [c for c in components if isinstance(c, DATE_KINDS)]
    offset = _only(components, Offset, "offset")
    stray = [c for c in components if isinstance(c, LastDayOfMonth)]
    if stray:
        raise WhenError('"letzten Tag" needs a month, e.g. a series', SERIES_EXAMPLES)
    wall = _time_of_day(components, ctx)
    instant = _only(dated, Instant, "date and time")
    if instant is not None:
        return _resolve_instant(instant, dated, components, ctx)
    if offset is not None:
        return _resolve_offset(offset, dated, wall, ctx)
    if not dated:
        if wall is None:
            raise NotUnderstood("no date or time found", GENERAL_EXAMPLES)
        day = _pick((ctx.today + timedelta(days=k) for k in (-1, 0, 1)), wall, ctx)
        return Moment(localize(day, wall, ctx.zone))
    day = resolve_day(dated, wall, ctx)
    return Day(day) if wall is None else Moment(localize(day, wall, ctx.zone))


def _resolve_instant(
    instant: Instant, dated: Sequence[Component], components: Sequence[Component], ctx: Context
) -> Moment:
    moment = instant.at.astimezone(ctx.zone)
    others = [c for c in components if c is not instant and not isinstance(c, WeekdayRef)]
    if others:
        raise WhenError("a date-time with an offset stands alone", DATE_EXAMPLES)
    _check_weekdays(moment.date(), dated)
    return Moment(moment)


def _resolve_offset(
    offset: Offset, dated: Sequence[Component], wall: time | None, ctx: Context
) -> When:
    exact = timedelta(seconds=float(offset.seconds) * offset.sign)
    if offset.months == 0 and offset.days == 0:
        if dated or wall is not None:
            raise WhenError(
                '"in N Minuten/Stunden" stands alone', ("in 45 Minuten", "in 2 Stunden")
            )
        return Moment(_plus_exact(ctx.now, exact, ctx).replace(microsecond=0))
    if exact and (dated or wall is not None):
        raise WhenError("hours or minutes cannot be combined with a date", GENERAL_EXAMPLES)
    if any(not isinstance(c, RelDay) for c in dated):
        raise WhenError(
            '"in N Tagen" counts from now, "heute" or "morgen"',
            ("in 2 Wochen", "morgen in einer Woche", "in 3 Tagen um 9 Uhr"),
        )
    base = resolve_day(dated, wall, ctx) if dated else ctx.today
    day = base + relativedelta(months=offset.months * offset.sign, days=offset.days * offset.sign)
    if wall is None and dated:
        return Day(day)
    clock = wall if wall is not None else ctx.now.time().replace(microsecond=0)
    return Moment(_plus_exact(localize(day, clock, ctx.zone), exact, ctx))


def _plus_exact(moment: datetime, exact: timedelta, ctx: Context) -> datetime:
    """Elapsed time: added in UTC, so that "in 3 Stunden" is three real hours across DST."""
    return (moment.astimezone(UTC) + exact).astimezone(ctx.zone)


def resolve_day(dated: Sequence[Component], wall: time | None, ctx: Context) -> date:
    """The date the date words name, in the preferred direction where they are incomplete."""
    weekdays = [c for c in dated if isinstance(c, WeekdayRef)]
    shift = _only(dated, WeekShift, "week")
    month = _only(dated, MonthName, "month")
    primaries = [c for c in dated if isinstance(c, RelDay | CalDate | OrdinalWeekdays)]
    if len(primaries) > 1:
        raise WhenError("more than one date", GENERAL_EXAMPLES)
    if shift is not None:
        if primaries or month or len(weekdays) != 1 or weekdays[0].mode != "plain":
            raise WhenError("a week needs exactly one weekday", ("Montag nächster Woche",))
        monday = ctx.today - timedelta(days=ctx.today.weekday())
        return monday + timedelta(weeks=shift.weeks, days=weekdays[0].weekday)
    if month is not None and not primaries and [w.mode for w in weekdays] == ["last"]:
        primaries, weekdays = [OrdinalWeekdays((-1,), weekdays[0].weekday)], []
    if month is not None and not (primaries and isinstance(primaries[0], OrdinalWeekdays)):
        raise WhenError("which day of that month?", DATE_EXAMPLES)
    if primaries:
        day = _resolve_primary(primaries[0], month, wall, ctx)
        _check_weekdays(day, weekdays)
        return day
    if len(weekdays) > 1:
        raise WhenError("more than one weekday", GENERAL_EXAMPLES)
    return _resolve_weekday(weekdays[0], wall, ctx)


def _check_weekdays(day: date, dated: Sequence[Component]) -> None:
    for ref in dated:
        if isinstance(ref, WeekdayRef) and ref.weekday != day.weekday():
            raise WhenError(
                f"{day:%d.%m.%Y} is a {_ENGLISH_WEEKDAYS[day.weekday()]}, "
                f"not a {_ENGLISH_WEEKDAYS[ref.weekday]}",
                DATE_EXAMPLES,
            )


_ENGLISH_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_GERMAN_WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def _resolve_primary(
    primary: Component, month: MonthName | None, wall: time | None, ctx: Context
) -> date:
    if isinstance(primary, RelDay):
        return ctx.today + timedelta(days=primary.days)
    if isinstance(primary, OrdinalWeekdays):
        return _resolve_ordinal_weekday(primary, month, wall, ctx)
    assert isinstance(primary, CalDate)
    if primary.month is None:
        return _resolve_day_of_month(primary.day, wall, ctx)
    if primary.year is not None:
        return date(primary.year, primary.month, primary.day)
    years = range(ctx.today.year - 8, ctx.today.year + 9)
    candidates = [_safe_date(y, primary.month, primary.day) for y in years]
    return _pick([c for c in candidates if c is not None], wall, ctx)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _resolve_day_of_month(day: int, wall: time | None, ctx: Context) -> date:
    candidates = []
    for shift in range(-13, 14):
        first = ctx.today.replace(day=1) + relativedelta(months=shift)
        candidate = _safe_date(first.year, first.month, day)
        if candidate is not None:
            candidates.append(candidate)
    return _pick(candidates, wall, ctx)


def _resolve_ordinal_weekday(
    spec: OrdinalWeekdays, month: MonthName | None, wall: time | None, ctx: Context
) -> date:
    if month is None or len(spec.ordinals) != 1:
        raise WhenError(
            "the first/last weekday needs a month, or is a series", ("erster Montag im April",)
        )
    years = (
        [month.year] if month.year is not None else range(ctx.today.year - 1, ctx.today.year + 2)
    )
    candidates = [_nth_weekday(y, month.month, spec.ordinals[0], spec.weekday) for y in years]
    found = [c for c in candidates if c is not None]
    if month.year is not None:
        if not found:
            raise WhenError("that month has no such weekday", DATE_EXAMPLES)
        return found[0]
    return _pick(found, wall, ctx)


def _nth_weekday(year: int, month: int, nth: int, weekday: int) -> date | None:
    days = [
        d
        for d in (_safe_date(year, month, day) for day in range(1, 32))
        if d is not None and d.weekday() == weekday
    ]
    index = nth - 1 if nth > 0 else nth
    return days[index] if -len(days) <= index < len(days) else None


def _resolve_weekday(ref: WeekdayRef, wall: time | None, ctx: Context) -> date:
    today = ctx.today
    ahead = (ref.weekday - today.weekday()) % 7
    if ref.mode == "next":
        return today + timedelta(days=ahead or 7)
    if ref.mode == "overnext":
        return today + timedelta(days=(ahead or 7) + 7)
    if ref.mode == "last":
        back = (today.weekday() - ref.weekday) % 7
        return today - timedelta(days=back or 7)
    if ref.mode == "this":
        return today + timedelta(days=ref.weekday - today.weekday())
    candidates = [today + timedelta(days=ahead + 7 * k) for k in (-1, 0, 1)]
    # On a Wednesday, "Mittwoch" is another Wednesday (today is "heute").
    return _pick(candidates, wall, ctx, today_counts=False)


# --- series -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesRule:
    """The parts of an RRULE (without DTSTART)."""

    freq: str
    interval: int = 1
    byday: tuple[str, ...] = ()
    bymonthday: tuple[int, ...] = ()
    bymonth: tuple[int, ...] = ()

    def text(self, interval: int | None = None) -> str:
        step = self.interval if interval is None else interval
        parts = [f"FREQ={self.freq}"]
        if step > 1:
            parts.append(f"INTERVAL={step}")
        if self.bymonth:
            parts.append("BYMONTH=" + ",".join(map(str, self.bymonth)))
        if self.bymonthday:
            parts.append("BYMONTHDAY=" + ",".join(map(str, self.bymonthday)))
        if self.byday:
            parts.append("BYDAY=" + ",".join(self.byday))
        return ";".join(parts)


WORKDAYS = ("MO", "TU", "WE", "TH", "FR")
START_KINDS = (RelDay, CalDate, WeekdayRef, WeekShift, MonthName, Instant)


def resolve_series(components: Sequence[Component], ctx: Context) -> Recurrence:
    main, start = _split_start(components)
    rule = series_rule(main)
    wall = _time_of_day(main, ctx)
    start_day = max(ctx.today, _resolve_start(start, ctx)) if start else ctx.today
    first = _first_occurrence(rule, start_day, wall, ctx)
    return Recurrence(rule.text(), first.replace(tzinfo=ctx.zone), all_day=wall is None)


def _split_start(components: Sequence[Component]) -> tuple[list[Component], list[Component]]:
    markers = [i for i, c in enumerate(components) if isinstance(c, StartMarker)]
    if not markers:
        return list(components), []
    if len(markers) > 1:
        raise WhenError('more than one "ab"', SERIES_EXAMPLES)
    head, tail = components[: markers[0]], components[markers[0] + 1 :]
    size = 0
    while size < len(tail) and isinstance(tail[size], START_KINDS):
        size += 1
    if size == 0:
        raise WhenError('"ab" needs a date, e.g. "jeden Montag ab 13.4."', SERIES_EXAMPLES)
    return [*head, *tail[size:]], list(tail[:size])


def _resolve_start(start: Sequence[Component], ctx: Context) -> date:
    future = Context(ctx.now, ctx.zone, "future", ctx.day_parts)
    month = _only(start, MonthName, "month")
    shift = _only(start, WeekShift, "week")
    if shift is not None and len(start) == 1:
        monday = ctx.today - timedelta(days=ctx.today.weekday())
        return monday + timedelta(weeks=shift.weeks)
    if month is not None and len(start) == 1:
        years = [month.year] if month.year else [ctx.today.year, ctx.today.year + 1]
        firsts = [date(y, month.month, 1) for y in years]
        return next((d for d in firsts if (d + relativedelta(months=1)) > ctx.today), firsts[-1])
    if any(isinstance(c, Instant) for c in start):
        raise WhenError('"ab" takes a date', SERIES_EXAMPLES)
    return resolve_day(start, None, future)


def series_rule(components: Sequence[Component]) -> SeriesRule:
    """The RRULE that the series words describe."""
    interval = _only(components, Interval, "repetition")
    every = _only(components, Every, '"jeden"')
    if interval is not None and every is not None:
        raise WhenError('"jeden" and a repetition word together', SERIES_EXAMPLES)
    _reject_single_dates(components)
    unit = interval.unit if interval else None
    count = interval.count if interval else (every.interval if every else 1)
    scoped = any(isinstance(c, MonthScope) for c in components)
    days, ordinals = _series_weekdays(components)
    monthdays = [c.day for c in components if isinstance(c, CalDate) and c.month is None]
    monthdays += [-1 for c in components if isinstance(c, LastDayOfMonth)]
    yeardates = [(c.month, c.day) for c in components if isinstance(c, CalDate) and c.month]
    kinds = sum(bool(kind) for kind in (days, ordinals, monthdays, yeardates))
    if kinds > 1:
        raise WhenError("a series repeats on weekdays or on dates, not both", SERIES_EXAMPLES)
    if days:
        return _weekly(days, unit, count)
    if ordinals:
        return _monthly_by_weekday(ordinals, unit, count, scoped, every)
    if monthdays:
        return _monthly_by_date(monthdays, unit, count)
    if yeardates:
        return _yearly(yeardates, unit, count)
    return _plain(unit, count)


def _reject_single_dates(components: Sequence[Component]) -> None:
    for c in components:
        single = isinstance(c, RelDay | WeekShift | MonthName | Offset | Instant)
        if single or (isinstance(c, CalDate) and c.year is not None):
            raise WhenError(
                'a series takes its start with "ab", e.g. "jeden Montag ab 13.4."',
                SERIES_EXAMPLES,
            )
        if isinstance(c, WeekdayRef) and c.mode not in ("plain", "last"):
            raise WhenError(f'"{c.mode}" does not fit a series', SERIES_EXAMPLES)


def _series_weekdays(components: Sequence[Component]) -> tuple[set[int], list[tuple[int, int]]]:
    days: set[int] = set()
    ordinals: list[tuple[int, int]] = []
    for c in components:
        if isinstance(c, WeekdaySet):
            days.update(c.weekdays)
        elif isinstance(c, WeekdayRef) and c.mode == "plain":
            days.add(c.weekday)
        elif isinstance(c, WeekdayRef):
            ordinals.append((-1, c.weekday))  # "jeden letzten Freitag (im Monat)"
        elif isinstance(c, OrdinalWeekdays):
            ordinals.extend((n, c.weekday) for n in c.ordinals)
    return days, ordinals


def _weekly(days: set[int], unit: str | None, count: int) -> SeriesRule:
    if unit == "day" and count % 7 == 0:
        unit, count = "week", count // 7
    if unit not in (None, "week"):
        raise WhenError("weekdays repeat weekly or every N weeks", SERIES_EXAMPLES)
    return SeriesRule("WEEKLY", count, tuple(WEEKDAY_CODES[d] for d in sorted(days)))


def _monthly_by_weekday(
    ordinals: list[tuple[int, int]], unit: str | None, count: int, scoped: bool, every: Every | None
) -> SeriesRule:
    if unit not in (None, "month") or (every is not None and every.interval != 1):
        raise WhenError('"the first Tuesday" repeats monthly', SERIES_EXAMPLES)
    if unit is None and not scoped and any(n not in (1, -1) for n, _ in ordinals):
        raise WhenError(
            '"jeden zweiten Dienstag" is ambiguous: say "jeden zweiten Dienstag im Monat" '
            'or "alle zwei Wochen dienstags"',
            ("jeden zweiten Dienstag im Monat", "alle zwei Wochen dienstags"),
        )
    ordered = sorted(set(ordinals), key=lambda item: (item[1], item[0] % 100))
    return SeriesRule("MONTHLY", count, tuple(f"{n}{WEEKDAY_CODES[d]}" for n, d in ordered))


def _monthly_by_date(monthdays: list[int], unit: str | None, count: int) -> SeriesRule:
    if unit not in (None, "month"):
        raise WhenError("a day of the month repeats monthly", ("monatlich am 15.",))
    return SeriesRule("MONTHLY", count, bymonthday=tuple(sorted(set(monthdays), key=_last_last)))


def _last_last(day: int) -> int:
    return day if day > 0 else 100 - day


def _yearly(yeardates: list[tuple[int, int]], unit: str | None, count: int) -> SeriesRule:
    if unit not in (None, "year") or len(yeardates) != 1:
        raise WhenError("a date repeats yearly", ("jährlich am 3.10.",))
    month, day = yeardates[0]
    return SeriesRule("YEARLY", count, bymonthday=(day,), bymonth=(month,))


def _plain(unit: str | None, count: int) -> SeriesRule:
    if unit == "day":
        return SeriesRule("DAILY", count)
    if unit == "weekday" and count == 1:
        return SeriesRule("WEEKLY", 1, WORKDAYS)
    missing = {
        "week": ("which weekday?", ("alle zwei Wochen donnerstags", "wöchentlich am Montag")),
        "month": ("which day of the month?", ("monatlich am 15.", "monatlich am ersten Montag")),
        "year": ("which date?", ("jährlich am 3.10.",)),
    }
    reason, examples = missing.get(unit or "", ("repeats on which days?", SERIES_EXAMPLES))
    raise WhenError(f"a series needs its days: {reason}", examples)


def _first_occurrence(rule: SeriesRule, start: date, wall: time | None, ctx: Context) -> datetime:
    """The earliest occurrence on or after ``start`` and after now (naive wall-clock time).

    Whole-day series start at 00:00, so today's occurrence has begun and is not the first.
    """
    dtstart = datetime.combine(start, wall or time(0))
    occurrences = rrulestr(rule.text(interval=1), dtstart=dtstart)
    for occurrence in islice(occurrences, 5000):
        moment: datetime = occurrence
        if moment.replace(tzinfo=ctx.zone) > ctx.now:
            return moment
    raise WhenError("this series has no occurrence", SERIES_EXAMPLES)


# --- describing a series in German ------------------------------------------------------

_GERMAN_NUMBERS: tuple[str, ...] = ("null", "eins", "zwei", "drei", "vier", "fünf", "sechs")
_GERMAN_NUMBERS += ("sieben", "acht", "neun", "zehn", "elf", "zwölf")
_GERMAN_ORDINALS = {1: "ersten", 2: "zweiten", 3: "dritten", 4: "vierten", 5: "fünften"}
_GERMAN_ORDINALS |= {-1: "letzten", -2: "vorletzten"}
_WEEKDAY_BY_CODE = dict(zip(WEEKDAY_CODES, _GERMAN_WEEKDAYS, strict=True))


def _german_count(number: int) -> str:
    return _GERMAN_NUMBERS[number] if number < len(_GERMAN_NUMBERS) else str(number)


def _german_list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " und " + items[-1]


def describe_series_de(rrule_text: str) -> str:
    """ "jeden Dienstag", "alle zwei Wochen montags", "monatlich am 15." for an RRULE."""
    parts = dict(part.split("=", 1) for part in rrule_text.split(";") if "=" in part)
    freq, step = parts.get("FREQ", ""), int(parts.get("INTERVAL", "1"))
    days = [d for d in parts.get("BYDAY", "").split(",") if d]
    monthdays = [int(d) for d in parts.get("BYMONTHDAY", "").split(",") if d]
    try:
        if freq == "DAILY" and not days and not monthdays:
            return "täglich" if step == 1 else f"alle {_german_count(step)} Tage"
        if freq == "WEEKLY" and days:
            return _describe_weekly(days, step)
        if freq == "MONTHLY" and (days or monthdays):
            return _describe_monthly(days, monthdays, step)
        if freq == "YEARLY" and len(monthdays) == 1 and "BYMONTH" in parts:
            every = "jährlich" if step == 1 else f"alle {_german_count(step)} Jahre"
            return f"{every} am {monthdays[0]}.{int(parts['BYMONTH'])}."
    except (KeyError, ValueError):
        pass
    return f"Serie ({rrule_text})"


def _describe_weekly(days: Sequence[str], step: int) -> str:
    if step == 1 and tuple(days) == WORKDAYS:
        return "werktags"
    names = [_WEEKDAY_BY_CODE[day] for day in days]
    if step == 1:
        return "jeden " + _german_list(names)
    plural = [name.lower() + "s" for name in names]
    return f"alle {_german_count(step)} Wochen {_german_list(plural)}"


def _describe_monthly(days: Sequence[str], monthdays: Sequence[int], step: int) -> str:
    if days:
        by_weekday: dict[str, list[str]] = {}
        for day in days:
            match = re.fullmatch(r"([+-]?[0-9]+)([A-Z]{2})", day)
            if match is None:
                raise ValueError(day)
            ordinal = _GERMAN_ORDINALS[int(match.group(1))]
            by_weekday.setdefault(_WEEKDAY_BY_CODE[match.group(2)], []).append(ordinal)
        which = _german_list([f"{_german_list(o)} {name}" for name, o in by_weekday.items()])
        if step == 1:
            return f"jeden {which} im Monat"
        return f"alle {_german_count(step)} Monate am {which}"
    shown = _german_list([f"{d}." if d > 0 else "letzten Tag" for d in monthdays])
    every = {1: "monatlich", 3: "vierteljährlich", 6: "halbjährlich"}.get(step)
    return f"{every or f'alle {_german_count(step)} Monate'} am {shown}"


# --- the fallback: dateparser, for absolute dates in unusual punctuation ----------------

_FALLBACK_WORDS = set(MONTHS) | set(WEEKDAYS) | {"at", "um", "of", "the", "on", "den", "der", "am"}
# Complete dates with "-" or "/": 07-04-2026, 2026/04/07, 7-Apr-2026, Apr-7. Never "4/7" or
# "10-12" (a range?) and never a clock time with a dash ("10:00-12:00").
_FALLBACK_DATE = re.compile(
    r"[0-9]{1,2}([-/])[0-9]{1,2}\1[0-9]{2,4}|[0-9]{4}([-/])[0-9]{1,2}\2[0-9]{1,2}"
    r"|[0-9]{1,2}-[a-zäöü]{3,9}\.?(-[0-9]{2,4})?|[a-zäöü]{3,9}-[0-9]{1,2}(-[0-9]{2,4})?"
)
_FALLBACK_CLOCK = re.compile(r"[0-9]{1,2}:[0-9]{2}|[0-9]{1,2}(:[0-9]{2})?(am|pm)")


def _fallback_allowed(tokens: Sequence[str]) -> bool:
    """Only a dash or slash date, with month and weekday names and ``14:30``/``2pm`` times."""
    dates = [t for t in tokens if _FALLBACK_DATE.fullmatch(t)]
    if len(dates) != 1 or any(_dash_month(t) for t in dates):
        return False
    others = [t for t in tokens if t not in dates]
    return all(t in _FALLBACK_WORDS or _FALLBACK_CLOCK.fullmatch(t) for t in others)


def _dash_month(token: str) -> bool:
    """A month name in a dash date that is not a month (``7-foo``) disqualifies it."""
    words = re.findall(r"[a-zäöü]+", token)
    return any(word not in MONTHS for word in words)


@cache
def _dateparser() -> Any:
    from dateparser.date import DateDataParser  # type: ignore[import-untyped]

    return DateDataParser


def warm_up() -> None:
    """Load dateparser's German and English data (about 0.2 s) and dateutil's rrule, once."""
    for prefer in PREFERENCES:
        _fallback_parse("7-Apr-2026 14:30", datetime(2026, 1, 1), prefer)
    sample = parse("jeden ersten Dienstag im Monat 10 Uhr", datetime(2026, 1, 1, tzinfo=UTC), "UTC")
    assert isinstance(sample, Recurrence)
    sample.occurrences(1)


def _fallback_parse(text: str, base: datetime, prefer: Prefer) -> tuple[datetime, str] | None:
    settings = {
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": prefer,
        "RELATIVE_BASE": base,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["absolute-time"],
        "REQUIRE_PARTS": ["day", "month"],
        "RETURN_TIME_AS_PERIOD": True,
    }
    parser = _dateparser()(languages=["de", "en"], settings=settings)
    try:
        data = parser.get_date_data(text)
    except Exception:  # a third-party parser: its failure means "not understood"
        return None
    found: datetime | None = data.date_obj
    period: str = data.period or "day"
    return (found, period) if found is not None else None


def fallback(text: str, tokens: Sequence[str], ctx: Context) -> When | None:
    if not _fallback_allowed(tokens):
        return None
    result = _fallback_parse(text, ctx.now.replace(tzinfo=None), ctx.prefer)
    if result is None or result[1] not in ("day", "time"):
        return None
    found, period = result
    day = found.date()
    wall = found.time() if period == "time" else None
    without_clock = re.sub(r"[0-9]{1,2}:[0-9]{2}", " ", text)
    if not re.search(r"[0-9]{4}|[0-9]+\D+[0-9]+\D+[0-9]+", without_clock):
        years = range(ctx.today.year - 8, ctx.today.year + 9)
        candidates = [_safe_date(y, day.month, day.day) for y in years]
        day = _pick([c for c in candidates if c is not None], wall, ctx)
    weekdays = [WeekdayRef(WEEKDAYS[t], "plain") for t in tokens if t in WEEKDAYS]
    _check_weekdays(day, weekdays)
    return Day(day) if wall is None else Moment(localize(day, wall, ctx.zone))


# --- entry point ------------------------------------------------------------------------


def context(
    now: datetime, tz: str, prefer: Prefer, day_parts: Mapping[str, time] | None
) -> Context:
    if now.tzinfo is None:
        raise ValueError("parse_when needs an aware 'now'")
    if prefer not in ("future", "past"):
        raise ValueError(f"prefer must be 'future' or 'past', not {prefer!r}")
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise WhenError(f"unknown time zone {tz!r}", ("Europe/Berlin",)) from None
    parts = dict(DEFAULT_DAY_PARTS)
    for name, value in (day_parts or {}).items():
        if name not in DEFAULT_DAY_PARTS:
            raise ValueError(f"unknown day part {name!r}; known: {', '.join(DEFAULT_DAY_PARTS)}")
        parts[name] = value
    return Context(now.astimezone(zone), zone, prefer, parts)


def parse(
    text: str,
    now: datetime,
    tz: str,
    prefer: Prefer = "future",
    day_parts: Mapping[str, time] | None = None,
) -> When:
    """Read ``text`` as a moment, a date or a series (see the module docstring)."""
    ctx = context(now, tz, prefer, day_parts)
    if len(text) > MAX_LENGTH:
        raise WhenError("the expression is too long", GENERAL_EXAMPLES)
    tokens = tokenize(text)
    if not tokens:
        raise WhenError("no date or time given", GENERAL_EXAMPLES)
    try:
        return _interpret(tokens, ctx)
    except NotUnderstood:
        found = fallback(text, tokens, ctx)
        if found is None:
            raise
        return found
    except WhenError:
        raise
    except (OverflowError, ValueError):
        raise WhenError("the date is out of range", GENERAL_EXAMPLES) from None


def _interpret(tokens: Sequence[str], ctx: Context) -> When:
    components = scan(tokens)
    if any(isinstance(c, SERIES_MARKERS) for c in components):
        return resolve_series(components, ctx)
    return resolve_single(components, ctx)
