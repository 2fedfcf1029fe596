"""The database tables of AG-Bot as SQLAlchemy 2 declarative models.

All times are stored in UTC. Later features add tables that point at
``persons.id`` and ``working_groups.id``; merging persons (account linking)
follows every foreign key to ``persons`` automatically.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.sql.expression import true as sa_true
from sqlalchemy.types import TypeDecorator

# Stable constraint names keep Alembic migrations portable between SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database (SQLite forgets the zone otherwise)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC time")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Role(enum.StrEnum):
    """A person's role in one AG."""

    MEMBER = "member"
    COORDINATOR = "coordinator"


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


class LinkCode(Base):
    """A one-time code that links a second messenger account to a person."""

    __tablename__ = "link_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Only the SHA-256 of the code is stored: a leaked database does not leak live codes.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PendingConfirmation(Base):
    """A command waiting for the person's "ja" (e.g. rebinding a chat to another AG)."""

    __tablename__ = "pending_confirmations"
    __table_args__ = (UniqueConstraint("platform", "chat_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(255))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    command: Mapped[str] = mapped_column(String(50))
    argument: Mapped[str] = mapped_column(String(1000))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class BindingRequest(Base):
    """A chat admin's wish to bind their chat to an AG that exists: waits for a coordinator.

    Binding a chat to an AG opens the AG's tasks, hours and roles to that chat, so a
    coordinator of the AG confirms the one-time code in one of the AG's own chats.
    """

    __tablename__ = "binding_requests"
    __table_args__ = (UniqueConstraint("platform", "chat_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Only the SHA-256 of the code is stored, as for link codes.
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    platform: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(255))
    chat_title: Mapped[str] = mapped_column(String(255), default="")
    requested_by: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), index=True
    )
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ReplyPage(Base):
    """The rest of a reply too long for one message, shown page by page with /weiter."""

    __tablename__ = "reply_pages"
    __table_args__ = (UniqueConstraint("platform", "chat_id", "person_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    platform: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(255))
    person_id: Mapped[int] = mapped_column(ForeignKey("persons.id", ondelete="CASCADE"), index=True)
    # The pages still to show: a JSON list of pages, each a list of lines (core.line_codec).
    rest: Mapped[str] = mapped_column(Text)
    # The number of the page shown last, and of all pages.
    page: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AdapterState(Base):
    """Small values an adapter must keep across restarts (e.g. Matrix's sync token)."""

    __tablename__ = "adapter_state"

    platform: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


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


def _enum(kind: type[enum.StrEnum], name: str) -> Enum:
    return Enum(kind, name=name, values_callable=lambda members: [m.value for m in members])


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
    format: Mapped[MeetingFormat] = mapped_column(_enum(MeetingFormat, "meeting_format"))
    status: Mapped[MeetingStatus] = mapped_column(_enum(MeetingStatus, "meeting_status"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


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
    answer: Mapped[Answer] = mapped_column(_enum(Answer, "rsvp_answer"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime())


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
    status: Mapped[TaskStatus] = mapped_column(_enum(TaskStatus, "task_status"))
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
    kind: Mapped[TaskEventKind] = mapped_column(_enum(TaskEventKind, "task_event_kind"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    # The note's text, the names assigned, or the new deadline as people read it.
    detail: Mapped[str] = mapped_column(String(1000), default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime())


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
    kind: Mapped[ReminderKind] = mapped_column(_enum(ReminderKind, "reminder_kind"))
    status: Mapped[ReminderStatus] = mapped_column(_enum(ReminderStatus, "reminder_status"))
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


# --- hours -------------------------------------------------------------------------------------


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
    kind: Mapped[HourEventKind] = mapped_column(_enum(HourEventKind, "hour_event_kind"))
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


# --- protocols (issue 9): minutes taken in the chat, published documents, requests -------------


class ProtocolStatus(enum.StrEnum):
    """Where a meeting's protocol stands."""

    RUNNING = "running"  # the minutes are being taken in the chat
    DRAFT = "draft"  # the minutes ended; coordinators may correct, then publish
    PUBLISHED = "published"


class ProtocolEntryKind(enum.StrEnum):
    """A line of the minutes: a TOP heading or something noted under the current TOP."""

    TOPIC = "topic"
    INFO = "info"
    DECISION = "decision"
    ACTION = "action"


class Protocol(Base):
    """The protocol of one meeting: taken in the chat, or uploaded as a finished file."""

    __tablename__ = "protocols"
    __table_args__ = (Index("ix_protocols_group_status", "group_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), unique=True
    )
    group_id: Mapped[int] = mapped_column(ForeignKey("working_groups.id", ondelete="CASCADE"))
    status: Mapped[ProtocolStatus] = mapped_column(_enum(ProtocolStatus, "protocol_status"))
    # The chat where the minutes are taken; their entries come from there.
    chat_platform: Mapped[str | None] = mapped_column(String(20))
    chat_id: Mapped[str | None] = mapped_column(String(255))
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    minute_taker_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))


class ProtocolEntry(Base):
    """One line of the minutes, with who wrote it and when.

    ``number`` counts TOPs for topics (TOP 1, 2 …) and the other entries for the rest
    (entry 1, 2 …, named by corrections); ``topic`` is the TOP an entry was noted under
    (0: before the first TOP).
    """

    __tablename__ = "protocol_entries"
    __table_args__ = (Index("ix_protocol_entries_protocol_kind", "protocol_id", "kind", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    protocol_id: Mapped[int] = mapped_column(ForeignKey("protocols.id", ondelete="CASCADE"))
    kind: Mapped[ProtocolEntryKind] = mapped_column(_enum(ProtocolEntryKind, "protocol_entry_kind"))
    number: Mapped[int] = mapped_column(Integer)
    topic: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(2000))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL"), index=True
    )
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The action item an ACTION entry created (its people and deadline are the item's).
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("action_items.id", ondelete="SET NULL"), index=True
    )
    corrected_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProtocolPresence(Base):
    """A person recorded as present at the meeting."""

    __tablename__ = "protocol_presence"

    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("protocols.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProtocolDocument(Base):
    """A file of the published protocol: the rendered PDF and DOCX, or the uploaded file.

    Kept as published, so everyone who asks later gets exactly what was released.
    """

    __tablename__ = "protocol_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("protocols.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ProtocolRequest(Base):
    """Someone asked for a meeting's protocol before it was published.

    ``delivered_at`` is set when publishing handed the documents to the outbox (a
    reminder row of kind ``protocol``), so a restart loses no request.
    """

    __tablename__ = "protocol_requests"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    # Where the request was made: the fallback when the person cannot be written to privately.
    chat_platform: Mapped[str] = mapped_column(String(20))
    chat_id: Mapped[str] = mapped_column(String(255))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime())
    delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
