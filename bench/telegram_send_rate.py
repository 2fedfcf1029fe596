"""How fast the Telegram adapter gets replies out, and whether the flood limits hold (issue 3).

Starts the local Bot API emulator (``tests.telegram_emulator``, on 127.0.0.1 in
this process and event loop) and a real ``TelegramAdapter`` with a router from
``create_app`` on a temporary SQLite database, then sends one-line replies with
``await adapter.deliver(chat_id, reply)``: rendering, python-telegram-bot's
``Bot.send_message``, the rate limiter, httpx and HTTP/1.1 to the emulator.

Usage::

    .venv/bin/python -m bench.telegram_send_rate [--messages N] [--chats N] [--group-messages N]

Measurements:

1. **Limiter off** (adapter overhead): ``FloodLimiter`` with every rate 0,
   which disables each limit (``AIORateLimiter`` skips a zero rate; the
   per-private-chat limit does as well). First ``--sequential`` messages one
   after another to one chat (the round trip of a single send), then
   ``--messages`` spread over ``--chats`` private chats, the chats concurrently
   and each chat's messages in order.
2. **Limiter on** with the production defaults (``FloodLimiter()``: 30 messages
   a second overall, 20 a minute per group, 1 a second per private chat):
   ``--limited-messages`` over ``--chats`` private chats concurrently,
   ``--private-messages`` to one private chat, two messages to one private chat
   queued behind 59 others (its first one has to wait for the overall limit),
   and ``--group-messages`` to one supergroup concurrently. The limits
   are checked on the times the emulator recorded (``Call.at``): the most calls
   in any 1-second window overall and per private chat, and in any 60-second
   window for the group (allowing 10 ms of arrival jitter, see ``JITTER``).

Every measurement also checks that nothing was lost: the emulator recorded
exactly the messages sent, all answered 200, and the adapter neither gave up on
nor retried any. Results go to docs/PERFORMANCE.md, not to the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import math
import platform
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

from bench.command_latency import bench_config
from bot.app import App, create_app, freeze_startup_objects
from bot.config import TelegramConfig
from bot.telegram.adapter import TelegramAdapter
from bot.telegram.ratelimit import FloodLimiter
from core.clock import AdjustableClock
from core.messages import Reply, Span
from tests.telegram_emulator import Call, TelegramEmulator

# The same fixed moment as the tests' bot; the clock does not move during a run.
START = datetime(2026, 3, 25, 9, 15, tzinfo=UTC)
FIRST_USER = 700_001  # private chats FIRST_USER … FIRST_USER + chats - 1
QUEUE_OFFSET = 100_000  # the chats ahead of QUEUED_CHAT: FIRST_USER + QUEUE_OFFSET + …
SINGLE_CHAT = 600_001  # the chat for the sequential and the one-private-chat runs
QUEUED_CHAT = 600_002  # the private chat whose first message waits behind QUEUE_AHEAD others
QUEUE_AHEAD = 59  # with 30 a second and a burst of 30, the 60th message waits about 1 s
GROUP = -1_009_000_000_001  # a supergroup
WARMUP = 20  # unmeasured sends before the first measurement (connection set-up, imports)
# Production defaults of FloodLimiter, the limits it promises.
OVERALL_PER_SECOND = 30
GROUP_PER_MINUTE = 20
PRIVATE_PER_SECOND = 1
# Arrival times at the emulator scatter by a few milliseconds around the moment the limiter
# released a send; a limit counts as held when it holds in a window this much shorter.
JITTER = 0.010


@dataclass(frozen=True)
class Run:
    """One measured batch: the emulator's records of it and the latency of each deliver."""

    name: str
    calls: list[Call]
    latencies: list[float]  # seconds per ``deliver`` call
    wall: float  # seconds from the first deliver call to the last one returning

    @property
    def times(self) -> list[float]:
        return sorted(call.at for call in self.calls)

    @property
    def span(self) -> float:
        """Seconds from the first to the last recorded sendMessage."""
        times = self.times
        return times[-1] - times[0] if len(times) > 1 else 0.0

    @property
    def rate(self) -> float:
        """Messages per second between the first and the last recorded sendMessage."""
        return (len(self.calls) - 1) / self.span if self.span > 0 else math.inf

    def latency_ms(self, fraction: float | None = None) -> float:
        """Mean latency (``fraction`` None) or the nearest-rank percentile, in milliseconds."""
        if fraction is None:
            return statistics.fmean(self.latencies) * 1e3
        ordered = sorted(self.latencies)
        rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
        return ordered[rank - 1] * 1e3

    def per_chat(self) -> dict[int, list[float]]:
        chats: dict[int, list[float]] = defaultdict(list)
        for call in self.calls:
            chats[int(call.params["chat_id"])].append(call.at)
        return chats


def max_in_window(times: Sequence[float], window: float) -> int:
    """The most of ``times`` inside any half-open interval ``[t, t + window)``."""
    ordered = sorted(times)
    best = start = 0
    for end, moment in enumerate(ordered):
        while moment - ordered[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def min_gap(times: Sequence[float]) -> float:
    ordered = sorted(times)
    return min((b - a for a, b in itertools.pairwise(ordered)), default=math.inf)


def one_line(number: int) -> Reply:
    return Reply(lines=((Span(f"Erinnerung {number}: Treffen der AG morgen um 18 Uhr"),),))


def spread(messages: int, chats: Sequence[int]) -> dict[int, int]:
    """``messages`` spread as evenly as possible over ``chats``."""
    base, extra = divmod(messages, len(chats))
    return {chat: base + (1 if index < extra else 0) for index, chat in enumerate(chats)}


async def measure(
    name: str,
    tg: TelegramEmulator,
    adapter: TelegramAdapter,
    plan: dict[int, int],
    *,
    concurrent_in_chat: bool = False,
) -> Run:
    """Send ``plan[chat]`` one-line replies to each chat, all chats at once; check delivery.

    Each chat's messages go one after another, unless ``concurrent_in_chat``.
    """
    first_call = len(tg.calls)
    sent_before, retried_before, failed_before = (
        adapter.stats.sent,
        adapter.stats.retried,
        adapter.stats.failed,
    )
    latencies: list[float] = []

    async def send_one(chat: int, number: int) -> None:
        started = time.perf_counter()
        ids = await adapter.deliver(chat, one_line(number))
        latencies.append(time.perf_counter() - started)
        assert len(ids) == 1, f"{name}: message {number} to {chat} returned {ids}"

    async def send_in_order(chat: int, count: int) -> None:
        for number in range(count):
            await send_one(chat, number)

    if concurrent_in_chat:
        jobs = [send_one(chat, n) for chat, count in plan.items() for n in range(count)]
    else:
        jobs = [send_in_order(chat, count) for chat, count in plan.items()]
    started = time.perf_counter()
    await asyncio.gather(*jobs)
    wall = time.perf_counter() - started

    calls = [c for c in tg.calls[first_call:] if c.method == "sendMessage"]
    expected = sum(plan.values())
    received = Counter(int(c.params["chat_id"]) for c in calls)
    failures = [c for c in calls if c.status != 200]
    assert len(calls) == expected, f"{name}: emulator recorded {len(calls)} of {expected}"
    assert received == Counter({chat: n for chat, n in plan.items() if n}), f"{name}: wrong chats"
    assert not failures, f"{name}: {len(failures)} calls not answered 200: {failures[0]}"
    assert adapter.stats.sent - sent_before == expected, f"{name}: adapter counted otherwise"
    assert adapter.stats.failed == failed_before, f"{name}: the adapter gave up on a message"
    assert adapter.stats.retried == retried_before, f"{name}: the adapter had to retry"
    return Run(name, calls, latencies, wall)


async def start_adapter(tg: TelegramEmulator, app: App, limiter: FloodLimiter) -> TelegramAdapter:
    config = TelegramConfig(token=tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url)
    adapter = TelegramAdapter(config, app.router, rate_limiter=limiter, poll_timeout=1)
    await adapter.start()
    return adapter


@dataclass(frozen=True)
class Check:
    """One flood limit and the emulator's arrival times of the messages it governs."""

    limit: str
    figures: str
    series: list[list[float]]  # one list of arrival times per chat (or one for all)
    window: float  # seconds
    allowed: int  # messages per window

    @property
    def most(self) -> int:
        """The most messages of one series in any window of the limit's length."""
        return max(max_in_window(times, self.window) for times in self.series)

    @property
    def most_with_jitter(self) -> int:
        """The same in a window ``JITTER`` shorter: what the limiter let through, give or take
        the few milliseconds by which HTTP delivery can bunch two sends at the emulator."""
        return max(max_in_window(times, self.window - JITTER) for times in self.series)

    @property
    def held(self) -> bool:
        return self.most_with_jitter <= self.allowed

    @property
    def verdict(self) -> str:
        if self.most <= self.allowed:
            return "held"
        if self.held:
            return f"held, {self.most} only by jitter"
        return "NOT HELD"


def print_throughput(runs: Sequence[Run]) -> None:
    header = (
        f"{'run':<34} {'msgs':>6} {'msg/s':>8} {'wall s':>7} "
        f"{'mean ms':>8} {'p50 ms':>7} {'p99 ms':>7}"
    )
    print(header)
    print("-" * len(header))
    for run in runs:
        print(
            f"{run.name:<34} {len(run.calls):>6} {run.rate:>8.1f} {run.wall:>7.2f} "
            f"{run.latency_ms():>8.2f} {run.latency_ms(0.5):>7.2f} {run.latency_ms(0.99):>7.2f}"
        )


async def limiter_off(
    tg: TelegramEmulator, app: App, sequential: int, messages: int, chats: Sequence[int]
) -> None:
    limiter = FloodLimiter(overall_per_second=0, group_per_minute=0, private_per_second=0)
    adapter = await start_adapter(tg, app, limiter)
    try:
        freeze_startup_objects()  # as agbot run does after start-up
        await measure("warm-up", tg, adapter, {SINGLE_CHAT: WARMUP})
        runs = [
            await measure("sequential, 1 chat", tg, adapter, {SINGLE_CHAT: sequential}),
            await measure(f"concurrent, {len(chats)} chats", tg, adapter, spread(messages, chats)),
        ]
    finally:
        await adapter.stop()
    print("\n1. Limiter off (adapter overhead through PTB's HTTP stack)")
    print_throughput(runs)
    print("   msg/s: first to last sendMessage the emulator recorded; latency: per deliver()")
    print("   all delivered: yes (count, chats, status 200, no retries, stats.failed == 0)")


async def limiter_on(
    tg: TelegramEmulator,
    app: App,
    limited: int,
    private: int,
    group: int,
    chats: Sequence[int],
) -> bool:
    limiter = FloodLimiter()
    adapter = await start_adapter(tg, app, limiter)
    try:
        overall = await measure(f"{len(chats)} private chats", tg, adapter, spread(limited, chats))
        await asyncio.sleep(1.5)  # let the overall bucket drain before the next run
        single = await measure("1 private chat", tg, adapter, {SINGLE_CHAT: private})
        await asyncio.sleep(1.5)
        ahead = {FIRST_USER + QUEUE_OFFSET + index: 1 for index in range(QUEUE_AHEAD)}
        queued = await measure(
            f"1 private chat behind {QUEUE_AHEAD}", tg, adapter, {**ahead, QUEUED_CHAT: 2}
        )
        await asyncio.sleep(1.5)
        grouped = await measure(
            "1 supergroup", tg, adapter, {GROUP: group}, concurrent_in_chat=True
        )
    finally:
        await adapter.stop()

    per_chat = overall.per_chat().values()
    checks = [
        Check(
            f"overall <= {OVERALL_PER_SECOND} in any 1 s",
            f"{len(overall.calls)} msgs to {len(chats)} chats, {overall.rate:.1f} msg/s "
            f"first to last, {overall.span:.2f} s",
            [overall.times],
            1.0,
            OVERALL_PER_SECOND,
        ),
        Check(
            f"per private chat <= {PRIVATE_PER_SECOND} in any 1 s",
            f"same run, each chat; min gap {min(min_gap(t) for t in per_chat):.3f} s",
            list(per_chat),
            1.0,
            PRIVATE_PER_SECOND,
        ),
        Check(
            f"per private chat <= {PRIVATE_PER_SECOND} in any 1 s",
            f"{len(single.calls)} msgs to 1 chat, min gap {min_gap(single.times):.3f} s, "
            f"{single.span:.2f} s",
            [single.times],
            1.0,
            PRIVATE_PER_SECOND,
        ),
        Check(
            f"per private chat <= {PRIVATE_PER_SECOND} in any 1 s",
            f"2 msgs to 1 chat, 1st behind {QUEUE_AHEAD} others; gap "
            f"{min_gap(queued.per_chat()[QUEUED_CHAT]):.3f} s",
            [queued.per_chat()[QUEUED_CHAT]],
            1.0,
            PRIVATE_PER_SECOND,
        ),
        Check(
            f"per group <= {GROUP_PER_MINUTE} in any 60 s",
            f"{len(grouped.calls)} msgs to 1 supergroup, all within {grouped.span:.2f} s",
            [grouped.times],
            60.0,
            GROUP_PER_MINUTE,
        ),
    ]
    print(f"\n2. Limiter on, production defaults ({type(limiter).__name__}())")
    header = f"   {'limit':<34} {'max':>4}  {'measured':<64} verdict"
    print(header)
    print("   " + "-" * (len(header) - 3))
    for check in checks:
        print(f"   {check.limit:<34} {check.most:>4}  {check.figures:<64} {check.verdict}")
    print(f"   max: most messages in any window; verdict allows {JITTER * 1e3:.0f} ms of jitter")
    print("   all delivered: yes (count, chats, status 200, no retries, stats.failed == 0)")
    return all(check.held for check in checks)


async def main_async(args: argparse.Namespace) -> bool:
    chats = [FIRST_USER + index for index in range(args.chats)]
    with tempfile.TemporaryDirectory(prefix="agbot_bench_") as directory:
        url = f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        config = bench_config(url)
        app = await create_app(config, AdjustableClock(START))
        try:
            async with TelegramEmulator() as tg:
                ahead = [FIRST_USER + QUEUE_OFFSET + index for index in range(QUEUE_AHEAD)]
                for chat in [SINGLE_CHAT, QUEUED_CHAT, *chats, *ahead]:
                    tg.add_user(chat, f"Bench {chat}")
                    tg.add_chat(chat, "private")
                tg.add_chat(GROUP, "supergroup", title="AG Bench")
                await limiter_off(tg, app, args.sequential, args.messages, chats)
                return await limiter_on(
                    tg,
                    app,
                    args.limited_messages,
                    args.private_messages,
                    args.group_messages,
                    chats,
                )
        finally:
            await app.close()


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.telegram_send_rate",
        description="Send rate of TelegramAdapter.deliver against the local Bot API emulator, "
        "with the flood limiter off and with its production limits.",
    )
    parser.add_argument(
        "--messages", type=int, default=2000, help="messages with the limiter off (concurrent)"
    )
    parser.add_argument("--chats", type=int, default=100, help="private chats to spread over")
    parser.add_argument(
        "--sequential", type=int, default=500, help="messages one after another, limiter off"
    )
    parser.add_argument(
        "--limited-messages", type=int, default=300, help="messages over --chats, limiter on"
    )
    parser.add_argument(
        "--private-messages", type=int, default=10, help="messages to one private chat, limiter on"
    )
    parser.add_argument(
        "--group-messages", type=int, default=25, help="messages to one supergroup, limiter on"
    )
    args = parser.parse_args(argv)
    counts = (args.messages, args.chats, args.sequential, args.limited_messages)
    if min(counts) < 1 or min(args.private_messages, args.group_messages) < 2:
        parser.error("counts must be at least 1, --private/--group-messages at least 2")
    return args


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    print(
        f"Python {platform.python_version()}, python-telegram-bot {version('python-telegram-bot')}"
        f", httpx {version('httpx')}, aiolimiter {version('aiolimiter')}; emulator in-process"
    )
    held = asyncio.run(main_async(args))
    print(f"\nlimits held: {'all' if held else 'NO, see NOT HELD above'}")


if __name__ == "__main__":
    main()
