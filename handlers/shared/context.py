"""What a handler gets for one command: the message, the person, the AG, a session, texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import Clock
from core.commands import Command, CommandRegistry, Permission
from core.errors import Refusal
from core.i18n import Translator
from core.messages import Incoming, PersonRef, ReplyBuilder, Value, fmt
from storage import groups, networks, people
from storage.models import Person, Role, WorkingGroup


@dataclass(frozen=True)
class BotSettings:
    """The parts of the configuration handlers need."""

    bot_name: str = "AGBot"
    language: str = "de"
    timezone: str = "Europe/Berlin"
    # Platform-qualified account ids: "telegram:12345", "matrix:@anna:example.org", "console:anna".
    admins: frozenset[str] = frozenset()
    # Meetings this far ahead get their reminder rows when they are planned or moved.
    reminder_horizon_days: int = 60
    # Files sent with a command larger than this are refused by the adapters, not downloaded.
    max_upload_mb: int = 20

    @property
    def reminder_horizon(self) -> timedelta:
        return timedelta(days=self.reminder_horizon_days)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024


async def role_level(
    session: AsyncSession, group_id: int, person_id: int, role: Role | None
) -> Permission:
    """What a person's place in the AG ``group_id`` lets them do (chat admins aside).

    The one place where the Geschäftsstelle of the AG's network gets a coordinator's
    rights without being a member; the router's level in a chat and
    :meth:`Context.level_in` both come from here. Another network's Geschäftsstelle gets
    nothing: the check joins through the AG's own network.
    """
    if role is Role.COORDINATOR:
        return Permission.COORDINATOR
    if await networks.is_office_of_group(session, group_id, person_id):
        return Permission.COORDINATOR
    return Permission.MEMBER if role is Role.MEMBER else Permission.ANYONE


@dataclass
class Context:
    """One command being handled; created by the router inside the command's transaction."""

    session: AsyncSession
    message: Incoming
    person: Person
    group: WorkingGroup | None
    role: Role | None
    level: Permission
    translator: Translator
    clock: Clock
    settings: BotSettings
    registry: CommandRegistry[Context]
    command: Command[Context] | None = None
    confirmed: bool = False
    # How commands are written on this messenger: "!" on Matrix, where clients take "/" themselves.
    prefix: str = "/"
    _refs: dict[int, PersonRef] = field(default_factory=dict)

    @property
    def language(self) -> str:
        return self.translator.language

    @property
    def is_private(self) -> bool:
        return self.message.chat.is_private

    def now(self) -> datetime:
        return self.clock.now()

    def t(self, message: str) -> str:
        return self.translator.t(message)

    def tn(self, singular: str, plural: str, count: int) -> str:
        return self.translator.tn(singular, plural, count)

    def reply(self, template: str | None = None, **values: Value) -> ReplyBuilder:
        """A reply builder, optionally starting with one translated template."""
        builder = ReplyBuilder()
        if template is not None:
            builder.add(self.t(template), **values)
        return builder

    def refuse(self, template: str, **values: Value) -> Refusal:
        """A refusal to raise: the router rolls the command back and sends the text."""
        return Refusal(ReplyBuilder(lines=fmt(self.t(template), **values)).build())

    def require_group(self) -> WorkingGroup:
        if self.group is None:
            raise self.refuse(
                "This chat does not belong to an AG yet. A chat admin can set it up with {setup}.",
                setup=self.setup_usage(),
            )
        return self.group

    def setup_usage(self) -> str:
        """``/einrichten <Name>`` in the reader's language."""
        return f"{self.command_word('einrichten')} {self.t('<name>')}"

    def command_word(self, command_name: str) -> str:
        """``/name`` (``!name`` on Matrix) of a registered command in the reader's language."""
        command = self.registry.find(command_name)
        word = command.word(self.language) if command else command_name
        return f"{self.prefix}{word}"

    async def level_in(self, group_id: int) -> Permission:
        """What the person is in the AG ``group_id``, wherever the command was sent.

        In a chat of that AG the chat's level applies (its admins act as coordinators
        there); anywhere else only the person's role in that AG counts. Every command
        that names an object by number checks this for the object's AG, never the level
        in the current chat.
        """
        if self.level >= Permission.GLOBAL_ADMIN:
            return Permission.GLOBAL_ADMIN
        if not self.is_private and self.group is not None and self.group.id == group_id:
            return self.level
        role = await groups.role_in(self.session, group_id, self.person.id)
        return await role_level(self.session, group_id, self.person.id, role)

    def without_mentions(self, args: str) -> str:
        """The arguments with every mention of the message taken out."""
        for mentioned in self.message.mentions:
            args = args.replace(mentioned.text, " ")
        return " ".join(args.split())

    async def person_ref(self, person_id: int, display_name: str) -> PersonRef:
        """A mentionable reference to a person, with their accounts on every messenger."""
        return (await self.person_refs([(person_id, display_name)]))[0]

    async def person_refs(self, persons: list[tuple[int, str]]) -> list[PersonRef]:
        """Mentionable references for many persons with one query."""
        missing = [pid for pid, _ in persons if pid not in self._refs]
        accounts = await people.accounts_of(self.session, missing)
        for pid, name in persons:
            if pid in accounts:
                self._refs[pid] = PersonRef(
                    pid, name, tuple((a.platform, a.account_id) for a in accounts[pid])
                )
        return [self._refs[pid] for pid, _ in persons]
