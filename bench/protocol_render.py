"""Render time of the protocol documents (issue 9; target: PDF + DOCX + Markdown under 1 s).

The protocol is the one the document tests read back (``tests/protocol_samples.py``): 40
TOPs plus the notes before the first, 100 entries (a third each information, decision and
action item, so 33 action items in the table and again by person), one of them 3,000
characters long, German names with umlauts, ß, € and „…". Each run renders it as PDF,
DOCX and Markdown, one after another in one process, each timed with
``time.perf_counter_ns``; a run's total is the sum of the three. Unmeasured warm-up runs
come first (imports, the translation catalog, the font files in the page cache).

Usage::

    .venv/bin/python -m bench.protocol_render [--runs N] [--warmup N] [--language de|en]

Results go to docs/PERFORMANCE.md, not to the test suite.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence

from bench.command_latency import Result
from core.i18n import Translator
from documents.protocol import Protocol
from documents.protocol_docx import render_docx
from documents.protocol_markdown import render_markdown
from documents.protocol_pdf import render_pdf
from tests.protocol_samples import rich_protocol

TOPICS = 40
ENTRIES = 100
TARGET_MS = 1_000.0
Renderer = Callable[[Protocol, Translator], bytes | str]
RENDERERS: tuple[tuple[str, Renderer], ...] = (
    ("PDF", render_pdf),
    ("DOCX", render_docx),
    ("Markdown", render_markdown),
)


def render_all(protocol: Protocol, translator: Translator) -> tuple[list[int], list[int]]:
    """Nanoseconds and output sizes in bytes of each format, in the order of RENDERERS."""
    times: list[int] = []
    sizes: list[int] = []
    for _name, render in RENDERERS:
        start = time.perf_counter_ns()
        output = render(protocol, translator)
        times.append(time.perf_counter_ns() - start)
        sizes.append(len(output.encode() if isinstance(output, str) else output))
    return times, sizes


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench.protocol_render", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--runs", type=int, default=20, help="measured runs")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured runs first")
    parser.add_argument("--language", choices=("de", "en"), default="de")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup not negative")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    protocol = rich_protocol(args.language, topics=TOPICS, entries=ENTRIES)
    translator = Translator(args.language)
    for _ in range(args.warmup):
        render_all(protocol, translator)

    per_format: list[list[int]] = [[] for _ in RENDERERS]
    totals: list[int] = []
    sizes: list[int] = []
    for _ in range(args.runs):
        times, sizes = render_all(protocol, translator)
        for samples, sample in zip(per_format, times, strict=True):
            samples.append(sample)
        totals.append(sum(times))

    entries = sum(len(topic.entries) for topic in protocol.topics)
    print(
        f"protocol: {len(protocol.topics) - 1} TOPs, {entries} entries, "
        f"{len(protocol.action_items)} action items, language {args.language}; "
        f"{args.runs} runs after {args.warmup} warm-up runs"
    )
    header = f"{'format':<10} {'p50 ms':>8} {'max ms':>8} {'size':>10}"
    print(header)
    print("-" * len(header))
    rows = [(name, samples) for (name, _render), samples in zip(RENDERERS, per_format, strict=True)]
    for (name, samples), size in zip([*rows, ("total", totals)], [*sizes, sum(sizes)], strict=True):
        result = Result(args.language, name, samples)
        print(f"{name:<10} {result.percentile(0.5):>8.1f} {max(samples) / 1e6:>8.1f} {size:>10,}")
    worst_ms = max(totals) / 1e6
    verdict = "met" if worst_ms < TARGET_MS else "missed"
    print(f"target: every run under {TARGET_MS:.0f} ms: {verdict} (slowest run {worst_ms:.0f} ms)")
    return 0 if worst_ms < TARGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
