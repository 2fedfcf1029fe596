"""Database URLs as people copy them from other tools, mapped to the async drivers AG-Bot uses.

``sqlite:///data/agbot.db`` and ``postgres://user:pw@host/db`` are what SQLite docs,
Heroku-style environments and ``psql`` users write; the bot needs
``sqlite+aiosqlite://`` and ``postgresql+asyncpg://``. Everything else is refused with
one sentence that names the problem and never shows the password.
"""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

# What people type -> the driver the bot runs on.
_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}
EXAMPLES = "sqlite:///data/agbot.db or postgresql://user:password@host/database"


class DatabaseUrlError(ValueError):
    """The URL cannot be used; the message is one sentence for the person who typed it."""


def async_database_url(text: str) -> str:
    """``text`` as a URL for the async driver of its database (the password kept)."""
    try:
        url = make_url(text.strip())
    except ArgumentError:
        raise DatabaseUrlError(f"{masked(text)} is not a database URL; use {EXAMPLES}") from None
    driver = _DRIVERS.get(url.drivername)
    if driver is None:
        raise DatabaseUrlError(
            f"{masked(text)}: the database {url.get_backend_name()!r} is not supported; "
            f"use {EXAMPLES}"
        )
    if driver.startswith("sqlite") and not url.database:
        raise DatabaseUrlError(f"{masked(text)}: the SQLite URL names no file; use {EXAMPLES}")
    if driver.startswith("postgresql") and not url.host and not url.query.get("host"):
        raise DatabaseUrlError(
            f"{masked(text)}: the PostgreSQL URL names no server; use {EXAMPLES}"
        )
    return url.set(drivername=driver).render_as_string(hide_password=False)


def masked(text: str) -> str:
    """The URL for messages and logs: its password replaced by ***."""
    try:
        url: URL = make_url(text.strip())
    except ArgumentError:
        return "the given value" if "@" in text else repr(text)
    return url.render_as_string(hide_password=True)
