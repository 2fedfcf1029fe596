"""Reminder rows: every message the bot sends by itself, claimed and settled by the engine."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, db_enum


class ReminderKind(enum.StrEnum):
    MEETING = "meeting"
    TASK = "task"
    DIGEST = "digest"
    PERSONAL = "personal"
    # Protocols (issue 9): the coordinators' deadline reminders, a published protocol's
    # documents for a person who asked for them.
    PROTOCOL_DUE = "protocol_due"
    PROTOCOL = "protocol"
    # A project's hours reached 80 % or 100 % of its year's budget (told to each coordinator).
    BUDGET = "budget"
    # A message a command wrote for another chat (invitations, moves, cancellations, a
    # welcome): kept in ``payload`` and sent by the engine, so a crash cannot lose it.
    ANNOUNCEMENT = "announcement"
    # A member left the AG and open tasks now have nobody responsible (told to each
    # coordinator; the key names who left, ``payload`` the tasks as a JSON list of numbers).
    UNASSIGNED = "unassigned"


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"
    # Taken by one dispatcher until ``next_attempt_at`` (its lease); then free again.
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Reminder(Base):
    """One message the bot will send by itself: the database is the reminders' only home.

    A row is claimed by one dispatcher, sent, and marked sent once the messenger
    confirmed it. ``key`` is unique per thing to remind of (meeting, occurrence, offset
    and chat, say), so planning the same reminder twice cannot send it twice; the Matrix
    adapter also uses it as transaction id.
    """

    __tablename__ = "reminders"
    __table_args__ = (
        # The dispatcher's question: what is pending or whose lease ran out, by time.
        Index("ix_reminders_status_next", "status", "next_attempt_at"),
        Index("ix_reminders_chat", "chat_platform", "chat_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[ReminderKind] = mapped_column(db_enum(ReminderKind, "reminder_kind"))
    status: Mapped[ReminderStatus] = mapped_column(db_enum(ReminderStatus, "reminder_status"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # When a dispatcher may take the row: the due time, a retry's time or a lease's end.
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    # A reminder for a person goes to their private chat where it can, else to ``chat_*``.
    person_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    chat_platform: Mapped[str | None] = mapped_column(String(20))
    chat_id: Mapped[str | None] = mapped_column(String(255))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), index=True
    )
    # Minutes before the meeting (meeting reminders); 1 = the day before, 0 = the day (tasks).
    offset_minutes: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(1000), default="")
    # Repeating personal reminders: an RFC 5545 rule in ``timezone``, wall-clock times kept.
    recurrence: Mapped[str | None] = mapped_column(String(255))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Berlin")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500))
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    message_id: Mapped[str | None] = mapped_column(String(255))
    # Announcements: the whole reply as JSON (core.line_codec.reply_to_json); notices of
    # unassigned tasks: the task numbers.
    payload: Mapped[str | None] = mapped_column(Text)
