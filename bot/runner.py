"""``agbot run``: every configured messenger in one event loop until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Protocol

from bot.app import create_app, freeze_startup_objects
from bot.config import Config
from core.clock import SystemClock

log = logging.getLogger(__name__)


class Adapter(Protocol):
    async def start(self) -> None: ...

    async def ready(self, timeout: float = 60) -> None: ...

    async def stop(self) -> None: ...


async def run_messengers(config: Config) -> int:
    """Start the configured adapters and keep them running; 0 on a clean stop."""
    app = await create_app(config, SystemClock())
    adapters: list[Adapter] = []
    if config.telegram is not None:
        from bot.telegram.adapter import TelegramAdapter

        adapters.append(TelegramAdapter(config.telegram, app.router))
    if config.matrix is not None:
        from bot.matrix.adapter import MatrixAdapter

        adapters.append(MatrixAdapter(config.matrix, app.router, app.sessions, app.clock))
    freeze_startup_objects()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    started: list[Adapter] = []
    try:
        for adapter in adapters:
            try:
                await adapter.start()
            except Exception as error:  # a wrong token, an unreachable homeserver …
                log.error("cannot start %s: %s", type(adapter).__name__, error)
                return 1
            started.append(adapter)
        # Once every messenger can send: reminders due while the bot was down go out now.
        for adapter in started:
            try:
                await adapter.ready()
            except TimeoutError:
                log.warning(
                    "%s is not ready yet; its reminders are retried", type(adapter).__name__
                )
        await app.reminders.start()
        await stop.wait()
        log.info("stopping")
    finally:
        await app.reminders.stop()
        for adapter in reversed(started):
            await adapter.stop()
        await app.close()
    return 0
