"""Holidays and church dates by name: Ostermontag, Fronleichnam, 1. Advent, Heiligabend.

The public holidays of the AG's state come from the ``holidays`` package, by the names it
gives them in German and English (``Weltkindertag`` in Thüringen, ``Mariä Himmelfahrt``
in Bayern). The feasts it lacks are computed here: Easter and the days that depend on
it (Weiberfastnacht to Fronleichnam), the Advent Sundays and the days before them
(Volkstrauertag, Totensonntag, Buß- und Bettag), Heiligabend, Silvester and a few more.
Vague phrases ("vor Ostern", "über Weihnachten", "um Pfingsten herum") and names of
several days ("Weihnachten", "Osterferien") are errors with examples. Working days
(Monday to Friday, not a public holiday of the state) are decided here as well.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import cache

import holidays
from dateutil.easter import easter

from core.when.components import Feast, Found, Part
from core.when.errors import FEAST_EXAMPLES, display, vague
from core.when.tokens import at, tokenize
from core.when.values import WhenError

Compute = Callable[[int, str | None], date | None]
MAX_WORDS = 5
NATIONWIDE = None  # the holidays of every state, when the AG has none set


def fold(text: str) -> str:
    """The key a name is looked up by: lower case, no spaces, dots, dashes or umlauts."""
    folded = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue")
    folded = folded.replace("ß", "ss")
    return "".join(char for char in folded if char.isalnum())


def _after_easter(days: int) -> Compute:
    return lambda year, _state: easter(year) + timedelta(days=days)


def _fixed(month: int, day: int) -> Compute:
    return lambda year, _state: date(year, month, day)


def _advent(number: int, shift: int = 0) -> Compute:
    """The ``number``-th Advent Sunday (4: the last Sunday before Christmas) plus ``shift``."""

    def compute(year: int, _state: str | None) -> date:
        eve = date(year, 12, 24)
        fourth = eve - timedelta(days=(eve.weekday() + 1) % 7)
        return fourth - timedelta(weeks=4 - number) + timedelta(days=shift)

    return compute


def _nth_sunday(month: int, nth: int) -> Compute:
    def compute(year: int, _state: str | None) -> date:
        first = date(year, month, 1)
        return first + timedelta(days=(6 - first.weekday()) % 7, weeks=nth - 1)

    return compute


def _ordinal_forms(number: int, noun: str) -> list[str]:
    words = {1: "erster", 2: "zweiter", 3: "dritter", 4: "vierter"}[number]
    return [f"{number}. {noun}", f"{words} {noun}", f"{words[:-1]}n {noun}"]


_OWN: list[tuple[Compute, list[str]]] = [
    (_after_easter(-52), ["Weiberfastnacht", "Altweiberfastnacht", "Fetter Donnerstag"]),
    (_after_easter(-48), ["Rosenmontag"]),
    (
        _after_easter(-47),
        ["Fastnacht", "Faschingsdienstag", "Fastnachtsdienstag", "Veilchendienstag"],
    ),
    (_after_easter(-46), ["Aschermittwoch", "Ash Wednesday"]),
    (_after_easter(-7), ["Palmsonntag", "Palm Sunday"]),
    (_after_easter(-3), ["Gründonnerstag", "Maundy Thursday"]),
    (_after_easter(-2), ["Karfreitag", "Good Friday"]),
    (_after_easter(-1), ["Karsamstag", "Holy Saturday"]),
    (_after_easter(0), ["Ostern", "Ostersonntag", "Easter", "Easter Sunday"]),
    (_after_easter(1), ["Ostermontag", "Easter Monday"]),
    (_after_easter(39), ["Christi Himmelfahrt", "Himmelfahrt", "Vatertag", "Ascension Day"]),
    (_after_easter(49), ["Pfingsten", "Pfingstsonntag", "Pentecost", "Whitsunday"]),
    (_after_easter(50), ["Pfingstmontag", "Whit Monday", "Pentecost Monday"]),
    (_after_easter(56), ["Trinitatis", "Dreifaltigkeitssonntag"]),
    (_after_easter(60), ["Fronleichnam", "Corpus Christi"]),
    (_fixed(1, 1), ["Neujahr", "Neujahrstag", "New Year's Day"]),
    (_fixed(1, 6), ["Heilige Drei Könige", "Dreikönigstag", "Epiphanias", "Epiphany"]),
    (_fixed(3, 8), ["Frauentag", "Internationaler Frauentag", "Women's Day"]),
    (_fixed(5, 1), ["Tag der Arbeit", "Maifeiertag", "Labour Day", "May Day"]),
    (_fixed(8, 15), ["Mariä Himmelfahrt", "Assumption Day"]),
    (_fixed(9, 20), ["Weltkindertag"]),
    (_fixed(10, 3), ["Tag der Deutschen Einheit", "German Unity Day"]),
    (_fixed(10, 31), ["Reformationstag", "Reformation Day"]),
    (_fixed(11, 1), ["Allerheiligen", "All Saints' Day"]),
    (_fixed(11, 11), ["Martinstag", "Sankt Martin", "St. Martin"]),
    (_fixed(12, 6), ["Nikolaus", "Nikolaustag"]),
    (_fixed(12, 24), ["Heiligabend", "Heiliger Abend", "Christmas Eve"]),
    (
        _fixed(12, 25),
        [
            *_ordinal_forms(1, "Weihnachtsfeiertag"),
            *_ordinal_forms(1, "Weihnachtstag"),
            "Christmas Day",
        ],
    ),
    (
        _fixed(12, 26),
        [
            *_ordinal_forms(2, "Weihnachtsfeiertag"),
            *_ordinal_forms(2, "Weihnachtstag"),
            "Stephanstag",
            "Boxing Day",
        ],
    ),
    (_fixed(12, 31), ["Silvester", "New Year's Eve"]),
    (_nth_sunday(5, 2), ["Muttertag", "Mother's Day"]),
    (_nth_sunday(10, 1), ["Erntedank", "Erntedankfest"]),
    (_advent(1, -14), ["Volkstrauertag"]),
    (_advent(1, -11), ["Buß- und Bettag", "Buß und Bettag"]),
    (_advent(1, -7), ["Totensonntag", "Ewigkeitssonntag"]),
    *((_advent(n), _ordinal_forms(n, "Advent")) for n in (1, 2, 3, 4)),
]
# Names of more than one day, and of holidays whose dates differ by state and year.
_SEVERAL_NAMES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("Weihnachten", "Christmas"), ("Heiligabend", "1. Weihnachtsfeiertag")),
    (("Weihnachtsfeiertage", "Feiertage", "Ostertage"), ("Ostermontag", "Heiligabend")),
    (("Advent", "Adventszeit"), ("1. Advent", "2. Advent")),
    (("Fasching", "Karneval", "Fastenzeit"), ("Rosenmontag", "Aschermittwoch")),
    (
        (
            "Osterferien",
            "Sommerferien",
            "Herbstferien",
            "Winterferien",
            "Pfingstferien",
            "Weihnachtsferien",
            "Ferien",
            "Brückentag",
        ),
        ("Gründonnerstag", "Ende Juli"),
    ),
    (("zwischen den Jahren",), ("Silvester", "28.12.")),
    (("Wochenende", "weekend"), ("Samstag", "Sonntag", "Ende dieser Woche")),
)
_SEVERAL = {fold(name): examples for names, examples in _SEVERAL_NAMES for name in names}
_VAGUE_BEFORE = {"vor", "nach", "über", "ueber", "rund", "kurz", "gegen", "before", "after"}
_VAGUE_BEFORE |= {"around", "over", "um"}


@cache
def _package_names() -> dict[str, str]:
    """Folded German and English names the ``holidays`` package gives → the German name."""
    names: dict[str, str] = {}
    years = (2025, 2026, 2027)
    for subdivision in (None, *holidays.country_holidays("DE").subdivisions):
        german = holidays.country_holidays("DE", subdiv=subdivision, years=years, language="de")
        english = holidays.country_holidays("DE", subdiv=subdivision, years=years, language="en_US")
        for day, name in german.items():
            german_parts = str(name).split("; ")
            english_parts = str(english.get(day, "")).split("; ")
            for part in german_parts:
                names.setdefault(fold(part), part)
            for part, german_part in zip(english_parts, german_parts, strict=False):
                names.setdefault(fold(part), german_part)
    return names


@cache
def state_calendar(state: str | None, year: int) -> dict[date, str]:
    """The public holidays of ``state`` (None: the nationwide ones) in ``year``, German names."""
    calendar = holidays.country_holidays("DE", subdiv=state, years=year, language="de")
    return {day: str(name) for day, name in calendar.items()}


@cache
def _any_state(year: int) -> dict[str, date]:
    found: dict[str, date] = {}
    for subdivision in (None, *holidays.country_holidays("DE").subdivisions):
        for day, name in state_calendar(subdivision, year).items():
            for part in name.split("; "):
                found.setdefault(fold(part), day)
    return found


def _package_day(german: str) -> Compute:
    key = fold(german)

    def compute(year: int, state: str | None) -> date | None:
        for day, name in state_calendar(state, year).items():
            if key in (fold(part) for part in name.split("; ")):
                return day
        return _any_state(year).get(key)

    return compute


@cache
def name_table() -> dict[str, Compute]:
    """Folded name → how to compute its day; our own feasts win over the package's names."""
    table: dict[str, Compute] = {
        key: _package_day(german) for key, german in _package_names().items()
    }
    for compute, names in _OWN:
        table |= {fold(name): compute for name in names}
    return table


@cache
def _first_words() -> frozenset[str]:
    names = [name for _, names in _OWN for name in names] + list(_package_names().values())
    names += [name for several, _ in _SEVERAL_NAMES for name in several]
    return frozenset(fold(tokenize(name)[0]) for name in names if tokenize(name))


def feast(tokens: Sequence[str], index: int, _: Sequence[Part]) -> Found:
    """Ostermontag [2027], Tag der Deutschen Einheit, 1. Advent; "vor Ostern" is an error."""
    word = tokens[index]
    if word in _VAGUE_BEFORE or word in ("in", "während", "during"):
        start = index + 2 if at(tokens, index + 1) in ("zu", "den", "dem", "der") else index + 1
        try:
            named = _name_at(tokens, start)
        except WhenError as several:
            words = " ".join(tokens[index : start + 1])
            raise vague(words, "which day?", several.examples) from None
        if named is None or word in ("in", "während", "during"):
            return None
        raise vague(
            " ".join(tokens[index : named[1]]),
            "say the day itself",
            (*FEAST_EXAMPLES[:2], "Gründonnerstag 10 Uhr"),
        )
    named = _name_at(tokens, index)
    if named is None:
        return None
    key, end = named
    if at(tokens, end) == "herum":
        raise vague(" ".join(tokens[index : end + 1]), "say the day itself", FEAST_EXAMPLES)
    year_word = at(tokens, end)
    year = int(year_word) if year_word.isdigit() and len(year_word) == 4 else None
    return [Feast(key, name_table()[key], year)], end + (1 if year else 0)


def _name_at(tokens: Sequence[str], index: int) -> tuple[str, int] | None:
    """The longest name starting at ``index`` (its key and end); names of several days raise."""
    if fold(at(tokens, index)) not in _first_words():
        return None
    table = name_table()
    for size in range(min(MAX_WORDS, len(tokens) - index), 0, -1):
        key = fold("".join(tokens[index : index + size]))
        if key in table:
            return key, index + size
        if key in _SEVERAL:
            shown = display(" ".join(tokens[index : index + size]))
            raise WhenError(f'"{shown}" is more than one day; which one?', _SEVERAL[key])
    return None


def is_workday(day: date, state: str | None) -> bool:
    """Monday to Friday and not a public holiday of the state."""
    return day.weekday() < 5 and day not in state_calendar(state, day.year)


def first_workday(start: date, state: str | None) -> date:
    day = start
    while not is_workday(day, state):
        day += timedelta(days=1)
    return day
