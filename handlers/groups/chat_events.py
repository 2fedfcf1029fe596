"""What happens when the bot joins or leaves a chat, or a chat changes its id.

These are not commands but messenger events; the adapters report them through
the router, and the texts live here with the other handlers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from core.commands import CommandRegistry
from core.i18n import Translator
from core.messages import ChatRef, Reply, ReplyBuilder, bold, fmt
from handlers.shared.context import Context
from storage import groups, networks


@dataclass(frozen=True)
class PrivateNotice:
    """A message for one person's private chat on one messenger."""

    platform: str
    account_id: str
    reply: Reply


def _word(registry: CommandRegistry[Context], name: str, language: str, prefix: str) -> str:
    command = registry.find(name)
    return f"{prefix}{command.word(language) if command else name}"


async def bot_joined(
    session: AsyncSession,
    chat: ChatRef,
    registry: CommandRegistry[Context],
    default_language: str,
    prefix: str = "/",
) -> Reply:
    """The bot was added to a group: introduce itself, or greet the AG back."""
    group = await groups.set_binding_active(session, chat.platform, chat.chat_id, True)
    await networks.set_chat_active(session, chat.platform, chat.chat_id, True)
    translator = Translator(group.language if group else default_language)
    language = translator.language
    if group is not None:
        lines = fmt(
            translator.t("Hello again! This chat belongs to {group}. All commands: {help}"),
            group=bold(group.name),
            help=_word(registry, "hilfe", language, prefix),
        )
    else:
        lines = fmt(
            translator.t(
                "Hello! I am AG-Bot, the assistant of your working group: meetings with "
                "invitations and reminders, tasks with deadlines, hours against budgets, "
                "protocols. A chat admin binds this chat to an AG with {setup}; members then "
                "join with {join}. All commands: {help}"
            ),
            setup=f"{_word(registry, 'einrichten', language, prefix)} {translator.t('<name>')}",
            join=_word(registry, "beitreten", language, prefix),
            help=_word(registry, "hilfe", language, prefix),
        )
    return ReplyBuilder(lines=lines).build()


async def bot_removed(
    session: AsyncSession, chat: ChatRef, now: datetime, default_language: str
) -> list[PrivateNotice]:
    """The bot was removed from a group: the binding becomes inactive, coordinators learn it."""
    group = await groups.set_binding_active(session, chat.platform, chat.chat_id, False)
    # A network's chat is kept for its history too, and no longer listed as one of its chats.
    await networks.set_chat_active(session, chat.platform, chat.chat_id, False)
    if group is None:
        return []
    notices = []
    for address in await groups.coordinators_reachable_privately(session, group.id):
        translator = Translator(address.language or default_language)
        lines = fmt(
            translator.t(
                "I was removed from the chat {chat} of {group}. The AG keeps its data; "
                "add me again to continue there."
            ),
            chat=chat.title or chat.chat_id,
            group=bold(group.name),
        )
        notices.append(
            PrivateNotice(address.platform, address.account_id, ReplyBuilder(lines=lines).build())
        )
    return notices


async def unreadable_message(session: AsyncSession, chat: ChatRef, default_language: str) -> Reply:
    """Said in an encrypted room when the bot could not decrypt a message."""
    group = await groups.group_for_chat(session, chat.platform, chat.chat_id)
    translator = Translator(group.language if group else default_language)
    return ReplyBuilder(
        lines=fmt(
            translator.t(
                "I could not read a message here (it was encrypted for devices I do not have "
                "keys for). If it was a command for me, please send it again."
            )
        )
    ).build()


async def keys_withheld(
    session: AsyncSession, chat: ChatRef, person: str, code: str, default_language: str
) -> Reply:
    """Said once in an encrypted room when a member's app refused the bot a message key."""
    group = await groups.group_for_chat(session, chat.platform, chat.chat_id)
    translator = Translator(group.language if group else default_language)
    if code == "m.unverified":
        text = translator.t(
            "I cannot read messages from {person} in this room: their app gives the keys of "
            "its messages only to sessions they have verified. {person} can verify my account "
            "(a coordinator can confirm its fingerprint) or allow unverified sessions for this "
            "room, and then send the command again."
        )
    elif code == "m.blacklisted":
        text = translator.t(
            "I cannot read messages from {person} in this room: their app has blocked my "
            "session. {person} can unblock it in the sessions of my account and then send the "
            "command again."
        )
    else:
        text = translator.t(
            "The key of a message from {person} did not reach me, so I could not read it. "
            "If it was a command for me, please send it again."
        )
    return ReplyBuilder(lines=fmt(text, person=person)).build()


async def edit_not_run(session: AsyncSession, chat: ChatRef, default_language: str) -> Reply:
    """Said when someone edits an answered command into a different one."""
    group = await groups.group_for_chat(session, chat.platform, chat.chat_id)
    translator = Translator(group.language if group else default_language)
    return ReplyBuilder(
        lines=fmt(
            translator.t(
                "I answered this command already and do not run edited commands again. "
                "Please send the new command as a new message."
            )
        )
    ).build()
