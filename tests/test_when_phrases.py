"""Phrases as German offices write them: tests/data/date_phrases.tsv, and properties of all.

The table holds the expected ``agbot parse-when`` line (and the German confirmation)
of every phrase at a fixed now; the properties hold for every phrase: spacing and case
do not change a result, a weekday that does not match the date is an error, and no
series has more than one occurrence a day or is daily or weekly without saying so.
"""

from __future__ import annotations

import argparse
import io
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.parse_when_cli import add_parse_when_arguments, run_parse_when
from core.when import Recurrence, When, WhenError, format_de, parse_when, result_line

PHRASES = Path(__file__).resolve().parent / "data" / "date_phrases.tsv"
BERLIN = "Europe/Berlin"
ZONE = ZoneInfo(BERLIN)
NOW = datetime(2026, 3, 25, 10, 15, tzinfo=ZONE)
STATE = "TH"


def _rows() -> list[tuple[int, str, str, str, str | None]]:
    rows = []
    for number, line in enumerate(PHRASES.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.split("\t")
        assert len(columns) in (3, 4), (number, line)
        echo = columns[3] if len(columns) == 4 else None
        rows.append((number, columns[0], columns[1], columns[2], echo))
    return rows


ROWS = _rows()


def _parse(text: str, mode: str, now: datetime = NOW) -> When:
    assert mode in ("future", "past", "deadline"), mode
    prefer = "past" if mode == "past" else "future"
    return parse_when(text, now, BERLIN, prefer, state=STATE, deadline=mode == "deadline")


@pytest.mark.parametrize(
    ("number", "mode", "text", "expected", "echo"), ROWS, ids=[f"{r[0]}:{r[2]}" for r in ROWS]
)
def test_every_phrase(number: int, mode: str, text: str, expected: str, echo: str | None) -> None:
    if expected.startswith("ERROR"):
        with pytest.raises(WhenError) as caught:
            _parse(text, mode)
        words = expected.removeprefix("ERROR").removeprefix(":").strip()
        assert words.casefold() in caught.value.reason.casefold(), caught.value.reason
        assert caught.value.examples, text
        return
    value = _parse(text, mode)
    assert result_line(value) == expected
    if echo is not None:
        assert format_de(value) == echo


def test_the_table_covers_every_class_with_enough_phrases() -> None:
    assert len(ROWS) >= 300
    assert sum(row[3].startswith("ERROR") for row in ROWS) >= 30
    text = PHRASES.read_text(encoding="utf-8")
    for marker in ("Ende Mai", "KW 22", "Ostermontag", "halb elf", "13-15 Uhr", "c.t."):
        assert marker in text
    for marker in ("Montag in einer Woche", "bis spätestens", "(UTC+01:00)", "BYSETPOS=1"):
        assert marker in text
    for marker in ("UNTIL=", "COUNT=", "BYMONTH=", "Sommerpause"):
        assert marker in text


def test_the_examples_of_errors_parse() -> None:
    for _, mode, text, expected, _ in ROWS:
        if not expected.startswith("ERROR"):
            continue
        with pytest.raises(WhenError) as caught:
            _parse(text, mode)
        for example in caught.value.examples:
            _parse(example, mode)  # every example shown works


def _cli(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="agbot parse-when")
    add_parse_when_arguments(parser)
    return parser.parse_args(list(argv))


@pytest.mark.parametrize("mode", ["future", "past", "deadline"])
def test_agbot_parse_when_prints_the_table(mode: str) -> None:
    chosen = [row for row in ROWS if row[1] == mode]
    options = ["--now", "2026-03-25T10:15", "--state", STATE, "--echo"]
    options += ["--prefer", "past"] if mode == "past" else []
    options += ["--deadline"] if mode == "deadline" else []
    out = io.StringIO()
    stdin = io.StringIO("".join(f"{row[2]}\n" for row in chosen))
    assert run_parse_when(_cli(*options), stdin=stdin, stdout=out) == 0
    lines = out.getvalue().splitlines()
    assert len(lines) == len(chosen)
    for (_, _, text, expected, echo), line in zip(chosen, lines, strict=True):
        if expected.startswith("ERROR"):
            assert line.startswith("ERROR: "), (text, line)
        else:
            assert line == "\t".join(part for part in (expected, echo) if part), text


def test_a_range_gives_the_duration_and_the_confirmation_names_the_week() -> None:
    value = _parse("Dienstag KW 22 14–16 Uhr", "future")
    assert format_de(value) == "Di, 26.05.2026, 14:00–16:00 Uhr (KW 22)"
    assert getattr(value, "duration", None) == timedelta(hours=2)


def test_surprising_readings_are_echoed() -> None:
    monday = datetime(2026, 3, 30, 9, tzinfo=ZONE)
    assert format_de(_parse("nächsten Dienstag", "future", monday)) == "Di, 31.03.2026 (morgen)"
    july = datetime(2026, 7, 10, 9, tzinfo=ZONE)
    assert format_de(_parse("bis 31.3.", "deadline", july)) == "Mi, 31.03.2027 (nächstes Jahr)"
    assert format_de(_parse("31.3.", "future", NOW)) == "Di, 31.03.2026"


def test_the_echo_reads_back_to_the_same_value() -> None:
    for _, mode, text, expected, _ in ROWS:
        if expected.startswith("ERROR") or mode == "past":
            continue
        value = _parse(text, mode)
        echo = format_de(value)
        assert _parse(echo, mode) == value, (text, echo)


# --- properties --------------------------------------------------------------------------

PARSED = [(row[1], row[2]) for row in ROWS if not row[3].startswith("ERROR")]
_PROPERTY = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _respell(text: str, seed: int) -> str:
    """The same phrase with other spacing and case (ß stays: its upper case is "SS")."""
    chooser = random.Random(seed)
    words = text.split(" ")
    spaced = "".join(word + chooser.choice([" ", "  ", "\t", " \u00a0"]) for word in words)
    cased = "".join(
        char if char == "ß" else chooser.choice([char.upper(), char.lower()]) for char in spaced
    )
    return chooser.choice(["", " ", "  "]) + cased.strip() + chooser.choice(["", " "])


@_PROPERTY
@given(phrase=st.sampled_from(PARSED), seed=st.integers(0, 2**32))
def test_spacing_and_case_do_not_change_a_result(phrase: tuple[str, str], seed: int) -> None:
    mode, text = phrase
    assert _parse(_respell(text, seed), mode) == _parse(text, mode)


WEEKDAY_NAMES = (
    ("Montag", "Mo", "Mo.", "Monday", "Mon"),
    ("Dienstag", "Di", "Di.", "Tuesday", "Tue"),
    ("Mittwoch", "Mi", "Mi.", "Wednesday", "Wed"),
    ("Donnerstag", "Do", "Do.", "Thursday", "Thu"),
    ("Freitag", "Fr", "Fr.", "Friday", "Fri"),
    ("Samstag", "Sa", "Sa.", "Saturday", "Sat"),
    ("Sonntag", "So", "So.", "Sunday", "Sun"),
)


@_PROPERTY
@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    shift=st.integers(0, 6),
    spelling=st.integers(0, 4),
    form=st.sampled_from(
        ["{w}, {d:%d.%m.%Y}", "{w} {d.day}.{d.month}.{d.year}", "{w}, {d:%Y-%m-%d}"]
    ),
    clock=st.sampled_from(["", " 14 Uhr", ", 9:30", " 10-12 Uhr"]),
)
def test_a_weekday_that_does_not_match_the_date_is_an_error(
    day: date, shift: int, spelling: int, form: str, clock: str
) -> None:
    weekday = (day.weekday() + shift) % 7
    text = form.format(w=WEEKDAY_NAMES[weekday][spelling], d=day) + clock
    if shift == 0:
        value = _parse(text, "future")
        assert result_line(value)[:10] == day.isoformat(), text
    else:
        with pytest.raises(WhenError, match="not a"):
            _parse(text, "future")


SERIES_VOCABULARY = [
    "jeden",
    "jede",
    "alle",
    "zwei",
    "drei",
    "ersten",
    "zweiten",
    "letzten",
    "Tag",
    "Werktag",
    "Woche",
    "Wochen",
    "Monat",
    "Quartal",
    "im Monat",
    "im Quartal",
    "Montag",
    "Mittwoch",
    "freitags",
    "Mo–Fr",
    "täglich",
    "werktags",
    "wöchentlich",
    "monatlich",
    "quartalsweise",
    "14-tägig",
    "am 15.",
    "10 Uhr",
    "9 und 15 Uhr",
    "14-16 Uhr",
    "und",
    "bis 30.6.",
    "10 mal",
    "außer im August",
    "Sommerpause Juli bis August",
    "ab 1.4.",
]
# Words that say daily or weekly: only with one of them may a rule be FREQ=DAILY/WEEKLY.
DAILY_OR_WEEKLY = ("tag", "werktag", "woche", "wochen", "montag", "mittwoch", "freitags")
DAILY_OR_WEEKLY += ("mo–fr", "täglich", "werktags", "wöchentlich", "14-tägig")


@_PROPERTY
@given(words=st.lists(st.sampled_from(SERIES_VOCABULARY), min_size=1, max_size=6))
def test_no_series_is_more_than_once_a_day_or_silently_daily(words: list[str]) -> None:
    text = " ".join(words)
    try:
        value = _parse(text, "future")
    except WhenError:
        return
    if not isinstance(value, Recurrence):
        return
    days = [moment.date() for moment in value.occurrences(40)]
    assert len(days) == len(set(days)), text
    if value.rrule.startswith(("FREQ=DAILY", "FREQ=WEEKLY")):
        assert any(word in text.casefold().split() for word in DAILY_OR_WEEKLY), text


def test_the_table_series_are_never_more_than_once_a_day() -> None:
    for mode, text in PARSED:
        value = _parse(text, mode)
        if isinstance(value, Recurrence):
            days = [moment.date() for moment in value.occurrences(60)]
            assert len(days) == len(set(days)), text
