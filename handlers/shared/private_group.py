"""The AG a member's command is about when it is sent in a private chat.

In a group chat it is the chat's AG (``Context.require_group``). In a private chat it is the
AG named first in the arguments (``/protokoll AG Verkehr #3``, also without the leading
"AG"), else the person's only AG. A person in several AGs who names none is asked which,
with one button per AG that sends the same command again with the AG's name.
"""

from __future__ import annotations

from core.commands import Permission
from core.errors import Refusal
from core.messages import Choice, bold
from handlers.shared.context import Context
from storage import groups, networks
from storage.groups import name_key
from storage.models import WorkingGroup

# As many buttons as every messenger can show (Matrix offers nine numbered reactions).
MAX_CHOICES = 9


async def group_for(
    context: Context, args: str, command: str | None = None
) -> tuple[WorkingGroup, str]:
    """The AG the command is about and the arguments without its name.

    ``command`` is what the buttons repeat before the AG's name (``/stunden bericht``);
    by default the command word. Refuses a person in no AG, and asks one in several.
    """
    if not context.is_private:
        return context.require_group(), args
    own = await own_groups(context)
    named = named_group(own, args)
    if named is not None:
        return named
    if len(own) == 1:
        return own[0], args
    if not own:
        raise context.refuse(
            "You are not a member of any AG yet. Join one with {join} in its group chat.",
            join=context.command_word("beitreten"),
        )
    repeated = command or _command_word(context)
    reply = context.reply("You are a member of several AGs. Which one is it about?")
    reply.add(
        context.t("Or write it with the AG's name, e.g. {example}"),
        example=bold(_with_group(repeated, own[0], args)),
    )
    reply.choices.extend(group_choices(own, repeated, args))
    raise Refusal(reply.build())


async def own_groups(context: Context) -> list[WorkingGroup]:
    """The AGs the person belongs to (every AG for a global admin), by name.

    The Geschäftsstelle of a network acts in its AGs without being a member: they count too.
    """
    if context.level >= Permission.GLOBAL_ADMIN:
        return await groups.all_groups(context.session)
    own = {
        group.id: group
        for group, _ in await groups.groups_of_person(context.session, context.person.id)
    }
    for group in await networks.groups_of_office(context.session, context.person.id):
        own.setdefault(group.id, group)
    return sorted(own.values(), key=lambda group: group.name_key)


def named_group(candidates: list[WorkingGroup], args: str) -> tuple[WorkingGroup, str] | None:
    """The AG whose name the arguments start with (the longest such name) and the rest."""
    words = args.split()
    folded = [word.casefold() for word in words]
    best: tuple[WorkingGroup, int] | None = None
    for group in candidates:
        for key in _name_forms(group.name):
            length = len(key)
            if folded[:length] == key and (best is None or length > best[1]):
                best = (group, length)
    if best is None:
        return None
    return best[0], " ".join(words[best[1] :])


def group_choices(candidates: list[WorkingGroup], command: str, args: str) -> list[Choice]:
    """One button per AG: ``command`` with the AG's name and ``args``."""
    return [
        Choice(group.name, _with_group(command, group, args)) for group in candidates[:MAX_CHOICES]
    ]


def _name_forms(name: str) -> list[list[str]]:
    """The words by which an AG can be named: "ag verkehr", and "verkehr" without "AG"."""
    words = name_key(name).split()
    forms = [words]
    if len(words) > 1 and words[0] == "ag":
        forms.append(words[1:])
    return forms


def _with_group(command: str, group: WorkingGroup, args: str) -> str:
    return " ".join(part for part in (command, group.name, args.strip()) if part)


def _command_word(context: Context) -> str:
    assert context.command is not None
    return context.command_word(context.command.name)
