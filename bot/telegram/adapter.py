"""The Telegram adapter: updates in, neutral messages to the router, replies out as HTML.

python-telegram-bot runs inside the bot's own event loop (initialize/start/updater by
hand, never ``run_polling``), so other messengers and the scheduler share the loop.
It is the only module that knows Telegram's update and message types.

A command can carry a document: as its caption, or by answering a message with one. The
document is downloaded (getFile, then the file URL) only for the bot's own commands, and
refused before downloading when it is larger than ``[bot] max_upload_mb`` or the Bot API's
20 MB.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

from telegram import (
    Bot,
    CallbackQuery,
    Chat,
    ChatMember,
    ChatMemberUpdated,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
    User,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Conflict,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
)
from telegram.ext import Application, ApplicationBuilder, BaseRateLimiter, ContextTypes, TypeHandler

from bot.config import TelegramConfig
from bot.router import Router
from bot.telegram.admins import ChatAdmins
from bot.telegram.documents import document_for, fetch_document
from bot.telegram.menus import RETRY_DELAYS, CommandMenus
from bot.telegram.polling import PacedPollRequest
from bot.telegram.ratelimit import FloodLimiter
from bot.telegram.render import keyboard_rows, render_html
from bot.telegram.request import ClassifyingRequest, OutcomeUnknown
from core.messages import ChatRef, Incoming, Mention, Reply, Sender
from reminders.notifier import DeliveryFailed, DeliveryUncertain

log = logging.getLogger(__name__)

PLATFORM = "telegram"
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
_PRESENT = {
    ChatMember.OWNER,
    ChatMember.ADMINISTRATOR,
    ChatMember.MEMBER,
    ChatMember.RESTRICTED,
}


@dataclass
class SendStats:
    """What the adapter sent, what it gave up on after every retry, and the sends whose
    outcome nobody can tell (recorded as sent, never repeated)."""

    sent: int = 0
    retried: int = 0
    failed: int = 0
    unknown: int = 0


class _Unknown:
    """The outcome of one send that may or may not have arrived."""

    def __init__(self, reason: str) -> None:
        self.reason = reason


class TelegramAdapter:
    """Connects one Telegram bot account to the router."""

    def __init__(
        self,
        config: TelegramConfig,
        router: Router,
        *,
        rate_limiter: BaseRateLimiter[Any] | None = None,
        poll_timeout: int = 30,
        retry_delays: Sequence[float] = (0.5, 1, 2, 4),
        admin_cache_seconds: float = 60,
        admin_lookup_timeout: float = 5,
        menu_retry_delays: Sequence[float] = RETRY_DELAYS,
        poll_max_delay: float = 5.0,
    ) -> None:
        self._config = config
        self._router = router
        self._poll_timeout = poll_timeout
        self._retry_delays = tuple(retry_delays)
        self.chat_admins = ChatAdmins(admin_cache_seconds, admin_lookup_timeout)
        self.stats = SendStats()
        self.poll_request = PacedPollRequest(max_delay=poll_max_delay)
        self.menus = CommandMenus(router.registry, menu_retry_delays)
        builder = (
            ApplicationBuilder()
            .token(config.token)
            .rate_limiter(
                rate_limiter
                if rate_limiter is not None
                else FloodLimiter.shared_by(config.processes)
            )
            .concurrent_updates(False)
            # Paces getUpdates when a server answers long polls at once.
            .get_updates_request(self.poll_request)
            # Tells a send that never arrived from one that may have (see request.py).
            .request(ClassifyingRequest(connection_pool_size=256))
        )
        if config.base_url:
            builder = builder.base_url(config.base_url)
        if config.base_file_url:
            builder = builder.base_file_url(config.base_file_url)
        self.application: Application[Any, Any, Any, Any, Any, Any] = builder.build()
        self.application.add_handler(TypeHandler(Update, self._on_update))
        self.application.add_error_handler(self._on_error)

    @property
    def bot(self) -> Bot:
        return self.application.bot  # type: ignore[no-any-return]

    @property
    def bot_username(self) -> str:
        return self.bot.username

    async def start(self) -> None:
        """Log in (getMe), publish the command menus and start polling or the webhook."""
        await self.application.initialize()
        self._router.add_bot_name(PLATFORM, self.bot_username)
        self._router.add_notifier(PLATFORM, self)
        # Cosmetic: a failure is a warning and is retried in the background.
        await self.menus.publish_or_retry(self.bot)
        await self.application.start()
        updater = self.application.updater
        assert updater is not None
        if self._config.mode == "webhook":
            await updater.start_webhook(
                listen=self._config.webhook_listen,
                port=self._config.webhook_port,
                url_path=urlparse(self._config.webhook_url).path.lstrip("/"),
                webhook_url=self._config.webhook_url,
                secret_token=self._config.webhook_secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            await updater.start_polling(
                poll_interval=0, timeout=self._poll_timeout, allowed_updates=ALLOWED_UPDATES
            )
        log.info("telegram: running as @%s (%s)", self.bot_username, self._config.mode)

    async def ready(self, timeout: float = 60) -> None:
        """Telegram needs no first sync: sending works as soon as ``start`` returned."""

    async def stop(self) -> None:
        await self.menus.stop()
        updater = self.application.updater
        if updater is not None and updater.running:
            await updater.stop()
        if self.application.running:
            await self.application.stop()
        await self.application.shutdown()

    # --- sending -------------------------------------------------------------------------

    async def send(self, chat: ChatRef, reply: Reply, *, key: str | None = None) -> str | None:
        """The notifier interface: send ``reply`` into a chat; the first message's id.

        Raises DeliveryFailed (not delivered) or DeliveryUncertain (a part may have
        arrived; the other parts were sent). Telegram has no idempotent send, so ``key`` is
        not used: a process killed between Telegram's answer and marking the reminder sent
        sends that one reminder again after its restart.
        """
        unknown: list[str] = []
        ids = await self.deliver(int(chat.chat_id), reply, strict=True, unknown=unknown)
        first = str(ids[0]) if ids else None
        if unknown:
            raise DeliveryUncertain("; ".join(unknown), message_id=first)
        return first

    async def send_private(
        self, account_id: str, reply: Reply, *, key: str | None = None
    ) -> str | None:
        """The notifier interface: a private chat's id on Telegram is the user's id."""
        return await self.send(ChatRef(PLATFORM, account_id, True), reply, key=key)

    async def deliver(
        self,
        chat_id: int,
        reply: Reply,
        *,
        reply_to: int | None = None,
        thread_id: int | None = None,
        strict: bool = False,
        unknown: list[str] | None = None,
    ) -> list[int]:
        """Send a reply as HTML message(s), buttons under the last one, then its files.

        Every part is sent whatever became of the one before. ``strict``: raise
        DeliveryFailed for a part that was not delivered, instead of logging it and going
        on (the reminder dispatcher retries or gives up). A part that may or may not have
        arrived is never sent again: it is logged, counted and its reason added to
        ``unknown``.
        """
        bot = self.bot
        texts = render_html(reply)
        rows = keyboard_rows(reply)
        markup: InlineKeyboardMarkup | ForceReply | None = None
        if rows:
            markup = InlineKeyboardMarkup(
                [
                    [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                    for row in rows
                ]
            )
        elif reply.expects_answer:
            # With privacy mode on, the bot sees only replies to its own messages.
            markup = ForceReply(selective=True)
        sent: list[int] = []
        target = chat_id
        for index, text in enumerate(texts):
            last = index == len(texts) - 1

            def send_text(
                chat: int, text: str = text, first: bool = index == 0, last: bool = last
            ) -> Awaitable[Message]:
                return bot.send_message(
                    chat,
                    text,
                    parse_mode=ParseMode.HTML,
                    reply_parameters=(
                        ReplyParameters(reply_to, allow_sending_without_reply=True)
                        if reply_to is not None and first
                        else None
                    ),
                    message_thread_id=thread_id,
                    reply_markup=markup if last else None,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )

            message, target = await self._send(send_text, target, strict)
            if isinstance(message, _Unknown):
                if unknown is not None:
                    unknown.append(message.reason)
            elif message is not None:
                sent.append(message.message_id)
        for outgoing in reply.files:

            def send_file(chat: int, outgoing: Any = outgoing) -> Awaitable[Message]:
                return bot.send_document(
                    chat,
                    InputFile(outgoing.content, filename=outgoing.name),
                    message_thread_id=thread_id,
                )

            message, target = await self._send(send_file, target, strict)
            if isinstance(message, _Unknown):
                if unknown is not None:
                    unknown.append(message.reason)
            elif message is not None:
                sent.append(message.message_id)
        return sent

    async def _send(
        self, action: Callable[[int], Awaitable[Message]], chat_id: int, strict: bool = False
    ) -> tuple[Message | _Unknown | None, int]:
        """One send with retries; the message (None if not delivered, ``_Unknown`` if nobody
        can tell) and the chat id used.

        Delivered: Telegram answered with the message. Not delivered, so sent again: the
        request never arrived (connection refused), 429 (waited out by the rate limiter
        first and here after its retries), 503 and 4xx answers; 400 and 403 are for good.
        Unknown, so never sent again: everything else (a connection broken after the
        request was written, an answer that cannot be read, 500/502/504). A group that
        became a supergroup is followed to its new id.
        """
        send_id = uuid.uuid4().hex[:8]
        delays = [*self._retry_delays, None]
        for delay in delays:
            try:
                message = await action(chat_id)
                self.stats.sent += 1
                return message, chat_id
            except ChatMigrated as migrated:
                await self._router.chat_moved(PLATFORM, str(chat_id), str(migrated.new_chat_id))
                chat_id = migrated.new_chat_id
                wait: float | None = 0
            except RetryAfter as flood:
                retry_after = flood.retry_after
                wait = (
                    retry_after.total_seconds()
                    if isinstance(retry_after, timedelta)
                    else float(retry_after)
                )
            except Forbidden as error:
                if chat_id > 0:
                    await self._router.private_reachability(PLATFORM, str(chat_id), False)
                self._give_up(send_id, chat_id, error, strict, permanent=True)
                return None, chat_id
            except BadRequest as error:
                self._give_up(send_id, chat_id, error, strict, permanent=True)
                return None, chat_id
            except OutcomeUnknown as error:
                return self._unknown(send_id, chat_id, str(error)), chat_id
            except (NetworkError, InvalidToken, Conflict) as error:
                # NotSent, or a 4xx answer (401, 404, 409, or one without an error class).
                log.warning(
                    "telegram: send %s to %s failed (%s), retrying", send_id, chat_id, error
                )
                wait = delay
            except Exception as error:
                # A 200 whose message cannot be read (a field of an unexpected type): it
                # arrived in all likelihood, but nothing is known for certain.
                return self._unknown(send_id, chat_id, f"unreadable answer: {error!r}"), chat_id
            if wait is None or delay is None:
                break
            self.stats.retried += 1
            await asyncio.sleep(wait)
        self._give_up(send_id, chat_id, "retries exhausted", strict, permanent=False)
        return None, chat_id

    def _unknown(self, send_id: str, chat_id: int, reason: str) -> _Unknown:
        self.stats.unknown += 1
        log.warning(
            "telegram: message %s to chat %s may or may not have arrived (%s); "
            "counted as sent, not sent again",
            send_id,
            chat_id,
            reason,
        )
        return _Unknown(reason)

    def _give_up(
        self, send_id: str, chat_id: int, reason: object, strict: bool, *, permanent: bool
    ) -> None:
        self.stats.failed += 1
        log.error("telegram: message %s to chat %s not delivered: %s", send_id, chat_id, reason)
        if strict:
            raise DeliveryFailed(str(reason), permanent=permanent)

    # --- receiving -----------------------------------------------------------------------

    async def _on_update(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.callback_query is not None:
            await self._on_button(update.callback_query)
        elif update.my_chat_member is not None:
            await self._on_membership(update.my_chat_member)
        elif update.message is not None:
            await self._on_message(update.message)

    async def _on_message(self, message: Message) -> None:
        if message.migrate_to_chat_id is not None:
            await self._router.chat_moved(
                PLATFORM, str(message.chat.id), str(message.migrate_to_chat_id)
            )
            return
        text = message.text or message.caption
        if text is None or (message.from_user is None and message.sender_chat is None):
            return
        incoming = Incoming(
            chat=_chat_ref(message.chat),
            sender=await self._sender(message.chat, message.from_user, message.sender_chat, text),
            text=text,
            mentions=_mentions(message),
            message_id=str(message.message_id),
        )
        document = document_for(message)
        reply: Reply | None
        if document is not None and self._router.is_command(text, PLATFORM):
            fetched = await fetch_document(self._router, document, incoming)
            if isinstance(fetched, Reply):
                reply = fetched  # refused: the command does not run without its file
            else:
                reply = await self._router.handle(replace(incoming, files=(fetched,)))
        else:
            reply = await self._router.handle(incoming)
        if reply is not None:
            await self.deliver(
                message.chat.id,
                reply,
                reply_to=None if message.chat.type == Chat.PRIVATE else message.message_id,
                thread_id=message.message_thread_id if message.is_topic_message else None,
            )

    async def _on_button(self, query: CallbackQuery) -> None:
        message = query.message
        if not query.data or message is None or not isinstance(message, Message):
            await query.answer()
            return
        incoming = Incoming(
            chat=_chat_ref(message.chat),
            sender=await self._sender(message.chat, query.from_user, None, query.data),
            text=query.data,
            message_id=str(message.message_id),
        )
        reply = await self._router.handle(incoming)
        if reply is None or reply.refused:
            # A refused press gets a short notice on the button, not a message in the group.
            text = reply.plain_text() if reply is not None else None
            await query.answer(text=_shorten(text, 190) if text else None)
            return
        await query.answer()
        await self.deliver(
            message.chat.id,
            reply,
            reply_to=message.message_id if message.chat.type != Chat.PRIVATE else None,
            thread_id=message.message_thread_id if message.is_topic_message else None,
        )

    async def _on_membership(self, change: ChatMemberUpdated) -> None:
        chat = change.chat
        was_in = change.old_chat_member.status in _PRESENT
        is_in = change.new_chat_member.status in _PRESENT
        if chat.type == Chat.PRIVATE:
            # A person who blocks the bot shows up as the bot being kicked from their chat.
            await self._router.private_reachability(PLATFORM, str(chat.id), is_in)
            return
        if is_in and not was_in:
            await self.deliver(chat.id, await self._router.bot_joined(_chat_ref(chat)))
        elif was_in and not is_in:
            for notice in await self._router.bot_removed(_chat_ref(chat)):
                if notice.platform == PLATFORM:
                    await self.deliver(int(notice.account_id), notice.reply)

    async def _sender(
        self, chat: Chat, user: User | None, sender_chat: Chat | None, text: str
    ) -> Sender:
        if sender_chat is not None and sender_chat.id == chat.id:
            # An anonymous admin writes as the group itself: a chat admin without a person.
            return Sender(PLATFORM, str(chat.id), chat.title or str(chat.id), is_chat_admin=True)
        assert user is not None
        is_admin: bool | None = False
        # Only commands need to know; asking Telegram for every chat line would waste calls.
        if chat.type != Chat.PRIVATE and text.lstrip()[:1] in ("/", "!"):
            is_admin = await self.chat_admins.is_admin(self.bot, chat.id, user.id)
        return Sender(
            PLATFORM,
            str(user.id),
            user.full_name,
            user.username,
            is_chat_admin=bool(is_admin),
            admin_check_failed=is_admin is None,
        )

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("telegram: error while handling an update", exc_info=context.error)


def _chat_ref(chat: Chat) -> ChatRef:
    title = chat.title or chat.full_name or str(chat.id)
    return ChatRef(PLATFORM, str(chat.id), chat.type == Chat.PRIVATE, title)


def _mentions(message: Message) -> tuple[Mention, ...]:
    entities = message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION])
    if not entities and message.caption:
        entities = message.parse_caption_entities(
            [MessageEntity.MENTION, MessageEntity.TEXT_MENTION]
        )
    mentions = []
    for entity, text in sorted(entities.items(), key=lambda item: item[0].offset):
        if entity.type == MessageEntity.TEXT_MENTION and entity.user is not None:
            mentions.append(
                Mention(
                    text, PLATFORM, str(entity.user.id), entity.user.username, entity.user.full_name
                )
            )
        elif entity.type == MessageEntity.MENTION:
            mentions.append(Mention(text, PLATFORM, username=text.lstrip("@")))
    return tuple(mentions)


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
