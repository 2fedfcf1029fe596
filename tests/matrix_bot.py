"""The AG-Bot's Matrix adapter as the Matrix tests start it: a real app against the test Synapse.

`start_bot` builds the app (database, router) and the adapter with short timeouts and waits
for the first sync; `room_with_bot` and `ask` are the steps most scenarios begin with.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from bot.app import App, create_app
from bot.config import Config, MatrixConfig
from bot.matrix.adapter import MatrixAdapter
from core.clock import AdjustableClock
from handlers.shared.context import BotSettings
from tests.harness import START
from tests.matrix_human import Human
from tests.synapse_server import RegisteredUser, SynapseServer


@dataclass
class Bot:
    app: App
    adapter: MatrixAdapter
    user: RegisteredUser


async def start_bot(
    synapse: SynapseServer,
    database_url: str,
    store: Path,
    user: RegisteredUser,
    *,
    allowed_inviters: tuple[str, ...] = (":localhost",),
    bot_settings: BotSettings | None = None,
    matrix: dict[str, Any] | None = None,
    **adapter_args: Any,
) -> Bot:
    settings = replace(
        Config(),
        database=replace(Config().database, url=database_url),
        bot=bot_settings or BotSettings(),
    )
    app = await create_app(settings, AdjustableClock(START))
    config = MatrixConfig(
        homeserver=synapse.url,
        user_id=user.user_id,
        password=user.password,
        store_path=str(store),
        pickle_key="test-pickle-key",
        allowed_inviters=allowed_inviters,
    )
    config = replace(config, **(matrix or {}))
    adapter = MatrixAdapter(
        config,
        app.router,
        app.sessions,
        app.clock,
        sync_timeout_ms=500,
        retry_delays=(0.2, 0.5),
        **adapter_args,
    )
    await adapter.start()
    await asyncio.wait_for(adapter.synced.wait(), 30)
    return Bot(app, adapter, user)


async def stop_bot(bot: Bot) -> None:
    await bot.adapter.stop()
    await bot.app.close()


async def room_with_bot(human: Human, bot: Bot, *, encrypted: bool = False) -> str:
    room_id = await human.create_room("AG WF", encrypted=encrypted, invite=[bot.user.user_id])
    await human.wait_for_join(room_id, bot.user.user_id, timeout=20)
    # The bot introduces itself once it has joined a group room.
    await human.wait_for_message(room_id, "Ich bin AG-Bot", sender=bot.user.user_id, timeout=20)
    return room_id


async def ask(human: Human, room_id: str, text: str, match: str, **send: Any) -> Any:
    """Send ``text`` and wait for the bot's answer containing ``match``."""
    mark = human.checkpoint()
    await human.send_text(room_id, text, **send)
    return await human.wait_for_message(room_id, match, since=mark, timeout=20)
