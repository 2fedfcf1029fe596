"""Short-lived dialogue state kept in the database: link codes and pending confirmations
(with the files that came with the command that waits).

Keeping it here (not in memory) means a restart never loses a half-finished
dialogue, and every messenger shares the same state, keyed by chat and person.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import LinkCode, PendingConfirmation, PendingFile


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


async def store_link_code(
    session: AsyncSession, person_id: int, code: str, expires_at: datetime
) -> None:
    """Store a new code; a person has at most one live code."""
    await session.execute(delete(LinkCode).where(LinkCode.person_id == person_id))
    session.add(LinkCode(code_hash=_hash(code), person_id=person_id, expires_at=expires_at))
    await session.flush()


async def redeem_link_code(session: AsyncSession, code: str, now: datetime) -> int | None:
    """The person id the code belongs to, if it is live; the code is used up either way."""
    link_code = await session.scalar(select(LinkCode).where(LinkCode.code_hash == _hash(code)))
    if link_code is None:
        return None
    await session.delete(link_code)
    return link_code.person_id if link_code.expires_at > now else None


@dataclass(frozen=True)
class HeldFile:
    """A file kept with a pending confirmation."""

    name: str
    mime_type: str
    content: bytes


async def ask_confirmation(
    session: AsyncSession,
    *,
    platform: str,
    chat_id: str,
    person_id: int,
    command: str,
    argument: str,
    expires_at: datetime,
    files: Sequence[HeldFile] = (),
) -> None:
    """Remember a command that waits for this person's "ja" in this chat, with its files.

    Replacing an earlier pending command drops its files too (``ON DELETE CASCADE``).
    """
    await session.execute(
        delete(PendingConfirmation).where(
            PendingConfirmation.platform == platform,
            PendingConfirmation.chat_id == chat_id,
            PendingConfirmation.person_id == person_id,
        )
    )
    pending = PendingConfirmation(
        platform=platform,
        chat_id=chat_id,
        person_id=person_id,
        command=command,
        argument=argument,
        expires_at=expires_at,
    )
    session.add(pending)
    await session.flush()
    session.add_all(
        PendingFile(
            confirmation_id=pending.id, name=f.name, mime_type=f.mime_type, content=f.content
        )
        for f in files
    )
    await session.flush()


async def held_files(
    session: AsyncSession, *, platform: str, chat_id: str, person_id: int
) -> list[HeldFile]:
    """The files kept with this person's pending command in this chat (read before taking it)."""
    rows = await session.scalars(
        select(PendingFile)
        .join(PendingConfirmation, PendingConfirmation.id == PendingFile.confirmation_id)
        .where(
            PendingConfirmation.platform == platform,
            PendingConfirmation.chat_id == chat_id,
            PendingConfirmation.person_id == person_id,
        )
        .order_by(PendingFile.id)
    )
    return [HeldFile(row.name, row.mime_type, row.content) for row in rows]


# A step-by-step dialogue shares the slot of a pending confirmation (one per person and
# chat): starting one ends the other. Its rows are told apart by this prefix.
DIALOGUE_PREFIX = "dialog:"


async def _pending(
    session: AsyncSession, platform: str, chat_id: str, person_id: int
) -> PendingConfirmation | None:
    return await session.scalar(
        select(PendingConfirmation).where(
            PendingConfirmation.platform == platform,
            PendingConfirmation.chat_id == chat_id,
            PendingConfirmation.person_id == person_id,
        )
    )


async def take_confirmation(
    session: AsyncSession, *, platform: str, chat_id: str, person_id: int, now: datetime
) -> PendingConfirmation | None:
    """The live pending command of this person in this chat, removed from the store."""
    pending = await _pending(session, platform, chat_id, person_id)
    if pending is None or pending.command.startswith(DIALOGUE_PREFIX):
        return None
    await session.delete(pending)
    return pending if pending.expires_at > now else None


async def save_dialogue(
    session: AsyncSession,
    *,
    platform: str,
    chat_id: str,
    person_id: int,
    command: str,
    state: str,
    expires_at: datetime,
) -> None:
    """Remember where this person's dialogue with ``command`` stands in this chat."""
    await ask_confirmation(
        session,
        platform=platform,
        chat_id=chat_id,
        person_id=person_id,
        command=DIALOGUE_PREFIX + command,
        argument=state,
        expires_at=expires_at,
    )


async def current_dialogue(
    session: AsyncSession, *, platform: str, chat_id: str, person_id: int, now: datetime
) -> tuple[str, str] | None:
    """(command, state) of this person's live dialogue in this chat."""
    pending = await _pending(session, platform, chat_id, person_id)
    if pending is None or not pending.command.startswith(DIALOGUE_PREFIX):
        return None
    if pending.expires_at <= now:
        return None
    return pending.command.removeprefix(DIALOGUE_PREFIX), pending.argument


async def forget_pending(
    session: AsyncSession, *, platform: str, chat_id: str, person_id: int
) -> bool:
    """End a dialogue or drop a question; whether there was one."""
    pending = await _pending(session, platform, chat_id, person_id)
    if pending is None:
        return False
    await session.delete(pending)
    return True
