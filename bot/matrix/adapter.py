"""The Matrix adapter: room events in, neutral messages to the router, notices out.

matrix-nio (with vodozemac for end-to-end encryption) runs inside the bot's own
event loop. The device is created once and kept: its id and access token live in
``store_path`` beside nio's key store, so the bot keeps its keys and never shows
up as a new device. The sync token lives in the database and is saved only after
a batch of events was handled, so a restart neither repeats nor loses commands.

A command can carry a file: an ``m.file`` event whose ``body`` (the caption) differs from
its ``filename`` (MSC2530), or a command answering an ``m.file`` event (``attachments.py``).
Sending is ``sending.py``, reading message content ``events.py``, room powers ``rooms.py``,
the cross-signing identity ``cross_signing.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from nio import (
    AsyncClientConfig,
    InviteMemberEvent,
    JoinError,
    MatrixInvitedRoom,
    MatrixRoom,
    MegolmEvent,
    ReactionEvent,
    RoomEncryptedFile,
    RoomMemberEvent,
    RoomMessageFile,
    RoomMessageText,
    SyncError,
    SyncResponse,
    UnknownToDeviceEvent,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import MatrixConfig
from bot.matrix.attachments import fetch_file, replied_file
from bot.matrix.client import BotClient
from bot.matrix.cross_signing import CrossSigningError, Identity, ensure_identity
from bot.matrix.edits import EditOutcome, answer_record, decide
from bot.matrix.events import (
    PLATFORM,
    mentions,
    replied_event_id,
    thread_root,
    without_reply_fallback,
)
from bot.matrix.key_trouble import KeyTrouble
from bot.matrix.login import log_in
from bot.matrix.rooms import RoomPowers, may_invite
from bot.matrix.sending import Outbox
from bot.router import Router
from core.clock import Clock
from core.messages import ChatRef, Incoming, Reply, Sender
from reminders.notifier import DeliveryFailed
from storage import adapter_state

log = logging.getLogger(__name__)

SYNC_TOKEN_KEY = "sync_token"
DIRECT_ROOM_PREFIX = "direct-room:"


class MatrixAdapter:
    """Connects one Matrix account to the router."""

    def __init__(
        self,
        config: MatrixConfig,
        router: Router,
        sessions: async_sessionmaker[AsyncSession],
        clock: Clock,
        *,
        sync_timeout_ms: int = 30_000,
        max_limit_exceeded: int = 5,
        max_timeouts: int = 5,
        retry_delays: Sequence[float] = (0.5, 1, 2, 4),
        unreadable_notice_interval: float = 3600,
    ) -> None:
        self._config = config
        self._router = router
        self._sessions = sessions
        self._clock = clock
        self._sync_timeout_ms = sync_timeout_ms
        self._handled_invites: set[str] = set()
        # Rooms that are a person's private chat with the bot (invited with is_direct).
        self._direct_rooms: set[str] = set()
        self._pending_introductions: set[str] = set()
        self._joined_at: dict[str, int] = {}
        self._started_ms = 0
        self._first_sync = False
        self._sync_task: asyncio.Task[None] | None = None
        self._stopping = False
        self.identity: Identity | None = None
        self.synced = asyncio.Event()
        self.store_path = Path(config.store_path)
        client_config = AsyncClientConfig(
            # nio retries 429s forever unless told otherwise.
            max_limit_exceeded=max_limit_exceeded,
            max_timeouts=max_timeouts,
            store_sync_tokens=False,  # the database keeps the token, after handling
            encryption_enabled=True,
            **({"pickle_key": config.pickle_key} if config.pickle_key else {}),
        )
        self.client = BotClient(
            config.homeserver,
            config.user_id,
            store_path=str(self.store_path),
            config=client_config,
        )
        self._powers = RoomPowers(self.client)
        self.outbox = Outbox(self.client, retry_delays, self._save_state)
        self.stats = self.outbox.stats
        self._key_trouble = KeyTrouble(
            self.client,
            router,
            unreadable_notice_interval,
            self._chat_ref,
            self.deliver,
            self._load_state,
            self._save_state,
        )

    # --- life cycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Log in (or restore the device), then sync in the background."""
        self.store_path.mkdir(parents=True, exist_ok=True, mode=0o700)
        # mkdir leaves an existing folder's mode alone: the keys and the token live here.
        self.store_path.chmod(0o700)
        await log_in(self.client, self._config, self.store_path)
        if self.client.should_upload_keys:
            await self.client.keys_upload()
        await self._cross_sign()
        for name in self._own_names(await self._display_name()):
            self._router.add_bot_name(PLATFORM, name)
        self._router.set_command_prefix(PLATFORM, self._config.command_prefix)
        self._router.add_notifier(PLATFORM, self)
        self.client.add_event_callback(self._on_text, RoomMessageText)
        self.client.add_event_callback(self._on_file, (RoomMessageFile, RoomEncryptedFile))
        self.client.add_event_callback(self._on_reaction, ReactionEvent)
        self.client.add_event_callback(self._on_undecryptable, MegolmEvent)
        self.client.add_event_callback(self._on_invite, InviteMemberEvent)
        self.client.add_to_device_callback(self._key_trouble.to_device, UnknownToDeviceEvent)
        async with self._sessions() as session:
            direct = await adapter_state.load_prefixed(session, PLATFORM, DIRECT_ROOM_PREFIX)
        self._direct_rooms = set(direct)
        self._started_ms = int(time.time() * 1000)
        self._sync_task = asyncio.create_task(self._sync_loop(), name="matrix-sync")
        log.info("matrix: running as %s (device %s)", self.client.user_id, self.client.device_id)

    async def _cross_sign(self) -> None:
        """Publish or reuse the bot's cross-signing identity and sign this device with it."""
        try:
            self.identity = await ensure_identity(
                self.client,
                self.store_path,
                password=self._config.password,
                pickle_key=self._config.pickle_key,
            )
        except CrossSigningError as error:
            # Not fatal: the bot works, its messages carry the "unverified device" mark.
            log.warning("matrix: cross-signing not set up this time: %s", error)

    async def ready(self, timeout: float = 60) -> None:
        """Return once the first sync is in: before it, nio knows none of the bot's rooms."""
        await asyncio.wait_for(self.synced.wait(), timeout)

    async def stop(self) -> None:
        self._stopping = True
        if self._sync_task is not None:
            self._sync_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._sync_task
        await self.client.close()

    async def _display_name(self) -> str | None:
        response = await self.client.get_displayname()
        return getattr(response, "displayname", None)

    def _own_names(self, display_name: str | None) -> list[str]:
        localpart = self.client.user_id.split(":", 1)[0].lstrip("@")
        return [name for name in (display_name, localpart, self.client.user_id) if name]

    async def _sync_loop(self) -> None:
        since = await self._load_state(SYNC_TOKEN_KEY)
        # Without a token this is the bot's first start: what happened before is history.
        self._first_sync = since is None
        failures = 0
        while not self._stopping:
            response = await self.client.sync(
                timeout=0 if self._first_sync else self._sync_timeout_ms,
                since=since,
                full_state=since is None,
            )
            if isinstance(response, SyncError):
                failures += 1
                log.warning("matrix: sync failed (%s), retrying", response.message)
                await asyncio.sleep(min(30, 0.5 * 2**failures))
                continue
            failures = 0
            # nio ran our callbacks inside sync(); only now is the batch handled.
            await self._handle_left_rooms(response)
            await self.client.keys_housekeeping()
            await self._introduce_in_new_rooms()
            since = response.next_batch
            await self._save_state(SYNC_TOKEN_KEY, since)
            self._first_sync = False
            self.synced.set()

    async def _introduce_in_new_rooms(self) -> None:
        for room_id in list(self._pending_introductions):
            room = self.client.rooms.get(room_id)
            if room is None:
                continue  # not in a sync yet: next time
            self._pending_introductions.discard(room_id)
            await self.deliver(room_id, await self._router.bot_joined(self._chat_ref(room)))

    # --- receiving -----------------------------------------------------------------------

    def _is_old(self, room_id: str, timestamp: int) -> bool:
        """Events from before the bot joined the room, or history seen at the first start."""
        if timestamp < self._joined_at.get(room_id, 0):
            return True
        return self._first_sync and timestamp < self._started_ms

    async def _on_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == self.client.user_id or self._is_old(
            room.room_id, event.server_timestamp
        ):
            return
        relates = event.source.get("content", {}).get("m.relates_to")
        if isinstance(relates, dict) and relates.get("rel_type") == "m.replace":
            await self._on_edit(room, event, relates)
            return
        attachment = None
        replied_to = replied_event_id(event.source)
        if replied_to is not None and self._router.is_command(
            self._command_text(event.body), PLATFORM
        ):
            attachment = await replied_file(self.client, room.room_id, replied_to)
        await self._answer(room, event.event_id, event.sender, event.source, attachment)

    async def _on_file(self, room: MatrixRoom, event: RoomMessageFile | RoomEncryptedFile) -> None:
        """A file with a caption (MSC2530: ``body`` is the caption when it is not the file name)."""
        if event.sender == self.client.user_id or self._is_old(
            room.room_id, event.server_timestamp
        ):
            return
        content: dict[str, Any] = event.source.get("content", {})
        filename, body = content.get("filename"), content.get("body")
        if not isinstance(body, str) or not isinstance(filename, str) or body == filename:
            return  # a file without a caption: nobody asked the bot anything
        attachment = (
            content if self._router.is_command(self._command_text(body), PLATFORM) else None
        )
        await self._answer(room, event.event_id, event.sender, event.source, attachment)

    async def _answer(
        self,
        room: MatrixRoom,
        event_id: str,
        sender: str,
        source: dict[str, Any],
        attachment: dict[str, Any] | None,
        *,
        answers: str | None = None,
    ) -> None:
        """Run the message in ``source`` and answer it (in its thread, if it has one).

        ``answers``: the event the answer refers to when it is not ``event_id`` (the original
        of an edited command).
        """
        content: dict[str, Any] = source.get("content", {})
        body = content.get("body")
        formatted = content.get("formatted_body")
        if not isinstance(body, str):
            return
        text = self._command_text(body)
        incoming = Incoming(
            chat=self._chat_ref(room),
            sender=await self._sender(room, sender),
            text=text,
            mentions=mentions(body, formatted if isinstance(formatted, str) else None, source),
            message_id=event_id,
        )
        reply = await self._handle_with_file(incoming, attachment)
        command = self._router.command_name(text, PLATFORM)
        if command is not None:
            await self._save_state(f"answered:{answers or event_id}", answer_record(command, reply))
        if reply is not None:
            await self.outbox.deliver(
                room.room_id,
                reply,
                in_reply_to=answers or event_id,
                thread_root=thread_root(source),
                key=event_id,
            )

    async def _on_edit(
        self, room: MatrixRoom, event: RoomMessageText, relates: dict[str, Any]
    ) -> None:
        """An edited message: run the edited command, ignore it, or say why not (edits.py)."""
        original = relates.get("event_id")
        new_content = event.source.get("content", {}).get("m.new_content")
        if not isinstance(original, str) or not isinstance(new_content, dict):
            return
        body = new_content.get("body")
        if not isinstance(body, str):
            return
        new_command = self._router.command_name(self._command_text(body), PLATFORM)
        outcome = decide(await self._load_state(f"answered:{original}"), new_command)
        if outcome is EditOutcome.RUN:
            source = {**event.source, "content": new_content}
            await self._answer(room, event.event_id, event.sender, source, None, answers=original)
        elif outcome is EditOutcome.TELL:
            notice = await self._router.edit_not_run(self._chat_ref(room))
            await self.deliver(room.room_id, notice, in_reply_to=event.event_id, key=event.event_id)

    def _command_text(self, body: str) -> str:
        """The message text as the router reads it: no reply quote, "!" for a custom prefix."""
        text = without_reply_fallback(body)
        prefix = self._config.command_prefix
        if prefix not in ("!", "/") and text.startswith(prefix):
            text = "!" + text[len(prefix) :]
        return text

    async def _handle_with_file(
        self, incoming: Incoming, attachment: dict[str, Any] | None
    ) -> Reply | None:
        """Run the command with the file of ``attachment`` (an m.file content), if any."""
        if attachment is None:
            return await self._router.handle(incoming)
        fetched = await fetch_file(self.client, self._router, attachment, incoming)
        if isinstance(fetched, Reply):
            return fetched  # refused: the command does not run without its file
        return await self._router.handle(replace(incoming, files=(fetched,)))

    async def _on_reaction(self, room: MatrixRoom, event: ReactionEvent) -> None:
        if event.sender == self.client.user_id or self._is_old(
            room.room_id, event.server_timestamp
        ):
            return
        stored = await self._load_state(f"choices:{event.reacts_to}")
        command = json.loads(stored).get(event.key) if stored else None
        if command is None:
            return
        incoming = Incoming(
            chat=self._chat_ref(room),
            sender=await self._sender(room, event.sender),
            text=command,
            message_id=event.event_id,
        )
        reply = await self._router.handle(incoming)
        if reply is not None:
            await self.deliver(room.room_id, reply, in_reply_to=event.reacts_to, key=event.event_id)

    async def _on_undecryptable(self, room: MatrixRoom, event: MegolmEvent) -> None:
        if not self._is_old(room.room_id, event.server_timestamp):
            await self._key_trouble.undecryptable(room, event)

    async def _on_invite(self, room: MatrixInvitedRoom, event: InviteMemberEvent) -> None:
        if event.state_key != self.client.user_id or event.membership != "invite":
            return
        if room.room_id in self._handled_invites:
            return  # nio repeats the invite state until the invite is answered
        self._handled_invites.add(room.room_id)
        if not may_invite(self._config.allowed_inviters, event.sender):
            log.info("matrix: declining invite to %s from %s", room.room_id, event.sender)
            await self.client.room_leave(room.room_id)
            return
        response = await self.client.join(room.room_id)
        if isinstance(response, JoinError):
            log.warning("matrix: cannot join %s: %s", room.room_id, response.message)
            return
        self._joined_at[room.room_id] = int(time.time() * 1000)
        log.info("matrix: joined %s on invitation of %s", room.room_id, event.sender)
        if event.content.get("is_direct"):
            await self._remember_direct(room.room_id, event.sender)
            return
        # Like in a Telegram group, the bot introduces itself: once the room is in its sync.
        self._pending_introductions.add(room.room_id)

    async def _handle_left_rooms(self, response: SyncResponse) -> None:
        """Rooms the bot was kicked or banned from: their bindings become inactive.

        nio runs no event callbacks for left rooms, so the sync response is read here.
        """
        for room_id, info in response.rooms.leave.items():
            for event in info.timeline.events:
                if not isinstance(event, RoomMemberEvent):
                    continue
                if event.state_key != self.client.user_id or event.sender == self.client.user_id:
                    continue
                if event.membership not in ("leave", "ban"):
                    continue
                log.info("matrix: removed from %s by %s", room_id, event.sender)
                room = self.client.rooms.get(room_id)
                title = room.display_name if room is not None else room_id
                chat = ChatRef(PLATFORM, room_id, room_id in self._direct_rooms, title)
                for notice in await self._router.bot_removed(chat):
                    if notice.platform == PLATFORM:
                        direct = await self.open_direct_room(notice.account_id)
                        if direct is not None:
                            await self.deliver(direct, notice.reply)

    async def _sender(self, room: MatrixRoom, user_id: str) -> Sender:
        name = room.user_name(user_id) or user_id
        return Sender(
            PLATFORM, user_id, name, None, await self._powers.is_chat_admin(room, user_id)
        )

    # --- sending -------------------------------------------------------------------------

    async def send(self, chat: ChatRef, reply: Reply, *, key: str | None = None) -> str | None:
        """The notifier interface: post ``reply`` into a room; the first event id.

        ``key`` becomes the transaction ids, so a reminder sent again after a crash is
        recognised by the homeserver and not posted twice. Raises DeliveryFailed.
        """
        ids = await self.deliver(chat.chat_id, reply, key=key, strict=True)
        return ids[0] if ids else None

    async def send_private(
        self, account_id: str, reply: Reply, *, key: str | None = None
    ) -> str | None:
        """The notifier interface: into the direct room with ``account_id`` (opened once)."""
        room_id = await self.open_direct_room(account_id)
        if room_id is None:
            raise DeliveryFailed(f"no direct room with {account_id}", permanent=False)
        return await self.send(ChatRef(PLATFORM, room_id, True), reply, key=key)

    async def deliver(
        self,
        room_id: str,
        reply: Reply,
        *,
        in_reply_to: str | None = None,
        key: str | None = None,
        strict: bool = False,
    ) -> list[str]:
        """Send a reply into a room (see `Outbox.deliver`)."""
        return await self.outbox.deliver(
            room_id, reply, in_reply_to=in_reply_to, key=key, strict=strict
        )

    async def open_direct_room(self, user_id: str) -> str | None:
        """A direct room with ``user_id`` (created and remembered on first use)."""
        known = await self._load_state(f"direct:{user_id}")
        if known:
            return known
        response = await self.client.room_create(
            is_direct=True,
            invite=[user_id],
            initial_state=[
                {
                    "type": "m.room.encryption",
                    "state_key": "",
                    "content": {"algorithm": "m.megolm.v1.aes-sha2"},
                }
            ],
        )
        room_id = getattr(response, "room_id", None)
        if room_id is None:
            log.warning("matrix: cannot open a direct room with %s: %s", user_id, response)
            return None
        await self._remember_direct(str(room_id), user_id)
        return str(room_id)

    def _chat_ref(self, room: MatrixRoom) -> ChatRef:
        # Private means a direct chat (is_direct on the invite), not merely a small room:
        # a new AG room has two members too.
        private = room.room_id in self._direct_rooms
        return ChatRef(PLATFORM, room.room_id, private, room.display_name or room.room_id)

    async def _remember_direct(self, room_id: str, user_id: str) -> None:
        """A person's private chat with the bot, found both ways (room → person → room)."""
        self._direct_rooms.add(room_id)
        await self._save_state(f"{DIRECT_ROOM_PREFIX}{room_id}", user_id)
        await self._save_state(f"direct:{user_id}", room_id)

    # --- state ---------------------------------------------------------------------------

    async def _load_state(self, key: str) -> str | None:
        async with self._sessions() as session:
            value: str | None = await adapter_state.load(session, PLATFORM, key)
            return value

    async def _save_state(self, key: str, value: str) -> None:
        async with self._sessions() as session, session.begin():
            await adapter_state.save(session, PLATFORM, key, value, self._clock.now())
