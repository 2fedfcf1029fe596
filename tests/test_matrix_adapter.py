"""The Matrix adapter against a real Synapse, with a matrix-nio client as the human."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import logging
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.logging_setup import SecretFilter
from core.messages import Choice, OutgoingFile, Reply, Span
from handlers.shared.context import BotSettings
from tests.harness import setup_code
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


async def test_invitations_are_accepted_only_from_allowed_inviters(
    synapse: SynapseServer, database_url: str, tmp_path: Path, humans: Humans
) -> None:
    anna = await humans.new("anna")
    mallory = await humans.new("mallory")
    user = synapse.new_user("agbot", displayname="AG-Bot")
    bot = await start_bot(
        synapse, database_url, tmp_path / "store", user, allowed_inviters=(anna.user_id,)
    )
    try:
        allowed = await anna.create_room("Erlaubt", invite=[user.user_id])
        await anna.wait_for_join(allowed, user.user_id, timeout=20)
        refused = await mallory.create_room("Nicht erlaubt", invite=[user.user_id])
        await mallory.wait_for_leave(refused, user.user_id, timeout=20)
    finally:
        await stop_bot(bot)


async def test_help_and_setup_in_a_room(bot: Bot, humans: Humans) -> None:
    anna = await humans.new("anna")  # creates the room: its creator (room version 12)
    ben = await humans.new("ben")
    room_id = await room_with_bot(anna, bot)
    await anna.invite(room_id, ben.user_id)
    await ben.join(room_id)

    help_text = await ask(anna, room_id, "!hilfe", "Ihre Befehle")
    assert "!einrichten" in help_text.body  # Matrix users type "!", not "/"
    assert help_text.source["content"]["msgtype"] == "m.notice"
    assert help_text.source["content"]["format"] == "org.matrix.custom.html"
    relates = help_text.source["content"]["m.relates_to"]["m.in_reply_to"]["event_id"]
    assert relates  # the answer refers to the command

    refused = await ask(ben, room_id, "!einrichten AG Ben", "Nur Chat-Admins")
    assert "!einrichten" in refused.body
    created = await ask(anna, room_id, "!einrichten AG Wirtschaftsförderung", "angelegt")
    assert "AG Wirtschaftsförderung" in created.body

    await anna.set_power_level(room_id, ben.user_id, 50)  # now a moderator
    await asyncio.sleep(0.5)
    moved = await ask(ben, room_id, "!einrichten AG Wirtschaftsförderung", "bereits")
    assert "AG Wirtschaftsförderung" in moved.body


async def test_an_encrypted_room_round_trip(bot: Bot, humans: Humans) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot, encrypted=True)
    reply = await ask(anna, room_id, "!hilfe", "Ihre Befehle")
    assert reply.decrypted  # it came encrypted and the human could read it
    await ask(anna, room_id, "!einrichten AG Geheim", "angelegt")


async def test_hostile_names_are_escaped_and_mentions_become_pills(
    bot: Bot, humans: Humans
) -> None:
    anna = await humans.new("anna")
    evil = await humans.new(
        "evil",
    )
    await evil.client.set_displayname("<b>Evil</b> & </a>")
    room_id = await room_with_bot(anna, bot)
    await anna.invite(room_id, evil.user_id)
    await evil.join(room_id)
    await ask(anna, room_id, "!einrichten AG Test", "angelegt")
    await ask(evil, room_id, "!beitreten", "Willkommen")

    members = await ask(anna, room_id, "!mitglieder", "Mitglieder der")
    html_body = members.source["content"]["formatted_body"]
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; &lt;/a&gt;" in html_body
    assert "<b>Evil</b>" not in html_body

    pill = f'<a href="https://matrix.to/#/{evil.user_id}">Evil</a>'
    promoted = await ask(
        anna,
        room_id,
        "!rolle Evil koordination",
        "hat jetzt die Rolle",
        formatted_body=f"!rolle {pill} koordination",
        mentions=[evil.user_id],
    )
    content = promoted.source["content"]
    assert f"https://matrix.to/#/{evil.user_id}" in content["formatted_body"]
    assert content["m.mentions"]["user_ids"] == [evil.user_id]


async def test_a_reaction_answers_a_choice(bot: Bot, humans: Humans) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot, encrypted=True)
    await ask(anna, room_id, "!einrichten AG Eins", "angelegt")
    question = await ask(anna, room_id, "!einrichten AG Zwei", "Soll er zu")
    assert "✅ Ja, wechseln (!ja)" in question.body
    offered = await anna.wait_for_reaction(room_id, event_id=question.event_id, key="✅")
    assert offered.sender == bot.user.user_id

    mark = anna.checkpoint()
    await anna.react(room_id, question.event_id, "✅", encrypt=True)
    moved = await anna.wait_for_message(room_id, "AG Zwei", since=mark, timeout=20)
    assert "angelegt" in moved.body


async def test_files_arrive_encrypted_and_intact(bot: Bot, humans: Humans) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot, encrypted=True)
    report = OutgoingFile("bericht.csv", "Name;Stunden\nÄnne;2,5\n".encode(), "text/csv")
    mark = anna.checkpoint()
    await bot.adapter.deliver(room_id, Reply(lines=((Span("Ihr Bericht"),),), files=(report,)))
    event = await anna.wait_for_message(
        room_id, lambda e: getattr(e, "body", "") == "bericht.csv", since=mark, timeout=20
    )
    assert "file" in event.source["content"]  # encrypted attachment, not a plain url
    assert await anna.download(event) == report.content


async def test_restart_keeps_the_device_and_neither_repeats_nor_loses_commands(
    synapse: SynapseServer, database_url: str, tmp_path: Path, humans: Humans
) -> None:
    anna = await humans.new("anna")
    user = synapse.new_user("agbot", displayname="AG-Bot")
    store = tmp_path / "store"
    bot = await start_bot(synapse, database_url, store, user)
    room_id = await room_with_bot(anna, bot, encrypted=True)
    await ask(anna, room_id, "!einrichten AG Neustart", "angelegt")
    device = bot.adapter.client.device_id
    await stop_bot(bot)

    await anna.send_text(room_id, "!mitglieder")  # sent while the bot is down
    bot = await start_bot(synapse, database_url, store, user)
    try:
        assert bot.adapter.client.device_id == device
        saved = json.loads((store / "credentials.json").read_text())
        assert saved["device_id"] == device
        answer = await anna.wait_for_message(room_id, "Mitglieder der", timeout=30)
        assert answer.decrypted
        await asyncio.sleep(2)
        setups = [m for m in anna.messages(room_id) if "angelegt" in getattr(m, "body", "")]
        assert len(setups) == 1  # the old command was not executed again
        lists = [m for m in anna.messages(room_id) if "Mitglieder der" in getattr(m, "body", "")]
        assert len(lists) == 1
    finally:
        await stop_bot(bot)


async def test_the_store_is_private_and_the_token_never_reaches_the_log(
    synapse: SynapseServer, database_url: str, tmp_path: Path
) -> None:
    store = tmp_path / "store"
    store.mkdir(mode=0o755)
    store.chmod(0o755)  # as an older version or a careless copy left it
    records = io.StringIO()
    handler = logging.StreamHandler(records)
    handler.addFilter(SecretFilter([]))
    logging.getLogger().addHandler(handler)
    try:
        bot = await start_bot(synapse, database_url, store, synapse.new_user("agbot"))
        try:
            token = bot.adapter.client.access_token
            logging.getLogger("nio.test").warning("request with access_token=%s failed", token)
        finally:
            await stop_bot(bot)
    finally:
        logging.getLogger().removeHandler(handler)
    assert stat.S_IMODE(store.stat().st_mode) == 0o700
    assert token and token not in records.getvalue()
    assert "access_token=*** failed" in records.getvalue()


async def test_rate_limits_are_waited_out(bot: Bot, humans: Humans, synapse: SynapseServer) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot)
    synapse.ratelimit(bot.user.user_id, 1, 1)
    try:
        replies = [Reply(lines=((Span(f"Nachricht {n}"),),)) for n in range(4)]
        for reply in replies:
            await bot.adapter.deliver(room_id, reply)
        for n in range(4):
            await anna.wait_for_message(room_id, f"Nachricht {n}", timeout=20)
        assert bot.adapter.stats.failed == 0
    finally:
        synapse.unratelimit(bot.user.user_id)


async def test_an_unreadable_message_is_reported_once(bot: Bot, humans: Humans) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot, encrypted=True)
    mark = anna.checkpoint()
    await anna.send_undecryptable(room_id)
    notice = await anna.wait_for_message(room_id, "nicht lesen", since=mark, timeout=20)
    assert notice.sender == bot.user.user_id
    mark = anna.checkpoint()
    await anna.send_undecryptable(room_id)
    await anna.assert_no_message(room_id, "nicht lesen", since=mark, within=2)


async def test_choices_survive_in_a_plain_room_and_the_bot_ignores_itself(
    bot: Bot, humans: Humans
) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot)
    reply = Reply(lines=((Span("Wählen Sie"),),), choices=(Choice("Hilfe", "!hilfe"),))
    mark = anna.checkpoint()
    await bot.adapter.deliver(room_id, reply)
    offered = await anna.wait_for_message(room_id, "Wählen Sie", since=mark, timeout=20)
    # A choice without an emoji of its own is offered by number. The bot's own reaction
    # does not trigger the choice; Anna's does.
    await anna.wait_for_reaction(room_id, event_id=offered.event_id, key="1️⃣")
    await anna.assert_no_message(room_id, "Ihre Befehle", since=mark, within=1.5)
    await anna.react(room_id, offered.event_id, "1️⃣")
    await anna.wait_for_message(room_id, "Ihre Befehle", since=mark, timeout=20)


async def test_a_direct_room_is_a_private_chat(bot: Bot, humans: Humans) -> None:
    anna = await humans.new("anna")
    room_id = await anna.create_room(is_direct=True, invite=[bot.user.user_id])
    await anna.wait_for_join(room_id, bot.user.user_id, timeout=20)
    await asyncio.sleep(0.3)
    greeting = await ask(anna, room_id, "!start", "Guten Tag")
    assert "!verknuepfen" in greeting.body  # private-chat commands are offered
    code = await ask(anna, room_id, "!verknuepfen", "Ihr Code")
    assert "!verknuepfen" in code.body


async def test_the_bot_answers_to_its_display_name(bot: Bot, humans: Humans) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot)
    answer = await ask(anna, room_id, "AG-Bot: hilfe", "Ihre Befehle")
    assert answer.sender == bot.user.user_id
    mark = anna.checkpoint()
    await anna.send_text(room_id, "AG-Bot ist heute gut gelaunt")  # chat, not a command
    await anna.assert_no_message(room_id, sender=bot.user.user_id, since=mark, within=1.5)


async def test_one_ag_spans_a_telegram_group_and_a_matrix_room(
    synapse: SynapseServer, database_url: str, tmp_path: Path, humans: Humans
) -> None:
    from bot.config import TelegramConfig
    from bot.telegram.adapter import TelegramAdapter
    from tests.telegram_emulator import TelegramEmulator

    anna = await humans.new("anna")
    user = synapse.new_user("agbot", displayname="AG-Bot")
    bot = await start_bot(synapse, database_url, tmp_path / "store", user)
    async with TelegramEmulator() as tg:
        tg.add_user(77, "Anna T", username="anna_t")
        tg.add_chat(-1077, "supergroup", title="AG WF auf Telegram")
        tg.set_member_status(-1077, 77, "administrator")
        telegram = TelegramAdapter(
            TelegramConfig(token=tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url),
            bot.app.router,
            poll_timeout=1,
        )
        await telegram.start()
        try:
            tg.push_message(-1077, 77, "/einrichten AG Wirtschaftsförderung")
            await tg.wait_for_message(-1077, contains="angelegt", timeout=10)
            room_id = await room_with_bot(anna, bot)
            # anna on Matrix is not (yet) known as the AG's coordinator: the coordinator on
            # Telegram confirms the room with the code.
            asked = await ask(anna, room_id, "!einrichten AG Wirtschaftsförderung", "bestaetigen")
            tg.push_message(-1077, 77, f"/einrichten bestaetigen {setup_code(asked.body)}")
            await tg.wait_for_message(-1077, contains="gehört jetzt", timeout=10)
            joined = await anna.wait_for_message(room_id, "hat bestätigt", timeout=20)
            assert "AG Wirtschaftsförderung" in joined.body
            overview = await ask(anna, room_id, "!ag", "Chats:")
            assert "Telegram: AG WF auf Telegram" in overview.body
            assert "Matrix: AG WF" in overview.body
        finally:
            await telegram.stop()
            await stop_bot(bot)


async def test_being_removed_is_reported_to_the_coordinators_privately(
    bot: Bot, humans: Humans
) -> None:
    anna = await humans.new("anna")
    direct = await anna.create_room(is_direct=True, invite=[bot.user.user_id])
    await anna.wait_for_join(direct, bot.user.user_id, timeout=20)
    await asyncio.sleep(0.3)
    await ask(anna, direct, "!start", "Guten Tag")  # Anna writes to the bot privately
    room_id = await room_with_bot(anna, bot)
    intro = anna.messages(room_id, sender=bot.user.user_id)[0]
    assert "!einrichten" in intro.body
    await ask(anna, room_id, "!einrichten AG Rauswurf", "angelegt")

    mark = anna.checkpoint()
    kicked = await anna.client.room_kick(room_id, bot.user.user_id)
    assert not hasattr(kicked, "status_code") or kicked.status_code is None
    notice = await anna.wait_for_message(direct, "entfernt", since=mark, timeout=20)
    assert "AG Rauswurf" in notice.body


async def test_plain_user_ids_mention_and_the_bot_opens_direct_rooms(
    bot: Bot, humans: Humans
) -> None:
    anna = await humans.new("anna")
    ben = await humans.new("ben")
    room_id = await room_with_bot(anna, bot)
    await anna.invite(room_id, ben.user_id)
    await ben.join(room_id)
    await ask(anna, room_id, "!einrichten AG Direkt", "angelegt")
    await ask(ben, room_id, "!beitreten", "Willkommen")
    promoted = await ask(anna, room_id, f"!rolle {ben.user_id} koordination", "hat jetzt")
    assert "Ben" in promoted.body

    direct = await bot.adapter.open_direct_room(ben.user_id)
    assert direct is not None
    assert await ben.wait_for_invite(direct, timeout=20) == direct
    await ben.join(direct)
    await asyncio.sleep(0.5)
    await bot.adapter.deliver(direct, Reply(lines=((Span("Ihre Aufgabe ist fällig"),),)))
    note = await ben.wait_for_message(direct, "fällig", timeout=20)
    assert note.decrypted  # direct rooms the bot opens are encrypted
    assert await bot.adapter.open_direct_room(ben.user_id) == direct  # reused, not a new one


# --- files with commands ---------------------------------------------------------------------

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64 + "Protokoll – Größe: 3.000 €".encode()
DOCX = b"PK\x03\x04" + b"word/document.xml\x00" * 500


def assert_received(answer: Any, name: str, mime_type: str, content: bytes) -> None:
    """The /datei answer names exactly this file: name, type, size and checksum."""
    assert answer.body.splitlines() == [
        f"Empfangen: {name}",
        f"Typ: {mime_type}, Größe: {len(content)} Byte",
        f"SHA-256: {hashlib.sha256(content).hexdigest()}",
    ]


async def send_file_and_wait(
    human: Human, room_id: str, content: bytes, name: str, mime_type: str, **send: Any
) -> Any:
    mark = human.checkpoint()
    await human.send_file(room_id, content, name, mime_type, **send)
    return await human.wait_for_message(room_id, "SHA-256", since=mark, timeout=20)


@pytest.mark.parametrize("encrypted", [False, True], ids=["plain", "encrypted"])
async def test_a_command_as_caption_or_answer_gets_the_file(
    bot: Bot, humans: Humans, encrypted: bool
) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot, encrypted=encrypted)

    # MSC2530: the body is the caption, the file name stands beside it.
    answer = await send_file_and_wait(
        anna, room_id, PDF, "Protokoll März.pdf", "application/pdf", caption="!datei"
    )
    assert_received(answer, "Protokoll März.pdf", "application/pdf", PDF)
    sent = [e for e in anna.messages(room_id, sender=anna.user_id) if e.event_id]
    assert ("file" in sent[-1].source["content"]) is encrypted  # an encrypted attachment

    file_id = await anna.send_file(room_id, DOCX, "protokoll.docx", DOCX_TYPE)
    answer = await ask(anna, room_id, "!datei", "SHA-256", reply_to=file_id)
    assert_received(answer, "protokoll.docx", DOCX_TYPE, DOCX)
    assert answer.decrypted is encrypted


async def test_a_file_without_a_command_is_left_alone(bot: Bot, humans: Humans) -> None:
    anna = await humans.new("anna")
    room_id = await room_with_bot(anna, bot, encrypted=True)
    mark = anna.checkpoint()
    await anna.send_file(room_id, PDF, "urlaub.pdf", "application/pdf")
    await anna.send_file(room_id, PDF, "notizen.pdf", "application/pdf", caption="Die Notizen")
    await anna.assert_no_message(room_id, sender=bot.user.user_id, since=mark, within=1.5)
    explained = await ask(anna, room_id, "!datei", "keine Datei")
    assert "!datei" in explained.body


async def test_a_file_over_the_limit_is_refused(
    synapse: SynapseServer, database_url: str, tmp_path: Path, humans: Humans
) -> None:
    anna = await humans.new("anna")
    user = synapse.new_user("agbot", displayname="AG-Bot")
    bot = await start_bot(
        synapse, database_url, tmp_path / "store", user, bot_settings=BotSettings(max_upload_mb=1)
    )
    try:
        room_id = await room_with_bot(anna, bot, encrypted=True)
        big = b"x" * (1024 * 1024 + 1)
        mark = anna.checkpoint()
        await anna.send_file(room_id, big, "scan.pdf", "application/pdf", caption="!datei")
        refusal = await anna.wait_for_message(room_id, "zu groß", since=mark, timeout=20)
        assert refusal.body == (
            "Die Datei scan.pdf ist zu groß (2 MB). Ich nehme Dateien bis 1 MB an; "
            "der Befehl wurde nicht ausgeführt."
        )
    finally:
        await stop_bot(bot)
