"""Long polling that never becomes a busy loop.

python-telegram-bot asks for the next updates as soon as an answer is in. Against a server
that holds each getUpdates for its ``timeout`` that is right; but some self-hosted Bot API
servers and proxies answer at once, and then the bot sent hundreds of requests a second.
This HTTP layer of getUpdates notices an empty answer that came back in less than half the
time asked for and holds it back before returning it: 0.5 s, then twice as long each time,
up to ``max_delay``. Any update, or a poll that really waited, ends the pause at once.
Holding back an empty answer loses nothing: updates that arrive meanwhile come with the
next poll.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from datetime import timedelta
from http import HTTPStatus
from typing import Any

from telegram.request import HTTPXRequest, RequestData

log = logging.getLogger(__name__)


class PacedPollRequest(HTTPXRequest):
    """The request object for getUpdates (``ApplicationBuilder.get_updates_request``)."""

    def __init__(self, *, min_delay: float = 0.5, max_delay: float = 5.0) -> None:
        # One connection, as python-telegram-bot's own getUpdates request has.
        super().__init__(connection_pool_size=1)
        self.min_delay = min_delay
        self.max_delay = max(max_delay, min_delay)
        self.delay = 0.0
        self.early_answers = 0

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[int, bytes]:
        started = time.monotonic()
        status, payload = await super().do_request(url, method, request_data, *args, **kwargs)
        asked = _asked_timeout(request_data)
        if asked > 0 and time.monotonic() - started < asked / 2 and _is_empty(status, payload):
            self._back_off(asked)
            await asyncio.sleep(self.delay)
        elif self.delay:
            log.info("telegram: getUpdates waits as asked again; polling at full speed")
            self.delay = 0.0
        return status, payload

    def _back_off(self, asked: float) -> None:
        self.early_answers += 1
        if not self.delay:
            log.warning(
                "telegram: getUpdates came back empty at once although a %g s long poll was "
                "asked (a server or proxy that does not hold long polls?); polling slower",
                asked,
            )
        self.delay = min(self.max_delay, self.delay * 2) if self.delay else self.min_delay


def _asked_timeout(request_data: RequestData | None) -> float:
    """The long-poll ``timeout`` the request asked for, in seconds (0 if none)."""
    if request_data is None:
        return 0.0
    value: Any = request_data.parameters.get("timeout")
    if isinstance(value, timedelta):
        return value.total_seconds()
    try:
        return float(value) if value is not None else 0.0
    except (TypeError, ValueError):
        return 0.0


def _is_empty(status: int, payload: bytes) -> bool:
    """Whether the answer is a successful getUpdates without updates."""
    if status != HTTPStatus.OK or len(payload) > 256:
        return False  # errors are paced by python-telegram-bot's retry loop
    try:
        answer = json.loads(payload)
    except ValueError:
        return False
    return isinstance(answer, dict) and answer.get("ok") is True and answer.get("result") == []
