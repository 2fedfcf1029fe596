"""The router: one incoming message in, at most one reply out, in one transaction.

It finds the command, learns the sender, works out what they may do here,
checks it, runs the handler and turns refusals and failures into replies.
Nothing a handler wrote survives a refusal or an error: the transaction is
rolled back.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.command_line import CommandLine, parse_command_line
from bot.limits import SLOW_DOWN, TOO_LONG, CommandRate, Limits, Pace, exceeded_quota
from core.clock import Clock
from core.commands import Command, CommandRegistry, Permission
from core.errors import Refusal, UsageError
from core.i18n import N_, Translator
from core.input_text import clean_chat, clean_incoming
from core.line_codec import reply_to_json
from core.messages import (
    ChatRef,
    Delivery,
    Incoming,
    Reply,
    ReplyBuilder,
    Sender,
    Span,
    Value,
    fmt,
)
from handlers.conversation.paging import first_page
from handlers.groups import chat_events
from handlers.shared.context import BotSettings, Context, role_level
from handlers.shared.permissions import check_allowed
from handlers.shared.texts import usage_line
from reminders.notifier import Notifier
from storage import dialogues, groups, people, reminders
from storage.models import ReminderKind, Role, WorkingGroup
from storage.reminders import PlannedReminder

log = logging.getLogger(__name__)
# Plain messages (not commands) a person may send per minute, as a multiple of the command limit.
CHATTER_FACTOR = 3


class Router:
    """Turns incoming messages into replies using the command registry."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        registry: CommandRegistry[Context],
        settings: BotSettings,
        clock: Clock,
        limits: Limits | None = None,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        self._sessions = sessions
        self._registry = registry
        self._settings = settings
        self._clock = clock
        self._limits = limits or Limits()
        monotonic = monotonic or time.monotonic
        self._rate = CommandRate(self._limits.commands_per_minute, monotonic)
        # Plain chat the bot only learns names from: more is allowed, and it is never answered.
        self._chatter = CommandRate(CHATTER_FACTOR * self._limits.commands_per_minute, monotonic)
        # The names people address the bot by, per messenger ("/hilfe@AGBot", "AGBot: hilfe").
        self._bot_names: dict[str, set[str]] = {}
        # The prefix shown in texts, per messenger ("/" unless an adapter says otherwise).
        self._prefixes: dict[str, str] = {}
        self._notifiers: dict[str, Notifier] = {}
        self._after_command: list[Callable[[], None]] = []
        self._send_announcements: Callable[[], Awaitable[object]] | None = None

    def add_notifier(self, platform: str, notifier: Notifier) -> None:
        """An adapter offers to carry messages into its chats (invitations, later reminders)."""
        self._notifiers[platform] = notifier

    @property
    def notifiers(self) -> Mapping[str, Notifier]:
        """The running adapters by messenger (a live view: adapters add themselves)."""
        return self._notifiers

    @property
    def prefixes(self) -> Mapping[str, str]:
        return self._prefixes

    def reset_pace(self) -> None:
        """Forget who typed how much this minute (scripted lines such as the demo's)."""
        self._rate.reset()
        self._chatter.reset()

    def after_commands(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` after every command (the reminder engine looks for new work)."""
        self._after_command.append(callback)

    def announce_with(self, send: Callable[[], Awaitable[object]]) -> None:
        """``send`` delivers the announcement rows a command wrote, right after its commit."""
        self._send_announcements = send

    def add_bot_name(self, platform: str, name: str) -> None:
        """An adapter tells the router the bot's own name on its messenger."""
        self._bot_names.setdefault(platform, set()).add(name)

    def set_command_prefix(self, platform: str, prefix: str) -> None:
        """How commands are written in texts for this messenger (Matrix: "!")."""
        self._prefixes[platform] = prefix

    def _prefix(self, platform: str) -> str:
        return self._prefixes.get(platform, "/")

    @property
    def settings(self) -> BotSettings:
        return self._settings

    @property
    def registry(self) -> CommandRegistry[Context]:
        return self._registry

    def _parse(self, text: str, platform: str) -> CommandLine | None:
        names = {self._settings.bot_name, *self._bot_names.get(platform, ())}
        return parse_command_line(text, names)

    def is_command(self, text: str, platform: str) -> bool:
        """Whether ``text`` runs one of the bot's commands (adapters then fetch its files).

        A file is downloaded only for a command; every other file in a group stays where it is.
        """
        return self.command_name(text, platform) is not None

    def command_name(self, text: str, platform: str) -> str | None:
        """The name of the command ``text`` runs (aliases give the same name), else None."""
        parsed = self._parse(text, platform)
        command = self._registry.find(parsed.word) if parsed is not None else None
        return command.name if command is not None else None

    async def file_too_large(
        self, message: Incoming, name: str, size: int, limit_mb: int | None = None
    ) -> Reply:
        """The refusal for a command whose file exceeds the size limit; the command is not run.

        ``limit_mb``: a messenger's own lower limit (Telegram's Bot API: 20 MB), if it applies.
        """
        return await self._refuse_file(
            message,
            N_(
                "The file {name} is too large ({size} MB). "
                "I accept files up to {limit} MB; the command was not run."
            ),
            name=name,
            size=_megabytes(size),
            limit=limit_mb or self._settings.max_upload_mb,
        )

    async def file_unavailable(self, message: Incoming, name: str) -> Reply:
        """The refusal for a command whose file could not be fetched from the messenger."""
        return await self._refuse_file(
            message,
            N_("I could not fetch the file {name}; the command was not run. Please send it again."),
            name=name,
        )

    async def _refuse_file(self, message: Incoming, template: str, **values: Value) -> Reply:
        """A refusal in the language of the chat (the person's in private, else the AG's)."""
        message = clean_incoming(message)
        async with self._sessions() as session, session.begin():
            context = await self._context(session, message)
            refusal = context.refuse(template, **values)
        return replace(refusal.reply, refused=True)

    async def handle(self, message: Incoming) -> Reply | None:
        """The reply to ``message``, or None when the bot should stay silent."""
        # Cleaned once, here: nothing behind the router sees control characters or NFD.
        message = clean_incoming(message)
        parsed = self._parse(message.text, message.chat.platform)
        command = self._registry.find(parsed.word) if parsed is not None else None
        if parsed is not None and command is None and parsed.by_name:
            return None
        who = f"{message.sender.platform}:{message.sender.account_id}"
        # Counted before any database work, so a flood costs the other chats nothing.
        if parsed is None:
            # Chat is not a command: never answered with "slow down", only not read on.
            return await self._observe(message) if self._chatter.pace(who) is Pace.OK else None
        pace = self._rate.pace(who)
        if pace is Pace.SILENT:
            return None
        if pace is Pace.SLOW_DOWN:
            return await self._refuse_early(
                message, SLOW_DOWN, limit=self._limits.commands_per_minute
            )
        if len(message.text) > self._limits.message_characters:
            return await self._refuse_early(
                message, TOO_LONG, limit=self._limits.message_characters
            )
        reply = await self._run(message, command, parsed.word, parsed.args)
        await self._after(reply)
        return reply

    async def _dialogue_command(self, message: Incoming) -> Command[Context] | None:
        """The command whose dialogue with this person in this chat is open, if any."""
        async with self._sessions() as session:
            person = await people.find_by_account(
                session, message.sender.platform, message.sender.account_id
            )
            if person is None:
                return None
            current = await dialogues.current_dialogue(
                session,
                platform=message.chat.platform,
                chat_id=message.chat.chat_id,
                person_id=person.id,
                now=self._clock.now(),
            )
        command = self._registry.find(current[0]) if current else None
        return command if command is not None and command.dialogue is not None else None

    async def _after(self, reply: Reply) -> None:
        """After the commit: send the command's announcements now, then wake the engine.

        The announcements are rows already (``_announce``): if sending fails here or the
        process dies, the engine sends them on its next pass.
        """
        if reply.deliveries and self._send_announcements is not None:
            try:
                await self._send_announcements()
            except Exception:
                log.exception("announcements could not be sent now; the engine retries them")
        for callback in self._after_command:
            callback()

    async def _run(
        self,
        message: Incoming,
        command: Command[Context] | None,
        word: str,
        args: str,
        *,
        continuing: bool = False,
    ) -> Reply:
        """Run one command in its own transaction and always return a reply.

        ``continuing``: ``args`` is the person's answer in an open dialogue of ``command``.
        """
        if command is None:
            return await self._unknown(message, word)
        translator = Translator(self._settings.language)
        try:
            async with self._sessions() as session, session.begin():
                context = await self._context(session, message)
                translator = context.translator
                context.command = command
                check_allowed(context, command, args)
                handler = command.dialogue if continuing and command.dialogue else command.handler
                reply = await handler(context, args)
                await self._within_limits(context)
                await _announce(context, reply.deliveries)
                return await first_page(context, reply, self._limits.reply_lines)
        except Refusal as refusal:
            return replace(refusal.reply, refused=True)
        except UsageError as error:
            assert command is not None
            usage = self._usage(
                translator, command, error.detail, self._prefix(message.chat.platform)
            )
            return replace(usage, refused=True)
        except Exception:
            error_id = uuid.uuid4().hex[:8]
            # The stack trace goes to the log with an id the user can quote; never into the chat.
            log.exception(
                "error %s handling /%s from %s:%s",
                error_id,
                word,
                message.sender.platform,
                message.sender.account_id,
            )
            return ReplyBuilder(
                lines=fmt(
                    translator.t(
                        "Sorry, something went wrong. Nothing was changed. "
                        "Please tell the office this error id: {error_id}"
                    ),
                    error_id=error_id,
                )
            ).build()

    async def _within_limits(self, context: Context) -> None:
        """Refuse (and so roll back) a command whose new rows went over a limit."""
        exceeded = await exceeded_quota(
            context.session, self._limits, context.person.id, context.message.chat, context.now()
        )
        if exceeded is not None:
            raise context.refuse(
                exceeded.template,
                count=exceeded.count,
                limit=exceeded.limit,
                command=context.command_word("erinnerungen"),
            )

    async def _refuse_early(self, message: Incoming, template: str, **values: Value) -> Reply:
        """A refusal before the command runs, in the chat's language; reads, never writes."""
        async with self._sessions() as session:
            language = await _chat_language(session, message) or self._settings.language
        text = Translator(language).t(template)
        return replace(ReplyBuilder(lines=fmt(text, **values)).build(), refused=True)

    async def _context(self, session: AsyncSession, message: Incoming) -> Context:
        now = self._clock.now()
        person = await people.person_for_account(
            session, _seen(message), now, wrote_privately=message.chat.is_private
        )
        group: WorkingGroup | None = None
        role: Role | None = None
        if not message.chat.is_private:
            group, role = await groups.group_and_role_for_chat(
                session, message.chat.platform, message.chat.chat_id, person.id
            )
        language = (
            person.language or self._settings.language
            if message.chat.is_private
            else (group.language if group else self._settings.language)
        )
        return Context(
            session=session,
            message=message,
            person=person,
            group=group,
            role=role,
            level=await self._level(session, message, person.id, group, role),
            translator=Translator(language),
            clock=self._clock,
            settings=self._settings,
            registry=self._registry,
            prefix=self._prefix(message.chat.platform),
        )

    async def _level(
        self,
        session: AsyncSession,
        message: Incoming,
        person_id: int,
        group: WorkingGroup | None,
        role: Role | None,
    ) -> Permission:
        sender = message.sender
        if await self._is_global_admin(session, sender, person_id):
            return Permission.GLOBAL_ADMIN
        if sender.is_chat_admin and not message.chat.is_private:
            return Permission.CHAT_ADMIN
        if group is None:
            return Permission.ANYONE
        return await role_level(session, group.id, person_id, role)

    async def _is_global_admin(self, session: AsyncSession, sender: Sender, person_id: int) -> bool:
        """Whether any account of the person is a configured global admin.

        Rights belong to the person, not to the account that happens to write: after
        linking, the admin's Matrix account is as much an admin as their Telegram one.
        """
        admins = self._settings.admins
        if not admins:
            return False
        if f"{sender.platform}:{sender.account_id}" in admins:
            return True
        accounts = (await people.accounts_of(session, [person_id]))[person_id]
        return any(f"{a.platform}:{a.account_id}" in admins for a in accounts)

    async def _unknown(self, message: Incoming, word: str) -> Reply:
        """The answer to a command word the bot does not have; reads, never writes.

        No command ran, so the sender is not stored (data minimisation): ``/shrug`` or a
        path typed into a group is chat, not use of the bot.
        """
        async with self._sessions() as session:
            language = await _chat_language(session, message) or self._settings.language
        translator = Translator(language)
        prefix = self._prefix(message.chat.platform)
        help_word = _word(self._registry, "hilfe", language, prefix)
        suggestion = self._registry.suggestion(word, language)
        if suggestion is not None:
            return ReplyBuilder(
                lines=fmt(
                    translator.t(
                        "Unknown command /{word}. Did you mean {suggestion}? All commands: {help}"
                    ),
                    word=word,
                    suggestion=f"{prefix}{suggestion}",
                    help=help_word,
                )
            ).build()
        return ReplyBuilder(
            lines=fmt(
                translator.t("Unknown command /{word}. All commands: {help}"),
                word=word,
                help=help_word,
            )
        ).build()

    def _usage(
        self, translator: Translator, command: Command[Context], detail: str, prefix: str
    ) -> Reply:
        builder = ReplyBuilder()
        if detail:
            # Already translated and filled in; it may quote user input, so no second formatting.
            builder.lines.extend((Span(line),) for line in detail.split("\n"))
        builder.add(translator.t("Usage: {usage}"), usage=usage_line(translator, command, prefix))
        return builder.build()

    async def bot_joined(self, chat: ChatRef) -> Reply:
        """The bot was added to a group chat: the introduction to post there."""
        chat = clean_chat(chat)
        async with self._sessions() as session, session.begin():
            return await chat_events.bot_joined(
                session, chat, self._registry, self._settings.language, self._prefix(chat.platform)
            )

    async def bot_removed(self, chat: ChatRef) -> list[chat_events.PrivateNotice]:
        """The bot was removed from a group chat: private notices for the coordinators."""
        async with self._sessions() as session, session.begin():
            return await chat_events.bot_removed(
                session, chat, self._clock.now(), self._settings.language
            )

    async def unreadable_message(self, chat: ChatRef) -> Reply:
        """The notice for a chat where the bot could not decrypt a message."""
        async with self._sessions() as session:
            return await chat_events.unreadable_message(session, chat, self._settings.language)

    async def keys_withheld(self, chat: ChatRef, person: str, code: str) -> Reply:
        """The notice for a room where a member's app withheld its message keys (``code``)."""
        async with self._sessions() as session:
            return await chat_events.keys_withheld(
                session, chat, person, code, self._settings.language
            )

    async def edit_not_run(self, chat: ChatRef) -> Reply:
        """The notice for an answered command that was edited into a different one."""
        async with self._sessions() as session:
            return await chat_events.edit_not_run(session, chat, self._settings.language)

    async def chat_moved(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        """A chat got a new id (Telegram group → supergroup); nothing bound to it is lost."""
        async with self._sessions() as session, session.begin():
            await groups.move_chat(session, platform, old_chat_id, new_chat_id)

    async def private_reachability(self, platform: str, account_id: str, reachable: bool) -> None:
        """The person started or blocked the bot's private chat."""
        async with self._sessions() as session, session.begin():
            await people.set_reachable_privately(session, platform, account_id, reachable)

    async def _observe(self, message: Incoming) -> Reply | None:
        """A message that is no command: an answer in a dialogue, or chat.

        Chat stores nobody new (data minimisation, docs/DATENSCHUTZ.md): only people the
        bot knows from a command have their name changes learned, so that mentions and
        lists show the names they use now. In a private chat the bot points to its help.
        """
        if message.text.strip():
            command = await self._dialogue_command(message)
            if command is not None:
                reply = await self._run(
                    message, command, command.name, message.text.strip(), continuing=True
                )
                await self._after(reply)
                return reply
        async with self._sessions() as session, session.begin():
            person = await people.learn_known_account(
                session, _seen(message), self._clock.now(), wrote_privately=message.chat.is_private
            )
            language = person.language if person is not None else None
        if message.chat.is_private and message.text.strip():
            translator = Translator(language or self._settings.language)
            return self._not_a_command(translator, self._prefix(message.chat.platform))
        return None

    def _not_a_command(self, translator: Translator, prefix: str) -> Reply:
        return ReplyBuilder(
            lines=fmt(
                translator.t("I only understand commands. Send {help} for the list."),
                help=_word(self._registry, "hilfe", translator.language, prefix),
            )
        ).build()


async def _chat_language(session: AsyncSession, message: Incoming) -> str | None:
    """The language replies in this chat use (the person's in private, else the AG's)."""
    if message.chat.is_private:
        person = await people.find_by_account(
            session, message.sender.platform, message.sender.account_id
        )
        return person.language if person else None
    group = await groups.group_for_chat(session, message.chat.platform, message.chat.chat_id)
    return group.language if group else None


def _word(registry: CommandRegistry[Context], name: str, language: str, prefix: str) -> str:
    """``/name`` of a registered command in ``language`` (``!name`` on Matrix)."""
    command = registry.find(name)
    return f"{prefix}{command.word(language) if command else name}"


def _seen(message: Incoming) -> people.SeenAccount:
    sender = message.sender
    return people.SeenAccount(
        sender.platform, sender.account_id, sender.display_name, sender.username
    )


def _megabytes(size: int) -> int:
    """A file size in whole MB, rounded up: a file just over the limit never shows as the limit."""
    return -(-size // (1024 * 1024))


async def _announce(context: Context, deliveries: tuple[Delivery, ...]) -> None:
    """Write the messages for other chats as rows of the command's own transaction."""
    group_id = context.group.id if context.group is not None else None
    for delivery in deliveries:
        await reminders.add(
            context.session,
            PlannedReminder(
                key=f"announcement:{uuid.uuid4().hex}",
                kind=ReminderKind.ANNOUNCEMENT,
                due_at=context.now(),
                group_id=group_id,
                chat_platform=delivery.chat.platform,
                chat_id=delivery.chat.chat_id,
                payload=reply_to_json(delivery.reply),
            ),
            context.now(),
        )
