"""Cleaning what people send before anything reads it: one place for every messenger.

Messengers hand over whatever a client typed or a script produced: NUL characters
(which PostgreSQL refuses in text columns), other control characters, and the same
letter in two Unicode spellings ("ü" as one code point or as "u" plus a combining
mark). The router cleans every incoming message once, so that handlers, storage and
the comparisons of names and command words only ever see clean NFC text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from core.messages import ChatRef, Incoming, Mention

# C0 and C1 control characters and DEL, except tab and newline, which texts may hold;
# a carriage return is dropped too ("\r\n" becomes "\n").
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# The largest number any command takes: ids, pages, counts, years and amounts stay far
# below it, and it fits every database's integer columns (PostgreSQL's int4).
MAX_NUMBER = 2_147_483_647


def clean(text: str) -> str:
    """``text`` in NFC without control characters other than tab and newline."""
    if text.isascii() and text.isprintable():
        return text  # the common case: nothing to do
    return _CONTROL.sub("", unicodedata.normalize("NFC", text))


def clean_optional(text: str | None) -> str | None:
    return None if text is None else clean(text)


def bounded_number(word: str, maximum: int = MAX_NUMBER) -> int | None:
    """The whole number ``word`` spells if it is between 0 and ``maximum``, else None.

    Digits beyond any sensible size are refused before Python turns them into a huge
    integer that no database column holds.
    """
    if not word.isascii() or not word.isdecimal() or len(word) > len(str(maximum)):
        return None
    number = int(word)
    return number if number <= maximum else None


def clean_incoming(message: Incoming) -> Incoming:
    """The message with every text a person could have typed cleaned."""
    sender = message.sender
    return replace(
        message,
        text=clean(message.text),
        chat=clean_chat(message.chat),
        sender=replace(
            sender,
            display_name=clean(sender.display_name),
            username=clean_optional(sender.username),
        ),
        mentions=tuple(_clean_mention(m) for m in message.mentions),
        files=tuple(replace(f, name=clean(f.name)) for f in message.files),
    )


def clean_chat(chat: ChatRef) -> ChatRef:
    """The chat with its title cleaned (titles are typed by people too)."""
    return replace(chat, title=clean(chat.title)) if chat.title else chat


def _clean_mention(mention: Mention) -> Mention:
    return replace(
        mention,
        text=clean(mention.text),
        username=clean_optional(mention.username),
        display_name=clean_optional(mention.display_name),
    )
