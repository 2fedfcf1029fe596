"""Splitting a chat message into command word and arguments.

Accepts ``/cmd``, ``!cmd``, ``/cmd@BotName`` and ``BotName: cmd`` (how people
address a bot by name in Matrix). A command addressed to another bot is
ignored, as Telegram clients send ``/cmd@OtherBot`` into shared groups.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

PREFIXES = ("/", "!")


@dataclass(frozen=True)
class CommandLine:
    word: str
    args: str
    # True for "BotName: cmd": an unknown word then is chat, not a mistyped command.
    by_name: bool = False


def parse_command_line(text: str, bot_names: Collection[str]) -> CommandLine | None:
    """The command in ``text``, or None if the message is no command for this bot.

    ``bot_names`` are the names the bot answers to (its username on each messenger).
    """
    text = text.strip()
    lowered_names = {name.casefold() for name in bot_names if name}
    by_name = False
    lowered_text = text.casefold()
    for name in sorted(lowered_names, key=len, reverse=True):
        if not lowered_text.startswith(name):
            continue
        after_name = text[len(name) :]
        rest = after_name.lstrip(":, \t")
        if rest and rest != after_name:
            text = rest if rest[:1] in PREFIXES else "/" + rest
            by_name = True
        break
    if len(text) < 2 or text[0] not in PREFIXES or text[1].isspace():
        return None
    head, _, args = text[1:].partition(" ")
    head, newline, first_line_rest = head.partition("\n")
    if newline:
        args = first_line_rest + (" " + args if args else "")
    word, at, addressee = head.partition("@")
    if at and addressee.casefold() not in lowered_names:
        return None
    if not word:
        return None
    return CommandLine(word=word, args=args.strip(), by_name=by_name)
