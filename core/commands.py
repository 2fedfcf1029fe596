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


# How alike (difflib's ratio) an unknown word and a command word must be to suggest it.
# Typos of one or two letters score 0.75 and more ("joni"/"join" 0.75, "hlfe"/"hilfe" 0.89);
# unrelated words below ("bericht"/"einrichten" 0.71, "status"/"start" 0.73, "poll"/"rolle"
# 0.67), and a suggestion that makes no sense is worse than none.
SUGGESTION_CUTOFF = 0.75


@dataclass(frozen=True)
class Synonym:
    """A word people try that is no command, and what they mean by it: a registered
    command (its German name), with the first argument as each language writes it."""

    command: str
    german: str = ""
    english: str = ""


class CommandRegistry(Generic[ContextT]):
    """All commands of the bot, looked up by German name, English alias or hidden alias."""

    def __init__(self) -> None:
        self._commands: list[Command[ContextT]] = []
        self._by_word: dict[str, Command[ContextT]] = {}
        self._synonyms: dict[str, Synonym] = {}

    def add(self, command: Command[ContextT]) -> None:
        for key in {
            normalize_word(w) for w in (command.name, command.alias, *command.hidden_aliases)
        }:
            if key in self._by_word or key in self._synonyms:
                raise ValueError(f"command word {key!r} is registered twice")
            self._by_word[key] = command
        self._commands.append(command)

    def add_synonym(self, word: str, synonym: Synonym) -> None:
        """Suggest ``synonym`` for the unknown command ``word`` (and for typos of it)."""
        key = normalize_word(word)
        if key in self._by_word or key in self._synonyms:
            raise ValueError(f"command word {key!r} is registered twice")
        if normalize_word(synonym.command) not in self._by_word:
            raise ValueError(f"synonym {key!r} names no command: {synonym.command!r}")
        self._synonyms[key] = synonym

    def find(self, word: str) -> Command[ContextT] | None:
        return self._by_word.get(normalize_word(word))

    def suggestion(self, word: str, language: str) -> str | None:
        """What to suggest for the unknown command ``word``, without the prefix: the most
        alike command word (``mitglieder``) or a synonym's command (``stunden bericht``);
        None when nothing is alike enough."""
        key = normalize_word(word)
        known = [*self._by_word, *self._synonyms]
        matches = difflib.get_close_matches(key, known, n=1, cutoff=SUGGESTION_CUTOFF)
        if not matches:
            return None
        synonym = self._synonyms.get(matches[0])
        if synonym is None:
            return self._by_word[matches[0]].word(language)
        command = self._by_word[normalize_word(synonym.command)]
        argument = synonym.german if language == "de" else synonym.english
        return f"{command.word(language)} {argument}".strip()

    def __iter__(self) -> Iterator[Command[ContextT]]:
        return iter(self._commands)

    def __len__(self) -> int:
        return len(self._commands)
