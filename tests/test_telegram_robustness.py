"""The Telegram adapter against a misbehaving Bot API (the emulator): menus, admin lookups,
polling and the length limit. python-telegram-bot's real HTTP stack, no mocks."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest

from tests.telegram_emulator import TelegramEmulator
from tests.test_telegram_adapter import ANNA, World, _start_world


@asynccontextmanager
async def _world(
    database_url: str,
    prepare: Callable[[TelegramEmulator], None] = lambda tg: None,
    *,
    emulator: dict[str, Any] | None = None,
    **adapter_options: Any,
) -> AsyncIterator[World]:
    async with TelegramEmulator(**(emulator or {})) as tg:
        prepare(tg)
        world = await _start_world(tg, database_url, adapter_options=adapter_options)
        try:
            yield world
        finally:
            await world.adapter.stop()
            await world.app.close()


# --- 5: the command menus are cosmetic ------------------------------------------------------


async def test_failing_command_menus_do_not_stop_the_bot_and_are_published_later(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)

    def refuse_menus(tg: TelegramEmulator) -> None:
        tg.fail_next("setMyCommands", status=500, times=3)

    async with _world(database_url, refuse_menus, menu_retry_delays=(0.1,)) as world:
        # The bot is up although every menu was refused at the start…
        assert "Guten Tag, Anna!" in await world.say(ANNA, ANNA, "/start")
        assert any("command menus not published" in r.getMessage() for r in caplog.records)
        # …and the menus arrive once Telegram takes them again.
        await world.tg.wait_for(
            lambda: len(world.tg.commands()) == 4, timeout=5, message="all four menus"
        )
        assert world.tg.current_commands({"type": "all_group_chats"}, "de")
