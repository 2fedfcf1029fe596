"""A bot process that only dispatches reminders, into a recording messenger (scale-out test).

Usage: python -m tests.reminder_worker --db URL --record FILE [--seconds 60]

It runs the real app and dispatcher; the "messenger" appends each reminder's key to
FILE. It stops when nothing is due any more (or after --seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import replace
from pathlib import Path
from typing import TextIO

from bot.app import create_app
from bot.config import Config
from core.clock import SystemClock
from core.messages import ChatRef, Reply


class RecordingMessenger:
    """Writes the key of every message it is asked to send, one per line."""

    def __init__(self, out: TextIO) -> None:
        self._out = out

    async def send(self, chat: ChatRef, reply: Reply, *, key: str | None = None) -> str | None:
        self._out.write(f"{key}\n")
        self._out.flush()
        return key

    async def send_private(
        self, account_id: str, reply: Reply, *, key: str | None = None
    ) -> str | None:
        return await self.send(ChatRef("console", account_id, True), reply, key=key)


async def run(url: str, record: Path, seconds: float) -> int:
    config = replace(Config(), database=replace(Config().database, url=url, auto_upgrade=False))
    app = await create_app(config, SystemClock())
    deadline = time.monotonic() + seconds
    with record.open("a", encoding="utf-8") as out:
        app.router.add_notifier("console", RecordingMessenger(out))
        try:
            idle = 0
            while time.monotonic() < deadline and idle < 3:
                handled = await app.dispatcher.run_due()
                idle = idle + 1 if handled == 0 else 0
                if handled == 0:
                    await asyncio.sleep(0.2)
        finally:
            await app.close()
    return app.dispatcher.sent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--record", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    sent = asyncio.run(run(args.db, args.record, args.seconds))
    print(f"sent {sent}")


if __name__ == "__main__":
    main()
