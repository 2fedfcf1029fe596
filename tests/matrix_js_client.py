"""Drives ``tests/matrix_js/client.mjs``: matrix-js-sdk with the Rust crypto, as Element runs it.

The Node packages are pinned in ``tests/matrix_js/package-lock.json``; `ensure_installed`
copies the client to ``build/matrix_js`` and runs ``npm ci`` there when ``node_modules`` is
missing or older than the lock file, so ``make test`` in a fresh clone installs them (the
Makefile calls it before pytest). Without
Node or npm the tests that use this client fail, they do not skip.

One `JsClient` is one Node process with one logged-in device; every call is one JSON line
to the process and one back, each with a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import itertools
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

JS_DIR = Path(__file__).parent / "matrix_js"
# Installed outside tests/ (in the ignored build folder), so the suite's own files stay
# the repository's: npm's packages are nobody's fixtures.
INSTALL_DIR = Path(__file__).parent.parent / "build" / "matrix_js"
_SOURCES = ("package.json", "package-lock.json", "client.mjs")
_INSTALL_TIMEOUT = 300
CALL_TIMEOUT = 60.0


def ensure_installed() -> None:
    """Copy the client into build/matrix_js and ``npm ci`` there unless node_modules matches
    the lock file already."""
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        raise RuntimeError("the Matrix interoperability tests need Node.js 20+ and npm")
    INSTALL_DIR.mkdir(parents=True, exist_ok=True)
    lock = JS_DIR / "package-lock.json"
    stamp = INSTALL_DIR / "node_modules" / ".package-lock.json"
    # Several pytest processes may start at once: one installs, the others wait for it.
    with (INSTALL_DIR / ".install.lock").open("w") as guard:
        fcntl.flock(guard, fcntl.LOCK_EX)
        for name in _SOURCES:
            shutil.copyfile(JS_DIR / name, INSTALL_DIR / name)
        if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime:
            return
        subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=INSTALL_DIR,
            check=True,
            timeout=_INSTALL_TIMEOUT,
        )


class JsError(AssertionError):
    """The Node client reported an error (its stack trace is the message)."""


class JsClient:
    """One matrix-js-sdk device in a Node process."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self._process = process
        self._ids = itertools.count(1)
        self.user_id = ""
        self.device_id = ""

    @classmethod
    async def start(
        cls,
        homeserver: str,
        user_id: str,
        password: str,
        *,
        isolation: str = "all",
        blacklist_unverified: bool = False,
    ) -> JsClient:
        """Log in, set up cross-signing for the user, sync. ``isolation``: "all" or "signed"."""
        process = await asyncio.create_subprocess_exec(
            "node",
            str(INSTALL_DIR / "client.mjs"),
            cwd=INSTALL_DIR,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            limit=16 * 1024 * 1024,
        )
        client = cls(process)
        started = await client.call(
            "start",
            homeserver=homeserver,
            user_id=user_id,
            password=password,
            isolation=isolation,
            blacklist_unverified=blacklist_unverified,
        )
        client.user_id, client.device_id = started["user_id"], started["device_id"]
        return client

    async def call(self, op: str, timeout: float = CALL_TIMEOUT, **args: Any) -> Any:
        assert self._process.stdin is not None and self._process.stdout is not None
        request_id = next(self._ids)
        line = json.dumps({"id": request_id, "op": op, "args": args}) + "\n"
        self._process.stdin.write(line.encode())
        await self._process.stdin.drain()
        while True:
            raw = await asyncio.wait_for(self._process.stdout.readline(), timeout)
            if not raw:
                raise JsError(f"the Node client ended during {op}")
            with contextlib.suppress(ValueError):
                answer = json.loads(raw)
                if isinstance(answer, dict) and "ok" in answer:
                    break
            # Something that is no answer (a library printing to stdout): not ours to read.
        if answer.get("id") != request_id:
            raise JsError(f"answer for {answer.get('id')} instead of {request_id}")
        if not answer["ok"]:
            raise JsError(f"{op} failed in matrix-js-sdk: {answer['error']}")
        return answer["result"]

    async def wait_for(self, room_id: str, timeout: float = 30.0, **match: Any) -> dict[str, Any]:
        """The first event (decrypted) in ``room_id`` that matches; see client.mjs."""
        result: dict[str, Any] = await self.call(
            "wait_for_event",
            timeout=timeout + 5,
            room_id=room_id,
            timeout_ms=int(timeout * 1000),
            **match,
        )
        return result

    async def close(self) -> None:
        with contextlib.suppress(Exception):
            await self.call("stop", timeout=5)
        with contextlib.suppress(ProcessLookupError):
            self._process.terminate()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._process.wait(), 5)
