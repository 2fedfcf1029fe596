"""AGs, the chats bound to them and their members' roles."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    Enum,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import true as sa_true

from storage.models.base import Base, UTCDateTime

# Until a coordinator sets one (/einstellungen bundesland), Thüringen's holidays apply.
DEFAULT_STATE = "TH"


class Role(enum.StrEnum):
    """A person's role in one AG."""

    MEMBER = "member"
    COORDINATOR = "coordinator"


class WorkingGroup(Base):
    """An AG with its settings; later tables (meetings, tasks, hours) hang off it."""

    __tablename__ = "working_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    # Case-folded, single-spaced: "ag  wirtschaftsförderung" finds "AG Wirtschaftsförderung".
    name_key: Mapped[str] = mapped_column(String(100), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    language: Mapped[str] = mapped_column(String(8), default="de")
    # German state (ISO 3166-2 subdivision without "DE-", e.g. "NW") for public holidays.
    state: Mapped[str | None] = mapped_column(String(4))
    # Hours in one Tagewerk (person-day) for hour budgets.
    hours_per_day: Mapped[float] = mapped_column(Numeric(4, 2, asdecimal=False), default=8)
    # Minutes before a meeting when its reminders go out, largest first ("1440,60").
    meeting_reminders: Mapped[str] = mapped_column(
        String(100), default="1440,60", server_default="1440,60"
    )
    # Whether the coordinators get the weekly digest of this AG.
    digest: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())
    # Days after a meeting by which its protocol is due ("zeitnah").
    protocol_days: Mapped[int] = mapped_column(Integer, default=7, server_default="7")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ChatBinding(Base):
    """A chat on some messenger that belongs to an AG (one AG, many chats)."""

    __tablename__ = "chat_bindings"
    __table_args__ = (UniqueConstraint("platform", "chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(255))
    title: Mapped[str] = mapped_column(String(255), default="")
    bound_at: Mapped[datetime] = mapped_column(UTCDateTime())
    bound_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    # False once the bot was removed from the chat: kept for history, not used for sending.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())


class Membership(Base):
    """A person's membership in an AG with their role."""

    __tablename__ = "memberships"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="membership_role", values_callable=lambda roles: [r.value for r in roles])
    )
    joined_at: Mapped[datetime] = mapped_column(UTCDateTime())
