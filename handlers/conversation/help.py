"""/hilfe and /start: what this person may do here, and the details of one command."""

from __future__ import annotations

from core.commands import Command, Where
from core.errors import UsageError
from core.i18n import N_
from core.messages import Reply, bold
from handlers.shared.context import Context
from handlers.shared.texts import PRIVACY_POINTER, permission_name, usage_line

_WHERE_NAMES = {
    Where.ANYWHERE: N_("in group chats and in private chats"),
    Where.GROUP: N_("in group chats"),
    Where.PRIVATE: N_("in private chats with me"),
}


def visible_commands(context: Context) -> list[Command[Context]]:
    """The commands this person may use in this chat, in registry order."""
    return [
        command
        for command in context.registry
        if command.where.allows(context.is_private)
        and command.permission <= context.level
        and (context.group is not None or not command.needs_group)
    ]


async def help_command(context: Context, args: str) -> Reply:
    if args:
        return _details(context, args.split()[0].lstrip("/!"))
    reply = context.reply()
    if context.group is not None:
        reply.add(context.t("Commands for you in {group}:"), group=bold(context.group.name))
    else:
        reply.add(context.t("Commands for you here:"))
    for command in visible_commands(context):
        reply.add(
            "{usage} – {summary}",
            usage=usage_line(context.translator, command, context.prefix),
            summary=context.t(command.summary),
        )
    if not context.is_private and context.group is None:
        reply.blank().add(
            context.t(
                "This chat does not belong to an AG yet. A chat admin can set it up with {setup}."
            ),
            setup=context.setup_usage(),
        )
    command_placeholder = context.t("<command>")
    reply.blank().add(
        context.t("Details of one command: {help}"),
        help=f"{context.command_word('hilfe')} {command_placeholder}",
    )
    return reply.build()


def _details(context: Context, word: str) -> Reply:
    command = context.registry.find(word)
    if command is None:
        raise UsageError(context.t("I do not know the command /{word}.").format(word=word))
    reply = context.reply()
    reply.add_spans([bold(usage_line(context.translator, command, context.prefix))])
    reply.add(context.t(command.summary))
    if command.details:
        reply.add(context.t(command.details))
    reply.add(
        context.t("Also works as: {words}"),
        words=", ".join(
            # dict.fromkeys: each word once, in order (/info is German and English alike).
            f"{context.prefix}{w}"
            for w in dict.fromkeys((command.name, command.alias, *command.hidden_aliases))
        ),
    )
    reply.add(
        context.t("Who may use it: {who}, {where}."),
        who=permission_name(context.translator, command.permission),
        where=context.t(_WHERE_NAMES[command.where]),
    )
    return reply.build()


async def start_command(context: Context, args: str) -> Reply:
    greeting = context.reply(
        "Hello {name}! I am AG-Bot, the assistant of your working groups: I plan meetings "
        "and send their invitations, agendas and reminders, keep track of tasks and their "
        "deadlines, record hours against budgets, and take and send the protocols.",
        name=context.person.display_name,
    )
    greeting.add(context.t(PRIVACY_POINTER), privacy=context.command_word("datenschutz"))
    help_reply = await help_command(context, "")
    greeting.blank()
    greeting.lines.extend(help_reply.lines)
    return greeting.build()


COMMANDS = [
    Command(
        name="hilfe",
        alias="help",
        usage=N_("[command]"),
        summary=N_("Shows the commands you may use here."),
        details=N_("With a command name, shows the details of that command."),
        handler=help_command,
    ),
    Command(
        name="start",
        alias="start",
        usage="",
        summary=N_("Greets you and shows the commands."),
        details="",
        handler=start_command,
    ),
]
