"""What lives between two messages: link codes, binding requests, pending confirmations and
the files that wait with them, pages of long replies and the adapters' positions (offsets,
sync tokens)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UTCDateTime


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


class PendingFile(Base):
    """A file that came with a command waiting for "ja": the confirmed command gets it back.

    Messengers send a file once, with the command; the "ja" comes without it.
    """

    __tablename__ = "pending_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    confirmation_id: Mapped[int] = mapped_column(
        ForeignKey("pending_confirmations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(255))
    mime_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)


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
