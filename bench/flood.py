"""Another chat stays responsive while one person floods the bot ([limits], issue 14).

The AG of ``bench.command_latency`` (10,000 persons, 1,001 members) is set up; then
``/mitglieder`` is timed in its chat three times in one run:

- quiet: nobody else writes;
- flood, limits on: a second person sends 200 commands a second in another chat (the
  default ``[limits] commands_per_minute``);
- flood, limits off: the same flood with the per-minute limit lifted, the bot without
  this protection (the peer the ratio is taken against).

Usage::

    .venv/bin/python -m bench.flood [--postgres URL] [--runs N] [--warmup N]

The flood runs as its own task on the same event loop as the measured calls, which is
how an adapter hands both to the router.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bench.command_latency import (
    CHAT,
    MEMBERS,
    START,
    Result,
    check_reply,
    fill,
    latency_arguments,
    on_every_backend,
)
from bot.app import App, create_app, freeze_startup_objects
from bot.config import Config
from bot.limits import Limits
from core.clock import AdjustableClock
from core.messages import ChatRef, Incoming, Sender
from handlers.shared.context import BotSettings

FLOOD_CHAT = ChatRef("console", "flood", is_private=False, title="flood")
FLOODER = Sender("console", "user2", "user2", username="user2")
FLOOD_LINE = "/aufgabe Flut"
# Commands per second of the flooding person; a messenger lets one person send about one.
FLOOD_RATE = 200.0


@dataclass
class Flood:
    sent: int = 0
    answered: int = 0


async def _flood(app: App, stop: asyncio.Event, counts: Flood, rate: float) -> None:
    """Commands at ``rate`` per second (far more than a messenger lets one person send),
    each handled as its own task, as an adapter hands updates to the router."""
    message = Incoming(FLOOD_CHAT, FLOODER, FLOOD_LINE)
    pending: set[asyncio.Task[None]] = set()

    async def one() -> None:
        if await app.router.handle(message) is not None:
            counts.answered += 1

    started = time.perf_counter()
    while not stop.is_set():
        counts.sent += 1
        task = asyncio.create_task(one())
        pending.add(task)
        task.add_done_callback(pending.discard)
        await asyncio.sleep(max(0.0, started + counts.sent / rate - time.perf_counter()))
    await asyncio.gather(*pending)


def _member_asking(call: int) -> Incoming:
    """``/mitglieder`` from one of the AG's members in turn: each asks at a person's pace."""
    number = 1 + call % MEMBERS
    sender = Sender("console", f"user{number}", f"user{number}", username=f"user{number}")
    return Incoming(CHAT, sender, "/mitglieder")


async def _measure(app: App, runs: int, warmup: int, members: int) -> list[int]:
    for call in range(warmup):
        await app.router.handle(_member_asking(call))
    samples: list[int] = []
    reply = None
    for call in range(runs):
        message = _member_asking(warmup + call)
        started = time.perf_counter_ns()
        reply = await app.router.handle(message)
        samples.append(time.perf_counter_ns() - started)
    check_reply("/mitglieder", reply, members)
    return samples


async def _scenario(
    url: str, runs: int, warmup: int, limits: Limits, flood: bool, *, first: bool
) -> tuple[list[int], Flood]:
    rate = FLOOD_RATE
    config = replace(
        Config(), database=replace(Config().database, url=url), bot=BotSettings(), limits=limits
    )
    app = await create_app(config, AdjustableClock(START))
    counts = Flood()
    try:
        if first:
            await fill(app.engine)
        members = MEMBERS + 1
        freeze_startup_objects()
        stop = asyncio.Event()
        flooding = asyncio.create_task(_flood(app, stop, counts, rate)) if flood else None
        try:
            samples = await _measure(app, runs, warmup, members)
        finally:
            stop.set()
            if flooding is not None:
                await flooding
        return samples, counts
    finally:
        await app.close()


FLOODS: dict[str, Flood] = {}
SCENARIOS = (
    ("quiet", Limits(), False),
    ("flood, limits on", Limits(), True),
    ("flood, limits off", replace(Limits(), commands_per_minute=10**9), True),
)


async def run_backend(backend: str, url: str, runs: int, warmup: int) -> list[Result]:
    """The three scenarios one after the other on one filled database."""
    results = []
    for index, (name, limits, flood) in enumerate(SCENARIOS):
        samples, counts = await _scenario(url, runs, warmup, limits, flood, first=index == 0)
        results.append(Result(backend, name, samples))
        FLOODS[f"{backend}/{name}"] = counts
    return results


def main(argv: Sequence[str] | None = None) -> None:
    args = latency_arguments(
        "python -m bench.flood",
        "p50/p99 of /mitglieder in one chat while another person floods the bot.",
        argv,
        runs=500,
        warmup=50,
    )
    results = asyncio.run(on_every_backend(run_backend, args.postgres, args.runs, args.warmup))
    print(f"{'backend':<10} {'scenario':<20} {'p50 ms':>8} {'p99 ms':>8}  flood sent/answered")
    for result in results:
        counts = FLOODS.get(f"{result.backend}/{result.command}", Flood())
        flood = f"{counts.sent}/{counts.answered}" if counts.sent else "–"
        print(
            f"{result.backend:<10} {result.command:<20} {result.percentile(0.5):>8.2f} "
            f"{result.percentile(0.99):>8.2f}  {flood}"
        )
    by_key = {(r.backend, r.command): r for r in results}
    for backend in sorted({r.backend for r in results}):
        quiet = by_key[(backend, "quiet")].percentile(0.99)
        on = by_key[(backend, "flood, limits on")].percentile(0.99)
        off = by_key[(backend, "flood, limits off")].percentile(0.99)
        print(
            f"{backend}: p99 under flood / quiet = {on / quiet:.2f} with limits, "
            f"{off / quiet:.2f} without"
        )


if __name__ == "__main__":
    main()
