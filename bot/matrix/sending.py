"""Sending to Matrix: notices, files and the reactions that offer choices, with retries.

Every event has a transaction id derived from a key that names what is sent (the command's
event id, a reminder's id), so a send retried after a timeout or a crash is recognised by
the homeserver and not posted twice. matrix-nio returns errors instead of raising them:
each answer is checked, 429s and unknown errors are retried with the same id, refusals
(not in the room, forbidden) are not.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import aiohttp
from nio import AsyncClient, RoomSendResponse, UploadResponse
from nio.exceptions import LocalProtocolError, SendRetryError

from bot.matrix.render import choice_keys, render_matrix
from core.messages import OutgoingFile, Reply
from reminders.notifier import DeliveryFailed

log = logging.getLogger(__name__)


@dataclass
class SendStats:
    sent: int = 0
    retried: int = 0
    failed: int = 0


class Outbox:
    """Sends replies into rooms through one nio client."""

    def __init__(
        self,
        client: AsyncClient,
        retry_delays: Sequence[float],
        save_state: Callable[[str, str], Awaitable[None]],
    ) -> None:
        self.client = client
        self._retry_delays = tuple(retry_delays)
        self._save_state = save_state
        self.stats = SendStats()

    async def deliver(
        self,
        room_id: str,
        reply: Reply,
        *,
        in_reply_to: str | None = None,
        thread_root: str | None = None,
        key: str | None = None,
        strict: bool = False,
    ) -> list[str]:
        """Send a reply as m.notice event(s), its files, and reactions for its choices.

        ``in_reply_to``: the command answered; the first notice and every file refer to it.
        ``thread_root``: the command came in a thread, so every part goes into that thread.

        ``key`` names what is being sent (the command's event id, later a reminder id):
        the transaction ids derive from it, so a retried send is not posted twice.
        ``strict``: raise DeliveryFailed for a part that could not be sent.
        """
        key = key or uuid.uuid4().hex
        sent: list[str] = []
        for index, text in enumerate(render_matrix(reply)):
            content: dict[str, Any] = {
                "msgtype": "m.notice",
                "body": text.body,
                "format": "org.matrix.custom.html",
                "formatted_body": text.formatted_body,
                "m.mentions": {"user_ids": list(text.user_ids)},
            }
            relation = _relation(in_reply_to if index == 0 else None, thread_root)
            if relation:
                content["m.relates_to"] = relation
            event_id = await self.send_event(
                room_id, "m.room.message", content, _tx(key, "text", index), strict
            )
            if event_id is not None:
                sent.append(event_id)
        for index, outgoing in enumerate(reply.files):
            relation = _relation(in_reply_to, thread_root)
            event_id = await self._send_file(
                room_id, outgoing, _tx(key, "file", index), relation, strict
            )
            if event_id is not None:
                sent.append(event_id)
        if reply.choices and sent:
            await self._offer_choices(room_id, sent[-1] if not reply.files else sent[0], reply, key)
        return sent

    async def _offer_choices(self, room_id: str, event_id: str, reply: Reply, key: str) -> None:
        choices = {key: choice.command for key, choice in choice_keys(reply)}
        await self._save_state(f"choices:{event_id}", json.dumps(choices))
        for index, reaction in enumerate(choices):
            content = {
                "m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": reaction}
            }
            await self.send_event(room_id, "m.reaction", content, _tx(key, "reaction", index))

    async def _send_file(
        self,
        room_id: str,
        outgoing: OutgoingFile,
        tx_id: str,
        relation: dict[str, Any] | None,
        strict: bool = False,
    ) -> str | None:
        encrypted = bool(self.client.rooms.get(room_id) and self.client.rooms[room_id].encrypted)
        response, keys = await self.client.upload(
            lambda *_: outgoing.content,
            content_type=outgoing.mime_type,
            filename=outgoing.name,
            encrypt=encrypted,
            filesize=len(outgoing.content),
        )
        if not isinstance(response, UploadResponse):
            self._give_up(tx_id, room_id, response, strict, permanent=False)
            return None
        content: dict[str, Any] = {
            "msgtype": "m.file",
            "body": outgoing.name,
            "filename": outgoing.name,
            "info": {"mimetype": outgoing.mime_type, "size": len(outgoing.content)},
        }
        if encrypted and keys:
            content["file"] = {**keys, "url": response.content_uri}
        else:
            content["url"] = response.content_uri
        if relation:
            content["m.relates_to"] = relation
        return await self.send_event(room_id, "m.room.message", content, tx_id, strict)

    async def send_event(
        self,
        room_id: str,
        event_type: str,
        content: dict[str, Any],
        tx_id: str,
        strict: bool = False,
    ) -> str | None:
        """One event with retries; the same transaction id each time, so no duplicates."""
        permanent = False
        for delay in (*self._retry_delays, None):
            try:
                # Someone may have joined since the last send: their devices need keys too.
                if self.client.should_query_keys:
                    await self.client.keys_query()
                response = await self.client.room_send(
                    room_id, event_type, content, tx_id=tx_id, ignore_unverified_devices=True
                )
            # LocalProtocolError: a room nio does not know yet (before the first sync).
            # Anything else (an answer that cannot be read, a connection dropped after the
            # request was written) may or may not have posted the event: sending again
            # with the same transaction id is safe, the homeserver drops a repeat.
            except (aiohttp.ClientError, TimeoutError, SendRetryError, LocalProtocolError) as error:
                response = None
                reason: object = error
            except Exception as error:
                response = None
                reason = f"outcome unknown: {error!r}"
            else:
                if isinstance(response, RoomSendResponse):
                    self.stats.sent += 1
                    return str(response.event_id)
                reason = response
                if response.status_code not in (None, "M_LIMIT_EXCEEDED", "M_UNKNOWN"):
                    permanent = True  # a refusal: not in the room, forbidden …
                    break
            if delay is None:
                break
            self.stats.retried += 1
            log.warning("matrix: send %s to %s failed (%s), retrying", tx_id, room_id, reason)
            await asyncio.sleep(delay)
        self._give_up(tx_id, room_id, reason, strict, permanent=permanent)
        return None

    def _give_up(
        self, tx_id: str, room_id: str, reason: object, strict: bool, *, permanent: bool
    ) -> None:
        self.stats.failed += 1
        log.error("matrix: event %s to %s not delivered: %s", tx_id, room_id, reason)
        if strict:
            raise DeliveryFailed(str(reason), permanent=permanent)


def _tx(key: str, kind: str, index: int) -> str:
    return hashlib.sha256(f"{key}|{kind}|{index}".encode()).hexdigest()[:32]


def _relation(in_reply_to: str | None, thread_root: str | None) -> dict[str, Any] | None:
    """``m.relates_to`` for a part of an answer: a reply, or a thread with a reply fallback.

    In a thread every part is a thread event; clients without threads see it as a reply
    (``is_falling_back``) to the command, or to the thread's root for later parts.
    """
    if thread_root is not None:
        return {
            "rel_type": "m.thread",
            "event_id": thread_root,
            "is_falling_back": in_reply_to is None,
            "m.in_reply_to": {"event_id": in_reply_to or thread_root},
        }
    if in_reply_to is not None:
        return {"m.in_reply_to": {"event_id": in_reply_to}}
    return None
