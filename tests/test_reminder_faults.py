"""A bot process killed with SIGKILL while it dispatches 1,000 due reminders, restarted:
every reminder arrives; on Matrix none twice (the homeserver drops a repeated transaction
id), on Telegram at most the message in flight to a chat twice (Telegram has no
idempotent send; see the adapter's ``send``)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.app import create_app
from bot.config import Config
from core.clock import SystemClock
from reminders.dispatcher import DispatchSettings
from storage import groups, people
from tests.reminder_rows import add_due_reminders
from tests.synapse_server import SynapseServer
from tests.telegram_emulator import TelegramEmulator

ROOT = Path(__file__).resolve().parent.parent
REMINDERS = 1_000
PREFIX = "Fehlertest"
REMINDER = re.compile(rf"{PREFIX} \d{{4}}")
# The most chats a dispatcher sends to at once: the most that can be in flight at a kill.
IN_FLIGHT = DispatchSettings().parallel


async def bind_chats(url: str, platform: str, chats: list[str]) -> None:
    """An AG whose chats are ``chats`` (migrating the database on the way)."""
    config = replace(Config(), database=replace(Config().database, url=url))
    app = await create_app(config, SystemClock())
    try:
        async with app.sessions() as session, session.begin():
            now = app.clock.now()
            founder = await people.person_for_account(
                session, people.SeenAccount(platform, "founder", "Founder"), now
            )
            group = await groups.create_group(
                session, "AG Fehlertest", now, language="de", timezone="Europe/Berlin"
            )
            for chat in chats:
                await groups.bind_chat(session, group, platform, chat, chat, founder.id, now)
    finally:
        await app.close()


async def add_reminders(url: str, chats: list[tuple[str, str]]) -> None:
    config = replace(Config(), database=replace(Config().database, url=url))
    app = await create_app(config, SystemClock())
    try:
        due = datetime.now(UTC) - timedelta(minutes=1)
        await add_due_reminders(app.sessions, chats, REMINDERS, due, prefix=PREFIX)
    finally:
        await app.close()


async def start_bot(config: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    """``agbot run`` with ``config``; its log goes to ``bot.log`` beside the config."""
    log = (config.parent / "bot.log").open("ab")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "run",
        "--config",
        str(config),
        cwd=ROOT,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=log,
    )


async def wait_until(
    check: Callable[[], bool],
    timeout: float,
    what: str,
    state: Callable[[], str] = lambda: "",
) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what} {state()}")
        await asyncio.sleep(0.3)


def reminder_texts(texts: list[str]) -> Counter[str]:
    """How often each reminder ("Fehlertest 0042") arrived."""
    return Counter(match[0] for text in texts for match in [REMINDER.search(text)] if match)


# Short leases and sweeps, so the rows the killed process held are taken again soon.
async def kill_and_restart(
    config: Path,
    env: dict[str, str],
    texts: Callable[[], list[str]],
    up: Callable[[], Awaitable[None]],
    fill: Callable[[], Awaitable[None]],
) -> tuple[int, Counter[str]]:
    """Start the bot, add the reminders, SIGKILL it after 300, restart it until all came.

    Returns how many had arrived at the kill and how often each one arrived in the end.
    """
    bot = await start_bot(config, env)
    try:
        await up()
        await fill()
        await wait_until(lambda: len(reminder_texts(texts())) >= 300, 90, "300 reminders")
    finally:
        bot.send_signal(signal.SIGKILL)
        await bot.wait()
    at_kill = len(reminder_texts(texts()))
    assert at_kill < REMINDERS, "killed too late to test anything"
    bot = await start_bot(config, env)
    try:
        await wait_until(
            lambda: len(reminder_texts(texts())) == REMINDERS,
            180,
            "every reminder",
            lambda: f"{len(reminder_texts(texts()))} distinct, {len(texts())} messages",
        )
        await asyncio.sleep(4)  # longer than a lease: a late repeat would show now
    finally:
        bot.send_signal(signal.SIGTERM)
        await asyncio.wait_for(bot.wait(), 30)
    return at_kill, reminder_texts(texts())


REMINDER_SETTINGS = "[reminders]\nlease_seconds = 3\nsweep_seconds = 1\n"


async def test_telegram_after_sigkill_every_reminder_arrives_at_most_in_flight_twice(
    tmp_path: Path,
) -> None:
    # Telegram allows 20 messages a minute per group: 100 groups take 1,000 in about 35 s.
    group_ids = [-1_000_000_000_000 - n for n in range(100)]
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await bind_chats(url, "telegram", [str(chat) for chat in group_ids])
    async with TelegramEmulator() as tg:
        for chat in group_ids:
            tg.add_chat(chat, "supergroup", title=f"AG {chat}")
        config = tmp_path / "config.toml"
        config.write_text(
            f'[database]\nurl = "{url}"\n'
            f'[telegram]\nbase_url = "{tg.base_url}"\nbase_file_url = "{tg.base_file_url}"\n'
            + REMINDER_SETTINGS,
            encoding="utf-8",
        )
        env = {"AGBOT_TELEGRAM_TOKEN": tg.token}

        def texts() -> list[str]:
            return [str(message.get("text", "")) for message in tg.sent_messages()]

        async def up() -> None:
            await tg.wait_for(lambda: tg.commands(), timeout=60, message="the bot is up")

        chats = [("telegram", str(chat)) for chat in group_ids]
        at_kill, counts = await kill_and_restart(
            config, env, texts, up, lambda: add_reminders(url, chats)
        )
        assert len(counts) == REMINDERS
        twice = [text for text, times in counts.items() if times > 1]
        assert all(counts[text] == 2 for text in twice)
        assert len(twice) <= IN_FLIGHT, f"killed at {at_kill}: {twice}"


async def test_matrix_after_sigkill_every_reminder_arrives_exactly_once(
    synapse: SynapseServer, tmp_path: Path
) -> None:
    bot_user = synapse.new_user("faultbot")
    human = synapse.new_user("faulthuman")
    token = synapse.login(human.user_id, human.password)["access_token"]

    def as_human(method: str, path: str, body: Any = None) -> Any:
        return synapse.request(method, path, body, access_token=token)

    # Ten rooms: each reminder is a message and two reactions (its snooze buttons), and
    # the dispatcher sends to rooms side by side.
    room_ids = [
        as_human("POST", "/_matrix/client/v3/createRoom", {"invite": [bot_user.user_id]})["room_id"]
        for _ in range(10)
    ]
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    await bind_chats(url, "matrix", room_ids)
    config = tmp_path / "config.toml"
    config.write_text(
        f'[database]\nurl = "{url}"\n'
        f'[matrix]\nhomeserver = "{synapse.url}"\nuser_id = "{bot_user.user_id}"\n'
        f'store_path = "{tmp_path / "store"}"\nallowed_inviters = [":localhost"]\n'
        + REMINDER_SETTINGS,
        encoding="utf-8",
    )
    env = {"AGBOT_MATRIX_PASSWORD": bot_user.password, "AGBOT_MATRIX_PICKLE_KEY": "fault-test"}

    def texts() -> list[str]:
        return [text for room_id in room_ids for text in room_texts(room_id)]

    def room_texts(room_id: str) -> list[str]:
        found: list[str] = []
        token_from: str | None = None
        while True:
            query = "dir=b&limit=1000" + (f"&from={token_from}" if token_from else "")
            page = as_human("GET", f"/_matrix/client/v3/rooms/{room_id}/messages?{query}")
            found += [
                str(event.get("content", {}).get("body", ""))
                for event in page.get("chunk", [])
                if event.get("type") == "m.room.message"
            ]
            token_from = page.get("end")
            if not page.get("chunk") or not token_from:
                return found

    def joined() -> bool:
        for room_id in room_ids:
            members = as_human("GET", f"/_matrix/client/v3/rooms/{room_id}/joined_members")
            if bot_user.user_id not in members.get("joined", {}):
                return False
        return True

    async def up() -> None:
        await wait_until(joined, 60, "the bot to join")

    chats = [("matrix", room_id) for room_id in room_ids]
    at_kill, counts = await kill_and_restart(
        config, env, texts, up, lambda: add_reminders(url, chats)
    )
    assert len(counts) == REMINDERS
    assert [text for text, times in counts.items() if times > 1] == [], f"killed at {at_kill}"
