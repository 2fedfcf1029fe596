"""Membership rights that every capability checks in the object's AG."""

from __future__ import annotations

from core.commands import Permission
from handlers.shared.context import Context
from storage.models import WorkingGroup


def require_member(context: Context, group: WorkingGroup) -> None:
    """Refuse people in the AG's chat who have not joined the AG."""
    if context.role is None and context.level < Permission.COORDINATOR:
        raise context.refuse(
            "Only members of {group} can see and change its tasks. Join with {join}.",
            group=group.name,
            join=context.command_word("beitreten"),
        )


async def is_coordinator(context: Context, group: WorkingGroup) -> bool:
    """Coordinator of ``group`` (the chat's admins in its chats and global admins count)."""
    return await context.level_in(group.id) >= Permission.COORDINATOR


async def require_member_in(context: Context, group: WorkingGroup) -> None:
    """Refuse people who are not members of ``group``, wherever they write from.

    For commands that also work in a private chat, where the chat gives no role.
    """
    if await context.level_in(group.id) < Permission.MEMBER:
        raise context.refuse(
            "Only members of {group} can see this. Join with {join} in its chat.",
            group=group.name,
            join=context.command_word("beitreten"),
        )
