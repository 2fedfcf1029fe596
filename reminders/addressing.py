"""What every reminder message is built from: where it goes and in which words.

A reminder for a person goes to their private chat on the first messenger that reaches
them there, else into a chat of theirs with a mention. The texts are the handlers' own,
written through a handler context made for a message the bot sends by itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.commands import CommandRegistry, Permission
from core.i18n import N_, Translator
from core.messages import ChatRef, Incoming, PersonRef, Reply, ReplyBuilder, Sender
from core.timefmt import format_moment
from handlers.shared.context import BotSettings, Context
from storage import groups, people
from storage.models import Person, Reminder, WorkingGroup
from storage.reminders import PlannedReminder

PRIVATE_PREFERENCE = ("telegram", "matrix", "console")


@dataclass(frozen=True)
class Outgoing:
    """One message to send: into ``chat``, or into the private chat of ``account_id``."""

    platform: str
    reply: Reply
    chat: ChatRef | None = None
    account_id: str | None = None

    @property
    def where(self) -> str:
        return f"{self.platform}:{self.chat.chat_id if self.chat else 'dm:' + str(self.account_id)}"


@dataclass(frozen=True)
class Rendered:
    """A reminder ready to send, and what to plan once it was sent (the next repetition)."""

    outgoing: Outgoing
    follow_up: list[PlannedReminder] = field(default_factory=list)


@dataclass(frozen=True)
class Withdrawn:
    """A reminder that should have gone out and cannot: nobody can be reached, or it came
    too late. Unlike a reminder with nothing left to say (a cancelled meeting), it is
    recorded with ``reason`` and listed in the coordinators' next weekly overview."""

    reason: str


# Reasons as the overview shows them (translated there).
UNREACHABLE = N_("nobody could be reached: no private chat and no chat of the AG")
TOO_LATE = N_("the meeting had begun before the reminder could go out")


@dataclass(frozen=True)
class RenderEnvironment:
    """What rendering needs of the running bot."""

    settings: BotSettings
    registry: CommandRegistry[Context]
    clock: Clock
    # The running adapters by messenger (they register themselves as they start).
    notifiers: Mapping[str, object]
    prefixes: Mapping[str, str]
    late_after: timedelta

    @property
    def platforms(self) -> tuple[str, ...]:
        """The messengers that can carry messages now, in the order private chats are tried."""
        return tuple(p for p in PRIVATE_PREFERENCE if p in self.notifiers)


# --- building blocks --------------------------------------------------------------------------


def bot_context(
    session: AsyncSession,
    env: RenderEnvironment,
    chat: ChatRef,
    group: WorkingGroup | None,
    person: Person | None,
) -> Context:
    """A handler context for a message the bot writes by itself."""
    if chat.is_private and person is not None:
        language = person.language or env.settings.language
    else:
        language = group.language if group is not None else env.settings.language
    author = person or Person(id=0, display_name=env.settings.bot_name, sort_name="")
    return Context(
        session=session,
        message=Incoming(chat, Sender(chat.platform, "", env.settings.bot_name), ""),
        person=author,
        group=group,
        role=None,
        level=Permission.ANYONE,
        translator=Translator(language),
        clock=env.clock,
        settings=env.settings,
        registry=env.registry,
        prefix=env.prefixes.get(chat.platform, "/"),
    )


def reply_for(context: Context, env: RenderEnvironment, row: Reminder, zone: str) -> ReplyBuilder:
    """A reply that starts with "late, was due …" when it goes out later than the grace."""
    reply = context.reply()
    if context.now() - row.due_at > env.late_after:
        reply.add(
            context.t("⏰ Late – this was due {due}."),
            due=format_moment(row.due_at, context.language, zone),
        )
    return reply


@dataclass(frozen=True)
class Address:
    """Where a reminder for a person goes, and how to name them there."""

    chat: ChatRef
    account_id: str | None  # set: the person's private chat on ``chat.platform``
    person: Person
    ref: PersonRef


async def address_of(
    session: AsyncSession, env: RenderEnvironment, row: Reminder, group: WorkingGroup | None
) -> Address | None:
    """The person's private chat on the first messenger that reaches them, else a chat."""
    person = await session.get(Person, row.person_id) if row.person_id is not None else None
    if person is None:
        return None
    accounts = (await people.accounts_of(session, [person.id])).get(person.id, [])
    ref = PersonRef(
        person.id, person.display_name, tuple((a.platform, a.account_id) for a in accounts)
    )
    for platform in env.platforms:
        for account in accounts:
            if account.platform == platform and account.reachable_privately:
                chat = ChatRef(platform, f"dm:{account.account_id}", True)
                return Address(chat, account.account_id, person, ref)
    if row.chat_platform is not None and row.chat_id is not None:
        return Address(ChatRef(row.chat_platform, row.chat_id, False), None, person, ref)
    if group is None:
        return None
    bindings = [b for b in await groups.chats_of(session, group.id) if b.active]
    own = {account.platform for account in accounts}
    # A chat on a messenger where the person has an account, so the mention reaches them.
    bindings.sort(key=lambda binding: binding.platform not in own)
    if not bindings:
        return None
    chosen = bindings[0]
    return Address(ChatRef(chosen.platform, chosen.chat_id, False, chosen.title), None, person, ref)


def outgoing_to(address: Address, reply: Reply) -> Outgoing:
    if address.account_id is not None:
        return Outgoing(address.chat.platform, reply, account_id=address.account_id)
    return Outgoing(address.chat.platform, reply, chat=address.chat)
