"""Engine, sessions and schema migrations for SQLite (default) and PostgreSQL."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import Session

from storage.database_url import masked

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
log = logging.getLogger(__name__)


class DatabaseUnavailable(Exception):
    """The database cannot be reached or refuses the login: one sentence, password masked."""


def create_engine(url: str) -> AsyncEngine:
    """An async engine for ``url``; SQLite gets WAL mode and enforced foreign keys."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise DatabaseUnavailable(
                    f"cannot create the folder for the SQLite file {database}: {error.strerror}"
                ) from None
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    # aiosqlite wraps the sqlite3 connection; the pragmas go to the real one.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class RecordingSession(Session):
    """A session that remembers which kinds of rows it inserted.

    The router asks after a command what it created (tasks, hours, reminders) and counts
    against the limits only then, so most commands cost no extra query.
    """


_INSERTED = "inserted_kinds"


@event.listens_for(RecordingSession, "after_flush")
def _record_inserts(session: Session, _flush_context: Any) -> None:
    if session.new:
        session.info.setdefault(_INSERTED, set()).update(type(row) for row in session.new)


def inserted_kinds(session: AsyncSession) -> set[type]:
    """The model classes of the rows this session inserted so far (flushed or not)."""
    kinds: set[type] = set(session.info.get(_INSERTED, ()))
    kinds.update(type(row) for row in session.new)
    return kinds


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, sync_session_class=RecordingSession)


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


async def check_reachable(engine: AsyncEngine) -> None:
    """Connect once, so that a wrong URL is one clear sentence and not a stack trace."""
    try:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (OSError, TimeoutError, OperationalError, InterfaceError, DBAPIError) as error:
        raise DatabaseUnavailable(
            f"cannot use the database {masked(engine.url.render_as_string(False))}: "
            f"{_reason(error)}"
        ) from None


def _reason(error: BaseException) -> str:
    """The first line of what the driver said, without the library's wrapping."""
    original = getattr(error, "orig", None) or error
    reason = str(original).strip().splitlines()[0] if str(original).strip() else ""
    return reason or type(original).__name__


async def upgrade_schema(engine: AsyncEngine, revision: str = "head") -> None:
    """Migrate the database to the newest schema (``agbot db upgrade``) or to ``revision``."""
    async with engine.connect() as connection:
        await connection.run_sync(
            lambda c: migrating(c, lambda: command.upgrade(alembic_config(c), revision))
        )
    log.info("database schema at revision %s", await schema_revision(engine))


async def downgrade_schema(engine: AsyncEngine, revision: str) -> None:
    """Migrate the database back to ``revision`` (tests, and undoing an upgrade by hand)."""
    async with engine.connect() as connection:
        await connection.run_sync(
            lambda c: migrating(c, lambda: command.downgrade(alembic_config(c), revision))
        )


def migrating(connection: Connection, migrate: Callable[[], None]) -> None:
    """Run ``migrate`` in one transaction; on SQLite with foreign keys off meanwhile.

    To change a table SQLite copies it and drops the old one; with foreign keys on, the drop
    deletes every row that refers to it (ON DELETE CASCADE): changing "meetings" would take
    all protocols and answers with it. The pragma only takes effect outside a transaction,
    so it is set before and after, and the foreign keys are checked before the commit.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
    try:
        with connection.begin():
            migrate()
            if sqlite:
                broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                if broken:
                    raise RuntimeError(
                        f"the migration left {len(broken)} rows that refer to missing rows "
                        f"(first: table {broken[0][0]}); nothing was changed"
                    )
    finally:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
            connection.commit()


async def schema_revision(engine: AsyncEngine) -> str | None:
    """The migration the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    def read(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(read)
