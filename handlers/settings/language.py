"""/sprache: the language of replies, per person in private chats and per AG in groups."""

from __future__ import annotations

from core.commands import Command, Permission
from core.errors import UsageError
from core.i18n import N_, Translator
from core.messages import Reply, ReplyBuilder, fmt
from handlers.shared.context import Context
from handlers.shared.texts import LANGUAGE_NAMES
from storage import people

_LANGUAGE_WORDS = {
    "de": "de",
    "deutsch": "de",
    "german": "de",
    "en": "en",
    "englisch": "en",
    "english": "en",
}


async def language_command(context: Context, args: str) -> Reply:
    words = args.casefold().split()
    if not words:
        return context.reply(
            "Current language: {language}. Change it with {usage}.",
            language=context.t(LANGUAGE_NAMES[context.language]),
            usage=f"{context.command_word('sprache')} de|en",
        ).build()
    if len(words) != 1 or words[0] not in _LANGUAGE_WORDS:
        raise UsageError()
    language = _LANGUAGE_WORDS[words[0]]
    # The confirmation is written in the new language: that is what the person asked for.
    translator = Translator(language)
    if context.is_private:
        await people.set_language(context.session, context.person, language)
        template = N_("I will answer you in {language} from now on.")
        where = None
    else:
        group = context.require_group()
        if context.level < Permission.COORDINATOR:
            raise context.refuse(
                "Only the coordinators of {group} may change its language.", group=group.name
            )
        group.language = language
        template = N_("I will answer in {language} in the chats of {group} from now on.")
        where = group.name
    values = {"language": translator.t(LANGUAGE_NAMES[language])}
    if where is not None:
        values["group"] = where
    return ReplyBuilder(lines=fmt(translator.t(template), **values)).build()


COMMANDS = [
    Command(
        name="sprache",
        alias="language",
        usage="de|en",
        summary=N_("Sets the language I answer in."),
        details=N_(
            "In a private chat it sets your own language; in a group chat the coordinators set "
            "the language of the AG."
        ),
        handler=language_command,
    ),
]
