"""A real Synapse homeserver for the test suite, started once per test session.

`SynapseServer` writes a minimal ``homeserver.yaml`` (SQLite, one plain-HTTP listener on a
free ``127.0.0.1`` port with the client and media resources, no federation, no TLS,
``bcrypt_rounds: 4``, relaxed ``rc_*`` limits) into a directory, starts
``python -m synapse.app.homeserver`` as a subprocess and waits until
``/_matrix/client/versions`` answers.

Everything here is **synchronous** (subprocess + blocking ``urllib``), so the session fixture
is a plain sync fixture that works with pytest-asyncio's function-scoped event loops. The
HTTP helpers (`register`, `ratelimit`, `admin_request`, ...) take a few milliseconds against
the local server; calling them from an ``async def`` test blocks that loop only briefly.

Use it in tests through the ``synapse`` fixture::

    def test_something(synapse: SynapseServer) -> None:
        anna = synapse.new_user("anna")          # -> RegisteredUser(@anna-1:localhost, ...)
        synapse.ratelimit(anna.user_id, 1, 1)    # one event per second, burst of one
        ...
        synapse.unratelimit(anna.user_id)

The fixture object is `synapse_fixture` (fixture name ``synapse``). One server is shared by
the whole process: every module (or ``tests/conftest.py``) that imports `synapse_fixture`
gets the same server.
"""

from __future__ import annotations

import atexit
import base64
import contextlib
import ctypes
import hashlib
import hmac
import itertools
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SERVER_NAME = "localhost"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 10.0
HTTP_TIMEOUT = 10.0

# Limits high enough that no test meets them by accident. A test that needs a 429 lowers the
# event-sending limit of one user with `SynapseServer.ratelimit`.
_RELAXED = {"per_second": 1000, "burst_count": 1000}
RELAXED_RATELIMITS: dict[str, Any] = {
    "rc_message": _RELAXED,
    "rc_registration": _RELAXED,
    "rc_registration_token_validity": _RELAXED,
    "rc_login": {
        "address": _RELAXED,
        "account": _RELAXED,
        "failed_attempts": _RELAXED,
    },
    "rc_admin_redaction": _RELAXED,
    "rc_joins": {"local": _RELAXED, "remote": _RELAXED},
    "rc_joins_per_room": _RELAXED,
    "rc_invites": {
        "per_room": _RELAXED,
        "per_user": _RELAXED,
        "per_issuer": _RELAXED,
    },
    "rc_third_party_invite": _RELAXED,
    "rc_3pid_validation": _RELAXED,
    "rc_media_create": _RELAXED,
    "rc_key_requests": _RELAXED,
    "rc_presence": {"per_user": _RELAXED},
    "rc_delayed_event_mgmt": _RELAXED,
    "rc_room_creation": _RELAXED,
    "rc_reports": _RELAXED,
    "rc_user_directory": _RELAXED,
    "rc_profile": _RELAXED,
}


class SynapseError(RuntimeError):
    """A request to the test homeserver failed (HTTP status and Matrix error in the text)."""

    def __init__(self, method: str, path: str, status: int, body: Any) -> None:
        super().__init__(f"{method} {path} -> HTTP {status}: {body!r}")
        self.status = status
        self.body = body


@dataclass(frozen=True)
class RegisteredUser:
    """A user created through the shared-secret registration API, already logged in once.

    ``access_token`` and ``device_id`` belong to the device that registration created; a
    client may reuse them (``AsyncClient.restore_login``) instead of logging in again.
    """

    user_id: str
    password: str
    access_token: str
    device_id: str

    @property
    def localpart(self) -> str:
        """The part of the user id between ``@`` and ``:``."""
        return self.user_id[1:].split(":", 1)[0]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Ask Linux to SIGTERM the child when pytest dies, so no Synapse is left behind."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGTERM)
    except OSError:
        pass


class SynapseServer:
    """One Synapse process with its own config, SQLite database and media store.

    Attributes:
        directory: where ``homeserver.yaml``, the database, media and logs live.
        port: the plain-HTTP port on 127.0.0.1.
        url: ``http://127.0.0.1:<port>`` (the homeserver URL for clients).
        server_name: the Matrix server name (user ids end in ``:localhost``).
        startup_seconds: wall time from spawning the process until the API answered.
        admin: an admin user registered at start; its token authorises the admin API.
    """

    def __init__(self, directory: Path | str, *, port: int | None = None) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.server_name = SERVER_NAME
        self.url = f"http://127.0.0.1:{self.port}"
        self.registration_shared_secret = secrets.token_hex(32)
        self.config_path = self.directory / "homeserver.yaml"
        self.log_path = self.directory / "homeserver.log"
        self.console_log_path = self.directory / "console.log"
        self.startup_seconds: float | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._console: Any = None
        self._counter = itertools.count(1)
        self._counter_lock = threading.Lock()
        self._admin: RegisteredUser | None = None

    # ------------------------------------------------------------------ configuration

    def config(self) -> dict[str, Any]:
        """The homeserver configuration as a dict (written as JSON, which is valid YAML)."""
        d = self.directory
        return {
            "server_name": self.server_name,
            "public_baseurl": f"{self.url}/",
            "pid_file": str(d / "homeserver.pid"),
            "listeners": [
                {
                    "port": self.port,
                    "bind_addresses": ["127.0.0.1"],
                    "type": "http",
                    "tls": False,
                    "x_forwarded": False,
                    "resources": [{"names": ["client", "media"], "compress": False}],
                }
            ],
            "database": {"name": "sqlite3", "args": {"database": str(d / "homeserver.db")}},
            "log_config": str(d / "log.config.yaml"),
            "media_store_path": str(d / "media_store"),
            "signing_key_path": str(d / f"{self.server_name}.signing.key"),
            "registration_shared_secret": self.registration_shared_secret,
            "macaroon_secret_key": secrets.token_hex(32),
            "form_secret": secrets.token_hex(32),
            "enable_registration": False,
            "bcrypt_rounds": 4,
            "report_stats": False,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            # No federation at all: no listener and no outbound traffic.
            "federation_domain_whitelist": [],
            "presence": {"enabled": False},
            "url_preview_enabled": False,
            "enable_metrics": False,
            "max_upload_size": "10M",
            **RELAXED_RATELIMITS,
        }

    def _log_config(self) -> dict[str, Any]:
        return {
            "version": 1,
            "formatters": {"precise": {"format": "%(asctime)s %(name)s %(levelname)s %(message)s"}},
            "handlers": {
                "file": {
                    "class": "logging.FileHandler",
                    "formatter": "precise",
                    "filename": str(self.log_path),
                    "encoding": "utf8",
                }
            },
            "root": {"level": "WARNING", "handlers": ["file"]},
            "disable_existing_loggers": False,
        }

    def write_config(self) -> None:
        """Write ``homeserver.yaml``, the log config and a fresh ed25519 signing key."""
        (self.directory / "media_store").mkdir(exist_ok=True)
        self.config_path.write_text(json.dumps(self.config(), indent=2), encoding="utf8")
        (self.directory / "log.config.yaml").write_text(
            json.dumps(self._log_config(), indent=2), encoding="utf8"
        )
        key_path = self.directory / f"{self.server_name}.signing.key"
        if not key_path.exists():
            # Synapse's key file format: "<algorithm> <version> <unpadded base64 seed>".
            seed = base64.b64encode(os.urandom(32)).decode("ascii").rstrip("=")
            key_path.write_text(f"ed25519 a_{secrets.token_hex(2)} {seed}\n", encoding="utf8")

    # ------------------------------------------------------------------ process

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start Synapse and block until the client API answers; register the admin user."""
        if self._process is not None:
            raise RuntimeError("Synapse already started")
        self.write_config()
        self._console = self.console_log_path.open("ab")
        began = time.monotonic()
        env = {k: v for k, v in os.environ.items() if not k.startswith("SYNAPSE_")}
        self._process = subprocess.Popen(
            [sys.executable, "-m", "synapse.app.homeserver", "-c", str(self.config_path)],
            cwd=self.directory,
            stdin=subprocess.DEVNULL,
            stdout=self._console,
            stderr=subprocess.STDOUT,
            env=env,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        deadline = began + timeout
        while True:
            if self._process.poll() is not None:
                code = self._process.returncode
                self._cleanup_process()
                raise RuntimeError(f"Synapse exited with {code} during start\n{self.log_tail()}")
            try:
                self.request("GET", "/_matrix/client/versions", timeout=2)
                break
            except (OSError, SynapseError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(
                    f"Synapse did not answer within {timeout:.0f} s\n{self.log_tail()}"
                )
            time.sleep(0.1)
        self.startup_seconds = time.monotonic() - began
        self._admin = self.register(
            f"synapse-admin-{secrets.token_hex(3)}", admin=True, displayname="Test admin"
        )

    def stop(self) -> None:
        """Terminate Synapse (SIGTERM, then SIGKILL after a grace period). Idempotent."""
        process = self._process
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(STOP_TIMEOUT)
        self._cleanup_process()

    def _cleanup_process(self) -> None:
        self._process = None
        if self._console is not None:
            self._console.close()
            self._console = None

    @property
    def running(self) -> bool:
        """Whether the Synapse process is alive."""
        return self._process is not None and self._process.poll() is None

    def log_tail(self, lines: int = 60) -> str:
        """The last lines of Synapse's log and console output, for failure messages."""
        parts = []
        for path in (self.log_path, self.console_log_path):
            if path.exists():
                text = path.read_text(encoding="utf8", errors="replace").splitlines()
                parts.append(f"--- {path.name} (last {lines} lines) ---")
                parts.extend(text[-lines:])
        return "\n".join(parts)

    def __enter__(self) -> SynapseServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ HTTP

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        access_token: str | None = None,
        timeout: float = HTTP_TIMEOUT,
    ) -> Any:
        """Send one JSON request to the homeserver; return the decoded JSON answer.

        Raises `SynapseError` for any non-2xx answer (``.status`` and ``.body`` hold the
        details), `OSError` when the server cannot be reached.
        """
        data = None if body is None else json.dumps(body).encode("utf8")
        req = urllib.request.Request(self.url + path, data=data, method=method)
        req.add_header("Content-Type", "application/json")
        if access_token:
            req.add_header("Authorization", f"Bearer {access_token}")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                raw = resp.read()
        except urllib.error.HTTPError as err:
            raw = err.read()
            try:
                detail: Any = json.loads(raw)
            except ValueError:
                detail = raw.decode("utf8", errors="replace")
            raise SynapseError(method, path, err.code, detail) from None
        return json.loads(raw) if raw else {}

    @property
    def admin(self) -> RegisteredUser:
        """The admin user registered at start."""
        if self._admin is None:
            raise RuntimeError("Synapse is not started")
        return self._admin

    def admin_request(self, method: str, path: str, body: Any = None) -> Any:
        """A request authorised as the admin user (e.g. ``/_synapse/admin/v1/...``)."""
        return self.request(method, path, body, access_token=self.admin.access_token)

    # ------------------------------------------------------------------ users

    def user_id(self, localpart: str) -> str:
        """The full user id for a localpart on this server."""
        return f"@{localpart}:{self.server_name}"

    def register(
        self,
        localpart: str,
        password: str | None = None,
        *,
        admin: bool = False,
        displayname: str | None = None,
    ) -> RegisteredUser:
        """Create a user with the shared-secret registration API (blocking).

        ``POST /_synapse/admin/v1/register`` with a nonce from ``GET`` on the same path and an
        HMAC-SHA1 (key: the shared secret) of ``nonce\\0user\\0password\\0admin|notadmin``.
        The password defaults to a random one; the answer includes an access token and a
        device id (one device is created by registration).
        """
        password = password if password is not None else secrets.token_urlsafe(12)
        nonce = self.request("GET", "/_synapse/admin/v1/register")["nonce"]
        mac = hmac.new(self.registration_shared_secret.encode("utf8"), digestmod=hashlib.sha1)
        mac.update(nonce.encode("utf8"))
        mac.update(b"\x00")
        mac.update(localpart.encode("utf8"))
        mac.update(b"\x00")
        mac.update(password.encode("utf8"))
        mac.update(b"\x00")
        mac.update(b"admin" if admin else b"notadmin")
        body: dict[str, Any] = {
            "nonce": nonce,
            "username": localpart,
            "password": password,
            "admin": admin,
            "mac": mac.hexdigest(),
        }
        if displayname is not None:
            body["displayname"] = displayname
        answer = self.request("POST", "/_synapse/admin/v1/register", body)
        return RegisteredUser(
            user_id=answer["user_id"],
            password=password,
            access_token=answer["access_token"],
            device_id=answer["device_id"],
        )

    def new_user(
        self,
        name: str = "user",
        *,
        admin: bool = False,
        displayname: str | None = None,
        password: str | None = None,
    ) -> RegisteredUser:
        """Register a user whose localpart is unique in this server: ``<name>-<n>``.

        The display name defaults to ``name`` capitalised (``"anna"`` -> ``"Anna"``).
        """
        with self._counter_lock:
            number = next(self._counter)
        localpart = f"{name.lower()}-{number}"
        return self.register(
            localpart,
            password,
            admin=admin,
            displayname=displayname if displayname is not None else name.capitalize(),
        )

    def login(self, user_id: str, password: str, device_id: str | None = None) -> dict[str, Any]:
        """Password login through the client API; returns the JSON answer (new device)."""
        body: dict[str, Any] = {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": user_id},
            "password": password,
        }
        if device_id:
            body["device_id"] = device_id
        result: dict[str, Any] = self.request("POST", "/_matrix/client/v3/login", body)
        return result

    # ------------------------------------------------------------------ rate limits

    def _ratelimit_path(self, user_id: str) -> str:
        quoted = urllib.parse.quote(user_id, safe="")
        return f"/_synapse/admin/v1/users/{quoted}/override_ratelimit"

    def ratelimit(self, user_id: str, messages_per_second: int, burst_count: int) -> None:
        """Give ``user_id`` its own event-sending limit (Synapse ``override_ratelimit``).

        Both numbers must be non-negative **integers** (Synapse rejects floats with 400).
        ``messages_per_second=0`` disables rate limiting for the user entirely (of every
        limiter that consults the override); ``ratelimit(user, 1, 1)`` makes the second of
        two quick sends fail with 429 ``M_LIMIT_EXCEEDED`` and ``retry_after_ms`` <= 1000.
        The override only replaces ``rc_message`` (sending events: messages, reactions,
        state); it does not touch logins, joins or invites. Synapse's limiter remembers the
        user's recent actions, so ratelimit a user that has not just sent a burst.
        """
        self.admin_request(
            "POST",
            self._ratelimit_path(user_id),
            {"messages_per_second": messages_per_second, "burst_count": burst_count},
        )

    def unratelimit(self, user_id: str) -> None:
        """Remove the override set by `ratelimit`; the relaxed defaults apply again."""
        self.admin_request("DELETE", self._ratelimit_path(user_id))

    def get_ratelimit(self, user_id: str) -> dict[str, int]:
        """The override for ``user_id`` (``{}`` when there is none)."""
        result: dict[str, int] = self.admin_request("GET", self._ratelimit_path(user_id))
        return result

    @contextlib.contextmanager
    def ratelimited(
        self, user_id: str, messages_per_second: int = 1, burst_count: int = 1
    ) -> Iterator[None]:
        """`ratelimit` for the duration of a ``with`` block, then `unratelimit`."""
        self.ratelimit(user_id, messages_per_second, burst_count)
        try:
            yield
        finally:
            self.unratelimit(user_id)


# ---------------------------------------------------------------------- the shared server

_shared: SynapseServer | None = None
_shared_lock = threading.Lock()


def shared_server(directory: Path | None = None) -> SynapseServer:
    """The process-wide server, started on first use (in ``directory`` or a temp dir)."""
    global _shared
    with _shared_lock:
        if _shared is None or not _shared.running:
            if directory is None:
                directory = Path(tempfile.mkdtemp(prefix="agbot-synapse-"))
            server = SynapseServer(directory)
            server.start()
            atexit.register(server.stop)
            _shared = server
        return _shared


def stop_shared_server() -> None:
    """Stop the process-wide server if it runs. Idempotent."""
    global _shared
    with _shared_lock:
        if _shared is not None:
            _shared.stop()
            _shared = None


@pytest.fixture(scope="session", name="synapse")
def synapse_fixture(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SynapseServer]:
    """One real Synapse for the whole test session (see the module docstring)."""
    server = shared_server(tmp_path_factory.mktemp("synapse"))
    yield server
    stop_shared_server()
