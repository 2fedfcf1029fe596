"""An in-process console bot for tests: lines in, the console's output text back."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bot.app import App, create_app
from bot.config import Config
from bot.console import ConsoleAdapter
from bot.limits import Limits
from core.clock import AdjustableClock
from handlers.shared.context import BotSettings

# A fixed start: Wednesday 25 March 2026, 10:15 in Berlin (the date fixtures' "now").
START = datetime.fromisoformat("2026-03-25T10:15:00+01:00")
# Scripted scenarios type faster than any person; the per-minute limit has tests of its own.
SCRIPTED = replace(Limits(), commands_per_minute=1_000_000)


class ConsoleBot:
    """The real router and storage behind the console adapter, without a process."""

    def __init__(self, app: App, adapter: ConsoleAdapter, out: io.StringIO) -> None:
        self.app = app
        self.adapter = adapter
        self._out = out

    @classmethod
    async def start(
        cls,
        url: str,
        files: Path,
        *,
        admins: frozenset[str] = frozenset(),
        language: str = "de",
        max_upload_mb: int = 20,
        limits: Limits = SCRIPTED,
        monotonic: Callable[[], float] | None = None,
    ) -> ConsoleBot:
        config = Config()
        config = replace(
            config,
            database=replace(config.database, url=url),
            bot=BotSettings(admins=admins, language=language, max_upload_mb=max_upload_mb),
            limits=limits,
        )
        clock = AdjustableClock(START)
        app = await create_app(config, clock, monotonic)
        out = io.StringIO()
        adapter = ConsoleAdapter(
            app.router, clock, out, files, config.bot.timezone, app.reminders.clock_moved
        )
        return cls(app, adapter, out)

    async def say(self, *lines: str) -> str:
        """Feed ``lines`` and return everything the bot printed meanwhile."""
        start = self._out.tell()
        for line in lines:
            await self.adapter.feed(line)
        self._out.seek(start)
        printed = self._out.read()
        self._out.seek(0, io.SEEK_END)
        return printed

    async def close(self) -> None:
        await self.app.close()


def setup_code(out: str) -> str:
    """The one-time code in the answer to binding a chat to an AG that exists."""
    found = re.search(r"(?:confirm|bestaetigen) ([A-Z2-9]{8})", out)
    assert found, out
    return found.group(1)
