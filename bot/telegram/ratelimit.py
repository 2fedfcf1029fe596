"""Telegram's flood limits in front of every send, as sliding windows.

Telegram allows about 30 messages per second overall, 20 per minute in one group
and one per second in one private chat. Each limit here is a sliding window: a
message leaves only when no window of that length would then hold more than the
limit, judged at the moment it leaves. (Token buckets, as in python-telegram-bot's
``AIORateLimiter``, let a full bucket out at once: measured here, 60 messages in
the first second and 25 to one group within 15 seconds.) A 429 pauses every send
for its ``retry_after``. Only sending methods are limited: lookups such as
``getChatMember`` must not use up a group's budget.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.config import TELEGRAM_PER_SECOND

log = logging.getLogger(__name__)

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


class SlidingWindow:
    """At most ``limit`` events in any ``period`` seconds (``limit`` 0: no limit)."""

    def __init__(self, limit: int, period: float, margin: float) -> None:
        self.limit = limit
        self.period = period + margin
        self.sent: deque[float] = deque()

    def wait_time(self, now: float) -> float:
        if not self.limit:
            return 0.0
        while self.sent and now - self.sent[0] >= self.period:
            self.sent.popleft()
        if len(self.sent) < self.limit:
            return 0.0
        return self.sent[0] + self.period - now

    def record(self, now: float) -> None:
        if self.limit:
            self.sent.append(now)

    def forget(self, stamp: float) -> None:
        """Take back a recorded send that Telegram refused: it used up no slot there."""
        if self.limit:
            with contextlib.suppress(ValueError):
                self.sent.remove(stamp)

    @property
    def idle(self) -> bool:
        return not self.sent or time.monotonic() - self.sent[-1] >= self.period


class FloodLimiter(BaseRateLimiter[int]):
    """Overall, per-group and per-private-chat windows; 429s retried ``max_retries`` times.

    ``margin`` widens every window a little: the limits hold where Telegram counts,
    after the network has added its jitter.
    """

    def __init__(
        self,
        *,
        overall_per_second: int = TELEGRAM_PER_SECOND,
        group_per_minute: int = 20,
        private_per_second: int = 1,
        max_retries: int = 3,
        margin: float = 0.05,
    ) -> None:
        self._overall = SlidingWindow(overall_per_second, 1.0, margin)
        self._group_limit = group_per_minute
        self._private_limit = private_per_second
        self._margin = margin
        self._chats: dict[str, SlidingWindow] = {}
        self._max_retries = max_retries
        self._paused_until = 0.0

    @classmethod
    def shared_by(cls, processes: int) -> FloodLimiter:
        """The limiter of one of ``processes`` bot processes sending with the same token.

        Telegram counts its 30 messages a second per token, so each process keeps to its
        share. Group and private-chat limits need no share: the dispatcher serves one chat
        from one process at a time.
        """
        return cls(overall_per_second=max(1, TELEGRAM_PER_SECOND // max(1, processes)))

    async def initialize(self) -> None:
        """Nothing to set up: windows are created when first needed."""

    async def shutdown(self) -> None:
        self._chats.clear()

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
        chat = self._chat_window(data.get("chat_id"))
        retries = rate_limit_args if rate_limit_args is not None else self._max_retries
        for attempt in range(retries + 1):
            stamp = await self._wait_turn(chat)
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as flood:
                # Refused, so not counted: kept, the retry would wait a whole group minute.
                for window in (self._overall, chat):
                    if window is not None:
                        window.forget(stamp)
                if attempt == retries:
                    raise
                delay = flood.retry_after
                seconds = delay.total_seconds() if isinstance(delay, timedelta) else float(delay)
                log.info("telegram: flood limit hit, every send waits %.1f s", seconds)
                self._paused_until = max(self._paused_until, time.monotonic() + seconds + 0.1)
        raise AssertionError("unreachable")

    async def _wait_turn(self, chat: SlidingWindow | None) -> float:
        """Wait until every window lets one more send out; the moment recorded for it."""
        windows = [self._overall] if chat is None else [self._overall, chat]
        while True:
            now = time.monotonic()
            wait = max([self._paused_until - now, *(w.wait_time(now) for w in windows)])
            if wait <= 0:
                # No await between the check and the record: nobody else can slip in.
                for window in windows:
                    window.record(now)
                return now
            await asyncio.sleep(wait)

    def _chat_window(self, chat_id: object) -> SlidingWindow | None:
        if chat_id is None:
            return None
        key = str(chat_id)
        if len(self._chats) > 4096:
            # Windows of chats that were quiet for a whole period hold nothing worth keeping.
            self._chats = {k: window for k, window in self._chats.items() if not window.idle}
        if key not in self._chats:
            # People have positive ids; groups and channels negative ids or "@name".
            if key.isdigit():
                self._chats[key] = SlidingWindow(self._private_limit, 1.0, self._margin)
            else:
                self._chats[key] = SlidingWindow(self._group_limit, 60.0, self._margin)
        return self._chats[key]
