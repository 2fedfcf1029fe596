"""/anwesend: who was present at the meeting whose minutes run, written as people write it.

``/anwesend @ben, @cara und ich`` records members (mentions, "ich", commas and "und" mixed),
``/anwesend ohne @cara`` (or ``- @cara``) takes someone off, ``/anwesend vorschlag`` takes
everyone who answered yes, ``/anwesend gast Frau Dr. Schmidt (Stadt Erfurt)`` records a guest
from outside the AG. The minute-taker, the chair and everyone who writes in the minutes count
as present by themselves (``storage.protocols.count_as_present``) unless taken off.
"""

from __future__ import annotations

import re

from core.commands import Command, Permission, Where
from core.errors import UsageError
from core.i18n import N_
from core.messages import Choice, Reply
from handlers.protocols.minutes import contributing, touching
from handlers.shared.context import Context
from handlers.shared.mentions import resolve_member
from storage import meetings, protocols
from storage.models import Answer, Meeting, Protocol

MAX_GUEST = 200
_ME_WORDS = {"ich", "mich", "me", "myself"}
_AND_WORDS = {"und", "and", "sowie", "&", "+"}
_REMOVE_WORDS = {"ohne", "nicht", "without", "not", "-"}
_GUEST_WORDS = {"gast", "gäste", "gaeste", "guest", "guests"}
_PROPOSED_WORDS = {"vorschlag", "vorgeschlagene", "proposed", "proposal"}
# Between names: spaces and commas; "Frau Dr. Schmidt, Stadt Erfurt" is one guest, so
# several guests are separated by ";".
_NAME_SEPARATORS = re.compile(r"[\s,;]+")


async def present_command(context: Context, args: str) -> Reply:
    _, protocol, meeting = await contributing(context)
    rest = context.without_mentions(args)
    removing = False
    first, _, tail = rest.partition(" ")
    if rest.startswith("-"):
        removing, rest = True, rest[1:].strip()
    elif first.casefold() in _REMOVE_WORDS:
        removing, rest = True, tail.strip()
    first, _, tail = rest.partition(" ")
    if first.casefold() in _GUEST_WORDS:
        await _guests(context, protocol, tail, removing)
    elif rest or context.message.mentions:
        await _members(context, protocol, meeting, rest, removing)
    elif removing:
        raise UsageError()
    return await _list(context, protocol, meeting)


async def _members(
    context: Context, protocol: Protocol, meeting: Meeting, rest: str, removing: bool
) -> None:
    group = context.require_group()
    me = proposed = False
    unknown = []
    for word in _NAME_SEPARATORS.split(rest):
        folded = word.casefold()
        if not word or folded in _AND_WORDS:
            continue
        if folded in _ME_WORDS:
            me = True
        elif folded in _PROPOSED_WORDS and not removing:
            proposed = True
        else:
            unknown.append(word)
    if unknown:
        guest, name = context.t("guest"), context.t("<name>")
        raise context.refuse(
            "{words} is no one I can record. Name members with @, yourself with {me}, "
            "a guest from outside the AG with {guest}.",
            words=" ".join(unknown),
            me=context.t("me"),
            guest=f"{context.command_word('anwesend')} {guest} {name}",
        )
    ids = [(await resolve_member(context, group, m)).id for m in context.message.mentions]
    if me:
        ids.append(context.person.id)
    if proposed:
        ids.extend(pid for pid, _ in await _proposed(context, meeting, protocol))
    session, now = context.session, context.now()
    if removing:
        await protocols.remove_present(session, protocol.id, ids, context.person.id, now)
    else:
        await protocols.add_present(session, protocol.id, ids, context.person.id, now)


async def _guests(context: Context, protocol: Protocol, text: str, removing: bool) -> None:
    names = [" ".join(name.split()) for name in text.split(";")]
    names = [name for name in names if name]
    if not names:
        raise UsageError()
    if any(len(name) > MAX_GUEST for name in names):
        raise context.refuse("A guest's name may be at most {limit} characters.", limit=MAX_GUEST)
    session = context.session
    if not removing:
        await protocols.add_guests(session, protocol.id, names, context.person.id, context.now())
        return
    for name in names:
        if not await protocols.remove_guest(session, protocol.id, name):
            raise context.refuse(
                "{name} is not recorded as a guest. Guests: {names}",
                name=name,
                names=", ".join(await protocols.guests(session, protocol.id)) or "–",
            )


async def _list(context: Context, protocol: Protocol, meeting: Meeting) -> Reply:
    session = context.session
    present = await protocols.present(session, protocol.id)
    reply = context.reply(
        "Present ({count}): {names}",
        count=len(present),
        names=", ".join(name for _, name in present) or "–",
    )
    guests = await protocols.guests(session, protocol.id)
    if guests:
        names = "; ".join(guests)
        reply.add(context.t("Guests ({count}): {names}"), count=len(guests), names=names)
    proposed_rows = await _proposed(context, meeting, protocol)
    if proposed_rows:
        reply.add(
            context.t("Proposed (answered yes): {names}"),
            names=", ".join(name for _, name in proposed_rows),
        )
        word = "vorschlag" if context.language == "de" else "proposed"
        reply.choices.append(
            Choice(
                context.t("All proposed are present"), f"{context.command_word('anwesend')} {word}"
            )
        )
    return reply.build()


async def _proposed(
    context: Context, meeting: Meeting, protocol: Protocol
) -> list[tuple[int, str]]:
    """Members who answered yes and are neither recorded as present nor taken off the list.

    (Who wrote in the minutes is recorded already.)
    """
    present = {pid for pid, _ in await protocols.present(context.session, protocol.id)}
    skip = present | await protocols.taken_off(context.session, protocol.id)
    return [
        (a.person_id, a.display_name)
        for a in await meetings.attendees(context.session, meeting)
        if a.person_id not in skip and a.answer is Answer.YES
    ]


COMMANDS = [
    Command(
        name="anwesend",
        alias="here",
        usage=N_(
            "[@person, @person and me | proposed | guest <name> | without @person | "
            "without guest <name>]"
        ),
        summary=N_("Records who is present; without names shows who is and who may be."),
        details=N_(
            "The minute-taker, the chair and everyone who writes in the minutes count as present "
            "unless taken off with /anwesend ohne @person. /anwesend vorschlag takes everyone who "
            "answered yes. Guests from outside the AG: /anwesend gast Frau Dr. Schmidt (Stadt "
            "Erfurt), several separated by ;."
        ),
        handler=touching(present_command),
        permission=Permission.MEMBER,
        where=Where.GROUP,
        needs_group=True,
    ),
]
