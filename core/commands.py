"""The command registry: one entry per command feeds /hilfe, command menus and the router."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from enum import Enum, IntEnum
from typing import Generic, TypeVar

from core.messages import Reply

ContextT = TypeVar("ContextT")


class Permission(IntEnum):
    """What a person must be, in this chat, to use a command (higher includes lower)."""

    ANYONE = 0
    MEMBER = 1
    COORDINATOR = 2
    CHAT_ADMIN = 3
    GLOBAL_ADMIN = 4


class Where(Enum):
    """In which kind of chat a command makes sense."""

    ANYWHERE = "anywhere"
    GROUP = "group"
    PRIVATE = "private"

    def allows(self, is_private: bool) -> bool:
        if self is Where.ANYWHERE:
            return True
        return is_private == (self is Where.PRIVATE)


@dataclass(frozen=True)
class Command(Generic[ContextT]):
    """A chat command. Texts are English msgids, translated when shown.

    ``name`` is the German command word, ``alias`` the English one; both always
    work. ``usage`` holds only the arguments (``"<name>"``), translated as well.
    """

    name: str
    alias: str
    usage: str
    summary: str
    details: str
    handler: Callable[[ContextT, str], Awaitable[Reply]]
    permission: Permission = Permission.ANYONE
    where: Where = Where.ANYWHERE
    needs_group: bool = False
    hidden_aliases: tuple[str, ...] = ()
    # Takes the person's next plain message while their dialogue with this command is open.
    dialogue: Callable[[ContextT, str], Awaitable[Reply]] | None = None
    # Subcommands (first word of the arguments, normalised) that need another permission
    # than the command, e.g. coordinators confirming a code of a chat admin's command.
    subcommand_permissions: tuple[tuple[str, Permission], ...] = ()

    def permission_for(self, args: str) -> Permission:
        """What a person must be to run this command with ``args``."""
        first = args.split(maxsplit=1)[0] if args.strip() else ""
        key = normalize_word(first)
        for word, permission in self.subcommand_permissions:
            if word == key:
                return permission
        return self.permission

    def word(self, language: str) -> str:
        """The command word shown to a reader of ``language``."""
        return self.name if language == "de" else self.alias


def normalize_word(word: str) -> str:
    """Lower-case a command word and spell umlauts out (``verknüpfen`` == ``verknuepfen``)."""
    word = unicodedata.normalize("NFC", word).casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        word = word.replace(umlaut, spelled)
    return word


class CommandRegistry(Generic[ContextT]):
    """All commands of the bot, looked up by German name, English alias or hidden alias."""

    def __init__(self) -> None:
        self._commands: list[Command[ContextT]] = []
        self._by_word: dict[str, Command[ContextT]] = {}

    def add(self, command: Command[ContextT]) -> None:
        for key in {
            normalize_word(w) for w in (command.name, command.alias, *command.hidden_aliases)
        }:
            if key in self._by_word:
                raise ValueError(f"command word {key!r} is registered twice")
            self._by_word[key] = command
        self._commands.append(command)

    def find(self, word: str) -> Command[ContextT] | None:
        return self._by_word.get(normalize_word(word))

    def closest(self, word: str) -> str | None:
        """The known command word most like ``word``, for "did you mean …"."""
        matches = difflib.get_close_matches(normalize_word(word), self._by_word, n=1, cutoff=0.6)
        return matches[0] if matches else None

    def __iter__(self) -> Iterator[Command[ContextT]]:
        return iter(self._commands)

    def __len__(self) -> int:
        return len(self._commands)
