"""Database URLs as people copy them: mapped to the async drivers, or one clear line and exit 2.

The same rules for the config file, ``AGBOT_DATABASE_URL`` and ``--db``; a server that is
down or refuses the login is named without its password and without a stack trace.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.config import ConfigError, load_config
from storage.database_url import DatabaseUrlError, async_database_url, masked
from tests.databases import POSTGRES_URL

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
        ("sqlite+aiosqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
        ("sqlite:////var/lib/agbot/x.db", "sqlite+aiosqlite:////var/lib/agbot/x.db"),
        (
            "postgresql://u:pw@db.example.org/agbot",
            "postgresql+asyncpg://u:pw@db.example.org/agbot",
        ),
        (
            "postgres://u:pw@db.example.org:6432/agbot",
            "postgresql+asyncpg://u:pw@db.example.org:6432/agbot",
        ),
        ("postgresql+asyncpg://u@db/agbot", "postgresql+asyncpg://u@db/agbot"),
        ("  postgres://u@db/agbot  ", "postgresql+asyncpg://u@db/agbot"),
    ],
)
def test_the_forms_people_copy_map_to_the_async_drivers(typed: str, expected: str) -> None:
    assert async_database_url(typed) == expected


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("mysql://u:geheim@db/agbot", "'mysql' is not supported"),
        ("mariadb+pymysql://u:geheim@db/agbot", "'mariadb' is not supported"),
        ("sqlite://", "names no file"),
        ("postgresql:///agbot", "names no server"),
        ("data/agbot.db", "is not a database URL"),
        ("", "is not a database URL"),
    ],
)
def test_other_urls_are_refused_naming_the_problem_without_the_password(
    typed: str, named: str
) -> None:
    with pytest.raises(DatabaseUrlError) as error:
        async_database_url(typed)
    assert named in str(error.value)
    assert "geheim" not in str(error.value)


def test_a_masked_url_never_shows_the_password() -> None:
    assert masked("postgresql://anna:geheim@db/agbot") == "postgresql://anna:***@db/agbot"
    assert "geheim" not in masked("::anna:geheim@@")


def test_the_config_file_and_the_environment_are_checked_alike(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[database]\nurl = "postgres://u:pw@db/agbot"\n', encoding="utf-8")
    assert load_config(path, {}).database.url == "postgresql+asyncpg://u:pw@db/agbot"
    environ = {"AGBOT_DATABASE_URL": "sqlite:///elsewhere.db"}
    assert load_config(path, environ).database.url == "sqlite+aiosqlite:///elsewhere.db"
    with pytest.raises(ConfigError) as error:
        load_config(path, {"AGBOT_DATABASE_URL": "mysql://u:geheim@db/agbot"})
    assert str(error.value).startswith("AGBOT_DATABASE_URL: ")
    assert "geheim" not in str(error.value)


def _agbot(*args: str, environ: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("AGBOT_")}
    env.update(environ or {})
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        input="/ag\n",
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_console_with_a_plain_sqlite_url_starts(tmp_path: Path) -> None:
    result = _agbot("console", "--db", f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("[dm:you] ")
    assert result.stderr == ""  # neither a traceback nor Alembic's INFO lines


@pytest.mark.parametrize("command", ["console", "db"])
def test_an_unreachable_server_is_one_line_and_exit_code_2(command: str) -> None:
    url = f"postgresql://agbot:geheim@127.0.0.1:{_free_port()}/agbot"
    args = ("db", "upgrade", "--db", url) if command == "db" else ("console", "--db", url)
    result = _agbot(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "cannot use the database" in lines[0] and ":***@127.0.0.1" in lines[0]
    assert "geheim" not in result.stderr and "Traceback" not in result.stderr


def test_an_unsupported_database_in_the_environment_is_one_line_and_exit_code_2() -> None:
    result = _agbot("console", environ={"AGBOT_DATABASE_URL": "mysql://u:geheim@db/agbot"})
    assert result.returncode == 2
    assert result.stderr.startswith("agbot: invalid configuration: AGBOT_DATABASE_URL: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "geheim" not in result.stderr


def test_a_sqlite_file_that_cannot_be_created_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    result = _agbot("console", "--db", f"sqlite:///{blocker / 'x.db'}")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not POSTGRES_URL, reason="needs AGBOT_TEST_POSTGRES_URL (PostgreSQL)")
def test_a_refused_login_names_the_problem_without_the_password() -> None:
    server = make_url(POSTGRES_URL)
    url = f"postgres://no_such_role_agbot:geheim@{server.host}:{server.port or 5432}/x"
    result = _agbot("console", "--db", url)
    assert result.returncode == 2
    assert "no_such_role_agbot" in result.stderr and "geheim" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
