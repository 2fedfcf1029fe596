"""Messages the bot cannot read: missing room keys, and keys a sender withheld on purpose.

A missing key is requested from the sender's devices and the room told, at most once an
hour, that a command may need sending again. A withheld key (``m.room_key.withheld``, for
example from an app that encrypts only for verified sessions) is explained once per room,
sender and reason, in plain words, with what the person can do.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from nio import AsyncClient, MatrixRoom, MegolmEvent, UnknownToDeviceEvent
from nio.exceptions import LocalProtocolError

from bot.router import Router
from core.messages import ChatRef, Reply

log = logging.getLogger(__name__)


class KeyTrouble:
    """Requests missing keys and tells rooms why the bot could not read a message."""

    def __init__(
        self,
        client: AsyncClient,
        router: Router,
        notice_interval: float,
        chat_ref: Callable[[MatrixRoom], ChatRef],
        deliver: Callable[[str, Reply], Awaitable[object]],
        load_state: Callable[[str], Awaitable[str | None]],
        save_state: Callable[[str, str], Awaitable[None]],
    ) -> None:
        self._client = client
        self._router = router
        self._unreadable_interval = notice_interval
        self._chat_ref = chat_ref
        self._deliver = deliver
        self._load_state = load_state
        self._save_state = save_state
        self._unreadable_noticed: dict[str, float] = {}
        # Megolm sessions whose keys a sender withheld from the bot.
        self._withheld: set[str] = set()

    async def undecryptable(self, room: MatrixRoom, event: MegolmEvent) -> None:
        """A message the bot cannot decrypt: ask for its key, tell the room (at most hourly)."""
        if event.session_id in self._withheld:
            return  # the sender's app refused the key: explained once (_on_withheld)
        log.warning(
            "matrix: cannot decrypt %s from %s in %s (session %s)",
            event.event_id,
            event.sender,
            room.room_id,
            event.session_id,
        )
        # LocalProtocolError: a key request for this session is already under way.
        with contextlib.suppress(LocalProtocolError):
            await self._client.request_room_key(event)
        now = time.monotonic()
        last = self._unreadable_noticed.get(room.room_id)
        if last is not None and now - last < self._unreadable_interval:
            return
        self._unreadable_noticed[room.room_id] = now
        notice = await self._router.unreadable_message(self._chat_ref(room))
        await self._deliver(room.room_id, notice)

    async def to_device(self, event: UnknownToDeviceEvent) -> None:
        if event.type == "m.room_key.withheld":
            await self._on_withheld(event.sender, event.source.get("content", {}))

    async def _on_withheld(self, sender: str, content: dict[str, Any]) -> None:
        """A member's app will not give the bot a message key; the room is told why, once.

        Sent, for example, by a client that encrypts only for verified devices
        (``m.unverified``) or that blocked the bot's device (``m.blacklisted``).
        """
        room_id, session_id, code = (content.get(k) for k in ("room_id", "session_id", "code"))
        if not isinstance(room_id, str) or not isinstance(code, str):
            return
        log.info("matrix: %s withheld a room key in %s (%s)", sender, room_id, code)
        if isinstance(session_id, str):
            self._withheld.add(session_id)
        room = self._client.rooms.get(room_id)
        told = f"withheld:{room_id}|{sender}|{code}"
        if room is None or await self._load_state(told):
            return
        await self._save_state(told, "1")
        person = room.user_name(sender) or sender
        notice = await self._router.keys_withheld(self._chat_ref(room), person, code)
        await self._deliver(room_id, notice)
