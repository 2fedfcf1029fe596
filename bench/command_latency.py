"""In-process command latency through the real router (issue 2).

Measures how long ``Router.handle`` takes for ``/mitglieder`` and ``/hilfe``
sent in a group chat that is bound to an AG with 1,000 members, in a
database holding 10,000 persons. SQLite (a temporary file) is always
measured; PostgreSQL as well when ``--postgres URL`` names a server, on
which a fresh database ``agbot_bench_<random>`` is created and dropped
afterwards. The target is a p99 under 5 ms.

Usage::

    .venv/bin/python -m bench.command_latency [--postgres URL] [--runs N] [--warmup N]

Each call is timed with ``time.perf_counter_ns`` around
``await app.router.handle(...)``: parsing, the transaction, the sender,
AG and role lookups, the handler and building the reply, but no adapter
rendering and no network. Results go to the docs, not to the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy import insert, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import App, create_app, freeze_startup_objects
from bot.config import Config
from core.clock import AdjustableClock
from core.messages import ChatRef, Incoming, Reply, Sender
from handlers.groups.commands import MEMBERS_PER_PAGE
from handlers.shared.context import BotSettings
from storage.models import Account, ChatBinding, Membership, Person, Role, WorkingGroup

PERSONS = 10_000
MEMBERS = 1_000
GROUP_NAME = "AG Bench"
CHAT = ChatRef("console", "bench", is_private=False, title="bench")
SENDER = Sender("console", "user1", "user1", username="user1")
# The same fixed moment as the tests' console bot; the clock does not move during a run.
START = datetime(2026, 3, 25, 9, 15, tzinfo=UTC)
COMMANDS = ("/mitglieder", "/hilfe")


def bench_config(url: str) -> Config:
    """The defaults on database ``url``, with the per-minute command limit lifted.

    One scripted sender issues thousands of commands a minute; what a benchmark measures
    is the cost of a command, which the limit does not change (bench/flood.py measures the
    limit itself).
    """
    config = Config()
    return replace(
        config,
        database=replace(config.database, url=url),
        bot=BotSettings(),
        limits=replace(config.limits, commands_per_minute=10**9),
    )


@dataclass(frozen=True)
class Result:
    """The latencies of one command on one backend, in nanoseconds."""

    backend: str
    command: str
    samples: list[int]

    def percentile(self, fraction: float) -> float:
        """Nearest-rank percentile in milliseconds."""
        ordered = sorted(self.samples)
        rank = min(len(ordered), max(1, math.ceil(fraction * len(ordered))))
        return ordered[rank - 1] / 1e6

    @property
    def mean_ms(self) -> float:
        return statistics.fmean(self.samples) / 1e6


def console_people(ids: range) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Rows of persons ``User i`` with one console account ``useri`` each (both with id i)."""
    persons = [
        {"id": i, "display_name": f"User {i}", "sort_name": f"user {i}", "created_at": START}
        for i in ids
    ]
    accounts = [
        {
            "id": i,
            "person_id": i,
            "platform": "console",
            "account_id": f"user{i}",
            "username": f"user{i}",
            "username_key": f"user{i}",
            "display_name": f"user{i}",
            "last_seen_at": START,
        }
        for i in ids
    ]
    return persons, accounts


async def finish_fill(engine: AsyncEngine, tables: Sequence[str]) -> None:
    """After bulk inserts with explicit ids: move PostgreSQL's sequences on, then ANALYZE."""
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            for table in tables:
                await connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    async with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            await connection.execution_options(isolation_level="AUTOCOMMIT")
        await connection.execute(text("ANALYZE"))
        await connection.commit()


async def timed_calls(
    app: App, message: Incoming, runs: int, warmup: int, check: Callable[[Reply], None]
) -> list[int]:
    """Latency samples of ``runs`` calls after ``warmup`` unmeasured ones; ``check`` sees the
    first and the last reply, so an error reply (fast, too) is never measured by mistake."""
    handle = app.router.handle
    reply = None
    for _ in range(warmup + 1):
        reply = await handle(message)
    assert reply is not None
    check(reply)
    samples: list[int] = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        reply = await handle(message)
        samples.append(time.perf_counter_ns() - started)
    assert reply is not None
    check(reply)
    return samples


async def fill(engine: AsyncEngine) -> int:
    """Insert the persons, accounts, the AG, its chat and memberships; return the member count.

    Persons ``user0`` … ``user9999`` with one console account each; persons
    1000–1999 are the AG's members (1000 coordinator, the rest members), and
    the sender ``user1`` is a member too.
    """
    now = START
    persons = [
        {
            "id": i + 1,
            "display_name": f"User {i}",
            "sort_name": f"user {i}",
            "language": None,
            "created_at": now,
        }
        for i in range(PERSONS)
    ]
    accounts = [
        {
            "id": i + 1,
            "person_id": i + 1,
            "platform": "console",
            "account_id": f"user{i}",
            "username": f"user{i}",
            "username_key": f"user{i}".lower(),
            "display_name": f"user{i}",
            "last_seen_at": now,
        }
        for i in range(PERSONS)
    ]
    member_indexes = list(range(1_000, 1_000 + MEMBERS))
    memberships = [
        {
            "group_id": 1,
            "person_id": index + 1,
            "role": Role.COORDINATOR if position == 0 else Role.MEMBER,
            "joined_at": now,
        }
        for position, index in enumerate(member_indexes)
    ]
    sender_index = int(SENDER.account_id.removeprefix("user"))
    memberships.append(
        {"group_id": 1, "person_id": sender_index + 1, "role": Role.MEMBER, "joined_at": now}
    )
    async with engine.begin() as connection:
        await connection.execute(insert(Person), persons)
        await connection.execute(insert(Account), accounts)
        await connection.execute(
            insert(WorkingGroup),
            [
                {
                    "id": 1,
                    "name": GROUP_NAME,
                    "name_key": GROUP_NAME.casefold(),
                    "timezone": "Europe/Berlin",
                    "language": "de",
                    "state": None,
                    "hours_per_day": 8,
                    "created_at": now,
                }
            ],
        )
        await connection.execute(
            insert(ChatBinding),
            [
                {
                    "id": 1,
                    "group_id": 1,
                    "platform": CHAT.platform,
                    "chat_id": CHAT.chat_id,
                    "title": CHAT.title,
                    "bound_at": now,
                    "bound_by": member_indexes[0] + 1,
                }
            ],
        )
        await connection.execute(insert(Membership), memberships)
        if engine.dialect.name == "postgresql":
            # Explicit ids do not move PostgreSQL's sequences; keep them usable for later inserts.
            for table in ("persons", "accounts", "working_groups", "chat_bindings"):
                await connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
    if engine.dialect.name == "postgresql":
        # Fresh statistics, as autovacuum would have them on a database that has been running.
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.execute(text("ANALYZE"))
    else:
        async with engine.begin() as connection:
            await connection.execute(text("ANALYZE"))
    return len(memberships)


def check_reply(command: str, reply: Reply | None, members: int) -> None:
    """Fail loudly when a command answered with an error instead of its real reply."""
    assert reply is not None, f"{command}: no reply"
    body = reply.plain_text()
    if command == "/mitglieder":
        # The heading counts every member; the first page lists 100 of them.
        assert len(reply.lines) >= MEMBERS_PER_PAGE + 2, f"{command}: {body[:300]}"
        assert f"({members})" in body.split("\n", 1)[0], body[:300]
    else:
        assert "/mitglieder" in body and GROUP_NAME in body, f"{command}: {body[:300]}"


async def measure(app: App, command: str, runs: int, warmup: int, members: int) -> list[int]:
    """Latency samples of ``runs`` calls of ``command`` after ``warmup`` unmeasured ones."""
    message = Incoming(CHAT, SENDER, command)
    handle = app.router.handle
    check_reply(command, await handle(message), members)
    for _ in range(warmup):
        await handle(message)
    samples: list[int] = []
    for _ in range(runs):
        started = time.perf_counter_ns()
        reply = await handle(message)
        samples.append(time.perf_counter_ns() - started)
        assert reply is not None
    check_reply(command, reply, members)
    return samples


async def run_backend(backend: str, url: str, runs: int, warmup: int) -> list[Result]:
    app = await create_app(bench_config(url), AdjustableClock(START))
    try:
        members = await fill(app.engine)
        freeze_startup_objects()  # as agbot run and agbot console do after start-up
        return [
            Result(backend, command, await measure(app, command, runs, warmup, members))
            for command in COMMANDS
        ]
    finally:
        await app.close()


def _connect_args(url: URL, database: str) -> dict[str, Any]:
    return {
        "host": url.host or "127.0.0.1",
        "port": url.port or 5432,
        "user": url.username or "postgres",
        "password": url.password,
        "database": database,
    }


async def create_postgres_database(server_url: str) -> str:
    """Create ``agbot_bench_<random>`` next to ``server_url``'s database; return its URL."""
    admin = make_url(server_url)
    name = f"agbot_bench_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(**_connect_args(admin, admin.database or "postgres"))
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return admin.set(drivername="postgresql+asyncpg", database=name).render_as_string(
        hide_password=False
    )


async def drop_postgres_database(server_url: str, url: str) -> None:
    admin = make_url(server_url)
    name = make_url(url).database
    connection = await asyncpg.connect(**_connect_args(admin, admin.database or "postgres"))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


def print_table(results: Sequence[Result]) -> None:
    header = (
        f"{'backend':<10} {'command':<18} {'runs':>6} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}"
    )
    print(header)
    print("-" * len(header))
    for result in results:
        print(
            f"{result.backend:<10} {result.command:<18} {len(result.samples):>6} "
            f"{result.percentile(0.50):>8.2f} {result.percentile(0.99):>8.2f} "
            f"{result.mean_ms:>8.2f}"
        )


async def on_every_backend(
    run_backend: Callable[[str, str, int, int], Awaitable[list[Result]]],
    postgres: str | None,
    runs: int,
    warmup: int,
) -> list[Result]:
    """``run_backend`` on a temporary SQLite file, then on a fresh PostgreSQL database."""
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="agbot_bench_") as directory:
        sqlite_url = f"sqlite+aiosqlite:///{Path(directory) / 'bench.db'}"
        results += await run_backend("sqlite", sqlite_url, runs, warmup)
    if postgres:
        url = await create_postgres_database(postgres)
        try:
            results += await run_backend("postgres", url, runs, warmup)
        finally:
            await drop_postgres_database(postgres, url)
    return results


async def main_async(postgres: str | None, runs: int, warmup: int) -> list[Result]:
    return await on_every_backend(run_backend, postgres, runs, warmup)


def latency_arguments(
    prog: str, description: str, argv: Sequence[str] | None, *, runs: int, warmup: int
) -> argparse.Namespace:
    """--postgres, --runs and --warmup, as every latency benchmark takes them."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="PostgreSQL server URL (e.g. postgresql+asyncpg://postgres@127.0.0.1:5432/test); "
        "a fresh database is created on it and dropped afterwards",
    )
    parser.add_argument("--runs", type=int, default=runs, help="measured calls per command")
    parser.add_argument("--warmup", type=int, default=warmup, help="unmeasured calls first")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.warmup < 0:
        parser.error("--runs must be at least 1 and --warmup not negative")
    return args


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    return latency_arguments(
        "python -m bench.command_latency",
        "p50/p99/mean latency of /mitglieder and /hilfe through the real router.",
        argv,
        runs=1000,
        warmup=100,
    )


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    results = asyncio.run(main_async(args.postgres, args.runs, args.warmup))
    print(f"{PERSONS} persons, AG with {MEMBERS + 1} members; target p99 < 5 ms")
    print_table(results)


if __name__ == "__main__":
    main()
