"""Working groups in chat: /einrichten, /ag, /beitreten, /austreten, /mitglieder, /rolle."""

from __future__ import annotations

import math
from datetime import timedelta

from core.commands import Command, Permission, Where
from core.errors import UsageError
from core.i18n import N_
from core.messages import Choice, Reply, Span, bold, join_spans, mention
from handlers.context import Context
from handlers.mentions import resolve_member
from handlers.texts import role_name
from storage import dialogues, groups
from storage.models import Role, WorkingGroup

MAX_NAME_LENGTH = 100
# A page of /mitglieder is one screenful in a chat and one Telegram message (4096 characters).
MEMBERS_PER_PAGE = 50
CONFIRMATION_TIMEOUT = timedelta(minutes=5)

_PLATFORM_NAMES = {"telegram": "Telegram", "matrix": "Matrix", "console": N_("console")}

_ROLE_WORDS = {
    "koordination": Role.COORDINATOR,
    "koordinator": Role.COORDINATOR,
    "koordinatorin": Role.COORDINATOR,
    "leitung": Role.COORDINATOR,
    "coordinator": Role.COORDINATOR,
    "coordination": Role.COORDINATOR,
    "mitglied": Role.MEMBER,
    "member": Role.MEMBER,
}


async def setup_command(context: Context, args: str) -> Reply:
    name = " ".join(args.split())
    if not name:
        raise UsageError()
    if len(name) > MAX_NAME_LENGTH:
        raise context.refuse(
            "The name is too long (at most {limit} characters).", limit=MAX_NAME_LENGTH
        )
    chat = context.message.chat
    current = context.group
    target = await groups.find_group(context.session, name)
    if current is not None and target is not None and current.id == target.id:
        return context.reply(
            "This chat already belongs to {group}.", group=bold(current.name)
        ).build()
    if current is not None and not context.confirmed:
        await dialogues.ask_confirmation(
            context.session,
            platform=chat.platform,
            chat_id=chat.chat_id,
            person_id=context.person.id,
            command="einrichten",
            argument=name,
            expires_at=context.now() + CONFIRMATION_TIMEOUT,
        )
        reply = context.reply(
            "This chat belongs to {current}. Move it to {target}? Answer {yes} or {no} "
            "within 5 minutes.",
            current=bold(current.name),
            target=bold(target.name if target else name),
            yes=context.command_word("ja"),
            no=context.command_word("nein"),
        )
        reply.choices.extend(
            [
                Choice(context.t("Yes, move"), context.command_word("ja"), "✅"),
                Choice(context.t("No"), context.command_word("nein"), "❌"),
            ]
        )
        return reply.build()

    created = target is None
    if target is None:
        target = await groups.create_group(
            context.session,
            name,
            context.now(),
            language=current.language if current else context.settings.language,
            timezone=context.settings.timezone,
        )
        await groups.add_member(
            context.session, target.id, context.person.id, Role.COORDINATOR, context.now()
        )
    await groups.bind_chat(
        context.session,
        target,
        chat.platform,
        chat.chat_id,
        chat.title,
        context.person,
        context.now(),
    )
    if created:
        return context.reply(
            "{group} was created and this chat belongs to it. You are its first "
            "coordinator. Members join with {join}.",
            group=bold(target.name),
            join=context.command_word("beitreten"),
        ).build()
    return context.reply(
        "This chat now belongs to {group}. Members join with {join}.",
        group=bold(target.name),
        join=context.command_word("beitreten"),
    ).build()


async def group_command(context: Context, args: str) -> Reply:
    if context.group is None and context.is_private:
        return await _my_groups(context)
    group = context.require_group()
    session = context.session
    chats = await groups.chats_of(session, group.id)
    counts = await groups.count_by_role(session, group.id)
    coordinators = await groups.members_of(session, group.id, role=Role.COORDINATOR)
    refs = await context.person_refs([(m.person_id, m.display_name) for m in coordinators])
    reply = context.reply()
    reply.add_spans([bold(group.name)])
    reply.add(
        context.t("Chats: {chats}"),
        chats="; ".join(
            f"{context.t(_PLATFORM_NAMES.get(c.platform, c.platform))}: {c.title or c.chat_id}"
            for c in chats
        ),
    )
    total = sum(counts.values())
    reply.add(context.tn("{count} member", "{count} members", total), count=total)
    if refs:
        reply.add(context.t("Coordinators: {names}"), names=join_spans(mention(r) for r in refs))
    else:
        reply.add(context.t("Coordinators: none"))
    reply.add(
        context.t(
            "Settings: language {language}, time zone {timezone}, state {state}, "
            "one person-day (TW) = {hours} hours"
        ),
        language=group.language,
        timezone=group.timezone,
        state=group.state or "–",
        hours=f"{group.hours_per_day:g}",
    )
    return reply.build()


async def _my_groups(context: Context) -> Reply:
    memberships = await groups.groups_of_person(context.session, context.person.id)
    if not memberships:
        return context.reply(
            "You are not a member of any AG yet. Join one with {join} in its group chat.",
            join=context.command_word("beitreten"),
        ).build()
    reply = context.reply("Your AGs:")
    for group, role in memberships:
        reply.add(
            "• {group} ({role})", group=bold(group.name), role=role_name(context.translator, role)
        )
    return reply.build()


async def join_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    if context.role is not None:
        return context.reply("You are already a member of {group}.", group=bold(group.name)).build()
    await groups.add_member(
        context.session, group.id, context.person.id, Role.MEMBER, context.now()
    )
    return context.reply(
        "Welcome to {group}, {name}!", group=bold(group.name), name=context.person.display_name
    ).build()


async def leave_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    if context.role is None:
        raise context.refuse("You are not a member of {group}.", group=group.name)
    if context.role is Role.COORDINATOR:
        await _keep_one_coordinator(context, group, leaving=True)
    await groups.remove_member(context.session, group.id, context.person.id)
    return context.reply("You have left {group}.", group=bold(group.name)).build()


async def _keep_one_coordinator(context: Context, group: WorkingGroup, *, leaving: bool) -> None:
    """Refuse to take away the last coordinator of an AG.

    Leaving is allowed when nobody else is left in the AG; a demoted coordinator
    stays as a member, so a demotion of the last coordinator is always refused.
    """
    counts = await groups.count_by_role(context.session, group.id)
    others_remain = counts[Role.MEMBER] > 0 or not leaving
    if counts[Role.COORDINATOR] <= 1 and others_remain:
        raise context.refuse(
            "{group} needs at least one coordinator. "
            "First make someone else coordinator with {role}.",
            group=group.name,
            role=context.command_word("rolle"),
        )


async def members_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    page = _page_number(args)
    members, total = await groups.member_page(
        context.session, group.id, MEMBERS_PER_PAGE, (page - 1) * MEMBERS_PER_PAGE
    )
    pages = max(1, math.ceil(total / MEMBERS_PER_PAGE))
    if page > pages:
        raise context.refuse(
            "{group} has {pages} page(s) of members.", group=group.name, pages=pages
        )
    # Names, not mentions: listing members must not ping everybody.
    reply = context.reply("Members of {group} ({count}):", group=bold(group.name), count=total)
    names = {role: role_name(context.translator, role) for role in Role}
    # One plain span per line: the list is long, and nothing in it needs a template.
    reply.lines.extend((Span(f"• {row.display_name} – {names[row.role]}"),) for row in members)
    if not members:
        reply.add(
            context.t("No members yet. Join with {join}."), join=context.command_word("beitreten")
        )
    if pages > 1:
        reply.add(
            context.t("Page {page} of {pages}. Next page: {command}"),
            page=page,
            pages=pages,
            command=f"{context.command_word('mitglieder')} {page % pages + 1}",
        )
    return reply.build()


def _page_number(args: str) -> int:
    words = args.split()
    if not words:
        return 1
    if len(words) != 1 or not words[0].isdecimal() or int(words[0]) < 1:
        raise UsageError()
    return int(words[0])


async def role_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    mentions = context.message.mentions
    words = context.without_mentions(args).casefold().split()
    if len(mentions) != 1 or len(words) != 1 or words[0] not in _ROLE_WORDS:
        raise UsageError()
    new_role = _ROLE_WORDS[words[0]]
    person = await resolve_member(context, group, mentions[0])
    current = await groups.role_in(context.session, group.id, person.id)
    ref = await context.person_ref(person.id, person.display_name)
    if current is new_role:
        return context.reply(
            "{name} already is {role} in {group}.",
            name=mention(ref),
            role=role_name(context.translator, new_role),
            group=bold(group.name),
        ).build()
    if current is Role.COORDINATOR:
        await _keep_one_coordinator(context, group, leaving=False)
    await groups.set_role(context.session, group.id, person.id, new_role)
    return context.reply(
        "{name} now is {role} in {group}.",
        name=mention(ref),
        role=role_name(context.translator, new_role),
        group=bold(group.name),
    ).build()


COMMANDS = [
    Command(
        name="einrichten",
        alias="setup",
        usage=N_("<name>"),
        summary=N_("Binds this group chat to an AG, creating the AG if needed."),
        details=N_(
            "The person who creates an AG becomes its first coordinator. One AG may have "
            "several chats, also on different messengers. Moving a chat to another AG asks "
            "for confirmation."
        ),
        handler=setup_command,
        permission=Permission.CHAT_ADMIN,
        where=Where.GROUP,
    ),
    Command(
        name="ag",
        alias="group",
        usage="",
        summary=N_("Shows this chat's AG: chats, members, coordinators, settings."),
        details=N_("In a private chat: the AGs you belong to."),
        handler=group_command,
    ),
    Command(
        name="beitreten",
        alias="join",
        usage="",
        summary=N_("Makes you a member of this chat's AG."),
        details="",
        handler=join_command,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="austreten",
        alias="leave",
        usage="",
        summary=N_("Ends your membership in this chat's AG."),
        details="",
        handler=leave_command,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="mitglieder",
        alias="members",
        usage=N_("[page]"),
        summary=N_("Lists the members of this chat's AG with their roles."),
        details=N_("Long lists come in pages of 50 members."),
        handler=members_command,
        where=Where.GROUP,
        needs_group=True,
    ),
    Command(
        name="rolle",
        alias="role",
        usage=N_("@person coordinator|member"),
        summary=N_("Gives a member of the AG the coordinator or member role."),
        details=N_("An AG always keeps at least one coordinator."),
        handler=role_command,
        permission=Permission.COORDINATOR,
        where=Where.GROUP,
        needs_group=True,
    ),
]
