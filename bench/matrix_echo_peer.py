"""The Matrix round trip of AG-Bot beside a bare matrix-nio echo bot, in one run (issue 19).

One Synapse (``tests.synapse_server``, temporary directory), one person
(``tests.matrix_human.Human``, matrix-nio with encryption, long-polling 2 s as in the tests)
and two bots on their own accounts: AG-Bot (``MatrixAdapter``, router on a temporary SQLite
file, cross-signed device, production sync timeout of 30 s) and the peer, the smallest bot
matrix-nio makes possible: it logs in, syncs with the same 30 s long-poll, does nio's key
housekeeping after each sync and answers every text with an ``m.notice`` quoting it in reply
(``ignore_unverified_devices``, as AG-Bot). Both get a plain and an encrypted room.

The person then sends, one after another and interleaved (AG-Bot plain, peer plain, AG-Bot
encrypted, peer encrypted, again …, so that the machine's changing speed hits both alike),
``!ag`` to AG-Bot and a line of text to the peer; each figure runs from just before the
person's send until its client has the reply to exactly that message.

Usage::

    .venv/bin/python -m bench.matrix_echo_peer [--runs N] [--warmup N]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import statistics
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nio import (
    AsyncClient,
    AsyncClientConfig,
    InviteMemberEvent,
    LoginResponse,
    MatrixRoom,
    RoomMessageText,
    SyncResponse,
)

from bench.matrix_round_trip import percentile, room_with_bot, start_bot
from tests.synapse_server import RegisteredUser, SynapseServer

# Loaded by name, so that mypy (strict on bench/) does not follow it into tests/.
matrix_human: Any = importlib.import_module("tests.matrix_human")

REPLY_TIMEOUT = 30.0
SYNC_MS = 30_000


class EchoBot:
    """A bare matrix-nio bot: every text is answered with itself, as a reply."""

    def __init__(self, synapse: SynapseServer, user: RegisteredUser, store: Path) -> None:
        store.mkdir(parents=True, exist_ok=True)
        config = AsyncClientConfig(
            encryption_enabled=True, store_sync_tokens=False, max_limit_exceeded=5
        )
        self.client = AsyncClient(synapse.url, user.user_id, store_path=str(store), config=config)
        self._password = user.password
        self._task: asyncio.Task[None] | None = None
        self._started_ms = 0

    async def start(self) -> None:
        client = self.client
        response = await client.login(self._password, device_name="echo")
        if not isinstance(response, LoginResponse):
            raise RuntimeError(f"echo login failed: {response}")
        await client.keys_upload()
        first = await client.sync(timeout=0, full_state=True)
        if not isinstance(first, SyncResponse):
            raise RuntimeError(f"echo sync failed: {first}")
        self._started_ms = int(time.time() * 1000)
        client.add_event_callback(self._on_text, RoomMessageText)
        client.add_event_callback(self._on_invite, InviteMemberEvent)
        self._task = asyncio.create_task(self._loop(first.next_batch))

    async def _loop(self, since: str) -> None:
        client = self.client
        while True:
            response = await client.sync(timeout=SYNC_MS, since=since)
            if not isinstance(response, SyncResponse):
                await asyncio.sleep(0.5)
                continue
            since = response.next_batch
            await client.send_to_device_messages()
            if client.should_upload_keys:
                await client.keys_upload()
            if client.should_query_keys:
                await client.keys_query()
            if client.should_claim_keys:
                await client.keys_claim(client.get_users_for_key_claiming())

    async def _on_invite(self, room: MatrixRoom, event: InviteMemberEvent) -> None:
        if event.state_key == self.client.user_id and event.membership == "invite":
            await self.client.join(room.room_id)

    async def _on_text(self, room: MatrixRoom, event: RoomMessageText) -> None:
        if event.sender == self.client.user_id or event.server_timestamp < self._started_ms:
            return
        if self.client.should_query_keys:
            await self.client.keys_query()
        content = {
            "msgtype": "m.notice",
            "body": event.body,
            "m.relates_to": {"m.in_reply_to": {"event_id": event.event_id}},
        }
        await self.client.room_send(
            room.room_id, "m.room.message", content, ignore_unverified_devices=True
        )

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        await self.client.close()


@dataclass
class Target:
    peer: str  # "AG-Bot" or "nio echo"
    kind: str  # "plain" or "encrypted"
    room_id: str
    bot_user_id: str
    text: str
    samples: list[float]


async def round_trip(human: Any, target: Target) -> float:
    mark = human.checkpoint()
    began = time.perf_counter()
    sent = await human.send_text(target.room_id, target.text)

    def answers(event: Any) -> bool:
        relates = event.source.get("content", {}).get("m.relates_to", {})
        return bool(relates.get("m.in_reply_to", {}).get("event_id") == sent)

    await human.wait_for_message(
        target.room_id, answers, sender=target.bot_user_id, since=mark, timeout=REPLY_TIMEOUT
    )
    return time.perf_counter() - began


async def echo_room(human: Any, echo: EchoBot, kind: str) -> str:
    room_id: str = await human.create_room(
        f"Echo {kind}", encrypted=kind == "encrypted", invite=[echo.client.user_id]
    )
    await human.wait_for_join(room_id, echo.client.user_id, timeout=20)
    await asyncio.sleep(0.5)
    return room_id


async def run(synapse: SynapseServer, directory: Path, args: argparse.Namespace) -> list[Target]:
    human = await matrix_human.Human.login(
        synapse, synapse.new_user("anna"), directory / "human", True
    )
    app, bot = await start_bot(
        synapse,
        f"sqlite+aiosqlite:///{directory / 'agbot.db'}",
        directory / "bot",
        synapse.new_user("agbot"),
        SYNC_MS,
    )
    echo = EchoBot(synapse, synapse.new_user("echo"), directory / "echo")
    await echo.start()
    try:
        targets: list[Target] = []
        for kind in ("plain", "encrypted"):
            targets.append(
                Target(
                    "AG-Bot",
                    kind,
                    await room_with_bot(human, bot, kind),
                    bot.client.user_id,
                    args.command,
                    [],
                )
            )
            targets.append(
                Target(
                    "nio echo",
                    kind,
                    await echo_room(human, echo, kind),
                    echo.client.user_id,
                    "Hallo Echo",
                    [],
                )
            )
        for _ in range(args.warmup):
            for target in targets:
                await round_trip(human, target)
        for _ in range(args.runs):
            for target in targets:
                target.samples.append(await round_trip(human, target))
        return targets
    finally:
        await echo.stop()
        await bot.stop()
        await app.close()
        await human.close()


def report(targets: Sequence[Target], args: argparse.Namespace) -> None:
    print(f"{args.runs} measured round trips per row, {args.warmup} warm-up, interleaved\n")
    print("| room      | bot      | p50 ms | p99 ms | mean ms |")
    print("|-----------|----------|-------:|-------:|--------:|")
    stats: dict[tuple[str, str], tuple[float, float]] = {}
    for target in targets:
        ms = [sample * 1e3 for sample in target.samples]
        p50, p99 = percentile(ms, 0.5), percentile(ms, 0.99)
        stats[(target.kind, target.peer)] = (p50, p99)
        print(
            f"| {target.kind:<9} | {target.peer:<8} | {p50:6.1f} | {p99:6.1f} | "
            f"{statistics.fmean(ms):7.1f} |"
        )
    print()
    for kind in ("plain", "encrypted"):
        ours, peer = stats[(kind, "AG-Bot")], stats[(kind, "nio echo")]
        print(
            f"{kind}: AG-Bot / nio echo = {ours[0] / peer[0]:.2f}x at p50, "
            f"{ours[1] / peer[1]:.2f}x at p99"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--command", default="!ag")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="agbot-echo-bench-") as temporary:
        directory = Path(temporary)
        with SynapseServer(directory / "synapse") as synapse:
            targets = asyncio.run(run(synapse, directory, args))
    report(targets, args)


if __name__ == "__main__":
    main()
