"""Alembic environment: runs on the connection AG-Bot hands over, or on AGBOT_DATABASE_URL."""

from __future__ import annotations

import asyncio
import os

from alembic import context
from sqlalchemy import Connection

from storage.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    # Batch mode lets ALTER TABLE migrations work on SQLite as well.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _run_standalone() -> None:
    from storage.database import create_engine, migrating

    url = os.environ.get("AGBOT_DATABASE_URL", "sqlite+aiosqlite:///data/agbot.db")

    async def run() -> None:
        engine = create_engine(url)
        async with engine.connect() as connection:
            await connection.run_sync(lambda c: migrating(c, lambda: _run(c)))
        await engine.dispose()

    asyncio.run(run())


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    _run_standalone()
