"""Meetings, their series, agendas and answers."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, db_enum


class MeetingFormat(enum.StrEnum):
    IN_PERSON = "in_person"
    DIGITAL = "digital"
    HYBRID = "hybrid"


class MeetingStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"


class Answer(enum.StrEnum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


class MeetingSeries(Base):
    """A recurring meeting (e.g. the monthly Jour fixe): an RFC 5545 rule in the AG's zone.

    Its occurrences are rows of ``meetings`` (materialised ahead), so each one has
    its own number, agenda and answers, and can be moved or cancelled alone.
    """

    __tablename__ = "meeting_series"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    rrule: Mapped[str] = mapped_column(String(255))
    # First occurrence as wall-clock time in ``timezone``: rules repeat local times.
    first_local: Mapped[datetime] = mapped_column(DateTime(timezone=False))
    timezone: Mapped[str] = mapped_column(String(64))
    # Occurrences up to here exist as meetings; a daily job extends the horizon.
    materialised_until: Mapped[datetime] = mapped_column(UTCDateTime())
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class Meeting(Base):
    """One meeting of an AG, alone or as one occurrence of a series."""

    __tablename__ = "meetings"
    __table_args__ = (
        UniqueConstraint("group_id", "number"),
        UniqueConstraint("series_id", "original_start"),
        Index("ix_meetings_group_starts", "group_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    # The short number people use: #N, counted per AG.
    number: Mapped[int] = mapped_column(Integer)
    series_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_series.id", ondelete="CASCADE"), index=True
    )
    # For an occurrence: when the rule puts it (the iCalendar RECURRENCE-ID), even if moved.
    original_start: Mapped[datetime | None] = mapped_column(UTCDateTime())
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int] = mapped_column(Integer, default=90)
    title: Mapped[str] = mapped_column(String(200))
    place: Mapped[str | None] = mapped_column(String(500))
    link: Mapped[str | None] = mapped_column(String(1000))
    format: Mapped[MeetingFormat] = mapped_column(db_enum(MeetingFormat, "meeting_format"))
    # "ganztägig": the meeting takes the whole day; ``starts_at`` is its local midnight.
    all_day: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    status: Mapped[MeetingStatus] = mapped_column(db_enum(MeetingStatus, "meeting_status"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The day its protocol is due, fixed when it is planned or moved; a changed setting
    # reaches only meetings that have not ended (storage.protocol_deadlines).
    protocol_due: Mapped[date | None] = mapped_column(Date)


class AgendaItem(Base):
    """A TOP (agenda point) of one meeting."""

    __tablename__ = "agenda_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(500))
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Rsvp(Base):
    """A person's answer to a meeting invitation."""

    __tablename__ = "rsvps"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    answer: Mapped[Answer] = mapped_column(db_enum(Answer, "rsvp_answer"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Why, as the person wrote it ("/absage #3 wegen Urlaub"): the protocol names it.
    reason: Mapped[str | None] = mapped_column(String(200))
