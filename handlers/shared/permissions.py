"""Whether a person may run a command in this chat; used by the router and by /ja."""

from __future__ import annotations

from core.commands import Command, Permission
from handlers.shared.context import Context
from handlers.shared.texts import permission_name


def check_allowed(context: Context, command: Command[Context], args: str) -> None:
    """Refuse with the reason when ``command`` (with ``args``) is not for this chat or person."""
    word = f"{context.prefix}{command.word(context.language)}"
    if not command.where.allows(context.is_private):
        if context.is_private:
            raise context.refuse("{command} only works in a group chat.", command=word)
        raise context.refuse("{command} only works in a private chat with me.", command=word)
    if command.needs_group:
        context.require_group()
    required = command.permission_for(args)
    if (
        context.level < required <= Permission.CHAT_ADMIN
        and context.message.sender.admin_check_failed
    ):
        # Being a chat admin would have been enough, but the messenger did not say.
        raise context.refuse(
            "Your rights in this chat could not be checked just now. Please try again in a moment."
        )
    if context.level < required:
        # Name the AG: "Das dürfen nur die Koordinierenden der AG Verkehr."
        if required is Permission.COORDINATOR and context.group is not None:
            raise context.refuse(
                "Only the coordinators of {group} may use {command}.",
                group=context.group.name,
                command=word,
            )
        if required is Permission.MEMBER and context.group is not None:
            raise context.refuse(
                "Only members of {group} may use {command}.",
                group=context.group.name,
                command=word,
            )
        raise context.refuse(
            "Only {role} may use {command}.",
            role=permission_name(context.translator, required),
            command=word,
        )
