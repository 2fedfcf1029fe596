"""Projects, budgets and hour entries with their audit trail and monthly totals."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, db_enum


class Project(Base):
    """A project or working package of an AG that hours are booked on (e.g. a pilot project)."""

    __tablename__ = "projects"
    __table_args__ = (UniqueConstraint("group_id", "name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    # Case-folded, single-spaced, for "für leerstandsmanagement:".
    name_key: Mapped[str] = mapped_column(String(100))
    # Hours without "für <Projekt>:" go to the AG's default project.
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProjectBudget(Base):
    """The hours a project may use in one calendar year, and which thresholds were told."""

    __tablename__ = "project_budgets"

    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    minutes: Mapped[int] = mapped_column(Integer)
    # The highest threshold (80, 100) the coordinators were told of: each is told once.
    alerted_percent: Mapped[int] = mapped_column(Integer, default=0)
    # A hard cap: bookings that would pass ``minutes`` are refused, not only told.
    hard: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    set_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HourEntry(Base):
    """Work a person logged: whole minutes on one day for one project of one AG.

    Its ``id`` is the number people use (#N). Deleting removes the row; the audit trail
    (``hour_entry_events``) keeps what it was.
    """

    __tablename__ = "hour_entries"
    __table_args__ = (
        # A person's entries by day: the 24-hour check, their week, month and year.
        Index("ix_hour_entries_person_date", "person_id", "work_date"),
        # Exports and partial months of reports, in date order.
        Index("ix_hour_entries_group_date", "group_id", "work_date"),
        Index("ix_hour_entries_project_date", "project_id", "work_date"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"))
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    work_date: Mapped[date] = mapped_column(Date)
    minutes: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class HourEventKind(enum.StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    DELETED = "deleted"


class HourEntryEvent(Base):
    """The audit trail of hour entries: every creation, change and deletion, with the values."""

    __tablename__ = "hour_entry_events"
    __table_args__ = (Index("ix_hour_entry_events_group_at", "group_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # No foreign key: the trail outlives a deleted entry.
    entry_id: Mapped[int] = mapped_column(Integer, index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    kind: Mapped[HourEventKind] = mapped_column(db_enum(HourEventKind, "hour_event_kind"))
    # Who did it.
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    minutes_before: Mapped[int | None] = mapped_column(Integer)
    minutes_after: Mapped[int | None] = mapped_column(Integer)
    # The entry's day and description at the event, so a deleted entry can still be named.
    work_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(String(500), default="")


class HourTotal(Base):
    """Minutes per AG, person, project and month, kept in step with ``hour_entries``.

    Year reports sum at most twelve rows per person and project instead of every entry,
    which keeps them fast at a million entries. Merging persons adds totals up
    (``storage.hours.merge_totals``) instead of following the foreign key.
    """

    __tablename__ = "hour_totals"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the month's first day
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    project_id: Mapped[int] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    minutes: Mapped[int] = mapped_column(Integer)
    entries: Mapped[int] = mapped_column(Integer)


class ClosedMonth(Base):
    """A month of an AG whose hours can no longer be added, changed or deleted."""

    __tablename__ = "closed_months"

    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)  # the month's first day
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime] = mapped_column(UTCDateTime())
