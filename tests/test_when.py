"""Time expressions: the date examples in tests/data, every rule, and ``agbot parse-when``."""

from __future__ import annotations

import argparse
import io
from datetime import UTC, date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.parse_when_cli import add_parse_when_arguments, run_parse_when
from core.when import (
    Day,
    Moment,
    Prefer,
    Recurrence,
    When,
    WhenError,
    error_line,
    format_de,
    parse_when,
    result_line,
    warm_up,
)

EXAMPLES = Path(__file__).resolve().parent / "data" / "date_examples.tsv"
BERLIN = "Europe/Berlin"
ZONE = ZoneInfo(BERLIN)
NOW = datetime(2026, 3, 25, 10, 15, tzinfo=ZONE)  # Wednesday; summer time starts 29 March


def _example_lines() -> list[tuple[int, str, str, str]]:
    rows = []
    for number, line in enumerate(EXAMPLES.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        prefer, text, expected = line.split("\t")
        rows.append((number, prefer, text, expected))
    return rows


def _parse(text: str, prefer: str = "future", now: datetime = NOW) -> When:
    assert prefer in ("future", "past")
    direction: Prefer = "past" if prefer == "past" else "future"
    return parse_when(text, now, BERLIN, direction)


def _same_moment(got: str, expected: str) -> None:
    """Equal instants with equal offsets (seconds may be left out in the expectation)."""
    got_at, expected_at = datetime.fromisoformat(got), datetime.fromisoformat(expected)
    assert got_at == expected_at, (got, expected)
    assert got_at.utcoffset() == expected_at.utcoffset(), (got, expected)


def assert_result(prefer: str, text: str, expected: str) -> None:
    """``expected`` is a result line as in examples.tsv; compares meaning, not spelling."""
    if expected.startswith("ERROR"):
        with pytest.raises(WhenError):
            _parse(text, prefer)
        return
    line = result_line(_parse(text, prefer))
    if expected.startswith("RRULE:"):
        assert line.startswith("RRULE:"), (text, line)
        got_next, expected_next = line.split(" | ")[1:], expected.split(" | ")[1:]
        assert len(got_next) == len(expected_next) == 3, (text, line)
        for got_one, expected_one in zip(got_next, expected_next, strict=True):
            _same_moment(got_one, expected_one)
    elif len(expected) == 10:
        assert line == expected, (text, line)
    else:
        assert len(line) > 10, (text, line)
        _same_moment(line, expected)


@pytest.mark.parametrize(
    ("number", "prefer", "text", "expected"),
    _example_lines(),
    ids=[f"line{row[0]}:{row[2]}" for row in _example_lines()],
)
def test_every_line_of_the_date_examples(
    number: int, prefer: str, text: str, expected: str
) -> None:
    assert_result(prefer, text, expected)


def test_the_examples_file_is_read_completely() -> None:
    assert len(_example_lines()) >= 40


# Own cases in the same format; now is Wednesday 25.03.2026 10:15 in Berlin.
OWN_CASES = """
future	morgen früh	2026-03-26T08:00+01:00
future	morgen Früh um 7	2026-03-26T07:00+01:00
future	heute morgen	2026-03-25T08:00+01:00
future	Montag morgen	2026-03-30T08:00+02:00
future	Montagabend	2026-03-30T19:00+02:00
future	übermorgen vormittag	2026-03-27T10:00+01:00
future	morgen mittag	2026-03-26T12:00+01:00
future	heute Abend	2026-03-25T19:00+01:00
future	tonight	2026-03-25T19:00+01:00
future	this afternoon	2026-03-25T15:00+01:00
future	tomorrow evening	2026-03-26T19:00+01:00
future	tomorrow morning	2026-03-26T08:00+01:00
future	tomorrow at noon	2026-03-26T12:00+01:00
future	8 Uhr abends	2026-03-25T20:00+01:00
future	abends um 8	2026-03-25T20:00+01:00
future	3 Uhr nachmittags	2026-03-25T15:00+01:00
future	2 Uhr nachts	2026-03-26T02:00+01:00
future	nachts	ERROR
future	14 Uhr morgens	ERROR
future	um 9	2026-03-26T09:00+01:00
future	um 9 Uhr 30	2026-03-26T09:30+01:00
future	9 Uhr 30	2026-03-26T09:30+01:00
future	14.30 Uhr	2026-03-25T14:30+01:00
future	um 14.30	2026-03-25T14:30+01:00
future	14h	2026-03-25T14:00+01:00
future	14h30	2026-03-25T14:30+01:00
future	14:30 Uhr	2026-03-25T14:30+01:00
future	2pm	2026-03-25T14:00+01:00
future	2 pm	2026-03-25T14:00+01:00
future	3:30 p.m.	2026-03-25T15:30+01:00
future	12am	2026-03-26T00:00+01:00
future	12pm	2026-03-25T12:00+01:00
future	at 9	2026-03-26T09:00+01:00
future	9 o'clock	2026-03-26T09:00+01:00
future	um 9 am Montag	2026-03-30T09:00+02:00
future	9 am Monday	2026-03-30T09:00+02:00
future	10:15	2026-03-26T10:15+01:00
future	10:16	2026-03-25T10:16+01:00
future	25 Uhr	ERROR
future	24:00	ERROR
future	14:60	ERROR
future	13pm	ERROR
future	14.30	ERROR
future	15	ERROR
future	in einer halben Stunde	2026-03-25T10:45+01:00
future	in anderthalb Stunden	2026-03-25T11:45+01:00
future	in eineinhalb Stunden	2026-03-25T11:45+01:00
future	in zweieinhalb Stunden	2026-03-25T12:45+01:00
future	in 1,5 Stunden	2026-03-25T11:45+01:00
future	in einer Viertelstunde	2026-03-25T10:30+01:00
future	in einer Stunde und 30 Minuten	2026-03-25T11:45+01:00
future	in einer Minute	2026-03-25T10:16+01:00
future	in zwölf Stunden	2026-03-25T22:15+01:00
future	in elf Tagen	2026-04-05T10:15+02:00
future	in fünfundzwanzig Minuten	2026-03-25T10:40+01:00
future	in half an hour	2026-03-25T10:45+01:00
future	in an hour and a half	2026-03-25T11:45+01:00
future	in twenty-five minutes	2026-03-25T10:40+01:00
future	in a week	2026-04-01T10:15+02:00
future	in einer Woche	2026-04-01T10:15+02:00
future	in einem Monat	2026-04-25T10:15+02:00
future	in einem halben Jahr	2026-09-25T10:15+02:00
future	in 5 Jahren	2031-03-25T10:15+01:00
future	in 1 Tag und 2 Stunden	2026-03-26T12:15+01:00
future	in 2 Tagen um 9 Uhr	2026-03-27T09:00+01:00
future	in 3 Tagen abends	2026-03-28T19:00+01:00
future	heute in einer Woche	2026-04-01
future	morgen in 14 Tagen	2026-04-09
future	in 1,5 Tagen	ERROR
future	in 2 Stunden um 9	ERROR
future	in 99999999 Minuten	ERROR
future	vor 3 Tagen	2026-03-22T10:15+01:00
future	vor einer Stunde	2026-03-25T09:15+01:00
future	3 days ago	2026-03-22T10:15+01:00
future	2 hours from now	2026-03-25T12:15+01:00
future	nächste Woche Montag	2026-03-30
future	Montag nächste Woche	2026-03-30
future	Montag kommender Woche	2026-03-30
future	in der nächsten Woche am Dienstag	2026-03-31
future	Freitag dieser Woche	2026-03-27
future	diese Woche Montag	2026-03-23
future	Freitag letzter Woche	2026-03-20
future	Montag übernächster Woche	2026-04-06
future	next week Monday	2026-03-30
future	Monday next week	2026-03-30
future	Tuesday of next week	2026-03-31
future	nächste Woche	ERROR
future	nächsten Mittwoch	2026-04-01
future	übernächsten Montag	2026-04-06
future	diesen Freitag	2026-03-27
future	letzten Freitag	2026-03-20
future	last friday	2026-03-20
future	vergangenen Mittwoch	2026-03-18
future	gestern	2026-03-24
future	vorgestern	2026-03-23
future	yesterday at 9	2026-03-24T09:00+01:00
future	the day after tomorrow	2026-03-27
future	Mittwoch	2026-04-01
future	Wednesday	2026-04-01
future	Mittwoch 10:16	2026-03-25T10:16+01:00
future	Mittwoch 10:15	2026-04-01T10:15+02:00
future	So 10 Uhr	2026-03-29T10:00+02:00
future	Sa 23:30	2026-03-28T23:30+01:00
future	naechsten Freitag	2026-03-27
future	uebermorgen	2026-03-27
future	7.4	2026-04-07
future	07.04.26	2026-04-07
future	7.4.2026.	2026-04-07
future	Di, 07.04.2026, 14:00 Uhr	2026-04-07T14:00+02:00
future	Dienstag, den 7. April	2026-04-07
future	Fr 3.4.	2026-04-03
future	Mo, 07.04.2026	ERROR
future	Donnerstag 3.4.	ERROR
future	20 April	2026-04-20
future	20. Apr.	2026-04-20
future	3. Okt. 2026	2026-10-03
future	April 20th	2026-04-20
future	April 20, 2026	2026-04-20
future	20th of April	2026-04-20
future	the 20th of April at 3pm	2026-04-20T15:00+02:00
future	am dritten Oktober	2026-10-03
future	1. Mai	2026-05-01
future	15. März	2027-03-15
future	Maerz 30	2026-03-30
future	25.3.	2026-03-25
future	25.3. 9 Uhr	2027-03-25T09:00+01:00
future	am 15.	2026-04-15
future	am 15	2026-04-15
future	the 15th	2026-04-15
future	am 31.	2026-03-31
future	29.02.	2028-02-29
future	ersten Dienstag im April	2026-04-07
future	letzten Freitag im Mai	2026-05-29
future	first Monday of April 2027	2027-04-05
future	2026-04-07T14:30	2026-04-07T14:30+02:00
future	2026-04-07T14:30+00:00	2026-04-07T16:30+02:00
future	2026-04-07 14:30	2026-04-07T14:30+02:00
future	07-04-2026	2026-04-07
future	7-Apr-2026	2026-04-07
future	2026/04/07 14:30	2026-04-07T14:30+02:00
future	30.02.	ERROR
future	31.4.	ERROR
future	29.2.2027	ERROR
future	0.4.	ERROR
future	7.13.	ERROR
future	32.1.	ERROR
future	1.1.1899	ERROR
future	im April	ERROR
future	April 2027	ERROR
future	bald	ERROR
future	irgendwann	ERROR
future	nächsten Monat	ERROR
future	halb drei	ERROR
future	um	ERROR
future	morgen und übermorgen	ERROR
future	Termin morgen	ERROR
future	Mon 7-Apr-2026	ERROR
future	7.4. 25	ERROR
past	Mittwoch	2026-03-18
past	25.3.	2026-03-25
past	7-Apr	2025-04-07
past	Mittwoch 11 Uhr	2026-03-18T11:00+01:00
past	Freitag	2026-03-20
past	9 Uhr	2026-03-25T09:00+01:00
past	11 Uhr	2026-03-24T11:00+01:00
past	10.3.	2026-03-10
past	1.4.	2025-04-01
past	am 31.	2026-01-31
past	morgen	2026-03-26
past	nächsten Montag	2026-03-30
past	vor 2 Wochen	2026-03-11T10:15+01:00
past	20. April	2025-04-20
future	jeden zweiten Dienstag	ERROR
future	every second Tuesday	ERROR
future	wöchentlich	ERROR
future	alle zwei Wochen	ERROR
future	monatlich	ERROR
future	jährlich	ERROR
future	jährlich am 30.2.	ERROR
future	jeden	ERROR
future	jeden nächsten Montag	ERROR
future	täglich morgen	ERROR
future	jeden Montag und am 15.	ERROR
future	monatlich montags	ERROR
future	täglich um 9 und 15 Uhr	ERROR
"""


# Series (prefer future): expression -> the rule (one valid spelling) and the next three.
SERIES_CASES = [
    (
        "täglich um 8",
        "FREQ=DAILY",
        ("2026-03-26T08:00+01:00", "2026-03-27T08:00+01:00", "2026-03-28T08:00+01:00"),
    ),
    (
        "täglich",
        "FREQ=DAILY",
        ("2026-03-26T00:00+01:00", "2026-03-27T00:00+01:00", "2026-03-28T00:00+01:00"),
    ),
    (
        "jeden Tag 9:30",
        "FREQ=DAILY",
        ("2026-03-26T09:30+01:00", "2026-03-27T09:30+01:00", "2026-03-28T09:30+01:00"),
    ),
    (
        "alle drei Tage 12 Uhr",
        "FREQ=DAILY;INTERVAL=3",
        ("2026-03-25T12:00+01:00", "2026-03-28T12:00+01:00", "2026-03-31T12:00+02:00"),
    ),
    (
        "werktags 7:30",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ("2026-03-26T07:30+01:00", "2026-03-27T07:30+01:00", "2026-03-30T07:30+02:00"),
    ),
    (
        "jeden Werktag um 8",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ("2026-03-26T08:00+01:00", "2026-03-27T08:00+01:00", "2026-03-30T08:00+02:00"),
    ),
    (
        "weekdays at 9",
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        ("2026-03-26T09:00+01:00", "2026-03-27T09:00+01:00", "2026-03-30T09:00+02:00"),
    ),
    (
        "jeden Montag 10 Uhr",
        "FREQ=WEEKLY;BYDAY=MO",
        ("2026-03-30T10:00+02:00", "2026-04-06T10:00+02:00", "2026-04-13T10:00+02:00"),
    ),
    (
        "jeden Mittwoch 9 Uhr",
        "FREQ=WEEKLY;BYDAY=WE",
        ("2026-04-01T09:00+02:00", "2026-04-08T09:00+02:00", "2026-04-15T09:00+02:00"),
    ),
    (
        "jeden Montag und Donnerstag 10 Uhr",
        "FREQ=WEEKLY;BYDAY=MO,TH",
        ("2026-03-26T10:00+01:00", "2026-03-30T10:00+02:00", "2026-04-02T10:00+02:00"),
    ),
    (
        "jeden Mo, Mi und Fr 18 Uhr",
        "FREQ=WEEKLY;BYDAY=MO,WE,FR",
        ("2026-03-25T18:00+01:00", "2026-03-27T18:00+01:00", "2026-03-30T18:00+02:00"),
    ),
    (
        "montags und donnerstags um 10",
        "FREQ=WEEKLY;BYDAY=MO,TH",
        ("2026-03-26T10:00+01:00", "2026-03-30T10:00+02:00", "2026-04-02T10:00+02:00"),
    ),
    (
        "donnerstags 9 Uhr",
        "FREQ=WEEKLY;BYDAY=TH",
        ("2026-03-26T09:00+01:00", "2026-04-02T09:00+02:00", "2026-04-09T09:00+02:00"),
    ),
    (
        "montagabends",
        "FREQ=WEEKLY;BYDAY=MO",
        ("2026-03-30T19:00+02:00", "2026-04-06T19:00+02:00", "2026-04-13T19:00+02:00"),
    ),
    (
        "alle zwei Wochen donnerstags 18 Uhr",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        ("2026-03-26T18:00+01:00", "2026-04-09T18:00+02:00", "2026-04-23T18:00+02:00"),
    ),
    (
        "alle 14 Tage donnerstags 18 Uhr",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
        ("2026-03-26T18:00+01:00", "2026-04-09T18:00+02:00", "2026-04-23T18:00+02:00"),
    ),
    (
        "jede zweite Woche dienstags 9 Uhr",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        ("2026-03-31T09:00+02:00", "2026-04-14T09:00+02:00", "2026-04-28T09:00+02:00"),
    ),
    (
        "wöchentlich am Montag 9 Uhr",
        "FREQ=WEEKLY;BYDAY=MO",
        ("2026-03-30T09:00+02:00", "2026-04-06T09:00+02:00", "2026-04-13T09:00+02:00"),
    ),
    (
        "every Monday at 9",
        "FREQ=WEEKLY;BYDAY=MO",
        ("2026-03-30T09:00+02:00", "2026-04-06T09:00+02:00", "2026-04-13T09:00+02:00"),
    ),
    (
        "every Monday and Thursday at 10am",
        "FREQ=WEEKLY;BYDAY=MO,TH",
        ("2026-03-26T10:00+01:00", "2026-03-30T10:00+02:00", "2026-04-02T10:00+02:00"),
    ),
    (
        "every other Wednesday 6pm",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        ("2026-03-25T18:00+01:00", "2026-04-08T18:00+02:00", "2026-04-22T18:00+02:00"),
    ),
    (
        "every 2 weeks on Monday at 9",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        ("2026-03-30T09:00+02:00", "2026-04-13T09:00+02:00", "2026-04-27T09:00+02:00"),
    ),
    (
        "Mondays and Thursdays at 10",
        "FREQ=WEEKLY;BYDAY=MO,TH",
        ("2026-03-26T10:00+01:00", "2026-03-30T10:00+02:00", "2026-04-02T10:00+02:00"),
    ),
    (
        "jeden ersten Dienstag im Monat 19 Uhr",
        "FREQ=MONTHLY;BYDAY=1TU",
        ("2026-04-07T19:00+02:00", "2026-05-05T19:00+02:00", "2026-06-02T19:00+02:00"),
    ),
    (
        "jeden zweiten Dienstag im Monat 19 Uhr",
        "FREQ=MONTHLY;BYDAY=2TU",
        ("2026-04-14T19:00+02:00", "2026-05-12T19:00+02:00", "2026-06-09T19:00+02:00"),
    ),
    (
        "jeden vierten Freitag im Monat 9 Uhr",
        "FREQ=MONTHLY;BYDAY=4FR",
        ("2026-03-27T09:00+01:00", "2026-04-24T09:00+02:00", "2026-05-22T09:00+02:00"),
    ),
    (
        "jeden letzten Dienstag im Monat 17 Uhr",
        "FREQ=MONTHLY;BYDAY=-1TU",
        ("2026-03-31T17:00+02:00", "2026-04-28T17:00+02:00", "2026-05-26T17:00+02:00"),
    ),
    (
        "jeden ersten und dritten Dienstag im Monat 19 Uhr",
        "FREQ=MONTHLY;BYDAY=1TU,3TU",
        ("2026-04-07T19:00+02:00", "2026-04-21T19:00+02:00", "2026-05-05T19:00+02:00"),
    ),
    (
        "jeden 1. Dienstag im Monat 19 Uhr",
        "FREQ=MONTHLY;BYDAY=1TU",
        ("2026-04-07T19:00+02:00", "2026-05-05T19:00+02:00", "2026-06-02T19:00+02:00"),
    ),
    (
        "monatlich am ersten Montag 9 Uhr",
        "FREQ=MONTHLY;BYDAY=1MO",
        ("2026-04-06T09:00+02:00", "2026-05-04T09:00+02:00", "2026-06-01T09:00+02:00"),
    ),
    (
        "every first Tuesday of the month at 7pm",
        "FREQ=MONTHLY;BYDAY=1TU",
        ("2026-04-07T19:00+02:00", "2026-05-05T19:00+02:00", "2026-06-02T19:00+02:00"),
    ),
    (
        "the last Friday of every month at 3pm",
        "FREQ=MONTHLY;BYDAY=-1FR",
        ("2026-03-27T15:00+01:00", "2026-04-24T15:00+02:00", "2026-05-29T15:00+02:00"),
    ),
    (
        "monatlich am 15. um 18 Uhr",
        "FREQ=MONTHLY;BYMONTHDAY=15",
        ("2026-04-15T18:00+02:00", "2026-05-15T18:00+02:00", "2026-06-15T18:00+02:00"),
    ),
    (
        "jeden Monat am 15. 18 Uhr",
        "FREQ=MONTHLY;BYMONTHDAY=15",
        ("2026-04-15T18:00+02:00", "2026-05-15T18:00+02:00", "2026-06-15T18:00+02:00"),
    ),
    (
        "monthly on the 15th at 6pm",
        "FREQ=MONTHLY;BYMONTHDAY=15",
        ("2026-04-15T18:00+02:00", "2026-05-15T18:00+02:00", "2026-06-15T18:00+02:00"),
    ),
    (
        "monatlich am 31. um 9 Uhr",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        ("2026-03-31T09:00+02:00", "2026-05-31T09:00+02:00", "2026-07-31T09:00+02:00"),
    ),
    (
        "am letzten Tag des Monats 9 Uhr",
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        ("2026-03-31T09:00+02:00", "2026-04-30T09:00+02:00", "2026-05-31T09:00+02:00"),
    ),
    (
        "vierteljährlich am 1. 10 Uhr",
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
        ("2026-04-01T10:00+02:00", "2026-07-01T10:00+02:00", "2026-10-01T10:00+02:00"),
    ),
    (
        "quarterly on the 1st at 10am",
        "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1",
        ("2026-04-01T10:00+02:00", "2026-07-01T10:00+02:00", "2026-10-01T10:00+02:00"),
    ),
    (
        "halbjährlich am 1. 10 Uhr",
        "FREQ=MONTHLY;INTERVAL=6;BYMONTHDAY=1",
        ("2026-04-01T10:00+02:00", "2026-10-01T10:00+02:00", "2027-04-01T10:00+02:00"),
    ),
    (
        "jährlich am 3.10. 11 Uhr",
        "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=3",
        ("2026-10-03T11:00+02:00", "2027-10-03T11:00+02:00", "2028-10-03T11:00+02:00"),
    ),
    (
        "yearly on October 3 at 11am",
        "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=3",
        ("2026-10-03T11:00+02:00", "2027-10-03T11:00+02:00", "2028-10-03T11:00+02:00"),
    ),
    (
        "jährlich am 29.2. 12 Uhr",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        ("2028-02-29T12:00+01:00", "2032-02-29T12:00+01:00", "2036-02-29T12:00+01:00"),
    ),
    (
        "jeden Montag ab 13.4. 10 Uhr",
        "FREQ=WEEKLY;BYDAY=MO",
        ("2026-04-13T10:00+02:00", "2026-04-20T10:00+02:00", "2026-04-27T10:00+02:00"),
    ),
    (
        "jeden Dienstag, 10:00 Uhr, ab Di, 31.03.2026",
        "FREQ=WEEKLY;BYDAY=TU",
        ("2026-03-31T10:00+02:00", "2026-04-07T10:00+02:00", "2026-04-14T10:00+02:00"),
    ),
    (
        "täglich 2:30 ab 28.3.",
        "FREQ=DAILY",
        ("2026-03-28T02:30+01:00", "2026-03-29T03:30+02:00", "2026-03-30T02:30+02:00"),
    ),
]


@pytest.mark.parametrize(("text", "rule", "upcoming"), SERIES_CASES, ids=lambda v: str(v))
def test_series(text: str, rule: str, upcoming: tuple[str, str, str]) -> None:
    assert_result("future", text, f"RRULE:{rule} | " + " | ".join(upcoming))
    series = _parse(text)
    assert isinstance(series, Recurrence)
    assert series.rrule == rule


def _own_cases() -> list[tuple[str, str, str]]:
    rows = [line.split("\t") for line in OWN_CASES.strip().splitlines()]
    return [(row[0], row[1], row[2]) for row in rows]


@pytest.mark.parametrize(("prefer", "text", "expected"), _own_cases(), ids=lambda v: str(v))
def test_rules(prefer: str, text: str, expected: str) -> None:
    assert_result(prefer, text, expected)


# --- rules that need more than one line ---------------------------------------------------


def test_a_moment_is_aware_in_the_zone_and_a_date_has_no_time() -> None:
    moment = _parse("morgen 15 Uhr")
    assert isinstance(moment, Moment)
    assert moment.at.tzinfo == ZONE and moment.at.utcoffset() is not None
    assert _parse("morgen") == Day(date(2026, 3, 26))


def test_now_in_utc_is_taken_in_the_zone() -> None:
    # 23:30 UTC on 25 March is already 26 March in Berlin: "morgen" is the 27th.
    late = datetime(2026, 3, 25, 23, 30, tzinfo=UTC)
    assert _parse("morgen", now=late) == Day(date(2026, 3, 27))
    assert _parse("heute", now=late) == Day(date(2026, 3, 26))


def test_other_time_zones() -> None:
    found = parse_when("morgen 9 Uhr", NOW, "America/New_York")
    assert isinstance(found, Moment)
    assert found.at.isoformat() == "2026-03-26T09:00:00-04:00"
    with pytest.raises(WhenError, match="time zone"):
        parse_when("morgen", NOW, "Mars/Olympus")


def test_spring_forward_gap_is_an_error_that_names_it() -> None:
    with pytest.raises(WhenError, match="does not exist") as caught:
        _parse("29.3. 2:30")
    assert "03:00" in " ".join(caught.value.examples)
    # the minute after the gap exists, and carries summer time
    assert result_line(_parse("29.3. 3:00")) == "2026-03-29T03:00:00+02:00"
    assert result_line(_parse("29.3. 1:59")) == "2026-03-29T01:59:00+01:00"


def test_wall_clock_offsets_across_the_gap_are_errors_too() -> None:
    night = datetime(2026, 3, 28, 2, 30, tzinfo=ZONE)
    with pytest.raises(WhenError, match="does not exist"):
        _parse("in einem Tag", now=night)
    found = _parse("in 24 Stunden", now=night)  # exact: 24 real hours
    assert isinstance(found, Moment)
    assert found.at.isoformat() == "2026-03-29T03:30:00+02:00"


def test_autumn_fold_takes_the_first_time() -> None:
    found = _parse("25.10.2026 2:30")
    assert isinstance(found, Moment)
    assert found.at.isoformat() == "2026-10-25T02:30:00+02:00"


def test_exact_offsets_count_real_hours_across_dst() -> None:
    saturday_night = datetime(2026, 3, 28, 23, 0, tzinfo=ZONE)
    found = _parse("in 3 Stunden", now=saturday_night)
    assert isinstance(found, Moment)
    assert found.at.isoformat() == "2026-03-29T03:00:00+02:00"
    days = _parse("in 2 Tagen", now=saturday_night)
    assert isinstance(days, Moment)
    assert days.at.isoformat() == "2026-03-30T23:00:00+02:00"


def test_a_month_after_the_31st_is_the_last_day() -> None:
    end_of_january = datetime(2026, 1, 31, 9, 0, tzinfo=ZONE)
    assert result_line(_parse("in einem Monat", now=end_of_january)) == "2026-02-28T09:00:00+01:00"


def test_on_a_monday_next_monday_and_monday_are_in_a_week() -> None:
    monday = datetime(2026, 3, 30, 12, 0, tzinfo=ZONE)
    assert _parse("nächsten Montag", now=monday) == Day(date(2026, 4, 6))
    assert _parse("letzten Montag", now=monday) == Day(date(2026, 3, 23))
    assert _parse("Montag", now=monday) == Day(date(2026, 4, 6))
    assert _parse("Montag", "past", now=monday) == Day(date(2026, 3, 23))
    assert _parse("heute", now=monday) == Day(date(2026, 3, 30))
    assert _parse("Montag 13 Uhr", now=monday) == Moment(datetime(2026, 3, 30, 13, tzinfo=ZONE))
    assert _parse("Montag nächster Woche", now=monday) == Day(date(2026, 4, 6))
    assert _parse("Sonntag nächster Woche", now=monday) == Day(date(2026, 4, 12))


def test_past_words_are_past_even_when_the_future_is_preferred() -> None:
    assert _parse("gestern") == Day(date(2026, 3, 24))
    assert _parse("letzten Freitag") == Day(date(2026, 3, 20))
    assert _parse("vor 2 Tagen", "future") == _parse("vor 2 Tagen", "past")


def test_day_parts_are_configurable() -> None:
    parts = {"abends": time(18, 30), "morgens": time(7)}
    evening = parse_when("morgen abends", NOW, BERLIN, day_parts=parts)
    morning = parse_when("morgen früh", NOW, BERLIN, day_parts=parts)
    noon = parse_when("morgen mittags", NOW, BERLIN, day_parts=parts)
    assert isinstance(evening, Moment) and evening.at.time() == time(18, 30)
    assert isinstance(morning, Moment) and morning.at.time() == time(7)
    assert isinstance(noon, Moment) and noon.at.time() == time(12)
    series = parse_when("jeden Montag abends", NOW, BERLIN, day_parts=parts)
    assert isinstance(series, Recurrence) and series.first.time() == time(18, 30)
    with pytest.raises(ValueError, match="day part"):
        parse_when("morgen", NOW, BERLIN, day_parts={"mitternachts": time(0)})


def test_number_words() -> None:
    words = ["ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht"]
    words += ["neun", "zehn", "elf", "zwölf"]
    for value, word in enumerate(words, start=1):
        found = _parse(f"in {word} Stunden")
        assert isinstance(found, Moment)
        assert (found.at - NOW).total_seconds() == value * 3600, word
    assert _parse("in eine Woche") == _parse("in einer Woche") == _parse("in 1 Woche")


def test_ascii_spellings_of_umlauts() -> None:
    assert _parse("naechsten Montag") == _parse("nächsten Montag")
    assert _parse("Maerz 30") == _parse("30. März")
    assert _parse("in fuenf Minuten") == _parse("in fünf Minuten")


def test_english_and_german_give_the_same_results() -> None:
    pairs = [
        ("morgen 15 Uhr", "tomorrow 3pm"),
        ("nächsten Montag 9 Uhr", "next Monday at 9am"),
        ("jeden Dienstag 10 Uhr", "every Tuesday at 10:00"),
        ("alle zwei Wochen mittwochs 10 Uhr", "every other Wednesday at 10am"),
        ("jeden ersten Dienstag im Monat 19 Uhr", "every first Tuesday of the month at 7pm"),
        ("werktags 9 Uhr", "weekdays at 9am"),
        ("monatlich am 15. 9 Uhr", "monthly on the 15th at 9am"),
        ("in 3 Tagen", "in 3 days"),
        ("gestern", "yesterday"),
        ("20. April", "April 20th"),
    ]
    for german, english in pairs:
        assert _parse(german) == _parse(english), (german, english)


def test_errors_show_two_or_three_working_examples() -> None:
    for text in ["nächsten Blumentag", "30.02.", "25 Uhr", "wöchentlich", "bald", "29.3. 2:30"]:
        with pytest.raises(WhenError) as caught:
            _parse(text)
        assert 2 <= len(caught.value.examples) <= 3, text
        for example in caught.value.examples:
            _parse(example)  # every example shown works
        assert caught.value.reason


def test_the_unknown_word_is_named() -> None:
    with pytest.raises(WhenError, match="blumentag"):
        _parse("nächsten Blumentag")
    with pytest.raises(WhenError, match="termin"):
        _parse("morgen Termin")


def test_impossible_dates_are_never_rolled_over() -> None:
    for text in ["30.02.", "31.04.2026", "31. April", "February 30", "29.02.2026", "32.1."]:
        with pytest.raises(WhenError, match=r"exist|not understood"):
            _parse(text)


def test_bad_arguments_are_programming_errors() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("morgen", datetime(2026, 3, 25, 10, 15), BERLIN)
    with pytest.raises(WhenError):
        _parse("")
    with pytest.raises(WhenError, match="too long"):
        _parse("morgen " * 100)


# --- series --------------------------------------------------------------------------------


def test_series_keep_the_wall_clock_time_across_dst() -> None:
    series = _parse("jeden Donnerstag 9 Uhr")
    assert isinstance(series, Recurrence)
    assert series.rrule == "FREQ=WEEKLY;BYDAY=TH"
    assert [m.hour for m in series.occurrences(3)] == [9, 9, 9]
    assert [m.utcoffset() for m in series.occurrences(2)] != [None, None]
    assert series.first == datetime(2026, 3, 26, 9, 0, tzinfo=ZONE)
    assert not series.all_day


def test_series_without_time_are_all_day_and_start_after_today() -> None:
    series = _parse("jeden Montag")
    assert isinstance(series, Recurrence) and series.all_day
    assert series.first == datetime(2026, 3, 30, 0, 0, tzinfo=ZONE)
    for text, first in [("jeden Mittwoch", date(2026, 4, 1)), ("werktags", date(2026, 3, 26))]:
        found = _parse(text)
        assert isinstance(found, Recurrence) and found.first.date() == first, text
    starting = _parse("jeden Montag ab 30.3.")
    assert isinstance(starting, Recurrence) and starting.first.date() == date(2026, 3, 30)


def test_the_first_occurrence_is_after_now() -> None:
    for text in ["täglich um 10", "täglich um 10:30", "jeden Mittwoch 10:15", "werktags 8 Uhr"]:
        series = _parse(text)
        assert isinstance(series, Recurrence)
        assert series.first > NOW, text
        assert series.occurrences(1)[0] == series.first


def test_the_rule_is_valid_rfc5545() -> None:
    from dateutil.rrule import rrulestr

    for text in ["alle zwei Wochen donnerstags 9 Uhr", "jeden letzten Freitag im Monat 9 Uhr"]:
        series = _parse(text)
        assert isinstance(series, Recurrence)
        rule = rrulestr(f"RRULE:{series.rrule}", dtstart=series.first.replace(tzinfo=None))
        assert rule[0] == series.first.replace(tzinfo=None)  # type: ignore[index]


# --- echo and result lines ---------------------------------------------------------------


def test_format_de() -> None:
    assert format_de(_parse("7.4. 14 Uhr")) == "Di, 07.04.2026, 14:00 Uhr"
    assert format_de(_parse("7.4.")) == "Di, 07.04.2026"
    assert format_de(_parse("every Tuesday at 10:00")) == (
        "jeden Dienstag, 10:00 Uhr, ab Di, 31.03.2026"
    )
    assert format_de(_parse("alle zwei Wochen montags 14 Uhr")) == (
        "alle zwei Wochen montags, 14:00 Uhr, ab Mo, 30.03.2026"
    )
    assert format_de(_parse("jeden dritten Mittwoch im Monat")) == (
        "jeden dritten Mittwoch im Monat, ab Mi, 15.04.2026"
    )
    assert format_de(_parse("werktags 8 Uhr")).startswith("werktags, 08:00 Uhr")
    assert format_de(_parse("vierteljährlich am 1.")).startswith("vierteljährlich am 1., ab")
    assert format_de(_parse("jährlich am 3.10.")).startswith("jährlich am 3.10., ab Sa")
    assert format_de(Recurrence("FREQ=HOURLY", NOW)).startswith("Serie (FREQ=HOURLY)")


ROUND_TRIP = [
    "morgen 15 Uhr",
    "7.4.",
    "jeden Donnerstag 9 Uhr",
    "jeden Mo, Mi und Fr 18 Uhr",
    "alle zwei Wochen montags 14 Uhr",
    "jeden ersten und dritten Dienstag im Monat 19 Uhr",
    "jeden letzten Freitag im Monat",
    "monatlich am 15. um 18 Uhr",
    "monatlich am letzten Tag",
    "vierteljährlich am 1. 10 Uhr",
    "alle zwei Monate am 15.",
    "jährlich am 3.10.",
    "werktags 7:30",
    "alle drei Tage",
    "täglich 8 Uhr",
]


@pytest.mark.parametrize("text", ROUND_TRIP)
def test_the_german_echo_reads_back_to_the_same_value(text: str) -> None:
    value = _parse(text)
    assert _parse(format_de(value)) == value


def test_result_and_error_lines() -> None:
    assert result_line(_parse("kommenden Montag")) == "2026-03-30"
    assert result_line(_parse("Mo 9 Uhr")) == "2026-03-30T09:00:00+02:00"
    assert result_line(_parse("jeden Donnerstag 9 Uhr")) == (
        "RRULE:FREQ=WEEKLY;BYDAY=TH | 2026-03-26T09:00:00+01:00"
        " | 2026-04-02T09:00:00+02:00 | 2026-04-09T09:00:00+02:00"
    )
    error = WhenError("not understood", ("morgen", "7.4."))
    assert error_line(error) == 'ERROR: not understood (try: "morgen"; "7.4.")'
    assert error_line(WhenError("bad")) == "ERROR: bad"


# --- property tests ------------------------------------------------------------------------

VOCABULARY = [
    "morgen",
    "heute",
    "übermorgen",
    "gestern",
    "nächsten",
    "letzten",
    "kommenden",
    "diese",
    "Woche",
    "Montag",
    "Di",
    "Mittwoch",
    "um",
    "Uhr",
    "am",
    "den",
    "im",
    "Monat",
    "ab",
    "in",
    "vor",
    "Tagen",
    "Stunden",
    "Minuten",
    "Wochen",
    "Monaten",
    "halben",
    "anderthalb",
    "eine",
    "zwei",
    "zwölf",
    "jeden",
    "alle",
    "ersten",
    "dritten",
    "letzten",
    "montags",
    "täglich",
    "werktags",
    "monatlich",
    "jährlich",
    "vierteljährlich",
    "abends",
    "früh",
    "nachts",
    "mittags",
    "pm",
    "am",
    "h",
    "14:30",
    "9",
    "15.",
    "7.4.",
    "31.04.",
    "29.02.",
    "2026",
    "30.02.2026",
    "2026-03-29",
    "25",
    "0",
    "24:00",
    "April",
    "Okt",
    "März",
    "next",
    "every",
    "other",
    "of",
    "the",
    "tomorrow",
    "at",
    "3:30pm",
    "ago",
    "und",
    ",",
    ".",
    "-",
    "/",
    "x",
    "Blumentag",
    "99999",
    "1,5",
    "2:30",
    "29.3.",
    "25.10.",
]


def _check_result(value: When) -> None:
    if isinstance(value, Moment):
        assert value.at.tzinfo is not None and value.at.utcoffset() is not None
        assert value.at.utcoffset() == ZONE.utcoffset(value.at.replace(tzinfo=None))
    elif isinstance(value, Day):
        assert isinstance(value.on, date) and not isinstance(value.on, datetime)
    else:
        assert isinstance(value, Recurrence)
        assert value.first.tzinfo is not None
        for occurrence in value.occurrences(3):
            assert occurrence.utcoffset() == ZONE.utcoffset(occurrence.replace(tzinfo=None))
        result_line(value)
        format_de(value)


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    warm_up()


_PROPERTY = settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_PROPERTY
@given(text=st.text(max_size=60), prefer=st.sampled_from(["future", "past"]))
def test_random_text_only_ever_raises_when_error(text: str, prefer: str) -> None:
    try:
        value = _parse(text, prefer)
    except WhenError:
        return
    _check_result(value)


@_PROPERTY
@given(
    words=st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=6),
    prefer=st.sampled_from(["future", "past"]),
    now=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
)
def test_random_expressions_give_aware_results_in_the_zone(
    words: list[str], prefer: str, now: datetime
) -> None:
    try:
        value = _parse(" ".join(words), prefer, now=now.replace(tzinfo=ZONE))
    except WhenError:
        return
    _check_result(value)


# --- agbot parse-when ----------------------------------------------------------------------


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="agbot parse-when")
    add_parse_when_arguments(parser)
    return parser.parse_args(list(argv))


def test_parse_when_one_line() -> None:
    out = io.StringIO()
    code = run_parse_when(_args("--now", "2026-03-25T10:15", "morgen", "15", "Uhr"), stdout=out)
    assert code == 0
    assert out.getvalue() == "2026-03-26T15:00:00+01:00\n"


def test_parse_when_one_line_with_a_namespace_built_by_hand() -> None:
    out = io.StringIO()
    args = argparse.Namespace(now="2026-03-25T10:15", tz=BERLIN, prefer="past", text="Dienstag")
    assert run_parse_when(args, stdout=out) == 0
    assert out.getvalue() == "2026-03-24\n"


def test_parse_when_error_exits_2() -> None:
    out = io.StringIO()
    code = run_parse_when(_args("--now", "2026-03-25T10:15", "nächsten Blumentag"), stdout=out)
    assert code == 2
    assert out.getvalue().startswith("ERROR: ")
    assert out.getvalue().count("\n") == 1


def test_parse_when_reads_stdin_line_by_line() -> None:
    stdin = io.StringIO("morgen 15 Uhr\n26 Uhr\njeden Donnerstag 9 Uhr\n\nkommenden Montag\n")
    out = io.StringIO()
    code = run_parse_when(_args("--now", "2026-03-25T10:15+01:00"), stdin=stdin, stdout=out)
    assert code == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == 5
    assert lines[0] == "2026-03-26T15:00:00+01:00"
    assert lines[1].startswith("ERROR: ")
    assert lines[2].startswith("RRULE:FREQ=WEEKLY;BYDAY=TH | 2026-03-26T09:00:00+01:00 | ")
    assert lines[3].startswith("ERROR: ")
    assert lines[4] == "2026-03-30"


def test_parse_when_on_stdin_matches_every_example() -> None:
    rows = _example_lines()
    for prefer in ("future", "past"):
        chosen = [row for row in rows if row[1] == prefer]
        stdin = io.StringIO("".join(f"{row[2]}\n" for row in chosen))
        out = io.StringIO()
        args = _args("--now", "2026-03-25T10:15", "--tz", BERLIN, "--prefer", prefer)
        assert run_parse_when(args, stdin=stdin, stdout=out) == 0
        lines = out.getvalue().splitlines()
        assert len(lines) == len(chosen)
        for row, line in zip(chosen, lines, strict=True):
            if row[3] == "ERROR":
                assert line.startswith("ERROR: "), row
            elif row[3].startswith("RRULE:"):
                assert line.split(" | ")[1:] != [], row
                for got, want in zip(line.split(" | ")[1:], row[3].split(" | ")[1:], strict=True):
                    _same_moment(got, want)
            elif len(row[3]) == 10:
                assert line == row[3], row
            else:
                _same_moment(line, row[3])


def test_parse_when_bad_options_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_parse_when(_args("--now", "gestern", "morgen"), stdout=io.StringIO()) == 2
    assert "--now" in capsys.readouterr().err
    assert run_parse_when(_args("--tz", "Nowhere/City", "morgen"), stdout=io.StringIO()) == 2
    assert "time zone" in capsys.readouterr().err


def test_parse_when_without_now_uses_the_clock() -> None:
    out = io.StringIO()
    assert run_parse_when(_args("2026-05-04"), stdout=out) == 0
    assert out.getvalue() == "2026-05-04\n"
