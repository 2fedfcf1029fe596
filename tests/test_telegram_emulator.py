"""The Telegram emulator speaks the Bot API well enough for python-telegram-bot's real stack.

These tests use only python-telegram-bot and the emulator (no AG-Bot code): PTB's HTTPXRequest
talks HTTP to the emulator exactly as it would talk to api.telegram.org.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import socket
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiohttp import web
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    ChatFullInfo,
    ChatMemberAdministrator,
    ChatMemberBanned,
    ChatMemberMember,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from tests.telegram_emulator import FloodLimits, TelegramEmulator

USER = 1001
OTHER_USER = 1002
GROUP = -100200300
FORUM = -100400500
GUARD = 10  # seconds; no test may take longer than this

# PTB 22 announces that RetryAfter.retry_after will become a timedelta; both are handled here.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning"
)


@pytest.fixture
async def tg() -> AsyncIterator[TelegramEmulator]:
    async with TelegramEmulator() as emulator:
        emulator.add_user(USER, "Anna", "anna_ag")
        emulator.add_user(OTHER_USER, "Ben")
        emulator.add_chat(USER, "private")
        emulator.add_chat(GROUP, "supergroup", "AG Verkehr")
        emulator.add_chat(FORUM, "supergroup", "AG Forum", is_forum=True)
        yield emulator


@pytest.fixture
async def ptb_bot(tg: TelegramEmulator) -> AsyncIterator[Bot]:
    bot = Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url)
    async with asyncio.timeout(GUARD), bot:
        yield bot


def _build_application(tg: TelegramEmulator) -> Application:
    return (
        ApplicationBuilder()
        .token(tg.token)
        .base_url(tg.base_url)
        .base_file_url(tg.base_file_url)
        .build()
    )


async def _start_polling(app: Application) -> None:
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0, timeout=1)


async def _stop_polling(app: Application) -> None:
    assert app.updater is not None
    await app.updater.stop()
    await app.stop()
    await app.shutdown()


def _seconds(value: int | dtm.timedelta) -> float:
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


# ------------------------------------------------------------------------ plain Bot requests


async def test_get_me_send_message_and_document(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    me = await ptb_bot.get_me()
    assert (me.id, me.is_bot, me.first_name, me.username) == (123456, True, "AG-Bot", "AGBot")

    message = await ptb_bot.send_message(
        USER,
        "<b>Hallo</b> &amp; willkommen",
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("OK", callback_data="ok")]]),
    )
    assert message.text == "Hallo & willkommen"
    assert message.chat.id == USER
    assert message.from_user is not None and message.from_user.id == me.id
    assert message.entities == (MessageEntity(MessageEntity.BOLD, 0, 5),)
    assert message.reply_markup is not None

    [sent] = tg.sent_messages(USER)
    assert sent["text"] == "<b>Hallo</b> &amp; willkommen"
    assert sent["parse_mode"] == "HTML"
    assert sent["chat_id"] == USER
    assert sent["reply_markup"] == {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]}

    content = b"Protokoll der AG\n" * 100
    document = await ptb_bot.send_document(
        GROUP, InputFile(content, filename="protokoll.txt"), caption="Das <i>Protokoll</i>"
    )
    assert document.document is not None
    assert document.document.file_name == "protokoll.txt"
    assert document.document.file_size == len(content)
    assert document.caption == "Das <i>Protokoll</i>"  # no parse_mode: taken literally
    [recorded] = tg.documents(GROUP)
    assert recorded["document"]["content"] == content
    assert recorded["document"]["file_name"] == "protokoll.txt"
    assert recorded["caption"] == "Das <i>Protokoll</i>"

    # The uploaded file can be fetched back through base_file_url.
    file = await ptb_bot.get_file(document.document.file_id)
    assert bytes(await file.download_as_bytearray()) == content


async def test_message_ids_replies_and_threads(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    question = tg.push_message(FORUM, USER, "Wann ist das Treffen?", message_thread_id=7)
    assert question["is_topic_message"] is True
    answer = await ptb_bot.send_message(
        FORUM,
        "Am Dienstag",
        message_thread_id=7,
        reply_parameters=ReplyParameters(question["message_id"]),
    )
    assert answer.message_id == question["message_id"] + 1
    assert answer.message_thread_id == 7
    assert answer.reply_to_message is not None
    assert answer.reply_to_message.text == "Wann ist das Treffen?"
    [sent] = tg.sent_messages(FORUM)
    assert sent["message_thread_id"] == 7
    assert sent["reply_parameters"]["message_id"] == question["message_id"]

    with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
        await ptb_bot.send_message(FORUM, "x", reply_parameters=ReplyParameters(999))


async def test_telegram_validation_errors(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r'(?i)can.t find end tag corresponding to start tag "b"'):
        await ptb_bot.send_message(USER, "<b>offen", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r'(?i)unsupported start tag "br" at byte offset 4'):
        await ptb_bot.send_message(USER, "eins<br>zwei", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)unmatched end tag"):
        await ptb_bot.send_message(USER, "<b><i>x</b></i>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await ptb_bot.send_message(USER, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await ptb_bot.send_message(USER, "  <b></b> ", parse_mode="HTML")

    # The limit counts visible characters, after tags and entities are resolved.
    long_html = "<b>" + "&lt;" * 4096 + "</b>"
    message = await ptb_bot.send_message(USER, long_html, parse_mode="HTML")
    assert message.text == "<" * 4096

    failed = [c for c in tg.calls_of("sendMessage", include_failed=True) if not c.ok]
    assert len(failed) == 5
    assert all(c.status == 400 for c in failed)
    assert failed[0].response["description"] == (
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    )
    assert len(tg.sent_messages()) == 1


async def test_edit_message_text_and_markup(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="yes")]])
    sent = await ptb_bot.send_message(GROUP, "Frage?", reply_markup=keyboard)
    edited = await ptb_bot.edit_message_text("Frage beantwortet", GROUP, sent.message_id)
    assert isinstance(edited, Message) and edited.text == "Frage beantwortet"
    assert tg.message(GROUP, sent.message_id)["text"] == "Frage beantwortet"
    assert "reply_markup" not in tg.message(GROUP, sent.message_id)

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await ptb_bot.edit_message_text("Frage beantwortet", GROUP, sent.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await ptb_bot.edit_message_text("x", GROUP, 4242)
    user_message = tg.push_message(GROUP, USER, "von Anna")
    with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
        await ptb_bot.edit_message_text("x", GROUP, user_message["message_id"])

    await ptb_bot.edit_message_reply_markup(GROUP, sent.message_id, reply_markup=keyboard)
    assert tg.message(GROUP, sent.message_id)["reply_markup"] == keyboard.to_dict()


# ------------------------------------------------------------------------- fault injection


async def test_fail_next_429_raises_retry_after(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    tg.fail_next("sendMessage", status=429, retry_after=1)
    with pytest.raises(RetryAfter) as caught:
        await ptb_bot.send_message(USER, "eins")
    assert _seconds(caught.value.retry_after) == 1
    failed = tg.calls_of("sendMessage", include_failed=True)[0]
    assert failed.response == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    await ptb_bot.send_message(USER, "zwei")  # only the next call failed
    assert [m["text"] for m in tg.sent_messages()] == ["zwei"]
    assert [m["text"] for m in tg.sent_messages(include_failed=True)] == ["eins", "zwei"]


async def test_flood_limits_answer_429_past_telegrams_rates() -> None:
    limits = FloodLimits(per_bot_per_second=5, per_group_per_minute=3, per_private_per_second=1)
    async with TelegramEmulator(flood_limits=limits) as tg:
        bot = Bot(tg.token, base_url=tg.base_url, base_file_url=tg.base_file_url)
        async with bot:
            for text in ("g1", "g2", "g3"):
                await bot.send_message(GROUP, text)
            with pytest.raises(RetryAfter) as group_full:
                await bot.send_message(GROUP, "g4")
            assert 1 <= _seconds(group_full.value.retry_after) <= 60
            await bot.send_message(USER, "p1")
            with pytest.raises(RetryAfter):
                await bot.send_message(USER, "p2")  # one a second into a private chat
            await bot.send_message(OTHER_USER, "q1")
            with pytest.raises(RetryAfter) as bot_full:
                await bot.send_message(FORUM, "f1")  # the sixth send in a second: per bot
            assert _seconds(bot_full.value.retry_after) == 1
            await asyncio.sleep(1.05)
            await bot.send_message(FORUM, "f1")
    accepted = [m["text"] for m in tg.sent_messages()]
    assert accepted == ["g1", "g2", "g3", "p1", "q1", "f1"]


async def test_other_faults(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    tg.fail_next("sendMessage", status=403)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await ptb_bot.send_message(USER, "x")

    tg.fail_next("sendMessage", status=400, migrate_to_chat_id=-1009999)
    with pytest.raises(ChatMigrated) as migrated:
        await ptb_bot.send_message(GROUP, "x")
    assert migrated.value.new_chat_id == -1009999

    tg.fail_next("sendMessage", status=502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await ptb_bot.send_message(USER, "x")

    # A fault for one chat leaves the other chats alone.
    tg.fail_next("sendMessage", status=429, retry_after=3, chat_id=GROUP)
    await ptb_bot.send_message(USER, "privat")
    with pytest.raises(RetryAfter):
        await ptb_bot.send_message(GROUP, "gruppe")

    tg.blocked_users.add(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await ptb_bot.send_message(USER, "x")
    assert [m["text"] for m in tg.sent_messages()] == ["privat"]


async def test_unknown_method_and_wrong_token(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{tg.base_url}{tg.token}/fooBar", data={"a": "1"}) as response:
            assert response.status == 404
            assert await response.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        async with session.get(f"{tg.base_url}123:WRONG/getMe") as response:
            assert response.status == 401
        # Method names are case-insensitive; JSON bodies work too.
        async with session.post(
            f"{tg.base_url}{tg.token}/SENDMESSAGE", json={"chat_id": USER, "text": "42"}
        ) as response:
            body = await response.json()
            assert body["ok"] is True and body["result"]["text"] == "42"
    with pytest.raises(EndPointNotFound):  # how PTB reads a 404 for a method
        await ptb_bot.do_api_request("fooBar")
    last = tg.calls[-1]
    assert (last.method, last.status, last.ok) == ("fooBar", 404, False)
    assert tg.sent_messages()[0]["text"] == "42"  # a string stays a string


# --------------------------------------------------------------------- updates and polling


async def test_long_polling_semantics(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    # Nothing queued: the poll waits for ``timeout``…
    started = time.monotonic()
    assert await ptb_bot.get_updates(timeout=1) == ()
    assert 0.9 <= time.monotonic() - started < 3

    # …but wakes as soon as an update is pushed.
    loop = asyncio.get_running_loop()
    loop.call_later(0.2, tg.push_message, USER, USER, "hallo")
    started = time.monotonic()
    updates = await ptb_bot.get_updates(timeout=5)
    assert time.monotonic() - started < 2
    assert [u.message.text for u in updates if u.message] == ["hallo"]

    for text in ("a", "b", "c"):
        tg.push_message(USER, USER, text)
    # Unconfirmed updates are delivered again; ``limit`` caps the batch.
    again = await ptb_bot.get_updates(limit=2)
    assert [u.message.text for u in again if u.message] == ["hallo", "a"]
    # ``offset`` confirms everything before it.
    rest = await ptb_bot.get_updates(offset=again[-1].update_id + 1)
    assert [u.message.text for u in rest if u.message] == ["b", "c"]
    assert [u["message"]["text"] for u in tg.pending_updates] == ["b", "c"]
    await ptb_bot.get_updates(offset=rest[-1].update_id + 1)
    assert tg.pending_updates == []

    # ``allowed_updates`` filters by type and is remembered for later polls.
    tg.push_message(USER, USER, "nur Text")
    tg.push_callback_query(USER, USER, "data", 1)
    only_callbacks = await ptb_bot.get_updates(allowed_updates=["callback_query"])
    assert [u.callback_query.data for u in only_callbacks if u.callback_query] == ["data"]
    assert len(await ptb_bot.get_updates()) == 1


async def test_pushed_updates_parse_in_ptb(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    tg.push_message(GROUP, USER, "/start@AGBot hallo @ben_ag und /help")
    tg.push_message(GROUP, None, "anonym", sender_chat_id=GROUP)
    tg.push_my_chat_member(GROUP, USER, "left", "administrator")
    tg.push_my_chat_member(USER, USER, "member", "kicked")
    old_message, new_message = tg.push_migration(-200, -100200)
    updates = await ptb_bot.get_updates()
    assert len(updates) == 6
    assert [u.update_id for u in updates] == sorted(u.update_id for u in updates)

    command = updates[0].message
    assert command is not None and command.from_user is not None
    assert command.from_user.username == "anna_ag"
    assert command.from_user.language_code == "de"
    commands = command.parse_entities([MessageEntity.BOT_COMMAND]).values()
    assert sorted(commands) == ["/help", "/start@AGBot"]
    assert sorted(command.parse_entities().values()) == ["/help", "/start@AGBot", "@ben_ag"]
    assert command.entities[0] == MessageEntity(MessageEntity.BOT_COMMAND, 0, 12)

    anonymous = updates[1].message
    assert anonymous is not None and anonymous.sender_chat is not None
    assert anonymous.sender_chat.id == GROUP
    assert anonymous.message_id == command.message_id + 1

    added = updates[2].my_chat_member
    assert added is not None
    assert isinstance(added.new_chat_member, ChatMemberAdministrator)
    assert added.old_chat_member.status == "left"
    assert tg.member_status(GROUP, tg.bot_user["id"]) == "administrator"

    blocked = updates[3].my_chat_member
    assert blocked is not None and blocked.new_chat_member.status == "kicked"
    assert USER in tg.blocked_users
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await ptb_bot.send_message(USER, "x")

    assert updates[4].message is not None
    assert updates[4].message.migrate_to_chat_id == -100200
    assert updates[5].message is not None
    assert updates[5].message.migrate_from_chat_id == -200
    assert updates[5].effective_chat is not None
    assert updates[5].effective_chat.type == "supergroup"
    assert old_message["migrate_to_chat_id"] == new_message["chat"]["id"]
    with pytest.raises(ChatMigrated) as migrated:
        await ptb_bot.send_message(-200, "noch da?")
    assert migrated.value.new_chat_id == -100200

    tg.push_my_chat_member(GROUP, USER, "administrator", "kicked")
    with pytest.raises(Forbidden, match="bot was kicked from the supergroup chat"):
        await ptb_bot.send_message(GROUP, "x")


async def test_application_polling_replies_to_start(tg: TelegramEmulator) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_user is not None
        await update.effective_message.reply_html(
            f"Hallo <b>{update.effective_user.first_name}</b>!"
        )

    app = _build_application(tg)
    app.add_handler(CommandHandler("start", start))
    async with asyncio.timeout(GUARD):
        await _start_polling(app)
        try:
            pushed = tg.push_message(USER, USER, "/start")
            sent = await tg.wait_for_message(USER, "Hallo")
        finally:
            await _stop_polling(app)
    assert sent["text"] == "Hallo <b>Anna</b>!"
    assert sent["parse_mode"] == "HTML"
    assert tg.messages(USER)[-1]["text"] == "Hallo Anna!"
    assert tg.messages(USER)[-1]["message_id"] == pushed["message_id"] + 1
    assert tg.pending_updates == []  # the final getUpdates on stop confirmed the update
    assert [c.method for c in tg.calls[:2]] == ["getMe", "deleteWebhook"]


async def test_application_callback_query_flow(tg: TelegramEmulator) -> None:
    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Gespeichert")
        await query.edit_message_text(f"Gewählt: {query.data}")

    app = _build_application(tg)
    app.add_handler(CallbackQueryHandler(pressed))
    async with asyncio.timeout(GUARD):
        async with Bot(tg.token, base_url=tg.base_url) as bot:
            keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Ja", callback_data="ja")]])
            question = await bot.send_message(GROUP, "Mitmachen?", reply_markup=keyboard)
        await _start_polling(app)
        try:
            query = tg.push_callback_query(GROUP, OTHER_USER, "ja", question.message_id)
            await tg.wait_for(lambda: tg.calls_of("editMessageText"))
        finally:
            await _stop_polling(app)
    [answer] = tg.answered_callbacks()
    assert answer["callback_query_id"] == query["id"]
    assert answer["text"] == "Gespeichert"
    assert tg.message(GROUP, question.message_id)["text"] == "Gewählt: ja"


async def test_second_poller_conflicts_with_the_first(tg: TelegramEmulator) -> None:
    # PTB's own get_updates connection pool holds one request, so two raw clients poll here.
    url = f"{tg.base_url}{tg.token}/getUpdates"
    async with asyncio.timeout(GUARD), aiohttp.ClientSession() as session:
        first = asyncio.create_task(session.post(url, data={"timeout": "5"}))
        await tg.wait_for(lambda: tg.calls_of("getUpdates", include_failed=True) or None)
        async with session.post(url, data={"timeout": "0"}) as second:
            assert await second.json() == {"ok": True, "result": []}
        async with await first as response:
            assert response.status == 409
            assert (await response.json())["description"] == (
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running"
            )


# ---------------------------------------------------------------------------------- webhooks


async def test_webhook_delivery_with_secret(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    received: list[Update] = []

    async def hook(request: web.Request) -> web.Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != "s3cr3t":
            return web.Response(status=403)
        received.append(Update.de_json(await request.json(), ptb_bot))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app, shutdown_timeout=1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        url = f"http://127.0.0.1:{port}/hook"
        assert await ptb_bot.set_webhook(url, secret_token="s3cr3t", allowed_updates=["message"])
        info = await ptb_bot.get_webhook_info()
        assert (info.url, info.allowed_updates) == (url, ("message",))
        assert tg.webhook_secret == "s3cr3t"
        with pytest.raises(Conflict, match="webhook is active"):
            await ptb_bot.get_updates()

        message = tg.push_message(USER, USER, "per Webhook")
        assert await tg.deliver_pending_webhook() == [200]
        assert await tg.deliver_webhook_with_secret({"message": message}, "falsch") == 403
        assert await tg.deliver_webhook_with_secret({"message": message}, None) == 403
        assert [u.message.text for u in received if u.message] == ["per Webhook"]
        assert tg.pending_updates == []
        assert [d.status for d in tg.webhook_deliveries] == [200, 403, 403]

        assert await ptb_bot.delete_webhook()
        assert tg.webhook_url == ""
        assert await ptb_bot.get_updates() == ()
    finally:
        await runner.cleanup()


async def test_application_start_webhook(tg: TelegramEmulator) -> None:
    pytest.importorskip("tornado", reason="start_webhook needs python-telegram-bot[webhooks]")
    with socket.socket() as probe:  # PTB's webhook server needs a known port for webhook_url
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    seen: list[str] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        seen.append(update.effective_message.text or "")
        await update.effective_message.reply_text("per Webhook")

    app = _build_application(tg)
    app.add_handler(CommandHandler("start", start))
    async with asyncio.timeout(GUARD):
        await app.initialize()
        await app.start()
        assert app.updater is not None
        await app.updater.start_webhook(
            listen="127.0.0.1",
            port=port,
            url_path="hook",
            webhook_url=f"http://127.0.0.1:{port}/hook",
            secret_token="s3cr3t",
        )
        try:
            assert tg.webhook_secret == "s3cr3t"
            message = tg.push_message(USER, USER, "/start")
            assert await tg.deliver_webhook_with_secret({"message": message}, "falsch") == 403
            assert await tg.deliver_webhook({"message": message}) == 200
            await tg.wait_for_message(USER, "per Webhook")
        finally:
            await app.updater.stop()
            await app.stop()
            await app.shutdown()
    assert seen == ["/start"]


# ------------------------------------------------------------------------- chats and commands


async def test_chat_members_and_chat_info(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    tg.set_member_status(GROUP, USER, "creator")
    tg.set_member_status(GROUP, OTHER_USER, "administrator", custom_title="Sprecher")
    assert isinstance(await ptb_bot.get_chat_member(GROUP, USER), ChatMemberOwner)
    admin = await ptb_bot.get_chat_member(GROUP, OTHER_USER)
    assert isinstance(admin, ChatMemberAdministrator) and admin.custom_title == "Sprecher"
    assert isinstance(await ptb_bot.get_chat_member(GROUP, 5555), ChatMemberMember)
    tg.set_member_status(GROUP, OTHER_USER, "kicked")
    assert isinstance(await ptb_bot.get_chat_member(GROUP, OTHER_USER), ChatMemberBanned)
    assert [m.user.id for m in await ptb_bot.get_chat_administrators(GROUP)] == [USER]

    chat = await ptb_bot.get_chat(FORUM)
    assert isinstance(chat, ChatFullInfo)
    assert (chat.id, chat.type, chat.title, chat.is_forum) == (
        FORUM,
        "supergroup",
        "AG Forum",
        True,
    )
    private = await ptb_bot.get_chat(USER)
    assert (private.first_name, private.username) == ("Anna", "anna_ag")


async def test_strict_chats_refuse_unknown_chats() -> None:
    async with TelegramEmulator(strict_chats=True) as tg:
        tg.add_user(USER, "Anna")
        async with asyncio.timeout(GUARD), Bot(tg.token, base_url=tg.base_url) as bot:
            with pytest.raises(BadRequest, match=r"(?i)chat not found"):
                await bot.send_message(-1000, "x")
            with pytest.raises(Forbidden, match="bot can't initiate conversation with a user"):
                await bot.send_message(USER, "x")
            tg.push_message(USER, USER, "/start")
            await bot.send_message(USER, "jetzt geht es")


async def test_my_commands(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    commands = [BotCommand("start", "Loslegen"), BotCommand("hilfe", "Hilfe anzeigen")]
    assert await ptb_bot.set_my_commands(commands)
    assert await ptb_bot.set_my_commands(
        commands[:1], scope=BotCommandScopeAllGroupChats(), language_code="de"
    )
    assert tg.commands() == [
        {
            "commands": [
                {"command": "start", "description": "Loslegen"},
                {"command": "hilfe", "description": "Hilfe anzeigen"},
            ],
            "scope": {"type": "default"},
            "language_code": "",
        },
        {
            "commands": [{"command": "start", "description": "Loslegen"}],
            "scope": {"type": "all_group_chats"},
            "language_code": "de",
        },
    ]
    assert await ptb_bot.get_my_commands() == tuple(commands)
    groups = await ptb_bot.get_my_commands(scope=BotCommandScopeAllGroupChats(), language_code="de")
    assert groups == (commands[0],)
    assert await ptb_bot.get_my_commands(language_code="en") == ()
    assert await ptb_bot.delete_my_commands()
    assert await ptb_bot.get_my_commands() == ()
    assert tg.current_commands({"type": "all_group_chats"}, "de") == [
        {"command": "start", "description": "Loslegen"}
    ]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await ptb_bot.set_my_commands([BotCommand("Start", "groß geschrieben")])


# ------------------------------------------------------------------------------- utilities


async def test_calls_are_timed(tg: TelegramEmulator, ptb_bot: Bot) -> None:
    for text in ("eins", "zwei"):
        await ptb_bot.send_message(USER, text)
        await asyncio.sleep(0.1)
    first, second = tg.calls_of("sendMessage")
    assert second.at - first.at >= 0.09
    assert first.at <= time.monotonic()


async def test_wait_for_fails_instead_of_hanging(tg: TelegramEmulator) -> None:
    started = time.monotonic()
    with pytest.raises(AssertionError, match=r"wait_for timed out after 0\.2s"):
        await tg.wait_for(lambda emulator: emulator.sent_messages(), timeout=0.2)
    assert time.monotonic() - started < 1
    assert await tg.wait_for(lambda: ["schon da"], timeout=0.2) == ["schon da"]


async def test_stop_releases_a_waiting_long_poll() -> None:
    tg = TelegramEmulator()
    await tg.start()
    async with asyncio.timeout(GUARD), aiohttp.ClientSession() as session:
        poll = asyncio.create_task(
            session.post(f"{tg.base_url}{tg.token}/getUpdates", data={"timeout": "30"})
        )
        await tg.wait_for(lambda: tg.calls)
        started = time.monotonic()
        await tg.stop()
        response = await poll
        assert json.loads(await response.read()) == {"ok": True, "result": []}
        response.release()
        assert time.monotonic() - started < 3


async def test_the_length_limit_counts_utf16_code_units_after_entity_parsing(
    tg: TelegramEmulator, ptb_bot: Bot
) -> None:
    # An emoji outside the BMP is two UTF-16 code units: 2048 of them fill a message.
    message = await ptb_bot.send_message(USER, "😀" * 2048)
    assert message.text == "😀" * 2048
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await ptb_bot.send_message(USER, "😀" * 2048 + "ä")
    # Umlauts are one unit each; tags and entities count as the text they show.
    markup = "<b>" + "ä&amp;" * 2048 + "</b>"
    assert (await ptb_bot.send_message(USER, markup, parse_mode="HTML")).text == "ä&" * 2048
    with pytest.raises(BadRequest, match=r"(?i)message caption is too long"):
        await ptb_bot.send_document(USER, InputFile(b"x", filename="x.txt"), caption="😀" * 513)


async def test_instant_polls_answer_at_once_and_hang_next_delays(tg: TelegramEmulator) -> None:
    tg.instant_polls = True
    bot = Bot(tg.token, base_url=tg.base_url)
    async with bot:
        started = time.monotonic()
        assert await bot.get_updates(timeout=5) == ()
        assert time.monotonic() - started < 1

        tg.hang_next("getChatMember", seconds=0.5)
        started = time.monotonic()
        await bot.get_chat_member(GROUP, USER)
        assert time.monotonic() - started >= 0.5
        started = time.monotonic()
        await bot.get_chat_member(GROUP, USER)  # only the next call hangs
        assert time.monotonic() - started < 0.5
