"""Values adapters keep across restarts, such as a sync token or the choices of a message."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AdapterState


async def load(session: AsyncSession, platform: str, key: str) -> str | None:
    return await session.scalar(
        select(AdapterState.value).where(AdapterState.platform == platform, AdapterState.key == key)
    )


async def load_prefixed(session: AsyncSession, platform: str, prefix: str) -> dict[str, str]:
    """Every value whose key starts with ``prefix``, keyed by the rest of the key."""
    rows = await session.execute(
        select(AdapterState.key, AdapterState.value).where(
            AdapterState.platform == platform, AdapterState.key.startswith(prefix)
        )
    )
    return {key[len(prefix) :]: value for key, value in rows}


async def save(session: AsyncSession, platform: str, key: str, value: str, now: datetime) -> None:
    state = await session.get(AdapterState, (platform, key))
    if state is None:
        session.add(AdapterState(platform=platform, key=key, value=value, updated_at=now))
    else:
        state.value = value
        state.updated_at = now
    await session.flush()


async def forget_older_than(
    session: AsyncSession, platform: str, prefix: str, before: datetime
) -> None:
    """Drop old entries of one kind (``prefix``), e.g. choices of long-past messages."""
    await session.execute(
        delete(AdapterState).where(
            AdapterState.platform == platform,
            AdapterState.key.startswith(prefix),
            AdapterState.updated_at < before,
        )
    )
