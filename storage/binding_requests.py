"""Requests to bind a chat to an AG that exists, waiting for a coordinator's one-time code."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import BindingRequest


def _hash(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


async def request_binding(
    session: AsyncSession,
    *,
    code: str,
    group_id: int,
    platform: str,
    chat_id: str,
    chat_title: str,
    requested_by: int,
    expires_at: datetime,
) -> None:
    """Store a request; a chat has at most one, so asking again replaces the old code."""
    await session.execute(
        delete(BindingRequest).where(
            BindingRequest.platform == platform, BindingRequest.chat_id == chat_id
        )
    )
    session.add(
        BindingRequest(
            code_hash=_hash(code),
            group_id=group_id,
            platform=platform,
            chat_id=chat_id,
            chat_title=chat_title,
            requested_by=requested_by,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def take_binding_request(
    session: AsyncSession, code: str, group_id: int, now: datetime
) -> BindingRequest | None:
    """The live request with this code for ``group_id``, removed from the store.

    A code given in another AG's chat is not found (and stays usable where it belongs).
    """
    request = await session.scalar(
        select(BindingRequest).where(
            BindingRequest.code_hash == _hash(code), BindingRequest.group_id == group_id
        )
    )
    if request is None:
        return None
    await session.delete(request)
    return request if request.expires_at > now else None
