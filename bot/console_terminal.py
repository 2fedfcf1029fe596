"""The console's standard input and output: lines read without blocking the event loop,
with line editing and a history on a terminal, and messages printed above the prompt.

A reader thread of its own waits for each line (``input()`` with the ``readline`` module on
a terminal, a plain ``readline()`` otherwise), so reminders the scheduler sends while
someone sits at the prompt are printed at once. It is a daemon thread, not the event loop's
executor: a thread still waiting at the prompt after Ctrl-C must not keep the process alive.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
from pathlib import Path
from queue import SimpleQueue
from types import ModuleType
from typing import Any, TextIO

HISTORY_LENGTH = 1000
# Back to the line's start and clear it: where the prompt was, a message is printed.
_CLEAR_LINE = "\r\x1b[K"


def history_file(environ: dict[str, str] | os._Environ[str] = os.environ) -> Path:
    """The console history: ``$XDG_STATE_HOME/agbot/console_history`` (~/.local/state)."""
    state = environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "agbot" / "console_history"


def _load_readline() -> ModuleType | None:
    """The ``readline`` module where the platform has it (not on Windows without extras)."""
    try:
        import readline
    except ImportError:
        return None
    return readline


class Terminal:
    """Reads lines for the console and writes its output, aware of a prompt being shown."""

    def __init__(
        self, stdin: TextIO, stdout: TextIO, *, interactive: bool, history: Path | None
    ) -> None:
        self._stdin = stdin
        self._stdout = stdout
        self.interactive = interactive
        self._history = history
        self._readline = _load_readline() if interactive else None
        self._terminal_state: list[Any] | None = None
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self._prompt: str | None = None  # while the reader waits at a shown prompt
        self._requests: SimpleQueue[tuple[str, asyncio.Future[str]]] = SimpleQueue()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._waiting: asyncio.Future[str] | None = None
        self.interrupted = False

    def start(self) -> None:
        """Load the history and start the reader thread (inside the running event loop)."""
        self._loop = asyncio.get_running_loop()
        if self.interactive:
            self._save_terminal_state()
        if self._readline is not None and self._history is not None:
            self._readline.set_history_length(HISTORY_LENGTH)
            # No history yet, or one that cannot be read: start without it.
            with contextlib.suppress(OSError):
                self._readline.read_history_file(self._history)
        threading.Thread(target=self._read_lines, name="console-input", daemon=True).start()

    async def read_line(self, prompt: str) -> str:
        """The next line with its newline; "" at the end of input or after Ctrl-C."""
        self.flush()
        if self.interrupted:
            return ""
        assert self._loop is not None, "Terminal.start() first"
        waiting: asyncio.Future[str] = self._loop.create_future()
        self._waiting = waiting
        self._requests.put((prompt if self.interactive else "", waiting))
        try:
            return await waiting
        finally:
            self._waiting = None

    def interrupt(self) -> None:
        """Ctrl-C: end like at the end of input (the line being typed is dropped)."""
        self.interrupted = True
        if self._waiting is not None and not self._waiting.done():
            self._waiting.set_result("")

    def say_goodbye(self, text: str) -> None:
        """The last line, below what was typed: the prompt is not drawn again after it."""
        self.flush()
        with self._lock:
            # After Ctrl-C the reader thread still waits at the prompt; it is not redrawn.
            self._prompt = None
            self._stdout.write(f"\n{text}\n")
            self._stdout.flush()

    def close(self) -> None:
        """Save the history and give the terminal back as it was found."""
        self.flush()
        if self._readline is not None and self._history is not None:
            try:
                self._history.parent.mkdir(parents=True, exist_ok=True)
                self._readline.write_history_file(self._history)
            except OSError as error:
                print(f"agbot: console history not saved: {error}", file=sys.stderr)
        self._restore_terminal_state()

    # The output side, used by ConsoleAdapter like a text stream.

    def write(self, text: str) -> int:
        with self._lock:
            self._pending.append(text)
        return len(text)

    def flush(self) -> None:
        """Print what was written; above the prompt, which is drawn again, when it is shown."""
        with self._lock:
            text, self._pending = "".join(self._pending), []
            if not text:
                return
            if self._prompt is None:
                self._stdout.write(text)
            else:
                typed = self._readline.get_line_buffer() if self._readline else ""
                self._stdout.write(f"{_CLEAR_LINE}{text}{self._prompt}{typed}")
            self._stdout.flush()

    def _read_lines(self) -> None:
        """The reader thread: one line per request, handed back to the event loop."""
        while True:
            prompt, waiting = self._requests.get()
            line = self._read_one(prompt)
            assert self._loop is not None
            try:
                self._loop.call_soon_threadsafe(_deliver, waiting, line)
            except RuntimeError:
                return  # the event loop is closed: the console has ended

    def _read_one(self, prompt: str) -> str:
        if not self.interactive:
            return self._stdin.readline()
        with self._lock:
            self._prompt = prompt
        try:
            # With the readline module imported, input() edits the line and keeps history.
            return input(prompt) + "\n"
        except EOFError:
            return ""
        finally:
            with self._lock:
                self._prompt = None

    def _save_terminal_state(self) -> None:
        try:
            import termios

            self._terminal_state = termios.tcgetattr(self._stdin.fileno())
        except (ImportError, OSError, ValueError):
            self._terminal_state = None

    def _restore_terminal_state(self) -> None:
        """After Ctrl-C the reader thread is still inside readline, which changed the modes."""
        if self._terminal_state is None:
            return
        try:
            import termios

            termios.tcsetattr(self._stdin.fileno(), termios.TCSADRAIN, self._terminal_state)
        except (ImportError, OSError, ValueError):
            pass  # the terminal is gone: nothing to give back


def _deliver(waiting: asyncio.Future[str], line: str) -> None:
    if not waiting.done():
        waiting.set_result(line)
