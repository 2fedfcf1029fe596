"""``agbot run``: every configured messenger in one event loop until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal

from bot.app import create_app, freeze_startup_objects
from bot.config import Config
from core.clock import SystemClock

log = logging.getLogger(__name__)


async def run_messengers(config: Config) -> int:
    """Start the configured adapters and keep them running; 0 on a clean stop."""
    if config.matrix is not None:
        log.error("this version has no Matrix adapter yet; remove [matrix] to start")
        return 2
    assert config.telegram is not None
    from bot.telegram.adapter import TelegramAdapter

    app = await create_app(config, SystemClock())
    adapter = TelegramAdapter(config.telegram, app.router)
    freeze_startup_objects()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await adapter.start()
        await stop.wait()
        log.info("stopping")
    finally:
        await adapter.stop()
        await app.close()
    return 0
