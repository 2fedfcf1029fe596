"""Parse time of time expressions after warm-up (issue 5; target: median under 2 ms).

Every expression of ``../shared/dates/examples.tsv`` (errors included) is parsed
with its own ``prefer`` and the file's ``now`` (2026-03-25T10:15 Europe/Berlin), in
rounds, each call timed with ``time.perf_counter_ns`` around ``parse_when`` (and
``result_line`` for successful parses, as ``agbot parse-when`` does). Before the
rounds, :func:`core.when.warm_up` runs once and its duration is reported; that is the
cost the bot pays at start-up instead of on a user's first command.

Usage::

    .venv/bin/python -m bench.when_parse [--rounds N] [--examples PATH]

Results go to the docs, not to the test suite.
"""

from __future__ import annotations

import argparse
import contextlib
import math
import statistics
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from core.when import Prefer, WhenError, parse_when, result_line, warm_up

EXAMPLES = Path(__file__).resolve().parents[2] / "shared" / "dates" / "examples.tsv"
ZONE = "Europe/Berlin"
NOW = datetime(2026, 3, 25, 10, 15, tzinfo=ZoneInfo(ZONE))


def read_examples(path: Path) -> list[tuple[Prefer, str]]:
    """(prefer, expression) for every line of the examples file."""
    rows: list[tuple[Prefer, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        prefer, text, _expected = line.split("\t")
        rows.append(("past" if prefer == "past" else "future", text))
    return rows


def percentile(samples: Sequence[int], fraction: float) -> float:
    """Nearest-rank percentile in milliseconds."""
    ordered = sorted(samples)
    rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
    return ordered[rank - 1] / 1e6


def parse_once(prefer: Prefer, text: str) -> int:
    """Nanoseconds for one expression."""
    start = time.perf_counter_ns()
    with contextlib.suppress(WhenError):
        result_line(parse_when(text, NOW, ZONE, prefer))
    return time.perf_counter_ns() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=200, help="passes over all examples")
    parser.add_argument("--examples", type=Path, default=EXAMPLES)
    args = parser.parse_args(argv)
    rows = read_examples(args.examples)

    start = time.perf_counter()
    warm_up()
    warm_up_ms = (time.perf_counter() - start) * 1e3

    by_row: list[list[int]] = [[] for _ in rows]
    for _ in range(args.rounds):
        for index, (prefer, text) in enumerate(rows):
            by_row[index].append(parse_once(prefer, text))
    samples = [sample for row_samples in by_row for sample in row_samples]
    slowest_index = max(range(len(rows)), key=lambda index: statistics.median(by_row[index]))
    slowest = rows[slowest_index]
    print(f"expressions: {len(rows)} x {args.rounds} rounds = {len(samples)} parses")
    print(f"warm-up (once, at start-up): {warm_up_ms:.0f} ms")
    print(
        f"parse time per expression: median {percentile(samples, 0.5):.3f} ms, "
        f"p99 {percentile(samples, 0.99):.3f} ms, mean {statistics.fmean(samples) / 1e6:.3f} ms, "
        f"max {max(samples) / 1e6:.3f} ms"
    )
    slowest_ms = statistics.median(by_row[slowest_index]) / 1e6
    print(f"slowest expression (by its median): {slowest[1]!r}, {slowest_ms:.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
