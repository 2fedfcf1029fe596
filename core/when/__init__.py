"""Understanding when: German (and English) time expressions as moments, dates or series.

Every command that takes a time calls :func:`parse_when`; the README ("Dates and
times") lists what is understood. :func:`format_de` echoes a result for confirmations,
:func:`result_line` prints it for ``agbot parse-when``.

How it works
------------
``parser.parse`` splits the text into words (``tokens``), reads them into parts with
the first rule that takes them (``scanner.RULES``), and resolves the parts against now
in the AG's zone (``resolve`` for one moment or date, ``series`` for a rule). One
module per area of the grammar, none importing this package's ``__init__``:

=================  =================================================================
``vocabulary``     word tables (weekdays, months, numbers, units, series words)
``tokens``         splitting into words, numbers written as digits or words
``components``     the parts a rule produces (``CalDate``, ``ClockTime``, ``WeekRef``…)
``absolute``       7.4., 07.04.2026, 20. April, ISO, 07-04-2026, am 15.
``relative``       in 3 Tagen, vor einer Woche, nächsten Montag, morgen
``clock``          14:30, um 9, halb elf, Viertel nach zwei, 10 Uhr c.t., ranges
``daytime``        the wall-clock time the time parts give (day parts, spoken hours)
``weeks``          calendar weeks: KW 22, Dienstag in KW 22
``feasts``         holidays and church dates by name, working days (``holidays``)
``periods``        Ende Mai, Mitte Juni, Anfang Juli, Ende dieser Woche, Ende Q3
``series_words``   jeden, alle N Wochen, Mo–Fr, im Monat, bis, 10 mal, außer im August
``series_rules``   the RRULE the series words describe; never silently daily
``series``         a series' first occurrence, start and end
``series_text``    a rule in German words
``resolve``        a single moment or date against now and the direction
``errors``         examples and honest errors (the words not placed, "did you mean")
``split``          a date at the start or end of free text; dates that do not exist
``output``         the German echo and the result lines
=================  =================================================================

dateparser is no longer used: every form it used to read (``07-04-2026``,
``2026/04/07``, ``7-Apr-2026``) has a rule of its own in ``absolute``. It stays as the
peer that ``bench/when_parse.py`` measures against.

Adding a phrase
---------------
1. Write down what it means as a line of ``tests/data/date_phrases.tsv`` (mode, phrase,
   the expected ``agbot parse-when --now 2026-03-25T10:15`` line, and the German echo if
   it matters), e.g. ``future	Ende Mai	2026-05-31	So, 31.05.2026``; run
   ``.venv/bin/pytest tests/test_when_phrases.py`` and see it fail.
2. Find the area it belongs to. A new word for a known meaning goes into a table of
   ``vocabulary`` (``SERIES_WORDS["zweiwöchig"] = (2, "week")``). A new construction is
   a rule: a function ``(tokens, index, parts_so_far) -> (new parts, next index) |
   None`` in the module of its area, registered in ``scanner.RULES`` before any rule
   that would take its first word. If it means something new, add a part to
   ``components`` and resolve it in ``resolve`` (or ``series_rules``).
3. Run the test again, then the whole of ``tests/test_when*.py``: the older phrases
   must keep their results.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time

from core.when.output import error_line, format_de, notes_de, result_line
from core.when.parser import parse, warm_up
from core.when.series_text import describe_series_de
from core.when.values import Day, Moment, Note, Prefer, Recurrence, When, WhenError

__all__ = [
    "Day",
    "Moment",
    "Note",
    "Prefer",
    "Recurrence",
    "When",
    "WhenError",
    "describe_series_de",
    "error_line",
    "format_de",
    "notes_de",
    "parse_when",
    "result_line",
    "warm_up",
]


def parse_when(
    text: str,
    now: datetime,
    tz: str,
    prefer: Prefer = "future",
    day_parts: Mapping[str, time] | None = None,
    *,
    state: str | None = None,
    deadline: bool = False,
) -> When:
    """Read ``text`` relative to ``now`` (aware) in the zone ``tz``.

    ``prefer`` decides incomplete expressions: "future" (scheduling) takes the earliest
    match after now, "past" (logging work) the latest at or before now. ``day_parts``
    overrides the clock times of "morgens", "vormittags", "mittags", "nachmittags" and
    "abends". ``state`` is the AG's Bundesland (``"TH"``) for holidays by name and
    working days; ``deadline`` reads a deadline ("bis KW 18" is its Friday, "in zwei
    Wochen" that whole day, a range is an error). Raises :class:`WhenError` for
    anything not understood or impossible.
    """
    return parse(text, now, tz, prefer, day_parts, state=state, deadline=deadline)
