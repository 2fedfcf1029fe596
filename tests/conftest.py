"""Fixtures: a fresh database per test on every configured backend, and a console bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.databases import backends, drop_database, fresh_database
from tests.harness import ConsoleBot
from tests.synapse_server import synapse_fixture  # noqa: F401  (one Synapse per test session)


@pytest.fixture(params=backends())
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    url = await fresh_database(request.param, tmp_path)
    yield url
    await drop_database(url)


@pytest.fixture
async def bot(database_url: str, tmp_path: Path) -> AsyncIterator[ConsoleBot]:
    console_bot = await ConsoleBot.start(
        database_url, tmp_path / "files", admins=frozenset({"console:root"})
    )
    yield console_bot
    await console_bot.close()
