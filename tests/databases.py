"""Fresh test databases: a SQLite file per test, and a PostgreSQL database per test
when ``AGBOT_TEST_POSTGRES_URL`` is set (an unreachable server fails the test)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("AGBOT_TEST_POSTGRES_URL", "")


def backends() -> list[str]:
    """The databases every storage and command test runs on."""
    return ["sqlite", "postgres"] if POSTGRES_URL else ["sqlite"]


async def fresh_database(backend: str, tmp_path: Path) -> str:
    """The URL of an empty database of ``backend`` that belongs to one test."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'agbot.db'}"
    admin_url = make_url(POSTGRES_URL)
    name = f"agbot_test_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(
        host=admin_url.host or "127.0.0.1",
        port=admin_url.port or 5432,
        user=admin_url.username or "postgres",
        password=admin_url.password,
        database=admin_url.database or "postgres",
    )
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return admin_url.set(database=name).render_as_string(hide_password=False)


async def drop_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return
    connection = await asyncpg.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        database=make_url(POSTGRES_URL).database or "postgres",
    )
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
    finally:
        await connection.close()
