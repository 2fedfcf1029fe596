"""Command handlers, one sub-package per capability; each returns a neutral Reply.

Handlers parse arguments, check what the person may do, call storage and
build the reply. They never import a messenger library and never commit.
What all capabilities share lives in ``handlers.shared``.
"""

from __future__ import annotations

from core.commands import CommandRegistry, Synonym
from handlers.conversation import confirmations, files, help, paging, privacy
from handlers.groups import commands as groups
from handlers.groups import linking
from handlers.hours import commands as hours
from handlers.hours import projects
from handlers.meetings import agenda, attendance, calendar_export
from handlers.meetings import commands as meetings
from handlers.networks import commands as network_commands
from handlers.personal_reminders import commands as personal_reminders
from handlers.protocols import attendance as protocol_attendance
from handlers.protocols import commands as protocols
from handlers.protocols import entries, minutes
from handlers.settings import commands as settings
from handlers.settings import language
from handlers.shared.context import Context
from handlers.tasks import commands as tasks
from handlers.tasks import lists as task_lists

# Words people try as commands that name none of ours; an unknown command suggests what they
# mean. Typos of these words get the same suggestion. "umfrage" and "poll" are left out on
# purpose: there is no poll command, and pointing to another one would mislead.
_HOURS_REPORT = Synonym("stunden", german="bericht", english="report")
SYNONYMS = {
    "bericht": _HOURS_REPORT,
    "statistik": _HOURS_REPORT,
    "report": _HOURS_REPORT,
}


def build_registry() -> CommandRegistry[Context]:
    """Every command of the bot, in the order /hilfe lists them."""
    registry: CommandRegistry[Context] = CommandRegistry()
    modules = (
        help,
        groups,
        network_commands,
        meetings,
        agenda,
        attendance,
        calendar_export,
        tasks,
        task_lists,
        minutes,
        entries,
        protocol_attendance,
        protocols,
        hours,
        projects,
        personal_reminders,
        settings,
        language,
        linking,
        files,
        paging,
        privacy,
    )
    for module in (*modules, confirmations):
        for command in module.COMMANDS:
            registry.add(command)
    for word, synonym in SYNONYMS.items():
        registry.add_synonym(word, synonym)
    return registry
