"""A human test participant in Matrix rooms: a matrix-nio `AsyncClient` with a sync loop.

`Human` logs in to the test Synapse (see ``tests/synapse_server.py``), keeps syncing in a
background task, records every room event it receives after its first sync, and offers
small awaitable helpers to act (create rooms, invite, send text/files/reactions, change
power levels) and to wait for what others do (messages, reactions, joins, invites).

Rules that keep tests fast and honest:

* Every wait has a timeout (default `DEFAULT_TIMEOUT` seconds) and fails with an
  ``AssertionError`` that lists what was seen; nothing can hang.
* nio returns errors instead of raising them: every response is checked here and a failed
  request raises `MatrixRequestError` (``.response`` holds the nio ``ErrorResponse``).
* The client is configured with ``max_limit_exceeded=0`` (a 429 comes back as an error
  instead of being retried forever) and ``max_timeouts=2``.
* If the sync loop dies, the next wait raises its error instead of timing out.

Encryption (vodozemac via ``matrix-nio[e2e]``): keys are uploaded right after login, device
lists are queried before every encrypted send, and messages go to unverified devices
(``ignore_unverified_devices=True``), like a real client whose user accepts all devices.
Received ``m.room.encrypted`` events are decrypted by nio during sync; events that could not
be decrypted are kept as ``MegolmEvent`` in `Human.undecryptable`.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import itertools
import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar
from uuid import uuid4

from nio import (
    Api,
    AsyncClient,
    AsyncClientConfig,
    ErrorResponse,
    Event,
    JoinResponse,
    KeysQueryResponse,
    KeysUploadResponse,
    LoginResponse,
    MatrixRoom,
    MegolmEvent,
    MemoryDownloadResponse,
    ReactionEvent,
    RoomCreateResponse,
    RoomEncryptedMedia,
    RoomGetStateEventResponse,
    RoomInviteResponse,
    RoomLeaveResponse,
    RoomMessage,
    RoomMessageMedia,
    RoomPutStateResponse,
    RoomSendResponse,
    SyncResponse,
    UploadResponse,
)
from nio.crypto import decrypt_attachment

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 10.0
SYNC_LONG_POLL_MS = 2000
MEGOLM = "m.megolm.v1.aes-sha2"

EventT = TypeVar("EventT", bound=Event)
Match = str | Callable[[RoomMessage], bool] | None


class ServerLike(Protocol):
    """What `Human.login` needs from the server (``tests.synapse_server.SynapseServer``)."""

    url: str


class UserLike(Protocol):
    """What `Human.login` needs from a registered user (``RegisteredUser``)."""

    user_id: str
    password: str
    access_token: str
    device_id: str


class MatrixRequestError(AssertionError):
    """A Matrix request made by a `Human` failed; ``response`` is nio's error response."""

    def __init__(self, what: str, response: Any) -> None:
        super().__init__(f"{what} failed: {response}")
        self.response = response

    @property
    def errcode(self) -> str | None:
        """The Matrix ``errcode`` (nio calls it ``status_code``), e.g. ``M_LIMIT_EXCEEDED``."""
        return getattr(self.response, "status_code", None)

    @property
    def http_status(self) -> int | None:
        """The HTTP status of the failed request, if nio kept the transport response."""
        transport = getattr(self.response, "transport_response", None)
        return getattr(transport, "status", None)

    @property
    def retry_after_ms(self) -> int | None:
        """``retry_after_ms`` of a 429 answer."""
        return getattr(self.response, "retry_after_ms", None)


def _check(response: Any, expected: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(response, expected):
        raise MatrixRequestError(what, response)
    return response


@dataclass(frozen=True)
class Seen:
    """One recorded room event: a global sequence number, the room and nio's event."""

    seq: int
    room_id: str
    event: Event


def _describe(event: Event) -> str:
    body = getattr(event, "body", None)
    kind = type(event).__name__
    if isinstance(event, ReactionEvent):
        return f"{kind} {event.sender}: {event.key} -> {event.reacts_to}"
    if body is not None:
        return f"{kind} {event.sender}: {body!r}"
    return f"{kind} {event.sender}: {event.source.get('type')}"


class Human:
    """A Matrix user driven by a test. Create with `Human.login`, end with `close`."""

    def __init__(self, client: AsyncClient, *, encryption: bool) -> None:
        self.client = client
        self.user_id: str = client.user_id
        self.encryption = encryption
        self._seen: list[Seen] = []
        self._seq = itertools.count(1)
        self._changed = asyncio.Condition()
        self._sync_task: asyncio.Task[None] | None = None
        self._sync_error: BaseException | None = None
        self._sync_count = 0
        self._recording = False
        self._keys_lock = asyncio.Lock()

    # ------------------------------------------------------------------ life cycle

    @classmethod
    async def login(
        cls,
        server: ServerLike,
        user: UserLike,
        store_dir: Path | str,
        encryption: bool = True,
        *,
        password_login: bool = False,
        device_name: str = "test human",
        max_limit_exceeded: int | None = 0,
        request_timeout: float = 10.0,
    ) -> Human:
        """Log in, upload device keys, run the first sync and start the sync loop.

        By default the device that registration created is reused (``restore_login`` with
        the user's access token and device id), so no extra device and no login request.
        ``password_login=True`` logs in with the password instead (a new device).
        ``store_dir`` holds nio's crypto store (one SQLite file per user and device).
        ``max_limit_exceeded=None`` restores nio's default of retrying 429s forever.
        """
        store = Path(store_dir)
        store.mkdir(parents=True, exist_ok=True)
        config = AsyncClientConfig(
            encryption_enabled=encryption,
            store_sync_tokens=False,
            max_limit_exceeded=max_limit_exceeded,
            max_timeouts=2,
            request_timeout=request_timeout,
        )
        client = AsyncClient(server.url, user.user_id, store_path=str(store), config=config)
        try:
            if password_login:
                resp = await client.login(user.password, device_name=device_name)
                _check(resp, LoginResponse, f"login of {user.user_id}")
            else:
                client.restore_login(user.user_id, user.device_id, user.access_token)
            human = cls(client, encryption=encryption)
            await human._start()
        except BaseException:
            await client.close()
            raise
        return human

    async def _start(self) -> None:
        self.client.add_event_callback(self._on_event, Event)
        if self.encryption:
            await self._manage_keys()
        first = await self.client.sync(timeout=0, full_state=True)
        _check(first, SyncResponse, f"first sync of {self.user_id}")
        self._recording = True  # history from the first sync is not recorded
        if self.encryption:
            await self._manage_keys()
        self._sync_task = asyncio.create_task(self._sync_loop(), name=f"sync {self.user_id}")

    async def close(self) -> None:
        """Stop the sync loop and close the HTTP session. Idempotent."""
        task, self._sync_task = self._sync_task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await asyncio.wait_for(task, 5)
        await self.client.close()

    async def __aenter__(self) -> Human:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    # ------------------------------------------------------------------ sync loop

    async def _sync_loop(self) -> None:
        """Long-poll sync until cancelled; on a lasting failure record it and stop.

        Waiters see ``_sync_error`` at once and fail instead of running into their timeout.
        """
        failures = 0
        try:
            while True:
                try:
                    resp = await self.client.sync(timeout=SYNC_LONG_POLL_MS)
                    if not isinstance(resp, SyncResponse):
                        raise MatrixRequestError(f"sync of {self.user_id}", resp)
                    if self.encryption:
                        await self._manage_keys()
                        await self._send_to_device()
                except (asyncio.CancelledError, KeyboardInterrupt):
                    raise
                except Exception as err:
                    failures += 1
                    if failures >= 3:
                        raise
                    logger.warning("%s: sync failed (%d): %r", self.user_id, failures, err)
                    await asyncio.sleep(0.2)
                    continue
                failures = 0
                self._sync_count += 1
                await self._notify()
        except Exception as err:
            self._sync_error = err
            logger.error("%s: sync loop died: %r", self.user_id, err)
            await self._notify()

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def _manage_keys(self) -> None:
        """Upload our keys, query changed device lists, claim one-time keys (as nio's loop)."""
        client = self.client
        async with self._keys_lock:
            if client.should_upload_keys:
                _check(await client.keys_upload(), KeysUploadResponse, "keys upload")
            if client.should_query_keys:
                _check(await client.keys_query(), KeysQueryResponse, "keys query")
            if client.should_claim_keys:
                users = client.get_users_for_key_claiming()
                if users:
                    resp = await client.keys_claim(users)
                    if isinstance(resp, ErrorResponse):
                        logger.warning("%s: keys claim failed: %s", self.user_id, resp)

    async def _send_to_device(self) -> None:
        for resp in await self.client.send_to_device_messages():
            if isinstance(resp, ErrorResponse):
                logger.warning("%s: to-device send failed: %s", self.user_id, resp)

    def _on_event(self, room: MatrixRoom, event: Event) -> None:
        if self._recording:
            self._seen.append(Seen(next(self._seq), room.room_id, event))

    async def _wait_until(
        self, check: Callable[[], Any], timeout: float, describe: Callable[[], str]
    ) -> Any:
        """Await until ``check()`` returns something truthy (re-checked after each sync)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self._changed:
            while True:
                result = check()
                if result:
                    return result
                if self._sync_error is not None:
                    raise AssertionError(
                        f"{self.user_id}: sync loop died ({self._sync_error!r}) while waiting: "
                        f"{describe()}"
                    ) from self._sync_error
                remaining = deadline - loop.time()
                if remaining <= 0:
                    raise AssertionError(
                        f"{self.user_id}: timed out after {timeout:.1f} s waiting: {describe()}"
                    )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._changed.wait(), remaining)

    async def wait_synced(self, syncs: int = 1, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until the sync loop has completed ``syncs`` more sync requests."""
        target = self._sync_count + syncs
        await self._wait_until(
            lambda: self._sync_count >= target, timeout, lambda: f"{syncs} more sync(s)"
        )

    # ------------------------------------------------------------------ what was seen

    def checkpoint(self) -> int:
        """A marker for ``since=``: waits then only consider events received after it."""
        return self._seen[-1].seq if self._seen else 0

    def events(
        self, room_id: str | None = None, *, since: int = 0, kind: type[EventT] = Event
    ) -> list[EventT]:
        """Events received (after login) in ``room_id`` (all rooms if None) of type ``kind``."""
        found: list[EventT] = []
        for seen in self._seen:
            event = seen.event
            in_room = room_id is None or seen.room_id == room_id
            if seen.seq > since and in_room and isinstance(event, kind):
                found.append(event)
        return found

    def messages(
        self,
        room_id: str,
        *,
        sender: str | None = None,
        include_own: bool = True,
        since: int = 0,
    ) -> list[RoomMessage]:
        """``m.room.message`` events (decrypted ones included) received so far in the room."""
        return [
            e
            for e in self.events(room_id, since=since, kind=RoomMessage)
            if (sender is None or e.sender == sender) and (include_own or e.sender != self.user_id)
        ]

    def undecryptable(self, room_id: str | None = None) -> list[MegolmEvent]:
        """Encrypted events that nio could not decrypt (no room key)."""
        return self.events(room_id, kind=MegolmEvent)

    def _seen_summary(self, room_id: str | None, since: int = 0) -> str:
        lines = [
            f"  {_describe(e)}"
            for e in self.events(room_id, since=since)
            if isinstance(e, (RoomMessage, ReactionEvent, MegolmEvent))
        ]
        return "seen so far:\n" + ("\n".join(lines) if lines else "  (nothing)")

    # ------------------------------------------------------------------ waiting

    async def wait_for_event(
        self,
        room_id: str | None,
        predicate: Callable[[Event], bool],
        *,
        kind: type[EventT] = Event,
        since: int = 0,
        timeout: float = DEFAULT_TIMEOUT,
        description: str = "an event",
    ) -> EventT:
        """The first received event of type ``kind`` for which ``predicate`` holds."""

        def find() -> EventT | None:
            for e in self.events(room_id, since=since, kind=kind):
                if predicate(e):
                    return e
            return None

        result: EventT = await self._wait_until(
            find, timeout, lambda: f"{description}; {self._seen_summary(room_id, since)}"
        )
        return result

    async def wait_for_message(
        self,
        room_id: str,
        match: Match = None,
        *,
        sender: str | None = None,
        include_own: bool = False,
        since: int = 0,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> RoomMessage:
        """The first message in the room that matches (decrypted messages included).

        ``match`` is a substring of ``body``, a predicate on the nio event, or None for any
        message. The human's own messages are skipped unless ``include_own``. Messages
        received before the call count too; pass ``since=human.checkpoint()`` taken before
        the action to see only newer ones. Raises AssertionError listing what was seen.
        """

        def predicate(event: Event) -> bool:
            if not isinstance(event, RoomMessage):
                return False
            if sender is not None and event.sender != sender:
                return False
            if not include_own and event.sender == self.user_id:
                return False
            if match is None:
                return True
            if isinstance(match, str):
                return match in (getattr(event, "body", None) or "")
            return bool(match(event))

        described = "any message" if match is None else f"message matching {match!r}"
        if sender:
            described += f" from {sender}"
        return await self.wait_for_event(
            room_id,
            predicate,
            kind=RoomMessage,
            since=since,
            timeout=timeout,
            description=f"{described} in {room_id}",
        )

    async def assert_no_message(
        self,
        room_id: str,
        match: Match = None,
        *,
        sender: str | None = None,
        since: int = 0,
        within: float = 1.5,
    ) -> None:
        """Fail if a matching message arrives within ``within`` seconds (or arrived already)."""
        try:
            found = await self.wait_for_message(
                room_id, match, sender=sender, since=since, timeout=within
            )
        except AssertionError as err:
            if "timed out" in str(err):
                return
            raise
        raise AssertionError(f"{self.user_id}: unexpected message {_describe(found)}")

    async def wait_for_reaction(
        self,
        room_id: str,
        *,
        event_id: str | None = None,
        key: str | None = None,
        sender: str | None = None,
        since: int = 0,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> ReactionEvent:
        """The first ``m.reaction`` (plain or decrypted) that fits the given filters."""

        def predicate(event: Event) -> bool:
            return (
                isinstance(event, ReactionEvent)
                and (event_id is None or event.reacts_to == event_id)
                and (key is None or event.key == key)
                and (sender is None or event.sender == sender)
            )

        return await self.wait_for_event(
            room_id,
            predicate,
            kind=ReactionEvent,
            since=since,
            timeout=timeout,
            description=f"reaction key={key!r} to={event_id} from={sender}",
        )

    def _is_joined(self, room_id: str, user_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return bool(room and user_id in room.users and user_id not in room.invited_users)

    async def wait_for_join(
        self, room_id: str, user_id: str, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        """Wait until this human's view of the room shows ``user_id`` as joined.

        Call this before sending to an encrypted room that someone just joined: the room key
        is only shared with members this client knows about.
        """

        def describe() -> str:
            room = self.client.rooms.get(room_id)
            members = sorted(room.users) if room else "room not synced"
            return f"{user_id} to join {room_id}; members: {members}"

        await self._wait_until(lambda: self._is_joined(room_id, user_id), timeout, describe)

    async def wait_for_leave(
        self, room_id: str, user_id: str, timeout: float = DEFAULT_TIMEOUT
    ) -> None:
        """Wait until ``user_id`` is no longer a member (left, declined or was kicked)."""

        def gone() -> bool:
            room = self.client.rooms.get(room_id)
            return room is not None and user_id not in room.users

        await self._wait_until(gone, timeout, lambda: f"{user_id} to leave {room_id}")

    async def wait_for_invite(
        self,
        room_id: str | None = None,
        *,
        inviter: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> str:
        """Wait for an invite (to ``room_id``, or from ``inviter``); return the room id."""

        def find() -> str | None:
            for rid, room in self.client.invited_rooms.items():
                if (room_id is None or rid == room_id) and (
                    inviter is None or room.inviter == inviter
                ):
                    return rid
            return None

        result: str = await self._wait_until(
            find, timeout, lambda: f"an invite to {room_id or 'any room'} from {inviter}"
        )
        return result

    async def _wait_for_room(self, room_id: str, *, encrypted: bool, timeout: float) -> None:
        def ready() -> bool:
            room = self.client.rooms.get(room_id)
            return room is not None and (not encrypted or bool(room.encrypted))

        await self._wait_until(ready, timeout, lambda: f"room {room_id} to appear in sync")

    # ------------------------------------------------------------------ rooms

    async def create_room(
        self,
        name: str | None = None,
        *,
        encrypted: bool = False,
        invite: Sequence[str] = (),
        user_levels: Mapping[str, int] | None = None,
        power_level_override: Mapping[str, Any] | None = None,
        is_direct: bool = False,
        room_version: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> str:
        """Create a private room and wait until it appears in this human's sync.

        ``encrypted`` adds ``m.room.encryption`` (megolm) to the initial state.
        ``user_levels`` ({user id: level}) is applied right after creation with one
        ``m.room.power_levels`` update. ``power_level_override`` is passed to ``createRoom``
        as it is; it replaces whole keys of the default content, and in room version 12 (the
        default of Synapse >= 1.163?) the creator must NOT appear in ``users``.
        """
        initial_state: list[dict[str, Any]] = []
        if encrypted:
            initial_state.append(
                {"type": "m.room.encryption", "state_key": "", "content": {"algorithm": MEGOLM}}
            )
        resp = await self.client.room_create(
            name=name,
            invite=list(invite),
            initial_state=initial_state,
            power_level_override=dict(power_level_override) if power_level_override else None,
            is_direct=is_direct,
            room_version=room_version,
        )
        _check(resp, RoomCreateResponse, f"create room {name!r}")
        room_id = str(resp.room_id)
        await self._wait_for_room(room_id, encrypted=encrypted, timeout=timeout)
        if user_levels:
            await self.set_power_levels(room_id, user_levels)
        return room_id

    async def invite(self, room_id: str, user_id: str) -> None:
        """Invite ``user_id`` to the room."""
        resp = await self.client.room_invite(room_id, user_id)
        _check(resp, RoomInviteResponse, f"invite {user_id} to {room_id}")

    async def join(self, room_id: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Join (accept an invite to) a room and wait until it appears in sync."""
        resp = await self.client.join(room_id)
        _check(resp, JoinResponse, f"join {room_id}")
        encrypted = False
        invited = self.client.invited_rooms.get(room_id)
        if invited is not None:
            encrypted = bool(invited.encrypted)
        await self._wait_for_room(room_id, encrypted=encrypted, timeout=timeout)
        await self._wait_until(
            lambda: self._is_joined(room_id, self.user_id),
            timeout,
            lambda: f"own join of {room_id}",
        )

    async def leave(self, room_id: str) -> None:
        """Leave (or decline an invite to) a room."""
        resp = await self.client.room_leave(room_id)
        _check(resp, RoomLeaveResponse, f"leave {room_id}")

    async def power_levels(self, room_id: str) -> dict[str, Any]:
        """The room's current ``m.room.power_levels`` content."""
        resp = await self.client.room_get_state_event(room_id, "m.room.power_levels")
        _check(resp, RoomGetStateEventResponse, f"get power levels of {room_id}")
        return dict(resp.content)

    async def set_power_level(self, room_id: str, user_id: str, level: int) -> None:
        """Give ``user_id`` the power ``level`` in the room (read-modify-write)."""
        await self.set_power_levels(room_id, {user_id: level})

    async def set_power_levels(self, room_id: str, user_levels: Mapping[str, int]) -> None:
        """Set several users' power levels with one ``m.room.power_levels`` event."""
        content = await self.power_levels(room_id)
        content["users"] = {**content.get("users", {}), **user_levels}
        resp = await self.client.room_put_state(room_id, "m.room.power_levels", content)
        _check(resp, RoomPutStateResponse, f"set power levels {dict(user_levels)} in {room_id}")

    # ------------------------------------------------------------------ sending

    def _encrypted(self, room_id: str) -> bool:
        room = self.client.rooms.get(room_id)
        return bool(room and room.encrypted)

    async def send_event(
        self,
        room_id: str,
        event_type: str,
        content: dict[str, Any],
        *,
        txn_id: str | None = None,
    ) -> str:
        """Send any room event (encrypted in encrypted rooms, except reactions); event id.

        Raises `MatrixRequestError` on failure, e.g. a 429 with ``errcode ==
        "M_LIMIT_EXCEEDED"`` and ``retry_after_ms`` (with the default
        ``max_limit_exceeded=0``).
        """
        if room_id not in self.client.rooms:
            raise AssertionError(f"{self.user_id} has not (yet) joined {room_id}")
        if self.encryption and self._encrypted(room_id):
            await self._manage_keys()  # learn about devices of members that just joined
        resp = await self.client.room_send(
            room_id,
            event_type,
            content,
            tx_id=txn_id,
            ignore_unverified_devices=True,
        )
        _check(resp, RoomSendResponse, f"send {event_type} to {room_id}")
        return str(resp.event_id)

    async def send_raw(
        self,
        room_id: str,
        event_type: str,
        content: dict[str, Any],
        *,
        txn_id: str | None = None,
    ) -> str:
        """Send an event exactly as given: nio's automatic encryption is bypassed.

        ``AsyncClient.room_send`` encrypts every type except ``m.reaction`` in encrypted
        rooms, so an already encrypted payload (``m.room.encrypted``) must go this way.
        """
        method, path, data = Api.room_send(
            self.client.access_token, room_id, event_type, content, txn_id or uuid4()
        )
        resp = await self.client._send(RoomSendResponse, method, path, data, (room_id,))
        _check(resp, RoomSendResponse, f"send raw {event_type} to {room_id}")
        return str(resp.event_id)

    async def send_text(
        self,
        room_id: str,
        body: str,
        *,
        formatted_body: str | None = None,
        mentions: Iterable[str] | None = None,
        reply_to: str | None = None,
        msgtype: str = "m.text",
        txn_id: str | None = None,
    ) -> str:
        """Send a text message; return its event id.

        ``formatted_body`` is sent as ``org.matrix.custom.html``; ``mentions`` (user ids)
        become ``m.mentions``; ``reply_to`` adds ``m.relates_to.m.in_reply_to``.
        """
        content: dict[str, Any] = {"msgtype": msgtype, "body": body}
        if formatted_body is not None:
            content["format"] = "org.matrix.custom.html"
            content["formatted_body"] = formatted_body
        if mentions is not None:
            content["m.mentions"] = {"user_ids": list(mentions)}
        if reply_to is not None:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        return await self.send_event(room_id, "m.room.message", content, txn_id=txn_id)

    async def react(self, room_id: str, event_id: str, key: str, *, encrypt: bool = False) -> str:
        """React to ``event_id`` with ``key`` (an emoji); return the reaction's event id.

        nio sends ``m.reaction`` unencrypted even in encrypted rooms; Element encrypts it.
        ``encrypt=True`` sends it encrypted (as ``m.room.encrypted``), like Element does.
        """
        content = {"m.relates_to": {"rel_type": "m.annotation", "event_id": event_id, "key": key}}
        if not encrypt:
            return await self.send_event(room_id, "m.reaction", content)
        if not self._encrypted(room_id):
            raise AssertionError(f"{room_id} is not encrypted")
        await self._ensure_group_session(room_id)
        event_type, encrypted = self.client.encrypt(room_id, "m.reaction", content)
        return await self.send_raw(room_id, event_type, encrypted)

    async def _ensure_group_session(self, room_id: str) -> None:
        client = self.client
        await self._manage_keys()
        if client.olm is not None and client.olm.should_share_group_session(room_id):
            resp = await client.share_group_session(room_id, ignore_unverified_devices=True)
            if isinstance(resp, ErrorResponse):
                raise MatrixRequestError(f"share group session for {room_id}", resp)

    async def send_undecryptable(self, room_id: str) -> str:
        """Send an ``m.room.encrypted`` event that nobody can decrypt (unknown session).

        Receivers see it as a ``MegolmEvent``, like a message whose room key never arrived.
        """
        content = {
            "algorithm": MEGOLM,
            "sender_key": "x" * 43,
            "ciphertext": "AwgAEpAB" + "A" * 100,
            "session_id": "y" * 43,
            "device_id": self.client.device_id,
        }
        return await self.send_raw(room_id, "m.room.encrypted", content)

    async def send_file(
        self,
        room_id: str,
        data: bytes,
        filename: str,
        mimetype: str = "application/octet-stream",
        *,
        caption: str | None = None,
        reply_to: str | None = None,
        encrypt: bool | None = None,
    ) -> str:
        """Upload ``data`` and send it as ``m.file``; return the event id.

        The file is encrypted (``upload(..., encrypt=True)``, a ``file`` object with key, iv
        and hashes) in encrypted rooms unless ``encrypt`` says otherwise. ``caption`` becomes
        the ``body`` next to ``filename`` (MSC2530, a file with a caption); ``reply_to`` adds
        ``m.relates_to.m.in_reply_to``.
        """
        if encrypt is None:
            encrypt = self._encrypted(room_id)
        upload, keys = await self.client.upload(
            lambda *_: io.BytesIO(data),
            content_type=mimetype,
            filename=filename,
            encrypt=encrypt,
            filesize=len(data),
        )
        _check(upload, UploadResponse, f"upload {filename}")
        content: dict[str, Any] = {
            "msgtype": "m.file",
            "body": caption if caption is not None else filename,
            "filename": filename,
            "info": {"mimetype": mimetype, "size": len(data)},
        }
        if encrypt:
            assert keys is not None
            content["file"] = {"url": upload.content_uri, "mimetype": mimetype, **keys}
        else:
            content["url"] = upload.content_uri
        if reply_to is not None:
            content["m.relates_to"] = {"m.in_reply_to": {"event_id": reply_to}}
        return await self.send_event(room_id, "m.room.message", content)

    # ------------------------------------------------------------------ files

    async def download(self, source: str | RoomMessageMedia | RoomEncryptedMedia) -> bytes:
        """The bytes of a received file: an ``mxc://`` URL or a (decrypted) file event.

        Encrypted attachments (``RoomEncryptedFile`` etc. in encrypted rooms) are decrypted
        with nio's ``decrypt_attachment`` (this also checks the SHA-256 hash).
        """
        url = source if isinstance(source, str) else source.url
        resp = await self.client.download(mxc=url)
        _check(resp, MemoryDownloadResponse, f"download {url}")
        body: bytes = resp.body
        if isinstance(source, RoomEncryptedMedia):
            return bytes(
                decrypt_attachment(body, source.key["k"], source.hashes["sha256"], source.iv)
            )
        return body


class Humans:
    """Creates humans with fresh users on one server and closes them all at the end.

    ``server`` is a ``SynapseServer`` (needs ``new_user`` and ``url``); each human's crypto
    store lives in ``base_dir/<localpart>``. Use as a fixture::

        @pytest.fixture
        async def humans(synapse, tmp_path):
            group = Humans(synapse, tmp_path / "humans")
            yield group
            await group.close()
    """

    def __init__(self, server: Any, base_dir: Path | str) -> None:
        self.server = server
        self.base_dir = Path(base_dir)
        self._created: list[Human] = []

    async def new(self, name: str = "human", encryption: bool = True, **login_args: Any) -> Human:
        """Register ``<name>-<n>`` and log in as a `Human` (``login_args`` go to login)."""
        user = self.server.new_user(name)
        human = await Human.login(
            self.server, user, self.base_dir / user.localpart, encryption, **login_args
        )
        self._created.append(human)
        return human

    async def close(self) -> None:
        """Close every human created here."""
        humans, self._created = self._created, []
        for human in humans:
            await human.close()
