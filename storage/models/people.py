"""People and their messenger accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UTCDateTime


class Person(Base):
    """A human being, possibly with accounts on several messengers."""

    __tablename__ = "persons"

    def rename(self, display_name: str) -> None:
        self.display_name = display_name
        self.sort_name = display_name.casefold()

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    display_name: Mapped[str] = mapped_column(String(200))
    # Case-folded display name, kept by Python: SQL's lower() folds only ASCII on SQLite,
    # and sorting on a stored key is much cheaper than calling lower() per row.
    sort_name: Mapped[str] = mapped_column(String(200))
    language: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    accounts: Mapped[list[Account]] = relationship(back_populates="person")


class Account(Base):
    """One messenger account: ``telegram:12345``, ``matrix:@anna:example.org``, ``console:anna``."""

    __tablename__ = "accounts"
    __table_args__ = (
        UniqueConstraint("platform", "account_id"),
        Index("ix_accounts_platform_username", "platform", "username_key"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    platform: Mapped[str] = mapped_column(String(20))
    account_id: Mapped[str] = mapped_column(String(255))
    username: Mapped[str | None] = mapped_column(String(255))
    # Case-folded username for lookups; usernames are case-insensitive on every messenger.
    username_key: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(200))
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Whether the bot can write to this account privately: on Telegram only after the
    # person started the bot, and no longer once they blocked it. None: not known yet.
    reachable_privately: Mapped[bool | None] = mapped_column(Boolean)

    person: Mapped[Person] = relationship(back_populates="accounts")
