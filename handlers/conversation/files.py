"""/datei: what the bot received of a file sent with a command, to check it before using it.

A file reaches a command as its caption (Telegram, Matrix), as the message the command
answers, or with ``::file`` in the console. Before a coordinator publishes a document
through the bot, /datei shows whether it arrived whole: its name, type, size and SHA-256
checksum, which can be compared with the original (``sha256sum datei.pdf``).
"""

from __future__ import annotations

import hashlib

from core.commands import Command
from core.i18n import N_
from core.messages import Reply, code
from handlers.shared.context import Context


async def file_command(context: Context, args: str) -> Reply:
    files = context.message.files
    if not files:
        raise context.refuse(
            "No file came with the command. Send a file with {command} as its caption, "
            "or answer a message with a file with {command}.",
            command=context.command_word("datei"),
        )
    reply = context.reply()
    for index, received in enumerate(files):
        if index:
            reply.blank()
        reply.add(context.t("Received: {name}"), name=received.name)
        reply.add(
            context.tn(
                "Type: {type}, size: {size} byte",
                "Type: {type}, size: {size} bytes",
                len(received.content),
            ),
            type=received.mime_type,
            size=len(received.content),
        )
        reply.add(
            context.t("SHA-256: {checksum}"),
            checksum=code(hashlib.sha256(received.content).hexdigest()),
        )
    return reply.build()


COMMANDS = [
    Command(
        name="datei",
        alias="file",
        usage="",
        summary=N_("Shows name, type, size and checksum of a file you send with it."),
        details=N_(
            "Send a file with the command as its caption, or answer a message with a file with "
            "the command. The SHA-256 checksum shows whether the file arrived unchanged."
        ),
        handler=file_command,
    ),
]
