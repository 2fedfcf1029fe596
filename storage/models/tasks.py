"""Action items (Umsetzungsschritte), their assignees and history."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime, db_enum


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    DROPPED = "dropped"


class TaskEventKind(enum.StrEnum):
    """What happened to an action item; its history is the list of these."""

    CREATED = "created"
    ASSIGNED = "assigned"
    DUE = "due"
    NOTE = "note"
    DONE = "done"
    REOPENED = "reopened"
    DROPPED = "dropped"
    # The person left the AG and so is no longer responsible (``person_id`` is who left).
    LEFT = "left"


class ActionItem(Base):
    """An Umsetzungsschritt: something to do in an AG, by whom and by when.

    Its ``id`` is the number people use (#N): one number names one item in the AG's
    chats, in private chats and on buttons alike.
    """

    __tablename__ = "action_items"
    __table_args__ = (
        # The AG's list (open items by due date) and the "closed in the last 30 days" list.
        Index("ix_action_items_group_status_due", "group_id", "status", "due_at"),
        Index("ix_action_items_group_status_closed", "group_id", "status", "closed_at"),
        # A person's new items of the last day, for the per-person limit.
        Index("ix_action_items_creator_created", "created_by", "created_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(1000))
    status: Mapped[TaskStatus] = mapped_column(db_enum(TaskStatus, "task_status"))
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A deadline given as a date only: due at the end of that day, shown without a time.
    due_all_day: Mapped[bool] = mapped_column(Boolean, default=False)
    # The meeting the item came from (the minutes, issue 9), if any.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    created_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))


class ActionItemAssignee(Base):
    """A person responsible for an action item (an item may have several, or none)."""

    __tablename__ = "action_item_assignees"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ActionItemEvent(Base):
    """One entry of an action item's history: created, assigned, re-dated, a note, closed."""

    __tablename__ = "action_item_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("action_items.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[TaskEventKind] = mapped_column(db_enum(TaskEventKind, "task_event_kind"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    # The note's text, the names assigned, or the new deadline as people read it.
    detail: Mapped[str] = mapped_column(String(1000), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())
