"""The Telegram adapter driving python-telegram-bot's real HTTP stack against the emulator."""

from __future__ import annotations

import asyncio
import hashlib
import socket
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from html import unescape
from typing import Any

import pytest
from sqlalchemy import select

from bot.app import App, create_app
from bot.config import Config, TelegramConfig
from bot.telegram.adapter import TelegramAdapter
from bot.telegram.ratelimit import FloodLimiter
from core.clock import AdjustableClock
from core.messages import ChatRef, OutgoingFile, Reply, Span
from handlers.shared.context import BotSettings
from reminders.notifier import DeliveryFailed
from storage.models import Account
from tests.harness import START
from tests.telegram_emulator import TelegramEmulator, utf16_len

GROUP = -1001
ANNA, BEN, CARLA = 101, 102, 103


@dataclass
class World:
    tg: TelegramEmulator
    adapter: TelegramAdapter
    app: App

    async def say(self, chat_id: int, user_id: int | None, text: str, **kwargs: Any) -> str:
        """Push a message and return the text of the bot's reply (all its parts)."""
        before = len(self.tg.sent_messages(chat_id))
        self.tg.push_message(chat_id, user_id, text, **kwargs)
        await self.tg.wait_for(
            lambda: len(self.tg.sent_messages(chat_id)) > before, message=f"a reply to {text!r}"
        )
        return "\n".join(m["text"] for m in self.tg.sent_messages(chat_id)[before:])


def _telegram_config(tg: TelegramEmulator, **overrides: Any) -> TelegramConfig:
    return TelegramConfig(
        token=tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url, **overrides
    )


async def _start_world(
    tg: TelegramEmulator,
    url: str,
    *,
    bot: BotSettings | None = None,
    adapter_options: dict[str, Any] | None = None,
    **config: Any,
) -> World:
    tg.add_user(ANNA, "Anna", username="anna")
    tg.add_user(BEN, "Ben", username="ben_b", language_code="en")
    tg.add_user(CARLA, "Carla Çelik")  # no username: reachable only through text mentions
    tg.add_chat(GROUP, "supergroup", title="AG WF Gruppe")
    tg.set_member_status(GROUP, ANNA, "administrator")
    settings = replace(
        Config(), database=replace(Config().database, url=url), bot=bot or BotSettings()
    )
    app = await create_app(settings, AdjustableClock(START))
    adapter = TelegramAdapter(
        _telegram_config(tg, **config),
        app.router,
        rate_limiter=FloodLimiter(max_retries=2),
        poll_timeout=1,
        retry_delays=(0.05, 0.1),
        **(adapter_options or {}),
    )
    await adapter.start()
    return World(tg, adapter, app)


@pytest.fixture
async def world(database_url: str) -> AsyncIterator[World]:
    async with TelegramEmulator() as tg:
        started = await _start_world(tg, database_url)
        try:
            yield started
        finally:
            await started.adapter.stop()
            await started.app.close()


async def _set_up_group(world: World) -> None:
    reply = await world.say(GROUP, ANNA, "/einrichten AG Wirtschaftsförderung")
    assert "angelegt" in reply


async def test_command_menus_come_from_the_registry_in_both_languages(world: World) -> None:
    menus = {
        (menu["scope"]["type"], menu["language_code"] or "default"): {
            c["command"]: c["description"] for c in menu["commands"]
        }
        for menu in world.tg.commands()
    }
    assert set(menus) == {
        ("all_private_chats", "de"),
        ("all_private_chats", "default"),
        ("all_group_chats", "de"),
        ("all_group_chats", "default"),
    }
    assert menus[("all_group_chats", "de")]["einrichten"].startswith("Verbindet diesen Gruppenchat")
    assert "setup" in menus[("all_group_chats", "default")]
    assert "verknuepfen" in menus[("all_private_chats", "de")]
    assert "einrichten" not in menus[("all_private_chats", "de")]  # group-only command
    assert menus[("all_private_chats", "default")]["help"] == "Shows the commands you may use here."


async def test_start_in_a_private_chat_greets_and_shows_help(world: World) -> None:
    reply = await world.say(ANNA, ANNA, "/start")
    assert "Guten Tag, Anna!" in reply
    assert "/verknuepfen" in reply
    sent = world.tg.sent_messages(ANNA)[-1]
    assert sent["parse_mode"] == "HTML"
    assert "reply_parameters" not in sent  # private answers need no quote


async def test_setup_by_a_chat_admin_and_refused_for_a_member(world: World) -> None:
    refused = await world.say(GROUP, BEN, "/einrichten AG Ben")
    assert "Nur Chat-Admins dürfen /einrichten verwenden." in refused

    message = world.tg.push_message(GROUP, ANNA, "/einrichten AG Wirtschaftsförderung")
    reply = await world.tg.wait_for_message(GROUP, contains="angelegt")
    assert reply["reply_parameters"]["message_id"] == message["message_id"]
    members = await world.say(GROUP, ANNA, "/mitglieder")
    assert "Anna – Koordination" in members


async def test_anonymous_group_admins_count_as_chat_admins(world: World) -> None:
    reply = await world.say(GROUP, None, "/einrichten AG Anonym", sender_chat_id=GROUP)
    assert "angelegt" in reply


async def test_commands_for_another_bot_are_ignored(world: World) -> None:
    world.tg.push_message(GROUP, ANNA, "/hilfe@OtherBot")
    addressed = world.tg.push_message(GROUP, ANNA, "/hilfe@AGBot")
    await world.tg.wait_for_message(GROUP, contains="/hilfe")
    await asyncio.sleep(0.2)
    sent = world.tg.sent_messages(GROUP)
    assert len(sent) == 1
    assert sent[0]["reply_parameters"]["message_id"] == addressed["message_id"]


async def test_hostile_names_and_texts_are_escaped(world: World) -> None:
    world.tg.add_user(104, "<b>Evil</b> & </a>", username="evil")
    await _set_up_group(world)
    await world.say(GROUP, 104, "/beitreten")
    members = await world.say(GROUP, ANNA, "/mitglieder")
    assert "&lt;b&gt;Evil&lt;/b&gt; &amp; &lt;/a&gt; – Mitglied" in members
    renamed = await world.say(GROUP, ANNA, "/einrichten <i>AG</i> & </b>Co")
    assert "&lt;i&gt;AG&lt;/i&gt; &amp; &lt;/b&gt;Co" in renamed
    # Telegram accepted every one of them: no "can't parse entities".
    assert all(call.ok for call in world.tg.calls_of("sendMessage", include_failed=True))


async def test_a_long_reply_is_split_at_line_boundaries(world: World) -> None:
    lines = tuple((Span(f"Zeile {n:04d}: <Müller & Söhne> {'x' * 40}"),) for n in range(200))
    reply = Reply(lines=lines)
    assert len(reply.plain_text()) > 10_000
    await world.adapter.deliver(GROUP, reply)
    parts = world.tg.sent_messages(GROUP)
    assert len(parts) >= 3
    # Telegram's limit counts what it shows (the emulator refuses longer messages).
    assert all(utf16_len(m["text"]) <= 4096 for m in world.tg.messages(GROUP))
    received = "\n".join(unescape(part["text"]) for part in parts)
    assert received == reply.plain_text()  # nothing lost, nothing cut inside a line


async def test_flood_limit_429_is_waited_out_without_loss(world: World) -> None:
    world.tg.fail_next("sendMessage", status=429, retry_after=1)
    reply = await world.say(ANNA, ANNA, "/hilfe")
    assert "/hilfe" in reply
    attempts = world.tg.calls_of("sendMessage", include_failed=True)
    assert [call.status for call in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0
    assert world.adapter.stats.failed == 0


async def test_server_errors_are_retried(world: World) -> None:
    # 503: the server refused to act; a 500/502/504 may have sent it (not repeated).
    world.tg.fail_next("sendMessage", status=503, times=2)
    reply = await world.say(ANNA, ANNA, "/hilfe")
    assert "/hilfe" in reply
    assert world.adapter.stats.retried == 2 and world.adapter.stats.failed == 0


async def test_a_button_press_runs_the_command_of_the_presser(world: World) -> None:
    await _set_up_group(world)
    question = await world.say(GROUP, ANNA, "/einrichten AG Kultur")
    assert "Soll er zu" in question
    asked = world.tg.sent_messages(GROUP)[-1]
    buttons = [b for row in asked["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["callback_data"] for b in buttons] == ["/ja", "/nein"]
    message_id = world.tg.messages(GROUP)[-1]["message_id"]

    before = len(world.tg.sent_messages(GROUP))
    world.tg.push_callback_query(GROUP, BEN, "/ja", message_id)  # Ben was not asked
    await world.tg.wait_for(lambda: len(world.tg.answered_callbacks()) == 1)
    assert "Es gibt nichts zu bestätigen" in world.tg.answered_callbacks()[0]["text"]
    assert len(world.tg.sent_messages(GROUP)) == before  # a refusal is only a notice

    world.tg.push_callback_query(GROUP, ANNA, "/ja", message_id)
    moved = await world.tg.wait_for_message(GROUP, contains="AG Kultur</b> ist angelegt")
    assert "gehört dazu" in moved["text"]
    assert len(world.tg.answered_callbacks()) == 2


async def test_group_to_supergroup_migration_keeps_the_binding(world: World) -> None:
    world.tg.add_chat(-2002, "group", title="Kleine Gruppe")
    world.tg.set_member_status(-2002, ANNA, "creator")
    assert "angelegt" in await world.say(-2002, ANNA, "/einrichten AG Umzug")
    world.tg.push_migration(-2002, -1002002)
    world.tg.set_member_status(-1002002, ANNA, "creator")
    await asyncio.sleep(0.3)
    shown = await world.say(-1002002, ANNA, "/ag")
    assert "AG Umzug" in shown
    # Sending to the old id is answered with migrate_to_chat_id; the adapter follows it.
    await world.adapter.deliver(-2002, Reply(lines=((Span("Hallo"),),)))
    assert world.tg.sent_messages(-1002002)[-1]["text"] == "Hallo"


async def test_text_mentions_of_people_without_username_resolve(world: World) -> None:
    await _set_up_group(world)
    await world.say(GROUP, CARLA, "/beitreten")
    text = "/rolle Carla koordination"
    mention = {"type": "text_mention", "offset": 7, "length": 5, "user": {"id": CARLA}}
    mention["user"] = world.tg._user(CARLA)  # the full user object, as Telegram sends it
    reply = await world.say(GROUP, ANNA, text, entities=[mention])
    assert (
        f'<a href="tg://user?id={CARLA}">Carla Çelik</a> hat jetzt die Rolle Koordination' in reply
    )


async def test_forum_topics_get_their_answers_in_the_topic(world: World) -> None:
    world.tg.add_chat(-3003, "supergroup", title="Forum", is_forum=True)
    world.tg.push_message(-3003, ANNA, "/hilfe", message_thread_id=7)
    sent = await world.tg.wait_for_message(-3003, contains="/hilfe")
    assert sent["message_thread_id"] == 7


async def test_joining_a_group_introduces_the_bot(world: World) -> None:
    world.tg.add_chat(-4004, "supergroup", title="Neue Gruppe")
    world.tg.push_my_chat_member(-4004, ANNA, "left", "member")
    intro = await world.tg.wait_for_message(-4004, contains="Ich bin AG-Bot")
    assert "/einrichten" in intro["text"]


async def test_removal_is_reported_to_coordinators_and_blocking_is_remembered(
    world: World,
) -> None:
    await world.say(ANNA, ANNA, "/start")  # Anna can now be written to privately
    await _set_up_group(world)
    world.tg.push_my_chat_member(GROUP, BEN, "member", "left")
    notice = await world.tg.wait_for_message(ANNA, contains="entfernt")
    assert "AG WF Gruppe" in notice["text"]

    world.tg.push_my_chat_member(ANNA, ANNA, "member", "kicked")  # Anna blocks the bot
    for _ in range(50):
        if await _reachable(world, ANNA) is False:
            break
        await asyncio.sleep(0.05)
    assert await _reachable(world, ANNA) is False


async def test_a_file_reply_is_sent_as_a_document(world: World) -> None:
    report = OutgoingFile("bericht.csv", b"Name;Stunden\nAnna;2,5\n", "text/csv")
    await world.adapter.deliver(ANNA, Reply(lines=((Span("Ihr Bericht"),),), files=(report,)))
    document = world.tg.documents(ANNA)[-1]["document"]
    assert document["file_name"] == "bericht.csv"
    assert document["content"] == report.content


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_webhook_mode_checks_the_secret_on_every_request(database_url: str) -> None:
    port = _free_port()
    async with TelegramEmulator() as tg:
        world = await _start_world(
            tg,
            database_url,
            mode="webhook",
            webhook_url=f"http://127.0.0.1:{port}/telegram",
            webhook_listen="127.0.0.1",
            webhook_port=port,
            webhook_secret="geheimes-token-123",
        )
        try:
            assert tg.webhook_url == f"http://127.0.0.1:{port}/telegram"
            assert tg.webhook_secret == "geheimes-token-123"
            message = tg.push_message(ANNA, ANNA, "/hilfe")
            update = tg.pending_updates[-1]
            assert await tg.deliver_webhook_with_secret(update, "falsch") == 403
            assert await tg.deliver_webhook_with_secret(update, None) == 403
            await asyncio.sleep(0.2)
            assert tg.sent_messages(ANNA) == []
            assert await tg.deliver_webhook(update) == 200
            reply = await tg.wait_for_message(ANNA, contains="/hilfe")
            assert reply["chat_id"] in (ANNA, str(ANNA))
            assert message["text"] == "/hilfe"
        finally:
            await world.adapter.stop()
            await world.app.close()


async def _reachable(world: World, account_id: int) -> bool | None:
    async with world.app.sessions() as session:
        return await session.scalar(
            select(Account.reachable_privately).where(Account.account_id == str(account_id))
        )


async def test_a_403_from_a_blocked_person_marks_them_unreachable(world: World) -> None:
    await world.say(BEN, BEN, "/start")
    assert await _reachable(world, BEN) is True
    world.tg.blocked_users.add(BEN)
    await world.adapter.deliver(BEN, Reply(lines=((Span("Erinnerung"),),)))
    assert await _reachable(world, BEN) is False
    assert world.adapter.stats.failed == 1


async def test_a_message_that_cannot_be_delivered_is_logged_and_counted(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world.tg.fail_next("sendMessage", status=503, times=10)
    assert await world.adapter.deliver(ANNA, Reply(lines=((Span("Hallo"),),))) == []
    assert world.adapter.stats.failed == 1
    assert world.adapter.stats.retried == 2  # the test adapter retries twice
    assert any("not delivered" in record.getMessage() for record in caplog.records)


async def test_reminder_sends_tell_a_blocked_person_from_a_passing_failure(world: World) -> None:
    """The notifier interface raises, so the dispatcher knows whether to retry."""
    reminder = Reply(lines=((Span("Erinnerung: Bericht"),),))
    await world.say(BEN, BEN, "/start")
    world.tg.blocked_users.add(BEN)
    with pytest.raises(DeliveryFailed) as blocked:
        await world.adapter.send_private(str(BEN), reminder, key="personal:1")
    assert blocked.value.permanent
    assert await _reachable(world, BEN) is False
    world.tg.fail_next("sendMessage", status=503, times=3)  # the first try and two retries
    with pytest.raises(DeliveryFailed) as unavailable:
        await world.adapter.send(ChatRef("telegram", str(ANNA), True), reminder, key="personal:2")
    assert not unavailable.value.permanent
    sent = await world.adapter.send(ChatRef("telegram", str(ANNA), True), reminder)
    assert sent is not None and sent.isdecimal()  # Telegram's message id


def _most_in_any_window(times: list[float], period: float) -> int:
    times = sorted(times)
    return max(
        sum(1 for other in times[index:] if other - start < period)
        for index, start in enumerate(times)
    )


async def test_the_flood_limiter_keeps_every_window(database_url: str) -> None:
    async with TelegramEmulator() as tg:
        world = await _start_world(tg, database_url)
        await world.adapter.stop()
        limited = TelegramAdapter(
            _telegram_config(tg),
            world.app.router,
            rate_limiter=FloodLimiter(overall_per_second=5, group_per_minute=20),
            poll_timeout=1,
        )
        await limited.start()
        try:
            tg.clear_calls()
            chats = [1000 + n for n in range(12)]
            one_line = Reply(lines=((Span("Hallo"),),))
            # 12 chats at once and three messages to one person, all queued together.
            await asyncio.gather(
                *(limited.deliver(chat, one_line) for chat in chats),
                *(limited.deliver(ANNA, one_line) for _ in range(3)),
            )
            sent = tg.calls_of("sendMessage")
            assert len(sent) == 15 and limited.stats.failed == 0
            assert _most_in_any_window([c.at for c in sent], 1.0) <= 5
            to_anna = [c.at for c in sent if str(c.params["chat_id"]) == str(ANNA)]
            assert _most_in_any_window(to_anna, 1.0) == 1
        finally:
            await limited.stop()
            await world.app.close()


async def test_a_send_refused_with_429_does_not_use_up_a_groups_minute(database_url: str) -> None:
    async with TelegramEmulator() as tg:
        world = await _start_world(tg, database_url)
        await world.adapter.stop()
        limited = TelegramAdapter(
            _telegram_config(tg),
            world.app.router,
            rate_limiter=FloodLimiter(group_per_minute=2),
            poll_timeout=1,
        )
        await limited.start()
        try:
            tg.fail_next("sendMessage", status=429, retry_after=1, chat_id=GROUP)
            started = time.monotonic()
            for text in ("eins", "zwei"):
                await limited.deliver(GROUP, Reply(lines=((Span(text),),)))
            # Two sends fit the group's minute: the refused attempt took no slot of it.
            assert time.monotonic() - started < 10
            assert [m["text"] for m in tg.sent_messages(GROUP)] == ["eins", "zwei"]
        finally:
            await limited.stop()
            await world.app.close()


async def test_processes_sharing_a_token_each_keep_to_their_share(database_url: str) -> None:
    async with TelegramEmulator() as tg:
        world = await _start_world(tg, database_url)
        await world.adapter.stop()
        shared = TelegramAdapter(_telegram_config(tg, processes=3), world.app.router)
        await shared.start()
        try:
            tg.clear_calls()
            one_line = Reply(lines=((Span("Hallo"),),))
            await asyncio.gather(*(shared.deliver(2000 + n, one_line) for n in range(15)))
            sent = [call.at for call in tg.calls_of("sendMessage")]
            assert len(sent) == 15
            # A third of Telegram's 30 a second for the token.
            assert _most_in_any_window(sent, 1.0) == 10
        finally:
            await shared.stop()
            await world.app.close()


async def test_a_question_of_the_bot_forces_a_reply_for_privacy_mode(world: World) -> None:
    await _set_up_group(world)
    question = await world.say(GROUP, ANNA, "/termin")
    assert "Titel" in question
    sent = world.tg.sent_messages(GROUP)[-1]
    assert sent["reply_markup"] == {"force_reply": True, "selective": True}


# --- files with commands ---------------------------------------------------------------------

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + "Protokoll der AG Wirtschaftsförderung".encode()
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _received(text: str, name: str, mime_type: str, content: bytes) -> None:
    """The /datei answer names exactly this file: name, type, size and checksum."""
    assert f"Empfangen: {name}" in text
    assert f"Typ: {mime_type}, Größe: {len(content)} Byte" in text
    assert f"SHA-256: <code>{hashlib.sha256(content).hexdigest()}</code>" in text


async def test_a_document_with_a_command_as_caption_reaches_the_command(world: World) -> None:
    message = world.tg.push_document(
        GROUP, ANNA, "Protokoll März.pdf", PDF, caption="/datei", mime_type="application/pdf"
    )
    reply = await world.tg.wait_for_message(GROUP, contains="SHA-256")
    _received(reply["text"], "Protokoll März.pdf", "application/pdf", PDF)
    assert reply["reply_parameters"]["message_id"] == message["message_id"]


async def test_a_command_answering_a_document_gets_that_document(world: World) -> None:
    content = b"PK\x03\x04" + b"word/document.xml" * 300
    document = world.tg.push_document(GROUP, BEN, "protokoll.docx", content, mime_type=DOCX_TYPE)
    world.tg.push_message(GROUP, ANNA, "/datei", reply_to=document["message_id"])
    reply = await world.tg.wait_for_message(GROUP, contains="SHA-256")
    _received(reply["text"], "protokoll.docx", DOCX_TYPE, content)


async def test_documents_are_downloaded_only_for_commands(world: World) -> None:
    holiday = world.tg.push_document(GROUP, BEN, "urlaub.pdf", PDF)  # no caption
    world.tg.push_document(GROUP, BEN, "notizen.pdf", PDF, caption="Hier die Notizen")
    chat = world.tg.push_message(GROUP, BEN, "Danke!", reply_to=holiday["message_id"])
    other_bot = world.tg.push_document(GROUP, BEN, "x.pdf", PDF, caption="/datei@OtherBot")
    assert chat["reply_to_message"]["document"]["file_name"] == "urlaub.pdf"
    assert other_bot["caption"] == "/datei@OtherBot"
    await world.say(GROUP, ANNA, "/hilfe")  # handled after the four above
    assert world.tg.calls_of("getFile", include_failed=True) == []
    # /datei without a file explains how to send one.
    explained = await world.say(GROUP, ANNA, "/datei")
    assert "Mit dem Befehl kam keine Datei" in explained


async def test_a_file_over_the_limit_is_refused_without_downloading(database_url: str) -> None:
    async with TelegramEmulator() as tg:
        world = await _start_world(tg, database_url, bot=BotSettings(max_upload_mb=1))
        try:
            big = b"x" * (1024 * 1024 + 1)
            tg.push_document(GROUP, ANNA, "gross.pdf", big, caption="/datei")
            refusal = await tg.wait_for_message(GROUP, contains="zu groß")
            assert refusal["text"] == (
                "Die Datei gross.pdf ist zu groß (2 MB). Ich nehme Dateien bis 1 MB an; "
                "der Befehl wurde nicht ausgeführt."
            )
            assert tg.calls_of("getFile", include_failed=True) == []
        finally:
            await world.adapter.stop()
            await world.app.close()


async def test_the_bot_api_download_limit_is_refused_readably(database_url: str) -> None:
    """Configured above Telegram's 20 MB, getFile's "file is too big" becomes the refusal."""
    async with TelegramEmulator() as tg:
        world = await _start_world(tg, database_url, bot=BotSettings(max_upload_mb=50))
        try:
            big = b"\0" * (21 * 1024 * 1024)
            tg.push_document(GROUP, ANNA, "scan.pdf", big, caption="/datei")
            refusal = await tg.wait_for_message(GROUP, contains="zu groß")
            assert "Die Datei scan.pdf ist zu groß (21 MB)" in refusal["text"]
            assert "bis 20 MB" in refusal["text"]
            [call] = tg.calls_of("getFile", include_failed=True)
            assert call.status == 400
        finally:
            await world.adapter.stop()
            await world.app.close()


async def test_a_failed_download_asks_to_send_the_file_again(world: World) -> None:
    world.tg.fail_next("getFile", status=502)
    world.tg.push_document(GROUP, ANNA, "protokoll.pdf", PDF, caption="/datei")
    refusal = await world.tg.wait_for_message(GROUP, contains="protokoll.pdf")
    assert "nicht abrufen" in refusal["text"]
