"""Splitting a chat message into command word and arguments.

Accepts ``/cmd``, ``!cmd``, ``/cmd@BotName`` and ``BotName: cmd`` (how people
address a bot by name in Matrix). A command addressed to another bot is
ignored, as Telegram clients send ``/cmd@OtherBot`` into shared groups.
"""

from __future__ import annotations

from dataclasses import dataclass

PREFIXES = ("/", "!")


@dataclass(frozen=True)
class CommandLine:
    word: str
    args: str
    # True for "BotName: cmd": an unknown word then is chat, not a mistyped command.
    by_name: bool = False


def parse_command_line(text: str, bot_name: str) -> CommandLine | None:
    """The command in ``text``, or None if the message is no command for this bot."""
    text = text.strip()
    lowered_name = bot_name.casefold()
    by_name = False
    if lowered_name and text.casefold().startswith(lowered_name):
        after_name = text[len(bot_name) :]
        rest = after_name.lstrip(":, \t")
        if rest and rest != after_name:
            text = rest if rest[:1] in PREFIXES else "/" + rest
            by_name = True
    if len(text) < 2 or text[0] not in PREFIXES or text[1].isspace():
        return None
    head, _, args = text[1:].partition(" ")
    head, newline, first_line_rest = head.partition("\n")
    if newline:
        args = first_line_rest + (" " + args if args else "")
    word, at, addressee = head.partition("@")
    if at and addressee.casefold() != lowered_name:
        return None
    if not word:
        return None
    return CommandLine(word=word, args=args.strip(), by_name=by_name)
