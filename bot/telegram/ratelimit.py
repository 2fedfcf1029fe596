"""Telegram's flood limits in front of every send.

python-telegram-bot's ``AIORateLimiter`` enforces the overall limit (30 messages per
second) and the per-group limit (20 per minute) and waits out a 429's
``retry_after``. Telegram also asks for at most about one message per second in
one private chat, which it does not do; this subclass adds that. Only sending
methods are limited: lookups such as ``getChatMember`` must not use up a group's
budget of 20 messages a minute.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter

SENDING_METHODS = frozenset(
    {
        "sendMessage",
        "sendDocument",
        "sendPhoto",
        "editMessageText",
        "editMessageReplyMarkup",
        "copyMessage",
        "forwardMessage",
    }
)
Result = bool | dict[str, Any] | list[dict[str, Any]]


class FloodLimiter(AIORateLimiter):
    """Overall, per-group and per-private-chat limits; 429s are retried ``max_retries`` times."""

    def __init__(
        self,
        *,
        overall_per_second: float = 30,
        group_per_minute: float = 20,
        private_per_second: float = 1,
        max_retries: int = 3,
    ) -> None:
        super().__init__(
            overall_max_rate=overall_per_second,
            overall_time_period=1,
            group_max_rate=group_per_minute,
            group_time_period=60,
            max_retries=max_retries,
        )
        self._private_per_second = private_per_second
        self._private_limiters: dict[int, AsyncLimiter] = {}

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        if endpoint not in SENDING_METHODS:
            return await callback(*args, **kwargs)
        private = self._private_limiter(data.get("chat_id"))
        if private is None:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        async with private:
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )

    def _private_limiter(self, chat_id: object) -> AsyncLimiter | None:
        try:
            numeric = int(str(chat_id))
        except ValueError:
            return None
        if numeric <= 0 or not self._private_per_second:
            return None  # groups and channels have negative ids and their own limiter
        if len(self._private_limiters) > 1024:
            self._private_limiters.clear()  # idle limiters hold no state worth keeping
        if numeric not in self._private_limiters:
            self._private_limiters[numeric] = AsyncLimiter(self._private_per_second, 1)
        return self._private_limiters[numeric]
