"""Versions (Fassungen) of a published protocol and the history of corrected entries.

Publishing adds version 1; a replacement adds the next number. Each version keeps its own
documents (``storage.protocols.documents`` with ``version``). Corrections of entries are
kept as rows with the text before and after, for the document's appendix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Person,
    Protocol,
    ProtocolCorrection,
    ProtocolEntry,
    ProtocolVersion,
)

# --- versions --------------------------------------------------------------------------------


async def latest(session: AsyncSession, protocol_id: int) -> ProtocolVersion | None:
    """The protocol's current version (None: never published)."""
    return await session.scalar(
        select(ProtocolVersion)
        .where(ProtocolVersion.protocol_id == protocol_id)
        .order_by(ProtocolVersion.number.desc())
        .limit(1)
    )


async def get(session: AsyncSession, protocol_id: int, number: int) -> ProtocolVersion | None:
    return await session.scalar(
        select(ProtocolVersion).where(
            ProtocolVersion.protocol_id == protocol_id, ProtocolVersion.number == number
        )
    )


async def add(
    session: AsyncSession,
    protocol: Protocol,
    published_at: datetime,
    published_by: int | None,
    *,
    from_minutes: bool,
) -> ProtocolVersion:
    """The protocol's next version, numbered after the last one.

    The protocol row is locked first (PostgreSQL), so two replacements at the same moment
    cannot both become the same number.
    """
    await session.scalar(
        select(Protocol)
        .where(Protocol.id == protocol.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    highest = await session.scalar(
        select(func.max(ProtocolVersion.number)).where(ProtocolVersion.protocol_id == protocol.id)
    )
    version = ProtocolVersion(
        protocol_id=protocol.id,
        number=(highest or 0) + 1,
        published_at=published_at,
        published_by=published_by,
        from_minutes=from_minutes,
    )
    session.add(version)
    await session.flush()
    return version


# --- corrections -----------------------------------------------------------------------------


async def add_correction(
    session: AsyncSession, entry: ProtocolEntry, before: str, person_id: int, now: datetime
) -> None:
    """Note that ``entry`` was corrected from ``before`` to its present text."""
    session.add(
        ProtocolCorrection(
            protocol_id=entry.protocol_id,
            entry_id=entry.id,
            before=before,
            after=entry.text,
            corrected_by=person_id,
            corrected_at=now,
        )
    )
    await session.flush()


@dataclass(frozen=True)
class CorrectionRow:
    """A correction with the entry's number and TOP, and who made it."""

    number: int
    topic: int
    before: str
    after: str
    corrected_at: datetime
    corrected_by: str | None


async def corrections(session: AsyncSession, protocol_id: int) -> list[CorrectionRow]:
    """Every correction of the protocol's entries, in the order they were made."""
    rows = await session.execute(
        select(ProtocolCorrection, ProtocolEntry.number, ProtocolEntry.topic, Person.display_name)
        .join(ProtocolEntry, ProtocolEntry.id == ProtocolCorrection.entry_id)
        .outerjoin(Person, Person.id == ProtocolCorrection.corrected_by)
        .where(ProtocolCorrection.protocol_id == protocol_id)
        .order_by(ProtocolCorrection.corrected_at, ProtocolCorrection.id)
    )
    return [
        CorrectionRow(number, topic, row.before, row.after, row.corrected_at, name)
        for row, number, topic, name in rows
    ]


async def corrected_since(session: AsyncSession, protocol_id: int, moment: datetime) -> int:
    """How many corrections were made after ``moment`` (after a version was published)."""
    count = await session.scalar(
        select(func.count())
        .select_from(ProtocolCorrection)
        .where(
            ProtocolCorrection.protocol_id == protocol_id,
            ProtocolCorrection.corrected_at > moment,
        )
    )
    return int(count or 0)
