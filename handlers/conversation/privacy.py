"""/datenschutz (/privacy): what the bot stores about a person, why, who sees it, how long.

The notice describes what the bot does today and promises nothing it cannot do: the
commands for a copy of one's data and for its erasure, and automatic deletion periods,
come later (issue 23); until then the office answers such requests. docs/DATENSCHUTZ.md
is the office's processing record with the same facts in more detail.
"""

from __future__ import annotations

from core.commands import Command
from core.i18n import N_
from core.messages import Reply, bold
from handlers.shared.context import Context

# One paragraph each, in the order a data protection officer asks.
_WHAT = N_(
    "What: your name and username on the messenger and the id of your account (on every "
    "messenger you use me on; linked accounts as one person), your language and whether I "
    "can write to you privately."
)
_IN_THE_AGS = N_(
    "In your AGs: your membership and role, your answers to invitations (with the reason "
    "you gave) and your attendance, the tasks you created, took on or closed, the hours you "
    "logged with their changes, reminders, and your entries in protocols."
)
_ONLY_COMMANDS = N_(
    "I store a person only once they send me a command (a button counts as one). Other "
    "messages in a group chat I read only to see whether they are meant for me; I do not "
    "store them."
)
_WHY = N_(
    "Why: only for the AG's work with you: invitations and reminders, tasks and deadlines, "
    "hour reports against the projects' budgets, and the protocols."
)
_WHO_SEES = N_(
    "Who sees it: everyone in an AG's chat sees its member list with the roles and who "
    "answered an invitation how. The members see the AG's tasks and its published protocols "
    "(with who was present). Your hours are seen by you and the AG's coordinators; they also "
    "see drafts of protocols and export the hours for budget reports. Personal reminders are "
    "seen by you and whoever set them."
)
_MESSENGERS = N_(
    "Messengers: Telegram sees the messages of its groups, mine included. In encrypted "
    "Matrix rooms the homeserver sees only who writes when, not what. Those who run this bot "
    "have access to its database."
)
_HOW_LONG = N_(
    "How long: as long as the AG keeps its records. With {leave} your membership ends; your "
    "name, answers, tasks, hours and protocol entries stay in the AG's records. Automatic deletion "
    "periods and commands for a copy of your data and for its erasure are being built; until "
    "then please ask the office for them."
)
_WHOM_TO_ASK = N_(
    "Questions, a copy of your data, corrections or erasure: the office (Geschäftsstelle) of "
    "your network, which is responsible for this bot; it also tells you who is in charge of "
    "data protection there."
)


async def privacy_command(context: Context, args: str) -> Reply:
    reply = context.reply()
    reply.add_spans([bold(context.t("Privacy: what I store about you"))])
    reply.add(context.t(_WHAT))
    reply.add(context.t(_IN_THE_AGS))
    reply.add(context.t(_ONLY_COMMANDS))
    reply.add(context.t(_WHY))
    reply.add(context.t(_WHO_SEES))
    reply.add(context.t(_MESSENGERS))
    reply.add(context.t(_HOW_LONG), leave=context.command_word("austreten"))
    reply.add(context.t(_WHOM_TO_ASK))
    return reply.build()


COMMANDS = [
    Command(
        name="datenschutz",
        alias="privacy",
        usage="",
        summary=N_("What I store about you, why, who sees it and for how long."),
        details=N_("Also says whom to ask for a copy of your data, a correction or its erasure."),
        handler=privacy_command,
    ),
]
