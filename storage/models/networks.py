"""Networks of AGs (an alliance, a regional cooperation), their Geschäftsstelle and chats.

A network sits one level above the AGs: the people of its Geschäftsstelle act as
coordinators in every AG of the network without being members of each. Nothing of one
network is visible in another.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import true as sa_true

from storage.models.base import Base, UTCDateTime, db_enum


class NetworkRole(enum.StrEnum):
    """A person's role in a network (one so far: the Geschäftsstelle)."""

    OFFICE = "geschaeftsstelle"


class Network(Base):
    """A network of AGs."""

    __tablename__ = "networks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # Case-folded, single-spaced, like ``working_groups.name_key``.
    name_key: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NetworkGroup(Base):
    """An AG that belongs to a network.

    A table of its own rather than a nullable ``network_id`` on ``working_groups``: the
    group id as primary key keeps an AG in at most one network all the same, and adding
    the table leaves ``working_groups`` alone (on SQLite, a foreign key column added to it
    would make Alembic copy and drop the table, which cascades to everything of every AG).
    """

    __tablename__ = "network_groups"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), primary_key=True
    )
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
    added_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))


class NetworkMember(Base):
    """A person's role in a network; merging linked persons carries it over by its key."""

    __tablename__ = "network_roles"

    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[NetworkRole] = mapped_column(db_enum(NetworkRole, "network_role"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class NetworkChat(Base):
    """A chat bound to the network itself (the Geschäftsstelle's group, an alliance chat).

    A chat belongs either to one AG (``chat_bindings``) or to one network, never both:
    the commands that bind chats refuse the other kind.
    """

    __tablename__ = "network_chats"
    __table_args__ = (UniqueConstraint("platform", "chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    network_id: Mapped[int] = mapped_column(
        ForeignKey("networks.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255), default="")
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime())
    bound_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    # False once the bot was removed from the chat, like ``chat_bindings.active``.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
