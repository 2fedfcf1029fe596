"""Minutes and protocols: entries, presence, rendered documents and requests."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import true as sa_true

from storage.models.base import Base, UTCDateTime, db_enum


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
    status: Mapped[ProtocolStatus] = mapped_column(db_enum(ProtocolStatus, "protocol_status"))
    # The chat where the minutes are taken; their entries come from there.
    chat_platform: Mapped[str | None] = mapped_column(String(20))
    chat_id: Mapped[str | None] = mapped_column(String(255))
    chair_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    minute_taker_id: Mapped[int | None] = mapped_column(
        ForeignKey("persons.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The first publication: whether the deadline was met. Later versions have their own dates.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    # The AG approved the published protocol (usually at its next meeting); the version it
    # approved has the same time and who recorded it. Kept here for the lists.
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ProtocolVersion(Base):
    """One published version (Fassung) of a protocol; a replacement adds the next one.

    Every version keeps its documents (``ProtocolDocument.version``), so earlier versions
    stay retrievable after a replacement.
    """

    __tablename__ = "protocol_versions"
    __table_args__ = (UniqueConstraint("protocol_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    protocol_id: Mapped[int] = mapped_column(ForeignKey("protocols.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    # Rendered from the minutes (True) or an uploaded file (False): only the former can be
    # rendered again, with the approval.
    from_minutes: Mapped[bool] = mapped_column(Boolean, default=True)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    approved_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))


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
    kind: Mapped[ProtocolEntryKind] = mapped_column(
        db_enum(ProtocolEntryKind, "protocol_entry_kind")
    )
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


class ProtocolCorrection(Base):
    """A correction of an entry: the text before and after, by whom and when.

    The published document shows the final text; these rows make its appendix
    "Änderungen gegenüber dem Entwurf".
    """

    __tablename__ = "protocol_corrections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("protocols.id", ondelete="CASCADE"), index=True
    )
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("protocol_entries.id", ondelete="CASCADE"), index=True
    )
    before: Mapped[str] = mapped_column(String(2000))
    after: Mapped[str] = mapped_column(String(2000))
    corrected_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    corrected_at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProtocolPresence(Base):
    """A person recorded as present at the meeting, or (``present`` False) taken off the list.

    The minute-taker, the chair and everyone who writes an entry are recorded by themselves;
    a row with ``present`` False keeps them off when they write again.
    """

    __tablename__ = "protocol_presence"

    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("protocols.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("persons.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    added_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    present: Mapped[bool] = mapped_column(Boolean, default=True, server_default=sa_true())


class ProtocolGuest(Base):
    """Someone from outside the AG who attended ("Frau Dr. Schmidt (Stadt Erfurt)")."""

    __tablename__ = "protocol_guests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("protocols.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    added_by: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UTCDateTime())


class ProtocolDocument(Base):
    """A file of a published version: the rendered PDF and DOCX, or the uploaded file.

    Kept as published, so everyone who asks later gets exactly what was released.
    """

    __tablename__ = "protocol_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("protocols.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
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
