"""The console adapter: talk to the bot in a terminal, one message per line.

It is the embedded default and doubles as the test backend. Its interface is
fixed (README, "Console"): ``::user``, ``::chat``, ``::dm``, ``::admin``,
``::noadmin``, ``::now``, ``::file``; output ``[CHAT] TEXT`` with further lines indented.
``::file PATH`` attaches a file to the next message, as a caption or a reply to a file
does on the messengers.
"""

from __future__ import annotations

import errno
import mimetypes
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.router import Router
from core.clock import AdjustableClock
from core.messages import ChatRef, Incoming, IncomingFile, Mention, Reply, Sender

PLATFORM = "console"
# "@anna" at the start of a word; "/hilfe@AGBot" is an addressed command, not a mention.
_MENTION = re.compile(r"(?<!\S)@(\w[\w.\-]*)")
# Types a protocol upload needs, whatever the system's MIME table knows.
_MIME_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


class Output(Protocol):
    """Where the console prints: a text stream, or the terminal that redraws its prompt."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...


class ConsoleAdapter:
    """Feeds console lines to the router and prints what the bot sends."""

    def __init__(
        self,
        router: Router,
        clock: AdjustableClock,
        out: Output,
        files_dir: Path,
        timezone: str,
        clock_moved: Callable[[], Awaitable[object]] | None = None,
    ) -> None:
        self._router = router
        self._clock = clock
        self._out = out
        self._files_dir = files_dir
        self._zone = ZoneInfo(timezone)
        self.user = "you"
        self.chat: str | None = None  # None: the current user's private chat
        self._admins: set[tuple[str, str]] = set()
        self._message_count = 0
        # Files given with ::file, attached to the next message line and then cleared.
        self._attached: list[tuple[Path, int]] = []
        # Called after ::now: what fell due by the new time is sent (the reminder engine).
        self._clock_moved = clock_moved
        router.add_notifier(PLATFORM, self)

    async def feed(self, line: str) -> None:
        """Handle one input line: a directive or a message from the current user."""
        line = line.rstrip("\r\n")
        if line.startswith("::"):
            if self._directive(line[2:].strip()) and self._clock_moved is not None:
                await self._clock_moved()
            return
        if not line.strip():
            return
        attached, self._attached = self._attached, []
        incoming = self._incoming(line)
        reply = await self._with_files(incoming, attached)
        if reply is not None:
            self._print(self._chat_label(), reply)

    async def send(self, chat: ChatRef, reply: Reply, *, key: str | None = None) -> str | None:
        """The notifier interface: a message into another console chat."""
        self._print(chat.chat_id, reply)
        return None

    async def send_private(
        self, account_id: str, reply: Reply, *, key: str | None = None
    ) -> str | None:
        """The notifier interface: a message into a person's private console chat."""
        self._print(f"dm:{account_id}", reply)
        return None

    def _print(self, chat_label: str, reply: Reply) -> None:
        """Print a reply the way every console message looks: ``[CHAT] TEXT``."""
        lines = reply.plain_text().split("\n") or [""]
        if reply.choices:
            lines.append(" ".join(f"[{c.label}: {c.command}]" for c in reply.choices))
        self._out.write(f"[{chat_label}] {lines[0]}\n")
        for extra in lines[1:]:
            self._out.write(f"  {extra}\n")
        for outgoing in reply.files:
            self._files_dir.mkdir(parents=True, exist_ok=True)
            (self._files_dir / outgoing.name).write_bytes(outgoing.content)
            self._out.write(
                f"[{chat_label}] file: {outgoing.name} ({len(outgoing.content)} bytes)\n"
            )
        self._out.flush()

    def _directive(self, directive: str) -> bool:
        """Carry out a ``::`` line; True when it moved the clock."""
        name, _, argument = directive.partition(" ")
        argument = argument.strip()
        if name == "user" and argument:
            self.user = argument
        elif name == "chat" and argument:
            self.chat = argument
        elif name == "dm":
            self.chat = None
        elif name == "admin" and self.chat is not None:
            self._admins.add((self.chat, self.user))
        elif name == "noadmin" and self.chat is not None:
            self._admins.discard((self.chat, self.user))
        elif name == "file" and argument:
            self._attach(argument)
        elif name == "now" and argument:
            try:
                self._clock.set(parse_console_time(argument, self._zone))
            except ValueError:
                self._out.write(f"[console] ::now needs an ISO date-time, not {argument!r}\n")
                return False
            return True
        else:
            self._out.write(f"[console] unknown or incomplete directive: ::{directive}\n")
        return False

    def _attach(self, argument: str) -> None:
        """Remember a file for the next message; say so at once if it cannot be read."""
        path = Path(argument).expanduser()
        try:
            size = path.stat().st_size
            if path.is_dir():
                raise IsADirectoryError(errno.EISDIR, "it is a directory")
            with path.open("rb"):
                pass
        except OSError as error:
            reason = error.strerror or type(error).__name__
            self._out.write(f"[console] ::file cannot read {argument!r}: {reason}\n")
            return
        self._attached.append((path, size))
        self._out.write(f"[console] {path.name} ({size} bytes) goes with your next message\n")

    async def _with_files(
        self, incoming: Incoming, attached: list[tuple[Path, int]]
    ) -> Reply | None:
        """Hand the message to the router with its files, or refuse a file it cannot take.

        Like on the messengers, files are read only for a command, and a command whose file
        is too large or unreadable is not run.
        """
        if not attached or not self._router.is_command(incoming.text, PLATFORM):
            return await self._router.handle(incoming)
        files: list[IncomingFile] = []
        for path, size in attached:
            if size > self._router.settings.max_upload_bytes:
                return await self._router.file_too_large(incoming, path.name, size)
            try:
                content = path.read_bytes()
            except OSError as error:
                reason = error.strerror or type(error).__name__
                self._out.write(f"[console] ::file cannot read {str(path)!r}: {reason}\n")
                return await self._router.file_unavailable(incoming, path.name)
            files.append(IncomingFile(path.name, content, _mime_type(path)))
        return await self._router.handle(replace(incoming, files=tuple(files)))

    def _chat_label(self) -> str:
        return self.chat if self.chat is not None else f"dm:{self.user}"

    def _incoming(self, text: str) -> Incoming:
        self._message_count += 1
        if self.chat is None:
            chat = ChatRef(PLATFORM, f"dm:{self.user}", is_private=True, title=f"dm:{self.user}")
        else:
            chat = ChatRef(PLATFORM, self.chat, is_private=False, title=self.chat)
        sender = Sender(
            platform=PLATFORM,
            account_id=self.user,
            display_name=self.user,
            username=self.user,
            is_chat_admin=(self.chat, self.user) in self._admins if self.chat else False,
        )
        mentions = tuple(
            Mention(text=m.group(0), platform=PLATFORM, account_id=m.group(1), username=m.group(1))
            for m in _MENTION.finditer(text)
        )
        return Incoming(chat, sender, text, mentions, message_id=str(self._message_count))


def _mime_type(path: Path) -> str:
    suffix = path.suffix.casefold()
    return (
        _MIME_TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    )


def parse_console_time(text: str, zone: ZoneInfo) -> datetime:
    """An ISO date-time; naive times are in the configured time zone."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)
