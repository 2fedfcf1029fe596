"""Command handlers, one module per capability; each returns a neutral Reply.

Handlers parse arguments, check what the person may do, call storage and
build the reply. They never import a messenger library and never commit.
"""

from __future__ import annotations

from core.commands import CommandRegistry
from handlers import (
    agenda,
    attendance,
    calendar_export,
    confirmations,
    files,
    groups,
    help,
    hours,
    language,
    linking,
    meetings,
    minutes,
    paging,
    personal_reminders,
    projects,
    protocols,
    settings,
    task_lists,
    tasks,
)
from handlers.context import Context


def build_registry() -> CommandRegistry[Context]:
    """Every command of the bot, in the order /hilfe lists them."""
    registry: CommandRegistry[Context] = CommandRegistry()
    modules = (
        help,
        groups,
        meetings,
        agenda,
        attendance,
        calendar_export,
        tasks,
        task_lists,
        minutes,
        protocols,
        hours,
        projects,
        personal_reminders,
        settings,
        language,
        linking,
        files,
        paging,
    )
    for module in (*modules, confirmations):
        for command in module.COMMANDS:
            registry.add(command)
    return registry
