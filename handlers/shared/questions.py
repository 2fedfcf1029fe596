"""Yes-or-no questions: a command that waits for the person's /ja in this chat.

The question's own text says what happens on yes; this module remembers the waiting command
(``/ja`` runs it again with its argument, see ``handlers.conversation.confirmations``),
keeps the files that came with it (``/ja`` comes without them) and adds the two buttons.
"""

from __future__ import annotations

from datetime import timedelta

from core.messages import Choice, Reply, ReplyBuilder
from handlers.shared.context import Context
from storage import dialogues
from storage.dialogues import HeldFile

# Every question says "within 5 minutes"; keep the text and this in step.
ANSWER_WITHIN = timedelta(minutes=5)


async def ask_yes_no(
    context: Context,
    question: ReplyBuilder,
    *,
    command: str,
    argument: str,
    yes_label: str,
    keep_files: bool = False,
) -> Reply:
    """``question`` with yes/no buttons, after noting that ``command argument`` waits.

    ``keep_files``: the message's files wait too, and the confirmed command gets them back.
    """
    chat = context.message.chat
    await dialogues.ask_confirmation(
        context.session,
        platform=chat.platform,
        chat_id=chat.chat_id,
        person_id=context.person.id,
        command=command,
        argument=argument,
        expires_at=context.now() + ANSWER_WITHIN,
        files=(
            [HeldFile(f.name, f.mime_type, f.content) for f in context.message.files]
            if keep_files
            else ()
        ),
    )
    question.choices.extend(
        [
            Choice(yes_label, context.command_word("ja"), "✅"),
            Choice(context.t("No"), context.command_word("nein"), "❌"),
        ]
    )
    return question.build()
