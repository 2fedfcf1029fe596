"""Three bot processes share one PostgreSQL database and dispatch 5,000 reminders that are
due in the same minute: every reminder goes out exactly once."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage.database import create_engine, session_factory, upgrade_schema
from tests.databases import POSTGRES_URL, drop_database, fresh_database
from tests.reminder_rows import add_due_reminders

ROOT = Path(__file__).resolve().parent.parent
REMINDERS = 5_000
PROCESSES = 3


@pytest.mark.skipif(not POSTGRES_URL, reason="needs AGBOT_TEST_POSTGRES_URL (PostgreSQL)")
async def test_three_processes_send_5000_reminders_exactly_once(tmp_path: Path) -> None:
    url = await fresh_database("postgres", tmp_path)
    try:
        engine = create_engine(url)
        await upgrade_schema(engine)
        chats = [("console", f"ag-{n}") for n in range(50)]
        minute = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
        keys = await add_due_reminders(
            session_factory(engine), chats, REMINDERS, minute, spread=timedelta(seconds=59)
        )
        await engine.dispose()
        records = [tmp_path / f"sent-{n}.txt" for n in range(PROCESSES)]
        workers = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "tests.reminder_worker",
                "--db",
                url,
                "--record",
                str(record),
                cwd=ROOT,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            for record in records
        ]
        results = [await asyncio.wait_for(w.communicate(), timeout=240) for w in workers]
        for worker, (_, stderr) in zip(workers, results, strict=True):
            assert worker.returncode == 0, stderr.decode()[-2000:]
        sent = Counter(
            line for record in records for line in record.read_text().splitlines() if line
        )
        assert set(sent) == set(keys), f"{len(set(keys) - set(sent))} lost"
        assert [key for key, times in sent.items() if times > 1] == []
        # The work was shared: every process sent some.
        per_process = [len(record.read_text().splitlines()) for record in records]
        assert all(count > 0 for count in per_process), per_process
    finally:
        await drop_database(url)
