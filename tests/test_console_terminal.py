"""The real ``agbot console`` in a pseudo-terminal, as a person at a keyboard uses it.

A prompt after every reply, line editing and a history kept across runs, reminders
printed above the prompt while it waits, and Ctrl-D or Ctrl-C ending it with a goodbye
instead of a traceback.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import subprocess
import sys
import termios
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.test_console_process import ROOT, environment, sqlite_url

CTRL_C = b"\x03"
CTRL_D = b"\x04"
PROMPT = "you@dm> "


class TerminalSession:
    """``agbot console`` with a pseudo-terminal as its stdin, stdout and stderr."""

    def __init__(self, tmp_path: Path, *options: str) -> None:
        self.output = ""
        self.state = tmp_path / "state"
        primary, secondary = pty.openpty()
        self._primary = primary
        env = environment() | {"XDG_STATE_HOME": str(self.state), "TERM": "xterm"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "console", "--db", sqlite_url(tmp_path), *options],
            stdin=secondary,
            stdout=secondary,
            stderr=secondary,
            cwd=ROOT,
            env=env,
            preexec_fn=_own_terminal,
        )
        os.close(secondary)

    def type(self, keys: bytes) -> None:
        os.write(self._primary, keys)

    def wait_for(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        """Read the terminal until ``pattern`` matches what it showed; fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.output, re.DOTALL)
            if found:
                return found
            left = deadline - time.monotonic()
            assert left > 0, f"no {pattern!r} in {self.output!r}"
            if not self._read(left):
                raise AssertionError(f"the console ended without {pattern!r}: {self.output!r}")

    def finish(self, timeout: float = 60) -> int:
        """Everything until the process ends; its exit code."""
        deadline = time.monotonic() + timeout
        while self._read(max(deadline - time.monotonic(), 0.1)):
            assert time.monotonic() < deadline, self.output
        code = self.process.wait(timeout=max(deadline - time.monotonic(), 1))
        os.close(self._primary)
        return code

    def _read(self, timeout: float) -> bool:
        """One chunk of output; False once the terminal is closed."""
        ready, _, _ = select.select([self._primary], [], [], timeout)
        if not ready:
            return True
        try:
            chunk = os.read(self._primary, 4096)
        except OSError:  # EIO: the process has ended and closed the terminal
            return False
        if not chunk:
            return False
        self.output += chunk.decode("utf-8", "replace")
        return True

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _own_terminal() -> None:
    """In the child: a session of its own whose controlling terminal is the pseudo-terminal,
    so Ctrl-C typed there reaches it (and only it) as SIGINT."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def history(session: TerminalSession) -> list[str]:
    return (session.state / "agbot" / "console_history").read_text(encoding="utf-8").splitlines()


async def test_a_reply_comes_before_the_next_prompt_and_ctrl_d_says_goodbye(
    tmp_path: Path,
) -> None:
    session = TerminalSession(tmp_path)
    try:
        session.wait_for(re.escape(PROMPT))
        session.type(b"/hilfe\r")
        # The reply, then a fresh prompt on a line of its own.
        session.wait_for(r"\[dm:you\] .*\n" + re.escape(PROMPT))
        session.type(b"::chat ag-test\r")
        session.wait_for(re.escape("you@ag-test> "))
        session.type(CTRL_D)
        code = session.finish()
    finally:
        session.kill()
    assert code == 0, session.output
    assert "Traceback" not in session.output
    assert session.output.rstrip().endswith("[console] bye")
    assert history(session) == ["/hilfe", "::chat ag-test"]


async def test_the_history_of_the_last_run_is_there_for_the_arrow_key(tmp_path: Path) -> None:
    first = TerminalSession(tmp_path)
    try:
        first.wait_for(re.escape(PROMPT))
        first.type(b"/hilfe\r")
        first.wait_for(r"\[dm:you\] .*\n" + re.escape(PROMPT))
        first.type(CTRL_D)
        assert first.finish() == 0, first.output
    finally:
        first.kill()
    second = TerminalSession(tmp_path)
    try:
        second.wait_for(re.escape(PROMPT))
        # Arrow up brings back "/hilfe"; editing it (Ctrl-A, then "::chat x" before it and
        # the old text killed with Ctrl-K) sends the edited line.
        second.type(b"\x1b[A")
        second.wait_for(re.escape(PROMPT) + "/hilfe")
        second.type(b"\x01::chat edited\x0b\r")
        second.wait_for(re.escape("you@edited> "))
        second.type(CTRL_D)
        assert second.finish() == 0, second.output
    finally:
        second.kill()
    assert "Traceback" not in second.output
    assert history(second) == ["/hilfe", "::chat edited"]


async def test_ctrl_c_ends_the_console_cleanly(tmp_path: Path) -> None:
    session = TerminalSession(tmp_path)
    try:
        session.wait_for(re.escape(PROMPT))
        session.type(b"/hilfe\r")
        session.wait_for(r"\[dm:you\] .*\n" + re.escape(PROMPT))
        session.type(b"half a line")
        session.wait_for("half a line")
        session.type(CTRL_C)
        code = session.finish()
    finally:
        session.kill()
    assert code == 0, session.output
    assert "Traceback" not in session.output
    assert "KeyboardInterrupt" not in session.output
    assert session.output.rstrip().endswith("[console] bye")
    # The terminal is left usable: what was half typed did not run.
    assert "half a line" not in "".join(history(session))


async def test_a_reminder_due_while_waiting_at_the_prompt_is_printed_above_it(
    tmp_path: Path,
) -> None:
    # The real clock: the reminder is set for the next full minute and must come by itself.
    zone = ZoneInfo("Europe/Berlin")
    due = (datetime.now(zone) + timedelta(seconds=70)).replace(second=0, microsecond=0)
    session = TerminalSession(tmp_path)
    try:
        session.wait_for(re.escape(PROMPT))
        session.type(f"/erinnere mich {due:%d.%m.%Y %H:%M} Uhr; Tee kochen\r".encode())
        session.wait_for(r"\[dm:you\] .*Tee kochen.*\n" + re.escape(PROMPT))
        # Typed but not yet sent when the reminder comes: it stays on the redrawn prompt.
        session.type(b"/hil")
        session.wait_for(re.escape(PROMPT) + "/hil")
        # The line with the prompt is cleared, the reminder printed, the prompt drawn again.
        shown = session.wait_for(
            r"\r\x1b\[K(\[dm:you\] 🔔[^\n]*Tee kochen.*?)" + re.escape(PROMPT + "/hil"),
            timeout=120,
        )
        assert PROMPT not in shown.group(1)
        session.type(b"fe\r")
        # Ctrl-D at the fresh prompt (typed earlier, the terminal's own line mode takes it).
        session.wait_for(
            r"/hilfe\s*\[dm:you\] Ihre Befehle.*/hilfe <Befehl>\s*" + re.escape(PROMPT)
        )
        session.type(CTRL_D)
        code = session.finish()
    finally:
        session.kill()
    assert code == 0, session.output
    assert "Traceback" not in session.output
