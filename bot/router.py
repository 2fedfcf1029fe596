"""The router: one incoming message in, at most one reply out, in one transaction.

It finds the command, learns the sender, works out what they may do here,
checks it, runs the handler and turns refusals and failures into replies.
Nothing a handler wrote survives a refusal or an error: the transaction is
rolled back.
"""

from __future__ import annotations

import logging
import uuid

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.command_line import parse_command_line
from core.clock import Clock
from core.commands import Command, CommandRegistry, Permission
from core.errors import Refusal, UsageError
from core.i18n import Translator
from core.messages import Incoming, Reply, ReplyBuilder, Span, fmt
from handlers.context import BotSettings, Context
from handlers.permissions import check_allowed
from handlers.texts import usage_line
from storage import groups, people
from storage.models import Role

log = logging.getLogger(__name__)


class Router:
    """Turns incoming messages into replies using the command registry."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        registry: CommandRegistry[Context],
        settings: BotSettings,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._registry = registry
        self._settings = settings
        self._clock = clock

    @property
    def settings(self) -> BotSettings:
        return self._settings

    @property
    def registry(self) -> CommandRegistry[Context]:
        return self._registry

    async def handle(self, message: Incoming) -> Reply | None:
        """The reply to ``message``, or None when the bot should stay silent."""
        parsed = parse_command_line(message.text, self._settings.bot_name)
        if parsed is None:
            if message.chat.is_private and message.text.strip():
                return self._not_a_command(Translator(await self._private_language(message)))
            return None
        command = self._registry.find(parsed.word)
        if command is None and parsed.by_name:
            return None
        return await self.run(message, command, parsed.word, parsed.args)

    async def run(
        self,
        message: Incoming,
        command: Command[Context] | None,
        word: str,
        args: str,
        *,
        confirmed: bool = False,
    ) -> Reply:
        """Run one command in its own transaction and always return a reply."""
        translator = Translator(self._settings.language)
        try:
            async with self._sessions() as session, session.begin():
                context = await self._context(session, message)
                translator = context.translator
                context.confirmed = confirmed
                if command is None:
                    return self._unknown(context, word)
                context.command = command
                check_allowed(context, command)
                return await command.handler(context, args)
        except Refusal as refusal:
            return refusal.reply
        except UsageError as error:
            assert command is not None
            return self._usage(translator, command, error.detail)
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

    async def _context(self, session: AsyncSession, message: Incoming) -> Context:
        now = self._clock.now()
        sender = message.sender
        person = await people.person_for_account(
            session,
            people.SeenAccount(
                sender.platform, sender.account_id, sender.display_name, sender.username
            ),
            now,
        )
        group = None
        role: Role | None = None
        if not message.chat.is_private:
            group = await groups.group_for_chat(
                session, message.chat.platform, message.chat.chat_id
            )
            if group is not None:
                role = await groups.role_in(session, group.id, person.id)
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
            level=self._level(message, role),
            translator=Translator(language),
            clock=self._clock,
            settings=self._settings,
            registry=self._registry,
        )

    def _level(self, message: Incoming, role: Role | None) -> Permission:
        sender = message.sender
        if f"{sender.platform}:{sender.account_id}" in self._settings.admins:
            return Permission.GLOBAL_ADMIN
        if sender.is_chat_admin and not message.chat.is_private:
            return Permission.CHAT_ADMIN
        if role is Role.COORDINATOR:
            return Permission.COORDINATOR
        if role is Role.MEMBER:
            return Permission.MEMBER
        return Permission.ANYONE

    def _unknown(self, context: Context, word: str) -> Reply:
        help_word = context.command_word("hilfe")
        closest = self._registry.closest(word)
        if closest is not None:
            suggestion = self._registry.find(closest)
            assert suggestion is not None
            return context.reply(
                "Unknown command /{word}. Did you mean {suggestion}? All commands: {help}",
                word=word,
                suggestion=f"/{suggestion.word(context.language)}",
                help=help_word,
            ).build()
        return context.reply(
            "Unknown command /{word}. All commands: {help}", word=word, help=help_word
        ).build()

    def _usage(self, translator: Translator, command: Command[Context], detail: str) -> Reply:
        builder = ReplyBuilder()
        if detail:
            # Already translated and filled in; it may quote user input, so no second formatting.
            builder.lines.extend((Span(line),) for line in detail.split("\n"))
        builder.add(translator.t("Usage: {usage}"), usage=usage_line(translator, command))
        return builder.build()

    async def _private_language(self, message: Incoming) -> str:
        """The sender's own language, without creating them: plain text changes nothing."""
        async with self._sessions() as session:
            person = await people.find_by_account(
                session, message.sender.platform, message.sender.account_id
            )
        return (person.language if person else None) or self._settings.language

    def _not_a_command(self, translator: Translator) -> Reply:
        help_command = self._registry.find("hilfe")
        return ReplyBuilder(
            lines=fmt(
                translator.t("I only understand commands. Send {help} for the list."),
                help=f"/{help_command.word(translator.language)}" if help_command else "/hilfe",
            )
        ).build()
