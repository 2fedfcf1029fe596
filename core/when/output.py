"""Showing a result: the German echo for confirmations and the ``agbot parse-when`` lines.

The echo reads back to the same value: "Di, 07.04.2026, 14:00 Uhr", "Di, 26.05.2026,
14:00–16:00 Uhr (KW 22)", "jeden Montag außer im August, 10:00 Uhr, ab Mo,
30.03.2026, bis 30.06.2026". A result line is a moment (ISO 8601; with a range
``start/end``), a date, or ``RRULE:… | next | next | next``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from babel.dates import format_date

from core.when.series_text import describe_series_de, series_end_de
from core.when.values import Day, Moment, Note, When, WhenError

NOTES_DE = {
    "today": "heute",
    "tomorrow": "morgen",
    "day_after_tomorrow": "übermorgen",
    "this_week": "diese Woche",
    "next_year": "nächstes Jahr",
    "last_year": "letztes Jahr",
}


def format_de(value: When) -> str:
    """The German echo for confirmations: "Di, 07.04.2026, 14:00 Uhr"."""
    if isinstance(value, Moment):
        clock = _time_de(value.at.time(), value.duration)
        return f"{_date_de(value.at.date())}, {clock}{notes_de(value.notes)}"
    if isinstance(value, Day):
        return f"{_date_de(value.on)}{notes_de(value.notes)}"
    zone = value.first.tzinfo
    description = describe_series_de(value.rrule, zone, with_end=False)
    clock = "" if value.all_day else f", {_time_de(value.first.time(), value.duration)}"
    end = series_end_de(value.rrule, zone)
    return f"{description}{clock}, ab {_date_de(value.first.date())}{end}"


def notes_de(notes: Sequence[Note]) -> str:
    """ " (KW 22)", " (morgen)", " (nächstes Jahr)" or ""."""
    shown = [f"KW {note.week}" if note.kind == "week" else NOTES_DE[note.kind] for note in notes]
    return f" ({', '.join(shown)})" if shown else ""


def _date_de(day: date) -> str:
    # "ccc" is the stand-alone abbreviation: "Di" (the format form "EEE" is "Di.").
    return format_date(day, "ccc, dd.MM.yyyy", locale="de")


def _time_de(clock: time, duration: timedelta | None = None) -> str:
    if duration is None:
        return f"{clock:%H:%M} Uhr"
    end = (datetime.combine(date(2000, 1, 1), clock) + duration).time()
    return f"{clock:%H:%M}–{end:%H:%M} Uhr"


def result_line(value: When) -> str:
    """One line of ``agbot parse-when``: a moment, a date, or a rule and three occurrences."""
    if isinstance(value, Moment):
        return _moment_line(value.at, value.duration)
    if isinstance(value, Day):
        return value.on.isoformat()
    upcoming = " | ".join(_moment_line(m, value.duration) for m in value.occurrences(3))
    return f"RRULE:{value.rrule} | {upcoming}"


def _moment_line(moment: datetime, duration: timedelta | None) -> str:
    start = moment.isoformat(timespec="seconds")
    if duration is None:
        return start
    return f"{start}/{(moment + duration).isoformat(timespec='seconds')}"


def error_line(error: WhenError) -> str:
    """The ``agbot parse-when`` line for an expression that was not understood."""
    examples = "; ".join(f'"{example}"' for example in error.examples)
    return f"ERROR: {error.reason}" + (f" (try: {examples})" if examples else "")
