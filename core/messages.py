"""Neutral incoming messages and replies that every adapter translates to and from."""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

SpanStyle = Literal["plain", "bold", "code", "mention", "link"]


@dataclass(frozen=True)
class ChatRef:
    """A chat on one messenger: a group chat or a person's private chat with the bot."""

    platform: str
    chat_id: str
    is_private: bool
    title: str = ""


@dataclass(frozen=True)
class Sender:
    """The account that sent a message, as the adapter saw it."""

    platform: str
    account_id: str
    display_name: str
    username: str | None = None
    is_chat_admin: bool = False
    # The messenger could not tell whether the sender is a chat admin (a lookup failed):
    # a refusal for lack of rights then says so instead of naming the missing role.
    admin_check_failed: bool = False


@dataclass(frozen=True)
class Mention:
    """A person named in a message; the core resolves it to a person of the AG.

    ``text`` is the mention as it stands in the message (``@ben``) so that
    handlers can remove it from their arguments. An adapter fills in what it
    knows: the platform account id (Telegram text mentions, Matrix pills) or
    only a username / display name.
    """

    text: str
    platform: str
    account_id: str | None = None
    username: str | None = None
    display_name: str | None = None


@dataclass(frozen=True)
class IncomingFile:
    """A file that came with a command: attached to it, or the message it replies to."""

    name: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Incoming:
    """One message the bot received."""

    chat: ChatRef
    sender: Sender
    text: str
    mentions: tuple[Mention, ...] = ()
    message_id: str | None = None
    files: tuple[IncomingFile, ...] = ()


@dataclass(frozen=True)
class PersonRef:
    """A person to mention in a reply, with the accounts adapters can link to."""

    person_id: int
    display_name: str
    accounts: tuple[tuple[str, str], ...] = ()

    def account_on(self, platform: str) -> str | None:
        """The person's account id on ``platform``, if they have one."""
        for account_platform, account_id in self.accounts:
            if account_platform == platform:
                return account_id
        return None


@dataclass(frozen=True)
class Span:
    """A piece of reply text with light structure; adapters decide how it looks."""

    text: str
    style: SpanStyle = "plain"
    url: str | None = None
    person: PersonRef | None = None


def bold(text: str) -> Span:
    return Span(text, "bold")


def code(text: str) -> Span:
    return Span(text, "code")


def mention(person: PersonRef) -> Span:
    return Span(person.display_name, "mention", person=person)


def link(label: str, url: str) -> Span:
    return Span(label, "link", url=url)


Line = tuple[Span, ...]
Value = str | int | Span | Sequence[Span]


@functools.lru_cache(maxsize=2048)
def _parse_template(template: str) -> tuple[tuple[str, str | None], ...]:
    """Literal text and placeholder names of a template, parsed once per template."""
    return tuple((literal, name) for literal, name, _, _ in string.Formatter().parse(template))


def fmt(template: str, **values: Value) -> list[Line]:
    """Fill ``{name}`` placeholders of a (translated) template with text or spans.

    Returns one line per line of the template. Spans keep their structure so
    that a mention stays a mention after translation reordered the sentence.
    """
    lines: list[Line] = []
    current: list[Span] = []

    def add_text(text: str) -> None:
        parts = text.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append(tuple(current))
                current.clear()
            if part:
                current.append(Span(part))

    for literal, name in _parse_template(template):
        add_text(literal)
        if name is None:
            continue
        value = values[name]
        if isinstance(value, Span):
            current.append(value)
        elif isinstance(value, (str, int)):
            add_text(str(value))
        else:
            current.extend(value)
    lines.append(tuple(current))
    return lines


def join_spans(items: Iterable[Span | str], separator: str = ", ") -> list[Span]:
    """Spans of ``items`` separated by ``separator`` (e.g. a list of mentions)."""
    spans: list[Span] = []
    for index, item in enumerate(items):
        if index:
            spans.append(Span(separator))
        spans.append(item if isinstance(item, Span) else Span(item))
    return spans


@dataclass(frozen=True)
class Choice:
    """A button: pressing it sends ``command`` as if the presser had typed it.

    ``emoji`` says what the choice means where a messenger offers reactions instead of
    buttons (✅ yes, ❌ no, ❔ maybe); choices without one are numbered there.
    """

    label: str
    command: str
    emoji: str | None = None


@dataclass(frozen=True)
class OutgoingFile:
    name: str
    content: bytes
    mime_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Reply:
    """What a handler answers: lines of spans, optional files and choices.

    ``deliveries`` go to other chats (e.g. an invitation to every chat of the AG): the
    router writes them as announcement rows in the command's transaction, and the reminder
    engine sends them right after the commit, so a crash in between loses none.
    """

    lines: tuple[Line, ...] = ()
    files: tuple[OutgoingFile, ...] = ()
    choices: tuple[Choice, ...] = ()
    # Set by the router when the command was refused (a button press then only gets a toast).
    refused: bool = False
    deliveries: tuple[Delivery, ...] = ()
    # The bot asked this person something and waits for a plain answer (Telegram: ForceReply,
    # so the answer reaches the bot even with privacy mode on).
    expects_answer: bool = False

    def plain_text(self) -> str:
        """The reply as plain text without markup (console, Matrix ``body``)."""
        return "\n".join("".join(span.text for span in line) for line in self.lines)


@dataclass(frozen=True)
class Delivery:
    """A message for another chat than the one the command came from."""

    chat: ChatRef
    reply: Reply


@dataclass
class ReplyBuilder:
    """Collects the lines of a reply; handlers add translated templates to it."""

    lines: list[Line] = field(default_factory=list)
    files: list[OutgoingFile] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)
    expects_answer: bool = False

    def add(self, template: str, **values: Value) -> ReplyBuilder:
        self.lines.extend(fmt(template, **values))
        return self

    def add_spans(self, spans: Iterable[Span]) -> ReplyBuilder:
        self.lines.append(tuple(spans))
        return self

    def blank(self) -> ReplyBuilder:
        self.lines.append(())
        return self

    def build(self) -> Reply:
        return Reply(
            tuple(self.lines),
            tuple(self.files),
            tuple(self.choices),
            deliveries=tuple(self.deliveries),
            expects_answer=self.expects_answer,
        )
