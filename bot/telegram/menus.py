"""Telegram's command menus (setMyCommands), published from the registry and retried.

The menus are cosmetic: commands work without them. So a failure to publish them is a
warning, never a reason to stop the bot; publishing is tried again in the background
with growing pauses until it has worked once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

from telegram import Bot, BotCommand, BotCommandScopeAllGroupChats, BotCommandScopeAllPrivateChats
from telegram.error import TelegramError

from core.commands import Command, Permission
from core.i18n import Translator

log = logging.getLogger(__name__)

# Telegram accepts only these command words in menus; others still work when typed.
_MENU_WORD = re.compile(r"[a-z0-9_]{1,32}")
RETRY_DELAYS = (30.0, 120.0, 600.0, 3600.0)


def menu_entries(
    commands: Iterable[Command[Any]], language: str, private: bool
) -> list[BotCommand]:
    """The menu of one chat kind in one language: what a non-admin may type there."""
    translator = Translator(language)
    return [
        BotCommand(command.word(language), translator.t(command.summary)[:256])
        for command in commands
        if command.where.allows(private)
        and command.permission < Permission.GLOBAL_ADMIN
        and _MENU_WORD.fullmatch(command.word(language))
    ]


class CommandMenus:
    """Publishes the menus: German for ``de`` clients, English otherwise, per chat kind.

    ``retry_delays``: the pauses before the next attempts after a failure; the last one
    repeats until publishing succeeds or the adapter stops.
    """

    def __init__(
        self, commands: Iterable[Command[Any]], retry_delays: Sequence[float] = RETRY_DELAYS
    ) -> None:
        self._commands = commands  # read at each attempt: the registry as it is then
        self._retry_delays = tuple(retry_delays) or RETRY_DELAYS
        self._retrying: asyncio.Task[None] | None = None
        self.published = False

    async def publish(self, bot: Bot) -> bool:
        """One attempt at all four menus; False (and a warning in the log) if one failed."""
        try:
            for scope, private in (
                (BotCommandScopeAllPrivateChats(), True),
                (BotCommandScopeAllGroupChats(), False),
            ):
                for language_code, language in (("de", "de"), (None, "en")):
                    entries = menu_entries(self._commands, language, private)
                    await bot.set_my_commands(entries, scope=scope, language_code=language_code)
        except TelegramError as error:
            log.warning("telegram: command menus not published (%s); trying again later", error)
            return False
        except Exception:
            # Whatever went wrong, a missing menu must not take the bot down.
            log.warning("telegram: command menus not published; trying again later", exc_info=True)
            return False
        self.published = True
        return True

    async def publish_or_retry(self, bot: Bot) -> None:
        """Publish now; after a failure keep trying in the background."""
        if not await self.publish(bot):
            self._retrying = asyncio.create_task(self._retry(bot), name="telegram command menus")

    async def _retry(self, bot: Bot) -> None:
        attempt = 0
        while True:
            await asyncio.sleep(self._retry_delays[min(attempt, len(self._retry_delays) - 1)])
            if await self.publish(bot):
                log.info("telegram: command menus published after %d retries", attempt + 1)
                return
            attempt += 1

    async def stop(self) -> None:
        task, self._retrying = self._retrying, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
