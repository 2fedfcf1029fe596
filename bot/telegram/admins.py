"""Who is a chat admin in a Telegram group: getChatMember, remembered for a while.

Only a real answer is remembered. When Telegram does not answer in time or answers with an
error that says nothing about the person (a timeout, 5xx, 429), the lookup says "unknown"
and nothing is cached, so the next command asks again instead of treating the person as
a plain member for a minute.
"""

from __future__ import annotations

import logging
import time

from telegram import Bot, ChatMember
from telegram.error import BadRequest, Forbidden, TelegramError

log = logging.getLogger(__name__)

_ADMINS = {ChatMember.OWNER, ChatMember.ADMINISTRATOR}
ANONYMOUS_ADMIN_BOT = 1087968824  # Telegram's "GroupAnonymousBot" user


class ChatAdmins:
    """``is_admin`` answers True, False, or None when the rights could not be checked."""

    def __init__(self, cache_seconds: float = 60, timeout: float = 5) -> None:
        self._cache_seconds = cache_seconds
        self._timeout = timeout
        self._cache: dict[tuple[int, int], tuple[float, bool]] = {}

    async def is_admin(self, bot: Bot, chat_id: int, user_id: int) -> bool | None:
        if user_id == ANONYMOUS_ADMIN_BOT:
            return True
        now = time.monotonic()
        cached = self._cache.get((chat_id, user_id))
        if cached is not None and cached[0] > now:
            return cached[1]
        try:
            member = await bot.get_chat_member(
                chat_id,
                user_id,
                read_timeout=self._timeout,
                connect_timeout=self._timeout,
                pool_timeout=self._timeout,
            )
            is_admin = member.status in _ADMINS
        except (BadRequest, Forbidden) as error:
            # A definite answer: the person is not in the chat, or the bot is not.
            log.info("telegram: getChatMember %s/%s: %s", chat_id, user_id, error)
            is_admin = False
        except TelegramError as error:
            # NetworkError (timeouts, 5xx, broken answers) and RetryAfter: we do not know.
            log.warning("telegram: getChatMember %s/%s failed: %s", chat_id, user_id, error)
            return None
        if len(self._cache) > 10_000:
            self._cache = {key: entry for key, entry in self._cache.items() if entry[0] > now}
        self._cache[(chat_id, user_id)] = (now + self._cache_seconds, is_admin)
        return is_admin
