"""``agbot parse-when``: shows how the bot reads a date or time expression.

With TEXT it prints one result line and exits 2 if the text is not understood;
without TEXT it reads expressions from standard input, one per line, and prints one
result line per input line. A result line is a moment (``2026-03-30T10:00:00+02:00``),
a date (``2026-03-30``), a series (``RRULE:FREQ=WEEKLY;BYDAY=MO | <next> | <next> |
<next>``) or ``ERROR: <reason>``; a range gives a moment as ``start/end``. ``--deadline``
reads deadlines ("bis KW 18" is its Friday), ``--state`` names the Bundesland for
holidays and working days, ``--echo`` adds the German confirmation after a tab.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.clock import SystemClock
from core.when import Prefer, WhenError, error_line, format_de, parse_when, result_line

DEFAULT_ZONE = "Europe/Berlin"


def add_parse_when_arguments(parser: argparse.ArgumentParser) -> None:
    """The options of ``agbot parse-when``."""
    parser.add_argument("--now", help="read relative to this ISO date-time (default: now)")
    parser.add_argument(
        "--tz", default=DEFAULT_ZONE, help=f"the AG's time zone (default {DEFAULT_ZONE})"
    )
    parser.add_argument(
        "--prefer",
        choices=["future", "past"],
        default="future",
        help="direction for incomplete expressions (default future)",
    )
    parser.add_argument(
        "--deadline", action="store_true", help="read deadlines (bis KW 18, in zwei Wochen)"
    )
    parser.add_argument("--state", help="the AG's Bundesland for holidays by name, e.g. TH")
    parser.add_argument(
        "--echo", action="store_true", help="add the German confirmation after a tab"
    )
    parser.add_argument(
        "text", nargs="*", help="the expression; without it, one expression per line on stdin"
    )


def run_parse_when(
    args: argparse.Namespace, stdin: TextIO | None = None, stdout: TextIO | None = None
) -> int:
    """Print result lines; 0, or 2 for an error in the one-line mode or bad options."""
    source = stdin if stdin is not None else sys.stdin
    out = stdout if stdout is not None else sys.stdout
    tz: str = getattr(args, "tz", None) or DEFAULT_ZONE
    prefer: Prefer = "past" if getattr(args, "prefer", "future") == "past" else "future"
    try:
        now = _now(getattr(args, "now", None), tz)
    except ValueError as error:
        print(f"agbot parse-when: {error}", file=sys.stderr)
        return 2
    reading = Reading(
        now,
        tz,
        prefer,
        getattr(args, "state", None),
        bool(getattr(args, "deadline", False)),
        bool(getattr(args, "echo", False)),
    )
    text = _text(getattr(args, "text", None))
    if text is not None:
        line, ok = reading.line(text)
        print(line, file=out)
        return 0 if ok else 2
    for raw in source:
        print(reading.line(raw.rstrip("\r\n"))[0], file=out, flush=True)
    return 0


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and value:
        return " ".join(str(part) for part in value)
    return None


def _now(value: str | None, tz: str) -> datetime:
    try:
        zone = ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {tz!r}") from None
    if value is None:
        return SystemClock().now().astimezone(zone)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"--now needs an ISO date-time, not {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


@dataclass(frozen=True)
class Reading:
    """How every line is read: now, the zone, the direction and the options."""

    now: datetime
    tz: str
    prefer: Prefer
    state: str | None = None
    deadline: bool = False
    echo: bool = False

    def line(self, text: str) -> tuple[str, bool]:
        """The result line for ``text`` and whether it was understood."""
        try:
            value = parse_when(
                text, self.now, self.tz, self.prefer, state=self.state, deadline=self.deadline
            )
        except WhenError as error:
            return error_line(error), False
        line = result_line(value)
        return (f"{line}\t{format_de(value)}" if self.echo else line), True
