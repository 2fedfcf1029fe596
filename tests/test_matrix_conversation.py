"""The shape of the bot's Matrix conversation: threads, file answers, pills, edits, encrypted
reactions and withheld keys, against the real Synapse with a matrix-nio client as the human."""

from __future__ import annotations

import urllib.parse
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from nio import ToDeviceMessage

from tests.matrix_bot import Bot, ask, room_with_bot, start_bot, stop_bot
from tests.matrix_human import Human, Humans
from tests.synapse_server import SynapseServer


@pytest.fixture
async def humans(synapse: SynapseServer, tmp_path: Path) -> AsyncIterator[Humans]:
    group = Humans(synapse, tmp_path / "humans")
    yield group
    await group.close()


@pytest.fixture
async def bot(synapse: SynapseServer, database_url: str, tmp_path: Path) -> AsyncIterator[Bot]:
    user = synapse.new_user("agbot", displayname="AG-Bot")
    started = await start_bot(synapse, database_url, tmp_path / "bot-store", user)
    yield started
    await stop_bot(started)


def raw_events(synapse: SynapseServer, human: Human, room_id: str) -> list[dict[str, Any]]:
    """The room's latest events as the homeserver stores them (not decrypted)."""
    path = f"/_matrix/client/v3/rooms/{urllib.parse.quote(room_id)}/messages?dir=b&limit=100"
    answer = synapse.request("GET", path, access_token=human.client.access_token)
    events: list[dict[str, Any]] = answer["chunk"]
    return events


def relation(event: Any) -> dict[str, Any]:
    relates: dict[str, Any] = event.source["content"].get("m.relates_to", {})
    return relates


async def test_reactions_in_encrypted_rooms_are_encrypted_with_the_relation_in_the_clear(
    synapse: SynapseServer, bot: Bot, humans: Humans
) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot, encrypted=True)
    await ask(anna, room_id, "!einrichten AG Eins", "angelegt")
    question = await ask(anna, room_id, "!einrichten AG Zwei", "Soll er zu")
    offered = await anna.wait_for_reaction(room_id, event_id=question.event_id, key="✅")
    assert offered.sender == bot.user.user_id  # decrypted by the human all the same
    await anna.wait_for_reaction(room_id, event_id=question.event_id, key="❌")
    on_the_wire = [
        event
        for event in raw_events(synapse, anna, room_id)
        if event["sender"] == bot.user.user_id
        and event["content"].get("m.relates_to", {}).get("event_id") == question.event_id
    ]
    assert len(on_the_wire) == 2  # ✅ ❌
    for event in on_the_wire:
        assert event["type"] == "m.room.encrypted"
        assert event["content"]["m.relates_to"]["rel_type"] == "m.annotation"
        assert "ciphertext" in event["content"]


async def test_a_plain_room_keeps_plain_reactions(
    synapse: SynapseServer, bot: Bot, humans: Humans
) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot)
    await ask(anna, room_id, "!einrichten AG Eins", "angelegt")
    question = await ask(anna, room_id, "!einrichten AG Zwei", "Soll er zu")
    await anna.wait_for_reaction(room_id, event_id=question.event_id, key="✅")
    types = {
        event["type"]
        for event in raw_events(synapse, anna, room_id)
        if event["content"].get("m.relates_to", {}).get("event_id") == question.event_id
    }
    assert types == {"m.reaction"}


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_a_command_in_a_thread_is_answered_in_the_thread(
    bot: Bot, humans: Humans, encrypted: bool
) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot, encrypted=encrypted)
    root = await anna.send_text(room_id, "Planung Sommerfest")
    mark = anna.checkpoint()
    command = await anna.send_event(
        room_id,
        "m.room.message",
        {
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
    answer = await anna.wait_for_message(room_id, "Ihre Befehle", since=mark, timeout=20)
    relates = relation(answer)
    assert relates["rel_type"] == "m.thread" and relates["event_id"] == root
    # Clients without threads see a reply to the command.
    assert relates["m.in_reply_to"]["event_id"] == command
    assert relates["is_falling_back"] is False


async def test_a_file_answer_refers_to_the_command(bot: Bot, humans: Humans) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot, encrypted=True)
    await ask(anna, room_id, "!einrichten AG Kalender", "angelegt")
    await ask(anna, room_id, "!termin Plenum | 7.4. 14 Uhr", "Plenum")
    mark = anna.checkpoint()
    command = await anna.send_text(room_id, "!kalender")
    file_event = await anna.wait_for_message(
        room_id, lambda e: str(getattr(e, "body", "")).endswith(".ics"), since=mark, timeout=20
    )
    assert relation(file_event)["m.in_reply_to"]["event_id"] == command
    assert b"BEGIN:VCALENDAR" in await anna.download(file_event)


async def test_a_pill_leaves_no_stray_at_sign(bot: Bot, humans: Humans) -> None:
    anna = await humans.new("anna")
    bob = await humans.new("bob")
    await bob.client.set_displayname("Bob Baumeister")
    room_id = await room_with_bot(anna, bot)
    await anna.invite(room_id, bob.user_id)
    await bob.join(room_id)
    await ask(anna, room_id, "!einrichten AG Pillen", "angelegt")
    await ask(bob, room_id, "!beitreten", "Willkommen")
    link = f'<a href="https://matrix.to/#/{bob.user_id}">bob</a>'
    created = await ask(
        anna,
        room_id,
        "!aufgabe Flyer @bob bis Freitag",
        "angelegt",
        formatted_body=f"!aufgabe Flyer {link} bis Freitag",
        mentions=[bob.user_id],
    )
    first_line = created.body.splitlines()[0]
    assert first_line.endswith(": Flyer"), first_line  # not "Flyer @"
    # Link text and display name differ: the body names the display name.
    link = f'<a href="https://matrix.to/#/{bob.user_id}">Bob Baumeister</a>'
    second = await ask(
        anna,
        room_id,
        "!aufgabe Plakate @Bob Baumeister bis Freitag",
        "angelegt",
        formatted_body=f"!aufgabe Plakate {link} bis Freitag",
        mentions=[bob.user_id],
    )
    first_line = second.body.splitlines()[0]
    assert first_line.endswith(": Plakate"), first_line


async def edit(human: Human, room_id: str, original: str, body: str) -> str:
    return await human.send_event(
        room_id,
        "m.room.message",
        {
            "msgtype": "m.text",
            "body": f"* {body}",
            "m.new_content": {"msgtype": "m.text", "body": body},
            "m.relates_to": {"rel_type": "m.replace", "event_id": original},
        },
    )


async def test_edited_commands(bot: Bot, humans: Humans) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot, encrypted=True)
    # A refused command, corrected by editing: the edited version is answered, once.
    mark = anna.checkpoint()
    typo = await anna.send_text(room_id, "!einrichten")
    await anna.wait_for_message(room_id, "!einrichten", since=mark, timeout=20)
    mark = anna.checkpoint()
    await edit(anna, room_id, typo, "!einrichten AG Edit")
    answer = await anna.wait_for_message(room_id, "angelegt", since=mark, timeout=20)
    assert relation(answer)["m.in_reply_to"]["event_id"] == typo
    # Now answered: the same command edited again is ignored silently …
    mark = anna.checkpoint()
    await edit(anna, room_id, typo, "!einrichten AG Edit2")
    await anna.assert_no_message(room_id, since=mark, sender=bot.user.user_id, within=3)
    # … a different command gets one sentence, and does not run.
    mark = anna.checkpoint()
    await edit(anna, room_id, typo, "!hilfe")
    said = await anna.wait_for_message(room_id, "bearbeitete Befehle", since=mark, timeout=20)
    assert "Ihre Befehle" not in said.body
    # An edit of a plain message into a command runs it.
    mark = anna.checkpoint()
    chat = await anna.send_text(room_id, "hallo zusammen")
    await edit(anna, room_id, chat, "!hilfe")
    await anna.wait_for_message(room_id, "Ihre Befehle", since=mark, timeout=20)


async def test_a_withheld_key_is_explained_once(bot: Bot, humans: Humans) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot, encrypted=True)
    device = bot.adapter.client.device_id
    for _ in range(2):
        mark = anna.checkpoint()
        await anna.send_undecryptable(room_id)
        withheld = {
            "algorithm": "m.megolm.v1.aes-sha2",
            "room_id": room_id,
            "session_id": "y" * 43,  # the session of send_undecryptable
            "sender_key": "x" * 43,
            "code": "m.unverified",
            "reason": "The sender disabled encrypting to unverified devices.",
        }
        message = ToDeviceMessage("m.room_key.withheld", bot.user.user_id, device, withheld)
        await anna.client.to_device(message)
        if _ == 0:
            said = await anna.wait_for_message(room_id, "verifiz", since=mark, timeout=20)
            assert "Anna" in said.body
        else:
            await anna.assert_no_message(room_id, since=mark, sender=bot.user.user_id, within=3)
