"""The unread rest of long replies, per person and chat, until they ask for the next page."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ReplyPage


async def keep_rest(
    session: AsyncSession,
    *,
    platform: str,
    chat_id: str,
    person_id: int,
    rest: str,
    page: int,
    pages: int,
    expires_at: datetime,
) -> None:
    """Remember the pages after ``page`` (JSON); a newer long reply replaces an older rest."""
    await forget_rest(session, platform=platform, chat_id=chat_id, person_id=person_id)
    session.add(
        ReplyPage(
            platform=platform,
            chat_id=chat_id,
            person_id=person_id,
            rest=rest,
            page=page,
            pages=pages,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def take_rest(
    session: AsyncSession, *, platform: str, chat_id: str, person_id: int, now: datetime
) -> ReplyPage | None:
    """The live rest of this person's last long reply in this chat, removed from the store."""
    rest = await session.scalar(
        select(ReplyPage).where(
            ReplyPage.platform == platform,
            ReplyPage.chat_id == chat_id,
            ReplyPage.person_id == person_id,
        )
    )
    if rest is None:
        return None
    await session.delete(rest)
    return rest if rest.expires_at > now else None


async def forget_rest(
    session: AsyncSession, *, platform: str, chat_id: str, person_id: int
) -> None:
    await session.execute(
        delete(ReplyPage).where(
            ReplyPage.platform == platform,
            ReplyPage.chat_id == chat_id,
            ReplyPage.person_id == person_id,
        )
    )
