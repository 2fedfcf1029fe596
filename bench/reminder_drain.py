"""How long three bot processes take to drain 1,000 due reminders into 50 Telegram groups
at Telegram's own limits (issue 15).

Usage::

    .venv/bin/python -m bench.reminder_drain --postgres URL [--processes 1 3] [--count 1000]
        [--groups 50]

For each process count: a fresh PostgreSQL database with ``count`` personal reminders, all
due, spread over ``groups`` Telegram supergroups; the local Bot API emulator
(``tests.telegram_emulator``) in this process, enforcing Telegram's flood limits for the one
bot token all processes share (30 sends a second per token, 20 a minute per group: a send
past them is answered 429); then ``processes`` worker processes, each the real app, its
dispatcher and a real ``TelegramAdapter`` (python-telegram-bot, the flood limiter, httpx)
pointed at the emulator, until nothing is due any more.

Reported: the drain time (the first accepted send to the last), the whole run from the
workers' start, the 429 answers Telegram would have given, and the reminders that arrived
twice or never. The bound is ``count / 30`` seconds: no number of processes may send
faster than the token's 30 a second.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert

from bench.command_latency import bench_config, create_postgres_database, drop_postgres_database
from bot.app import create_app
from bot.config import TELEGRAM_PER_SECOND, Config, TelegramConfig
from bot.telegram.adapter import TelegramAdapter
from core.clock import SystemClock
from storage.models import Reminder, ReminderKind, ReminderStatus
from tests.telegram_emulator import FloodLimits, TelegramEmulator


def _config(url: str, base_url: str, token: str, processes: int) -> Config:
    config = bench_config(url)
    return replace(
        config,
        database=replace(config.database, auto_upgrade=False),
        telegram=TelegramConfig(token=token, base_url=base_url, processes=processes),
    )


async def fill(url: str, count: int, groups: int) -> None:
    """Migrate the database and add ``count`` due reminders over ``groups`` supergroups."""
    app = await create_app(bench_config(url), SystemClock())
    now = datetime.now(UTC)
    due = now - timedelta(minutes=5)
    rows = [
        {
            "key": f"drain:{index}",
            "kind": ReminderKind.PERSONAL,
            "status": ReminderStatus.PENDING,
            "due_at": due,
            "next_attempt_at": due,
            "chat_platform": "telegram",
            "chat_id": str(-1_000_000_000_000 - index % groups),
            "offset_minutes": 0,
            "text": f"Erinnerung {index:04d}",
            "timezone": "Europe/Berlin",
            "created_at": now,
            "attempts": 0,
        }
        for index in range(count)
    ]
    try:
        async with app.engine.begin() as connection:
            await connection.execute(insert(Reminder), rows)
    finally:
        await app.close()


async def worker(url: str, base_url: str, token: str, processes: int) -> dict[str, int]:
    """One bot process: dispatch until nothing is due; what its adapter counted."""
    config = _config(url, base_url, token, processes)
    app = await create_app(config, SystemClock())
    assert config.telegram is not None
    adapter = TelegramAdapter(config.telegram, app.router)
    # Sending needs only the login (getMe), not polling.
    await adapter.application.initialize()
    app.router.add_notifier("telegram", adapter)
    try:
        while True:
            if await app.dispatcher.run_due() == 0:
                # Rows another process holds are waiting too: stop only when none is left.
                if await app.dispatcher.next_due() is None:
                    break
                await asyncio.sleep(0.2)
    finally:
        await adapter.application.shutdown()
        await app.close()
    stats = adapter.stats
    return {
        "sent": stats.sent,
        "retried": stats.retried,
        "failed": stats.failed,
        "unknown": stats.unknown,
    }


async def drain(server: str, processes: int, count: int, groups: int) -> dict[str, float]:
    url = await create_postgres_database(server)
    try:
        await fill(url, count, groups)
        async with TelegramEmulator(flood_limits=FloodLimits()) as tg:
            started = time.monotonic()
            workers = [
                await asyncio.create_subprocess_exec(
                    sys.executable,
                    "-m",
                    "bench.reminder_drain",
                    "worker",
                    "--db",
                    url,
                    "--base-url",
                    tg.base_url,
                    "--token",
                    tg.token,
                    "--processes",
                    str(processes),
                    stdout=asyncio.subprocess.PIPE,
                    env={**os.environ, "PYTHONPATH": os.getcwd()},
                )
                for _ in range(processes)
            ]
            outputs = [await process.communicate() for process in workers]
            finished = time.monotonic()
            calls = tg.calls_of("sendMessage", include_failed=True)
    finally:
        await drop_postgres_database(server, url)
    for process in workers:
        assert process.returncode == 0, f"a worker ended with {process.returncode}"
    stats = Counter[str]()
    for stdout, _ in outputs:
        stats.update(json.loads(stdout.decode().strip().splitlines()[-1]))
    accepted = [call for call in calls if call.ok]
    arrived = Counter(str(call.params["text"]) for call in accepted)
    return {
        "processes": processes,
        "drain_s": accepted[-1].at - accepted[0].at,
        "run_s": finished - started,
        "bound_s": count / TELEGRAM_PER_SECOND,
        "accepted": len(accepted),
        "answered_429": sum(1 for call in calls if call.status == 429),
        "duplicates": sum(n - 1 for n in arrived.values()),
        "lost": count - len(arrived),
        "adapter_failed": stats["failed"],
        "adapter_unknown": stats["unknown"],
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reminder_drain")
    parser.add_argument("mode", nargs="?", default="bench", choices=["bench", "worker"])
    parser.add_argument("--postgres", metavar="URL", help="the PostgreSQL server to measure on")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--groups", type=int, default=50)
    parser.add_argument("--db", help="(worker) the database URL")
    parser.add_argument("--base-url", help="(worker) the emulator's Bot API URL")
    parser.add_argument("--token", help="(worker) the bot token")
    args = parser.parse_args(argv)
    if args.mode == "worker":
        result = asyncio.run(worker(args.db, args.base_url, args.token, args.processes[0]))
        print(json.dumps(result))
        return
    if not args.postgres:
        parser.error("--postgres URL is needed: several processes need a shared database")
    for processes in args.processes:
        figures = asyncio.run(drain(args.postgres, processes, args.count, args.groups))
        print(", ".join(f"{key} {value:g}" for key, value in figures.items()), flush=True)


if __name__ == "__main__":
    main()
