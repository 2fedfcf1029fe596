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
