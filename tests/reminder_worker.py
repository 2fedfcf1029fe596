"""A bot process that only dispatches reminders, into a recording messenger (scale-out test).

Usage: python -m tests.reminder_worker --db URL --record FILE [--seconds 60]
       [--lease SECONDS] [--chat-rate PER_MINUTE] [--latency SECONDS]

It runs the real app and dispatcher; the "messenger" appends each reminder's key to
FILE. With ``--chat-rate`` it is slow like Telegram: one chat takes at most that many
messages a minute (the dispatcher is told the same rate, as the Telegram adapter's is),
and each send takes ``--latency``. It stops when nothing is waiting any more (or after
--seconds).
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import TextIO

from bot.app import create_app
from bot.config import Config
from core.clock import SystemClock
from core.messages import ChatRef, Reply


class RecordingMessenger:
    """Writes the key of every message it is asked to send, one per line.

    ``per_minute``: messages one chat takes a minute (0: no limit), spaced evenly; the key
    is written when the message "arrives", before the answer's ``latency``.
    """

    def __init__(self, out: TextIO, per_minute: float = 0, latency: float = 0) -> None:
        self._out = out
        self._interval = 60 / per_minute if per_minute else 0.0
        self._latency = latency
        self._next_slot: dict[str, float] = {}

    async def send(self, chat: ChatRef, reply: Reply, *, key: str | None = None) -> str | None:
        if self._interval:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(chat.chat_id, now))
            self._next_slot[chat.chat_id] = slot + self._interval
            await asyncio.sleep(slot - now)
        self._out.write(f"{key}\n")
        self._out.flush()
        if self._latency:
            await asyncio.sleep(self._latency)
        return key

    async def send_private(
        self, account_id: str, reply: Reply, *, key: str | None = None
    ) -> str | None:
        return await self.send(ChatRef("console", account_id, True), reply, key=key)


async def run(
    url: str, record: Path, seconds: float, lease: float, per_minute: float, latency: float
) -> int:
    config = replace(Config(), database=replace(Config().database, url=url, auto_upgrade=False))
    app = await create_app(config, SystemClock())
    dispatcher = app.dispatcher
    settings = replace(dispatcher.settings, lease=timedelta(seconds=lease))
    if per_minute:
        settings = replace(settings, chat_per_minute={"console": per_minute})
    dispatcher.settings = settings
    deadline = time.monotonic() + seconds
    with record.open("a", encoding="utf-8") as out:
        app.router.add_notifier("console", RecordingMessenger(out, per_minute, latency))
        try:
            while time.monotonic() < deadline:
                handled = await dispatcher.run_due()
                # Rows another process holds are waiting too: stop only when none is left.
                if handled == 0:
                    if await dispatcher.next_due() is None:
                        break
                    await asyncio.sleep(0.1)
        finally:
            await app.close()
    return dispatcher.sent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--record", type=Path, required=True)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--lease", type=float, default=60)
    parser.add_argument("--chat-rate", type=float, default=0)
    parser.add_argument("--latency", type=float, default=0)
    args = parser.parse_args()
    sent = asyncio.run(
        run(args.db, args.record, args.seconds, args.lease, args.chat_rate, args.latency)
    )
    print(f"sent {sent}")


if __name__ == "__main__":
    main()
