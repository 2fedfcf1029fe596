"""Resolving neutral mentions (``@ben``, pills, text mentions) to persons of an AG.

An unknown or ambiguous mention is refused with a hint, never guessed.
"""

from __future__ import annotations

from core.messages import Mention
from handlers.shared.context import Context
from storage import groups, people
from storage.models import Person, WorkingGroup


async def resolve_person(context: Context, mentioned: Mention) -> Person:
    """The person a mention stands for; refuses unknown and ambiguous mentions."""
    session = context.session
    if mentioned.account_id is not None:
        person = await people.find_by_account(session, mentioned.platform, mentioned.account_id)
        if person is not None:
            return person
    candidates: list[Person] = []
    if mentioned.username:
        candidates = await people.find_by_username(session, mentioned.platform, mentioned.username)
    if not candidates and context.group is not None:
        name = mentioned.display_name or mentioned.text.lstrip("@")
        candidates = await people.find_members_by_name(session, context.group.id, name)
    if not candidates:
        raise context.refuse(
            "I do not know {mention}. They have to send me a command once, "
            "e.g. {join} in this chat.",
            mention=mentioned.text,
            join=context.command_word("beitreten"),
        )
    if len(candidates) > 1:
        raise context.refuse(
            "{mention} is ambiguous: {names}. Please mention the person by username.",
            mention=mentioned.text,
            names=", ".join(p.display_name for p in candidates),
        )
    return candidates[0]


async def resolve_member(context: Context, group: WorkingGroup, mentioned: Mention) -> Person:
    """Like :func:`resolve_person`, but the person must be a member of ``group``."""
    person = await resolve_person(context, mentioned)
    if await groups.role_in(context.session, group.id, person.id) is None:
        raise context.refuse(
            "{name} is not a member of {group}. They can join with {join}.",
            name=person.display_name,
            group=group.name,
            join=context.command_word("beitreten"),
        )
    return person
