"""/ja, /nein, /abbrechen: answers to a question of the bot, and leaving a dialogue."""

from __future__ import annotations

from dataclasses import replace

from core.commands import Command
from core.i18n import N_
from core.messages import IncomingFile, Reply
from handlers.shared.context import Context
from handlers.shared.permissions import check_allowed
from storage import dialogues
from storage.models import PendingConfirmation


async def _take(context: Context) -> PendingConfirmation | None:
    chat = context.message.chat
    return await dialogues.take_confirmation(
        context.session,
        platform=chat.platform,
        chat_id=chat.chat_id,
        person_id=context.person.id,
        now=context.now(),
    )


async def yes_command(context: Context, args: str) -> Reply:
    chat = context.message.chat
    # The files that came with the question (an upload), read before taking removes them.
    held = await dialogues.held_files(
        context.session, platform=chat.platform, chat_id=chat.chat_id, person_id=context.person.id
    )
    pending = await _take(context)
    command = context.registry.find(pending.command) if pending else None
    if pending is None or command is None:
        raise context.refuse("There is nothing to confirm.")
    # Rights are checked again: they may have changed since the question was asked.
    context.command = command
    check_allowed(context, command, pending.argument)
    context.confirmed = True
    if held and not context.message.files:
        files = tuple(IncomingFile(f.name, f.content, f.mime_type) for f in held)
        context.message = replace(context.message, files=files)
    return await command.handler(context, pending.argument)


async def no_command(context: Context, args: str) -> Reply:
    if await _take(context) is None:
        raise context.refuse("There is nothing to confirm.")
    return context.reply("Cancelled. Nothing was changed.").build()


async def cancel_command(context: Context, args: str) -> Reply:
    chat = context.message.chat
    ended = await dialogues.forget_pending(
        context.session, platform=chat.platform, chat_id=chat.chat_id, person_id=context.person.id
    )
    if not ended:
        raise context.refuse("There is nothing to cancel.")
    return context.reply("Cancelled. Nothing was changed.").build()


COMMANDS = [
    Command(
        name="ja",
        # /yes and /no belong to meeting answers (/zusage, /absage).
        alias="confirm",
        usage="",
        summary=N_("Confirms what I just asked you."),
        details="",
        handler=yes_command,
    ),
    Command(
        name="nein",
        alias="abort",
        usage="",
        summary=N_("Cancels what I just asked you."),
        details="",
        handler=no_command,
    ),
    Command(
        name="abbrechen",
        alias="cancel",
        usage="",
        summary=N_("Ends a question or a step-by-step dialogue with me."),
        details="",
        handler=cancel_command,
    ),
]
