"""The words of time expressions: weekdays, months, numbers, units and series words.

Every table also holds the spellings without umlauts (``nächsten``, ``naechsten``,
``nachsten``); the rules in the other modules only look words up here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import TypeVar

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
    "zum",
    "zur",
    "for",
    "insgesamt",
    "-",
    "–",
    "—",
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
            (
                "zweiwöchentlich",
                "zweiwöchig",
                "vierzehntägig",
                "vierzehntäglich",
                "14-tägig",
                "14tägig",
                "14-täglich",
                "biweekly",
                "fortnightly",
            ),
            (2, "week"),
        ),
        **dict.fromkeys(("monatlich", "monthly"), (1, "month")),
        **dict.fromkeys(("vierteljährlich", "quarterly"), (3, "month")),
        # A quarter is a calendar quarter: its occurrences fall into January, April, ...
        **dict.fromkeys(("quartalsweise", "quartalsmäßig"), (1, "quarter")),
        **dict.fromkeys(("dreiwöchentlich", "dreiwöchig"), (3, "week")),
        **dict.fromkeys(("zweimonatlich",), (2, "month")),
        **dict.fromkeys(("halbjährlich", "semiannually"), (6, "month")),
        **dict.fromkeys(("jährlich", "yearly", "annually"), (1, "year")),
    }
)
SERIES_UNITS = _table(
    {
        **dict.fromkeys(("tag", "tage", "day", "days"), (1, "day")),
        **dict.fromkeys(("werktag", "werktage", "arbeitstag", "weekday"), (1, "weekday")),
        **dict.fromkeys(("woche", "wochen", "week", "weeks"), (1, "week")),
        **dict.fromkeys(("monat", "monate", "month", "months"), (1, "month")),
        **dict.fromkeys(("quartal", "quartale", "quarter", "quarters"), (1, "quarter")),
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
QUARTER_SCOPES: tuple[tuple[str, ...], ...] = (
    ("eines", "jeden", "quartals"),
    ("of", "every", "quarter"),
    ("of", "each", "quarter"),
    ("of", "the", "quarter"),
    ("in", "the", "quarter"),
    ("im", "quartal"),
    ("des", "quartals"),
    ("jedes", "quartals"),
    ("jeden", "quartals"),
    ("pro", "quartal"),
)
WORKDAY_WORDS = _table(
    dict.fromkeys(("werktag", "arbeitstag", "weekday", "workday", "business-day"), True)
)
DASHES = {"-", "–", "—", "bis", "to", "until", "till"}
RANGE_INTROS = {"von", "from", "zwischen", "between"}
# Words that mark a deadline; a deadline command reads what follows them.
DEADLINE_WORDS = _table(
    dict.fromkeys(("bis", "spätestens", "zum", "zur", "by", "until", "till", "due"), True)
)
UNTIL_WORDS = {"bis", "until", "till", "through", "endet", "ending"}
EXCEPT_WORDS = _table(
    dict.fromkeys(("außer", "ausser", "nicht", "except", "excluding", "not", "ohne"), True)
)
BREAK_WORDS = _table(
    dict.fromkeys(
        ("sommerpause", "winterpause", "pause", "break", "summer-break", "sitzungspause"),
        True,
    )
)
TIMES_WORDS = _table(
    dict.fromkeys(
        (
            "mal",
            "male",
            "times",
            "termine",
            "sitzungen",
            "treffen",
            "occurrences",
            "meetings",
            "sessions",
        ),
        True,
    )
)
