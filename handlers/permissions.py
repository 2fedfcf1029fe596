"""Whether a person may run a command in this chat; used by the router and by /ja."""

from __future__ import annotations

from core.commands import Command
from handlers.context import Context
from handlers.texts import permission_name


def check_allowed(context: Context, command: Command[Context]) -> None:
    """Refuse with the reason when ``command`` is not for this chat or this person."""
    word = f"{context.prefix}{command.word(context.language)}"
    if not command.where.allows(context.is_private):
        if context.is_private:
            raise context.refuse("{command} only works in a group chat.", command=word)
        raise context.refuse("{command} only works in a private chat with me.", command=word)
    if command.needs_group:
        context.require_group()
    if context.level < command.permission:
        raise context.refuse(
            "Only {role} may use {command}.",
            role=permission_name(context.translator, command.permission),
            command=word,
        )
