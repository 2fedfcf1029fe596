"""The bot as Element sees it: matrix-js-sdk with the Rust crypto (tests/matrix_js) against the
same Synapse, in the normal mode and in "exclude insecure devices" (MSC4153) mode.

The storage does not matter here, so these tests run on SQLite only.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.databases import fresh_database
from tests.matrix_bot import Bot, start_bot, stop_bot
from tests.matrix_js_client import JsClient, ensure_installed
from tests.synapse_server import RegisteredUser, SynapseServer

RED = 2  # EventShieldColour.RED: "Encrypted by a device not verified by its owner" and worse


@pytest.fixture(scope="module", autouse=True)
def _node_packages() -> None:
    ensure_installed()


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> str:
    return await fresh_database("sqlite", tmp_path)


async def js_user(synapse: SynapseServer, name: str, **options: Any) -> JsClient:
    user = synapse.new_user(name)
    return await JsClient.start(synapse.url, user.user_id, user.password, **options)


async def room_with(client: JsClient, bot: Bot, *, encrypted: bool = True) -> str:
    room_id: str = await client.call(
        "create_room", name="AG Interop", encrypted=encrypted, invite=[bot.user.user_id]
    )
    await client.call("wait_for_join", room_id=room_id, user_id=bot.user.user_id, timeout_ms=20000)
    await client.wait_for(room_id, sender=bot.user.user_id, contains="Ich bin AG-Bot")
    return room_id


async def ask(client: JsClient, room_id: str, body: str, contains: str, bot: Bot) -> Any:
    mark = await client.call("mark")
    event_id = await client.call(
        "send", room_id=room_id, content={"msgtype": "m.text", "body": body}
    )
    answer = await client.wait_for(room_id, since=mark, sender=bot.user.user_id, contains=contains)
    return event_id, answer


def assert_trusted(answer: dict[str, Any]) -> None:
    """Encrypted, decrypted, and no red shield (Element's "unverified device" warning)."""
    assert answer["wire_type"] == "m.room.encrypted"
    assert answer["decryption_failure"] is None
    assert answer["shield"] is not None
    assert answer["shield"]["colour"] != RED, answer["shield"]


@pytest.fixture
async def clients() -> AsyncIterator[list[JsClient]]:
    started: list[JsClient] = []
    yield started
    for client in started:
        await client.close()


async def test_element_trusts_the_bot_and_strict_mode_works_both_ways_across_a_restart(
    synapse: SynapseServer, sqlite_url: str, tmp_path: Path, clients: list[JsClient]
) -> None:
    bot_user: RegisteredUser = synapse.new_user("agbot", displayname="AG-Bot")
    store = tmp_path / "bot-store"
    bot = await start_bot(synapse, sqlite_url, store, bot_user)
    try:
        anna = await js_user(synapse, "anna")
        strict = await js_user(synapse, "carla", isolation="signed")
        clients.extend([anna, strict])
        room_id = await room_with(anna, bot)
        status = await anna.call(
            "device_status", user_id=bot_user.user_id, device_id=bot.adapter.client.device_id
        )
        assert status["signed_by_owner"] is True and status["user_cross_signed"] is True
        command, answer = await ask(anna, room_id, "!hilfe", "Ihre Befehle", bot)
        assert_trusted(answer)
        assert answer["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == command

        # "Exclude insecure devices": the strict client reads the bot, the bot reads it.
        strict_room = await room_with(strict, bot)
        _, answer = await ask(strict, strict_room, "!hilfe", "Ihre Befehle", bot)
        assert_trusted(answer)

        # Reactions: encrypted on the wire, the relation in the clear.
        await ask(anna, room_id, "!einrichten AG Eins", "angelegt", bot)
        _, question = await ask(anna, room_id, "!einrichten AG Zwei", "Soll er zu", bot)
        reaction = await anna.wait_for(
            room_id, sender=bot_user.user_id, type="m.reaction", relates_to=question["event_id"]
        )
        assert reaction["wire_type"] == "m.room.encrypted"
        assert reaction["wire_content"]["m.relates_to"]["rel_type"] == "m.annotation"
        assert reaction["content"]["m.relates_to"]["key"] in ("✅", "❌")
        # The person's reaction (Element encrypts it too) runs the choice.
        mark = await anna.call("mark")
        await anna.call("react", room_id=room_id, event_id=question["event_id"], key="✅")
        moved = await anna.wait_for(
            room_id, since=mark, sender=bot_user.user_id, contains="AG Zwei"
        )
        assert_trusted(moved)

        # A command in a thread is answered in the thread.
        root = await anna.call(
            "send", room_id=room_id, content={"msgtype": "m.text", "body": "Sommerfest"}
        )
        mark = await anna.call("mark")
        in_thread = await anna.call(
            "send",
            room_id=room_id,
            content={
                "msgtype": "m.text",
                "body": "!hilfe",
                "m.relates_to": {
                    "rel_type": "m.thread",
                    "event_id": root,
                    "is_falling_back": True,
                    "m.in_reply_to": {"event_id": root},
                },
            },
        )
        threaded = await anna.wait_for(
            room_id, since=mark, sender=bot_user.user_id, contains="Ihre Befehle"
        )
        assert threaded["thread_root"] == root
        assert threaded["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == in_thread

        # A file answer carries the reply relation.
        await ask(anna, room_id, "!termin Plenum | 7.4. 14 Uhr", "Plenum", bot)
        mark = await anna.call("mark")
        calendar = await anna.call(
            "send", room_id=room_id, content={"msgtype": "m.text", "body": "!kalender"}
        )
        ics = await anna.wait_for(room_id, since=mark, sender=bot_user.user_id, contains=".ics")
        assert ics["content"]["m.relates_to"]["m.in_reply_to"]["event_id"] == calendar
        assert ics["wire_type"] == "m.room.encrypted"
    finally:
        await stop_bot(bot)

    # After a restart: same device, still trusted, still reading and read in strict mode.
    bot = await start_bot(synapse, sqlite_url, store, bot_user)
    try:
        _, answer = await ask(anna, room_id, "!hilfe", "Ihre Befehle", bot)
        assert_trusted(answer)
        _, answer = await ask(strict, strict_room, "!hilfe", "Ihre Befehle", bot)
        assert_trusted(answer)
    finally:
        await stop_bot(bot)


async def test_a_client_that_withholds_keys_gets_an_explanation(
    synapse: SynapseServer, sqlite_url: str, tmp_path: Path, clients: list[JsClient]
) -> None:
    bot_user = synapse.new_user("agbot", displayname="AG-Bot")
    bot = await start_bot(synapse, sqlite_url, tmp_path / "bot-store", bot_user)
    try:
        # Element's "Never send encrypted messages to unverified sessions": the bot's device is
        # cross-signed by the bot, but this person has not verified the bot.
        dora = await js_user(synapse, "dora", blacklist_unverified=True)
        clients.append(dora)
        room_id = await room_with(dora, bot)
        mark = await dora.call("mark")
        await dora.call("send", room_id=room_id, content={"msgtype": "m.text", "body": "!hilfe"})
        said = await dora.wait_for(room_id, since=mark, sender=bot_user.user_id, contains="verifiz")
        assert "Dora" in said["content"]["body"]
        # Once: the next message gets no second explanation.
        mark = await dora.call("mark")
        await dora.call("send", room_id=room_id, content={"msgtype": "m.text", "body": "!hilfe"})
        with pytest.raises(AssertionError, match="timed out"):
            await dora.wait_for(room_id, since=mark, sender=bot_user.user_id, timeout=4)
    finally:
        await stop_bot(bot)
