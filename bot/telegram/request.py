"""The Bot API's HTTP layer, telling a send that never arrived from one that may have.

python-telegram-bot turns every transport failure into ``NetworkError`` (or
``TimedOut``), whether the request never left (connection refused) or was written and
its answer lost (connection reset, read timeout), and a 200 with an unreadable body
into a plain ``TelegramError``. Telegram has no idempotent send, so the difference
decides between sending again and a message that may reach a chat twice. This request
class sorts them at the one place that still knows:

* :class:`NotSent`: the request did not reach the Bot API, or the server refused to act
  on it (503): safe to send again;
* :class:`OutcomeUnknown`: the request may have been acted on (the connection broke
  after it was written, an answer that cannot be read, a 500/502/504): never repeated.

Both are ``NetworkError``s, so code that only knows python-telegram-bot's errors (the
updater, lookups) treats them as before. A 4xx answer is Telegram saying it did not act:
python-telegram-bot's own errors (``BadRequest``, ``Forbidden``, ``RetryAfter`` …) stay.
"""

from __future__ import annotations

import json
from http import HTTPStatus

import httpx
from telegram._utils.types import JSONDict, ODVInput
from telegram.error import NetworkError
from telegram.request import BaseRequest, HTTPXRequest, RequestData

# httpx errors raised before the request could be read by the server.
_BEFORE_SENDING = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
    httpx.ProxyError,
    httpx.UnsupportedProtocol,
    httpx.LocalProtocolError,
)


class NotSent(NetworkError):
    """The request was not acted on: sending it again cannot duplicate anything."""


class OutcomeUnknown(NetworkError):
    """The request may have been acted on: sending it again may duplicate it."""


class ClassifyingRequest(HTTPXRequest):
    """python-telegram-bot's ``HTTPXRequest``, raising :class:`NotSent` or
    :class:`OutcomeUnknown` for what it would report as a bare network error."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        try:
            code, payload = await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
        except NetworkError as error:
            cause = error.__cause__
            if isinstance(cause, _BEFORE_SENDING):
                raise NotSent(str(error)) from cause
            raise OutcomeUnknown(f"no answer: {error}") from cause
        if code == HTTPStatus.SERVICE_UNAVAILABLE:
            raise NotSent(f"Service Unavailable ({code})")
        if code >= HTTPStatus.INTERNAL_SERVER_ERROR:
            # The server had the request; whether it sent the message before failing
            # (or before a gateway gave up on it) nobody can tell.
            raise OutcomeUnknown(f"server error ({code})")
        return code, payload

    @staticmethod
    def parse_json_payload(payload: bytes) -> JSONDict:
        """As python-telegram-bot's, but an unreadable answer is :class:`OutcomeUnknown`."""
        try:
            parsed = json.loads(payload.decode("utf-8", "replace"))
        except ValueError as error:
            raise OutcomeUnknown(f"unreadable answer ({len(payload)} bytes)") from error
        if not isinstance(parsed, dict):
            raise OutcomeUnknown(f"unexpected answer of type {type(parsed).__name__}")
        return parsed
