"""The entry point: text → words → parts → a moment, a date or a series.

Before the words are read, two things that confirmations and Outlook add are taken off:
the notes the bot itself prints ("Di, 31.03.2026 (morgen)") and Outlook's zone
("… 09:30-11:00 (UTC+01:00) Amsterdam, Berlin, Bern, Rom, Stockholm, Wien"), which
must be the AG's zone. A deadline may start with "bis", "bis zum", "bis spätestens",
"spätestens" or "zum".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, time

from core.when.components import SERIES_MARKERS
from core.when.context import Context, make_context
from core.when.errors import DEADLINE_EXAMPLES, GENERAL_EXAMPLES
from core.when.resolve import resolve_single
from core.when.scanner import scan
from core.when.series import resolve_series
from core.when.tokens import tokenize
from core.when.values import Prefer, Recurrence, When, WhenError
from core.when.vocabulary import DEADLINE_WORDS

MAX_LENGTH = 200
_OUTLOOK_ZONE = re.compile(r"\(utc([+-])([0-9]{2}):([0-9]{2})\)[^()]*$", re.IGNORECASE)
_OWN_NOTES = re.compile(
    r"\(\s*(?:heute|morgen|übermorgen|diese\s+woche|nächstes\s+jahr|letztes\s+jahr|today"
    r"|tomorrow|the\s+day\s+after\s+tomorrow|this\s+week|next\s+year|last\s+year)\s*"
    r"(?=[,)])[^)]*\)",
    re.IGNORECASE,
)
_TRAILING_DEADLINE = {"spätestens", "spaetestens", "latest"}


def parse(
    text: str,
    now: datetime,
    tz: str,
    prefer: Prefer = "future",
    day_parts: Mapping[str, time] | None = None,
    *,
    state: str | None = None,
    deadline: bool = False,
) -> When:
    """Read ``text`` as a moment, a date or a series (see ``core.when``)."""
    ctx = make_context(now, tz, prefer, day_parts, state, deadline)
    if len(text) > MAX_LENGTH:
        raise WhenError("the expression is too long", GENERAL_EXAMPLES)
    text = _without_outlook_zone(_OWN_NOTES.sub(" ", text), ctx)
    tokens = tokenize(text)
    if deadline:
        tokens = _without_deadline_words(tokens)
    if not tokens:
        raise WhenError("no date or time given", GENERAL_EXAMPLES)
    try:
        return _interpret(tokens, ctx)
    except WhenError:
        raise
    except (OverflowError, ValueError):
        raise WhenError("the date is out of range", GENERAL_EXAMPLES) from None


def _interpret(tokens: Sequence[str], ctx: Context) -> When:
    parts = scan(tokens)
    if any(isinstance(part, SERIES_MARKERS) for part in parts):
        return resolve_series(parts, ctx)
    return resolve_single(parts, ctx)


def _without_outlook_zone(text: str, ctx: Context) -> str:
    """Outlook's "(UTC+01:00) Amsterdam, Berlin, …": the zone's standard offset, dropped."""
    match = _OUTLOOK_ZONE.search(text)
    if match is None:
        return text
    sign = 1 if match.group(1) == "+" else -1
    minutes = sign * (int(match.group(2)) * 60 + int(match.group(3)))
    january = datetime(ctx.today.year, 1, 15, 12, tzinfo=UTC).astimezone(ctx.zone)
    standard = january.utcoffset()
    if standard is None or int(standard.total_seconds()) // 60 != minutes:
        raise WhenError(
            f"{match.group(0)[:11].upper()} is not the time zone of this AG ({ctx.zone.key})",
            ("Dienstag, 12. Mai 2026 09:30",),
        )
    return text[: match.start()]


def _without_deadline_words(tokens: list[str]) -> list[str]:
    start = 0
    while start < len(tokens) - 1 and tokens[start] in DEADLINE_WORDS:
        start += 1
    end = len(tokens)
    while end > start + 1 and tokens[end - 1] in _TRAILING_DEADLINE:
        end -= 1
    if tuple(tokens[end - 2 : end]) == ("the", "latest") and end - 2 > start:
        end -= 2
    rest = tokens[start:end]
    if rest and rest[0] in DEADLINE_WORDS:
        raise WhenError("a deadline needs its date", DEADLINE_EXAMPLES)
    return rest


def warm_up() -> None:
    """Load dateutil's rrule and the holiday names once, so no user's first command waits."""
    from core.when.feasts import name_table, state_calendar

    name_table()
    for year in (2025, 2026, 2027):
        state_calendar(None, year)
    sample = parse("jeden ersten Dienstag im Monat 10 Uhr", datetime(2026, 1, 1, tzinfo=UTC), "UTC")
    assert isinstance(sample, Recurrence)
    sample.occurrences(1)
    parse("Ostermontag 10 Uhr", datetime(2026, 1, 1, tzinfo=UTC), "UTC")
