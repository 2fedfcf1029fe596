"""Time per line of ``agbot parse-when`` after warm-up, beside dateparser in the same run.

Every line of ``tests/data/date_examples.tsv`` and ``tests/data/date_phrases.tsv``
(errors included) is read with its own mode and the files' now (2026-03-25T10:15
Europe/Berlin, state TH), in rounds, each call timed with ``time.perf_counter_ns``
around what ``agbot parse-when`` does for a line (``bot.parse_when_cli.Reading.line``:
parse, result line, German echo). In the same run and rounds, ``dateparser.parse`` reads
the same lines (German and English, preferring the future, relative to the same now):
the peer the issue names. Warm-up (``core.when.warm_up`` and one dateparser call) runs
once before and is reported.

Besides the time, the run counts how many of the lines that name one date or moment
each parser reads to the expected day (dateparser has no series, so those are left out).

Usage::

    .venv/bin/python -m bench.when_parse [--rounds N]

Results go to docs/PERFORMANCE.md, not to the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.parse_when_cli import Reading
from core.when import warm_up

DATA = Path(__file__).resolve().parents[1] / "tests" / "data"
FILES = (DATA / "date_examples.tsv", DATA / "date_phrases.tsv")
ZONE = "Europe/Berlin"
NOW = datetime(2026, 3, 25, 10, 15, tzinfo=ZoneInfo(ZONE))
STATE = "TH"


@dataclass(frozen=True)
class Line:
    mode: str  # future, past, deadline
    text: str
    expected: str


def read_lines(paths: Sequence[Path]) -> list[Line]:
    lines: list[Line] = []
    for path in paths:
        for raw in path.read_text(encoding="utf-8").splitlines():
            if not raw.strip() or raw.startswith("#"):
                continue
            mode, text, expected = raw.split("\t")[:3]
            lines.append(Line(mode, text, expected))
    return lines


def percentile(samples: Sequence[int], fraction: float) -> float:
    """Nearest-rank percentile in milliseconds."""
    ordered = sorted(samples)
    rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
    return ordered[rank - 1] / 1e6


def readings() -> dict[str, Reading]:
    """One ``agbot parse-when`` reading per mode, as the command sets it up."""
    return {
        mode: Reading(
            NOW, ZONE, "past" if mode == "past" else "future", STATE, mode == "deadline", True
        )
        for mode in ("future", "past", "deadline")
    }


def ours(line: Line, by_mode: dict[str, Reading]) -> str:
    return by_mode[line.mode].line(line.text)[0]


def dateparser_reader() -> Callable[[Line], Any]:
    import dateparser  # type: ignore[import-untyped]

    settings = {
        mode: {
            "PREFER_DATES_FROM": "past" if mode == "past" else "future",
            "RELATIVE_BASE": NOW.replace(tzinfo=None),
            "TIMEZONE": ZONE,
            "RETURN_AS_TIMEZONE_AWARE": True,
            "DATE_ORDER": "DMY",
        }
        for mode in ("future", "past", "deadline")
    }

    def read(line: Line) -> Any:
        with contextlib.suppress(Exception):  # a third-party parser: a failure is "none"
            return dateparser.parse(line.text, languages=["de", "en"], settings=settings[line.mode])
        return None

    return read


def timed(call: Callable[[], object]) -> int:
    start = time.perf_counter_ns()
    call()
    return time.perf_counter_ns() - start


def expected_day(line: Line) -> str | None:
    """The day a single date or moment line expects (None for series and errors)."""
    if line.expected.startswith(("ERROR", "RRULE")):
        return None
    return line.expected[:10]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=50, help="passes over all lines")
    args = parser.parse_args(argv)
    lines = read_lines(FILES)
    by_mode = readings()
    peer = dateparser_reader()

    start = time.perf_counter()
    warm_up()
    ours_warm_ms = (time.perf_counter() - start) * 1e3
    start = time.perf_counter()
    peer(Line("future", "morgen 15 Uhr", ""))
    peer_warm_ms = (time.perf_counter() - start) * 1e3

    our_samples: list[list[int]] = [[] for _ in lines]
    peer_samples: list[int] = []
    for _ in range(args.rounds):
        for index, line in enumerate(lines):
            our_samples[index].append(timed(lambda line=line: ours(line, by_mode)))  # type: ignore[misc]
            peer_samples.append(timed(lambda line=line: peer(line)))  # type: ignore[misc]
    flat = [sample for row in our_samples for sample in row]
    our_median, peer_median = percentile(flat, 0.5), percentile(peer_samples, 0.5)
    slowest = max(range(len(lines)), key=lambda index: statistics.median(our_samples[index]))

    singles = [line for line in lines if expected_day(line)]
    our_right = sum(ours(line, by_mode)[:10] == expected_day(line) for line in singles)
    peer_right = 0
    for line in singles:
        found = peer(line)
        peer_right += found is not None and found.date().isoformat() == expected_day(line)

    print(f"lines: {len(lines)} x {args.rounds} rounds = {len(flat)} reads each")
    print(f"warm-up (once): agbot {ours_warm_ms:.0f} ms, dateparser {peer_warm_ms:.0f} ms")
    for name, samples in (("agbot parse-when", flat), ("dateparser.parse", peer_samples)):
        median, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
        mean = statistics.fmean(samples) / 1e6
        print(f"{name} per line: median {median:.3f} ms, p99 {p99:.3f} ms, mean {mean:.3f} ms")
    print(f"median ratio dateparser / agbot: {peer_median / our_median:.1f}")
    slowest_ms = statistics.median(our_samples[slowest]) / 1e6
    print(f"slowest line (by its median): {lines[slowest].text!r}, {slowest_ms:.3f} ms")
    print(
        f"right day on the {len(singles)} single-date lines: agbot {our_right}, "
        f"dateparser {peer_right}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
