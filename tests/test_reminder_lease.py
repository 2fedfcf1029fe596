"""A lease shorter than a chat's share of a batch: no reminder twice, none lost.

Telegram takes 20 messages a minute into a group, so 120 reminders due at once for one
group take six minutes, ten times the default lease. The dispatcher renews the lease of
the rows it still holds while it sends them, and takes no more of one chat's reminders
than it can send within the lease at that chat's rate. Here everything is faster (a
lease of a second, a chat taking 20 messages a second), the proportions are the same.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.app import App, create_app
from bot.config import Config
from core.clock import SystemClock
from storage.database import create_engine, session_factory, upgrade_schema
from tests.databases import POSTGRES_URL, drop_database, fresh_database
from tests.reminder_rows import add_due_reminders
from tests.reminder_worker import RecordingMessenger

ROOT = Path(__file__).resolve().parent.parent
LEASE = 1.0  # seconds
PER_MINUTE = 1200  # one chat takes 20 messages a second: 120 take six leases
SLOW_CHAT = ("console", "ag-slow")
CHATS = [("console", f"ag-{n}") for n in range(50)]
needs_postgres = pytest.mark.skipif(
    not POSTGRES_URL, reason="needs AGBOT_TEST_POSTGRES_URL (PostgreSQL)"
)


async def add_reminders(sessions: object) -> list[str]:
    """120 reminders for one chat (the oldest), then 1,000 over 50 chats; their keys."""
    minute = datetime.now(UTC).replace(second=0, microsecond=0)
    slow = await add_due_reminders(
        sessions,  # type: ignore[arg-type]
        [SLOW_CHAT],
        120,
        minute - timedelta(minutes=3),
        prefix="Langsam",
    )
    many = await add_due_reminders(
        sessions,  # type: ignore[arg-type]
        CHATS,
        1_000,
        minute - timedelta(minutes=2),
        spread=timedelta(seconds=59),
        prefix="Viele",
    )
    return slow + many


async def postgres_with_reminders(tmp_path: Path) -> tuple[str, list[str]]:
    url = await fresh_database("postgres", tmp_path)
    engine = create_engine(url)
    try:
        await upgrade_schema(engine)
        keys = await add_reminders(session_factory(engine))
    finally:
        await engine.dispose()
    return url, keys


async def start_worker(url: str, record: Path) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.reminder_worker",
        "--db",
        url,
        "--record",
        str(record),
        "--lease",
        str(LEASE),
        "--chat-rate",
        str(PER_MINUTE),
        "--latency",
        "0.005",
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


def recorded(records: list[Path]) -> Counter[str]:
    return Counter(
        line
        for record in records
        if record.exists()
        for line in record.read_text().splitlines()
        if line
    )


@needs_postgres
async def test_three_processes_with_a_short_lease_send_each_reminder_once(
    tmp_path: Path,
) -> None:
    url, keys = await postgres_with_reminders(tmp_path)
    try:
        records = [tmp_path / f"sent-{n}.txt" for n in range(3)]
        workers = [await start_worker(url, record) for record in records]
        results = [await asyncio.wait_for(w.communicate(), timeout=120) for w in workers]
        for worker, (_, stderr) in zip(workers, results, strict=True):
            assert worker.returncode == 0, stderr.decode()[-2000:]
        sent = recorded(records)
        assert set(keys) - set(sent) == set(), "lost"
        assert {key: n for key, n in sent.items() if n > 1} == {}, "duplicated"
        assert len(sent) == 1_120
    finally:
        await drop_database(url)


@needs_postgres
async def test_a_process_killed_mid_batch_repeats_at_most_what_it_had_in_flight(
    tmp_path: Path,
) -> None:
    url, keys = await postgres_with_reminders(tmp_path)
    try:
        records = [tmp_path / f"sent-{n}.txt" for n in range(3)]
        victim = await start_worker(url, records[0])
        deadline = asyncio.get_running_loop().time() + 60
        while len(recorded(records[:1])) < 40:
            assert asyncio.get_running_loop().time() < deadline, "the first worker sent nothing"
            await asyncio.sleep(0.05)
        others = [await start_worker(url, record) for record in records[1:]]
        await asyncio.sleep(0.3)  # mid-batch: the victim holds rows of many chats now
        victim.send_signal(signal.SIGKILL)
        await victim.wait()
        at_kill = recorded(records[:1])
        results = [await asyncio.wait_for(w.communicate(), timeout=120) for w in others]
        for worker, (_, stderr) in zip(others, results, strict=True):
            assert worker.returncode == 0, stderr.decode()[-2000:]
        sent = recorded(records)
        assert set(keys) - set(sent) == set(), "lost"
        twice = {key: n for key, n in sent.items() if n > 1}
        # Only what the killed process had sent but not yet recorded as sent comes again:
        # one message per chat it was sending to, and only once more.
        assert set(twice) <= set(at_kill), twice
        assert all(n == 2 for n in twice.values()), twice
        assert len(twice) <= len(CHATS) + 1, twice
    finally:
        await drop_database(url)


async def sqlite_app(url: str) -> App:
    config = replace(Config(), database=replace(Config().database, url=url))
    app = await create_app(config, SystemClock())
    app.dispatcher.settings = replace(
        app.dispatcher.settings,
        lease=timedelta(seconds=LEASE),
        chat_per_minute={"console": PER_MINUTE},
    )
    return app


async def test_one_process_on_sqlite_keeps_its_lease_while_sending(tmp_path: Path) -> None:
    """The lease is renewed in the database: a second dispatcher on the same file (a
    second bot started by mistake, or the sweep of a restarted one) finds nothing to take
    while the first one is still sending."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    first, second = await sqlite_app(url), await sqlite_app(url)
    record = tmp_path / "sent.txt"
    try:
        keys = await add_reminders(first.sessions)
        with record.open("a", encoding="utf-8") as out:
            for app in (first, second):
                app.router.add_notifier("console", RecordingMessenger(out, PER_MINUTE, 0.005))
            sending = asyncio.create_task(first.dispatcher.run_due())
            stolen = 0
            while not sending.done():
                await asyncio.sleep(LEASE / 2)
                stolen += await second.dispatcher.run_due()
            await sending
            while await first.dispatcher.next_due() is not None:
                await first.dispatcher.run_due()
                await asyncio.sleep(0.05)
        sent = recorded([record])
        assert set(keys) - set(sent) == set(), "lost"
        assert {key: n for key, n in sent.items() if n > 1} == {}, f"duplicated ({stolen} taken)"
    finally:
        await first.close()
        await second.close()
