"""Reminder engine figures (issue 7): lateness, dispatch throughput, start-up with 1,000,000 rows.

Usage::

    .venv/bin/python -m bench.reminders lateness   [--postgres URL] [--count 1000] [--seconds 60]
    .venv/bin/python -m bench.reminders throughput [--postgres URL] [--count 20000] [--chats 50]
    .venv/bin/python -m bench.reminders startup    [--postgres URL] [--rows 1000000]

- **lateness**: ``count`` reminders due evenly over ``seconds`` (starting 5 s after
  start-up), the real engine (APScheduler wake-ups, the system clock) sending into a
  recording messenger; lateness is the time it was handed to the messenger minus its
  due time. Target: p99 under 1 s.
- **throughput**: ``count`` reminders, all due, spread over ``chats`` chats; one
  ``Dispatcher.run_due()`` into a messenger that costs nothing. Target: at least 2,000
  reminders/s on SQLite.
- **startup**: a database with ``rows`` pending reminders (due within the next year);
  a fresh process runs ``create_app`` and ``ReminderEngine.start()`` (planning, the
  catch-up pass, arming the wake-up) and reports that time, the whole process's time
  (interpreter and imports included) and its peak resident memory. Targets: under 2 s,
  under 150 MB.

All reminders are personal reminders for a chat ("/erinnere hier"): the renderer's
cheapest kind, so the figures are the engine's own cost.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from bench.command_latency import bench_config, create_postgres_database, drop_postgres_database
from bot.app import App, create_app, freeze_startup_objects
from bot.config import Config
from core.clock import SystemClock
from core.messages import ChatRef, Reply
from storage.models import Reminder, ReminderKind, ReminderStatus


class RecordingMessenger:
    """Takes every message at once and notes when it arrived."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}

    async def send(self, chat: ChatRef, reply: Reply, *, key: str | None = None) -> str | None:
        assert key is not None
        self.sent[key] = time.time()
        return key

    async def send_private(
        self, account_id: str, reply: Reply, *, key: str | None = None
    ) -> str | None:
        return await self.send(ChatRef("console", account_id, True), reply, key=key)


def _config(url: str) -> Config:
    return bench_config(url)


def _rows(count: int, first_due: datetime, spread: timedelta, chats: int, start: int = 0):  # type: ignore[no-untyped-def]
    now = datetime.now(UTC)
    for index in range(start, start + count):
        due = first_due + spread * (index - start) / max(count, 1)
        yield {
            "key": f"bench:{index}",
            "kind": ReminderKind.PERSONAL,
            "status": ReminderStatus.PENDING,
            "due_at": due,
            "next_attempt_at": due,
            "chat_platform": "console",
            "chat_id": f"ag-{index % chats}",
            "offset_minutes": 0,
            "text": f"Erinnerung {index}",
            "timezone": "Europe/Berlin",
            "created_at": now,
            "attempts": 0,
        }


async def _insert(app: App, rows, batch: int = 20_000) -> None:  # type: ignore[no-untyped-def]
    chunk: list[dict[str, object]] = []
    async with app.engine.begin() as connection:
        for row in rows:
            chunk.append(row)
            if len(chunk) == batch:
                await connection.execute(insert(Reminder), chunk)
                chunk = []
        if chunk:
            await connection.execute(insert(Reminder), chunk)
    async with app.engine.connect() as connection:
        if app.engine.dialect.name == "postgresql":
            await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("ANALYZE"))
        await connection.commit()


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered), max(1, math.ceil(fraction * len(ordered)))) - 1]


async def lateness(url: str, count: int, seconds: float) -> dict[str, float]:
    app = await create_app(_config(url), SystemClock())
    messenger = RecordingMessenger()
    app.router.add_notifier("console", messenger)
    try:
        first = datetime.now(UTC) + timedelta(seconds=5)
        rows = list(_rows(count, first, timedelta(seconds=seconds), 50))
        due = {str(row["key"]): row["due_at"].timestamp() for row in rows}
        await _insert(app, rows)
        freeze_startup_objects()
        await app.reminders.start()
        app.reminders.poke()
        deadline = time.time() + seconds + 30
        while len(messenger.sent) < count and time.time() < deadline:
            await asyncio.sleep(0.2)
    finally:
        await app.close()
    late = [messenger.sent[key] - due[key] for key in messenger.sent]
    return {
        "sent": len(late),
        "early": sum(1 for value in late if value < 0),
        "p50_ms": _percentile(late, 0.5) * 1000,
        "p99_ms": _percentile(late, 0.99) * 1000,
        "max_ms": max(late) * 1000,
    }


async def throughput(url: str, count: int, chats: int) -> dict[str, float]:
    app = await create_app(_config(url), SystemClock())
    messenger = RecordingMessenger()
    app.router.add_notifier("console", messenger)
    try:
        due = datetime.now(UTC) - timedelta(minutes=1)
        await _insert(app, _rows(count, due, timedelta(0), chats))
        freeze_startup_objects()
        started = time.perf_counter()
        handled = await app.dispatcher.run_due()
        elapsed = time.perf_counter() - started
    finally:
        await app.close()
    assert handled == count == len(messenger.sent), (handled, len(messenger.sent))
    return {"sent": len(messenger.sent), "seconds": elapsed, "per_second": count / elapsed}


async def fill_for_startup(url: str, rows: int) -> None:
    app = await create_app(_config(url), SystemClock())
    try:
        first = datetime.now(UTC) + timedelta(hours=1)
        await _insert(app, _rows(rows, first, timedelta(days=365), 500))
    finally:
        await app.close()


async def startup_child(url: str) -> dict[str, float]:
    """Run in a fresh process: start-up time and peak memory with the filled database."""
    started = time.perf_counter()
    app = await create_app(_config(url), SystemClock())
    app.router.add_notifier("console", RecordingMessenger())
    await app.reminders.start()
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    async with app.sessions() as session:
        pending = await session.scalar(
            text("SELECT count(*) FROM reminders WHERE status = 'pending'")
        )
    await app.close()
    return {"seconds": elapsed, "peak_rss_mb": peak_kb / 1024, "pending_rows": float(pending or 0)}


def _startup(url: str, rows: int) -> dict[str, float]:
    asyncio.run(fill_for_startup(url, rows))
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bench.reminders", "startup-child", "--db", url],
        capture_output=True,
        text=True,
        check=True,
    )
    # The whole process: interpreter, imports, start-up, one count, shutdown.
    process_seconds = time.perf_counter() - started
    return {
        **json.loads(result.stdout.strip().splitlines()[-1]),
        "process_seconds": process_seconds,
    }


def _backends(postgres: str | None):  # type: ignore[no-untyped-def]
    directory = tempfile.mkdtemp(prefix="agbot_bench_")
    yield "sqlite", f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}", None
    if postgres:
        yield "postgres", asyncio.run(create_postgres_database(postgres)), postgres


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reminders")
    parser.add_argument("figure", choices=["lateness", "throughput", "startup", "startup-child"])
    parser.add_argument("--postgres", metavar="URL", help="also measure on this PostgreSQL server")
    parser.add_argument("--db", help="(startup-child) the database URL")
    parser.add_argument("--count", type=int, help="reminders (lateness 1000, throughput 20000)")
    parser.add_argument("--seconds", type=float, default=60, help="lateness: spread over this")
    parser.add_argument("--chats", type=int, default=50, help="throughput: chats to send to")
    parser.add_argument("--rows", type=int, default=1_000_000, help="startup: pending rows")
    args = parser.parse_args(argv)
    if args.figure == "startup-child":
        print(json.dumps(asyncio.run(startup_child(args.db))))
        return
    for backend, url, server in _backends(args.postgres):
        try:
            if args.figure == "lateness":
                result = asyncio.run(lateness(url, args.count or 1000, args.seconds))
            elif args.figure == "throughput":
                result = asyncio.run(throughput(url, args.count or 20_000, args.chats))
            else:
                result = _startup(url, args.rows)
        finally:
            if server:
                asyncio.run(drop_postgres_database(server, url))
        figures = ", ".join(f"{key} {value:.1f}" for key, value in result.items())
        print(f"{args.figure} {backend}: {figures}")


if __name__ == "__main__":
    main()
