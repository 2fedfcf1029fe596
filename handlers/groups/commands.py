"""Working groups in chat: /einrichten, /ag, /beitreten, /austreten, /mitglieder, /rolle."""

from __future__ import annotations

import math
from datetime import timedelta

from babel.numbers import format_decimal

from core.commands import Command, Permission, Where, normalize_word
from core.errors import UsageError
from core.i18n import N_
from core.input_text import bounded_number
from core.messages import ChatRef, Delivery, Reply, Span, bold, code, join_spans, mention
from handlers.groups.codes import one_time_code
from handlers.groups.names import ag_name
from handlers.networks.commands import SETUP_WORDS, bind_chat_to_network
from handlers.shared.context import Context
from handlers.shared.mentions import resolve_member
from handlers.shared.questions import ask_yes_no
from handlers.shared.states import group_state_name
from handlers.shared.texts import LANGUAGE_NAMES, PLATFORM_NAMES, PRIVACY_POINTER, role_name
from handlers.tasks.leaving import release_tasks, unassigned_lines
from storage import binding_requests, groups, networks, people, reminders
from storage.models import Role, WorkingGroup

MAX_NAME_LENGTH = 100
# A page of /mitglieder is one screenful in a chat and one Telegram message (4096 characters).
MEMBERS_PER_PAGE = 50
BINDING_REQUEST_LIFETIME = timedelta(hours=24)
_CONFIRM_WORD = N_("confirm")
_CONFIRM_WORDS = {"bestaetigen", "confirm"}

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
    words = args.split()
    if len(words) == 2 and normalize_word(words[0]) in _CONFIRM_WORDS:
        return await _confirm_binding(context, words[1])
    if len(words) >= 2 and normalize_word(words[0]) in SETUP_WORDS:
        return await bind_chat_to_network(context, " ".join(words[1:]))
    if not words:
        raise UsageError()
    name = ag_name(" ".join(words))
    chat = context.message.chat
    network = await networks.network_for_chat(context.session, chat.platform, chat.chat_id)
    if network is not None:
        # A chat is either an AG's or a network's: a circular must not reach it twice.
        raise context.refuse(
            "This chat belongs to the network {network}; an AG needs a chat of its own.",
            network=network.name,
        )
    if len(name) > MAX_NAME_LENGTH:
        raise context.refuse(
            "The name is too long (at most {limit} characters).", limit=MAX_NAME_LENGTH
        )
    current = context.group
    target = await groups.find_group(context.session, name)
    if current is not None and target is not None and current.id == target.id:
        return context.reply(
            "This chat already belongs to {group}.", group=bold(current.name)
        ).build()
    if target is not None and await context.level_in(target.id) < Permission.COORDINATOR:
        return await _request_binding(context, target)
    if current is not None and not context.confirmed:
        return await _ask_to_move(context, current, target.name if target else name)
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
        context.person.id,
        context.now(),
    )
    await _plan_meeting_reminders(context, target)
    if current is not None and current.id != target.id:
        await _plan_meeting_reminders(context, current)  # withdraws the moved chat's rows
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


async def _ask_to_move(context: Context, current: WorkingGroup, target_name: str) -> Reply:
    reply = context.reply(
        "This chat belongs to {current}. Move it to {target}? Answer {yes} or {no} "
        "within 5 minutes.",
        current=bold(current.name),
        target=bold(target_name),
        yes=context.command_word("ja"),
        no=context.command_word("nein"),
    )
    return await ask_yes_no(
        context, reply, command="einrichten", argument=target_name, yes_label=context.t("Yes, move")
    )


async def _request_binding(context: Context, target: WorkingGroup) -> Reply:
    """An AG that exists and that the person does not coordinate: its coordinators decide.

    Binding opens the AG's tasks, hours and roles to this chat's members and admins, so
    anyone who can create a group chat could otherwise take an AG over.
    """
    chat = context.message.chat
    new_code = one_time_code()
    await binding_requests.request_binding(
        context.session,
        code=new_code,
        group_id=target.id,
        platform=chat.platform,
        chat_id=chat.chat_id,
        chat_title=chat.title,
        requested_by=context.person.id,
        expires_at=context.now() + BINDING_REQUEST_LIFETIME,
    )
    confirm = f"{context.command_word('einrichten')} {context.t(_CONFIRM_WORD)} {new_code}"
    return context.reply(
        "{group} already exists, and only its coordinators can add a chat to it (so that "
        "nobody takes an AG over from outside). Nothing was changed yet.\n"
        "Ask a coordinator of {group} to send {command} in one of the AG's chats within "
        "24 hours; then this chat belongs to {group}.",
        group=bold(target.name),
        command=code(confirm),
    ).build()


async def _plan_meeting_reminders(context: Context, group: WorkingGroup) -> None:
    """Meeting reminders for the AG's chats as they are now: a chat bound after the meetings
    were planned gets its rows at once, not at the next daily planning."""
    now, horizon = context.now(), context.settings.reminder_horizon
    for meeting in await reminders.meetings_to_plan(context.session, now, horizon, group.id):
        await reminders.sync_meeting(context.session, meeting, now, horizon)


async def _confirm_binding(context: Context, given: str) -> Reply:
    """``/einrichten bestaetigen <Code>`` in a chat of the AG, by one of its coordinators."""
    group = context.require_group()
    request = await binding_requests.take_binding_request(
        context.session, given, group.id, context.now()
    )
    if request is None:
        raise context.refuse(
            "This code is unknown here or expired. The chat that wants to join sends "
            "{setup} again for a new one.",
            setup=f"{context.command_word('einrichten')} {group.name}",
        )
    await groups.bind_chat(
        context.session,
        group,
        request.platform,
        request.chat_id,
        request.chat_title,
        request.requested_by,
        context.now(),
    )
    await _plan_meeting_reminders(context, group)
    joined = ChatRef(request.platform, request.chat_id, False, request.chat_title)
    welcome = context.reply(
        "{name} confirmed it: this chat now belongs to {group}. Members join with {join}.",
        name=context.person.display_name,
        group=bold(group.name),
        join=context.command_word("beitreten"),
    ).build()
    reply = context.reply(
        "The chat {chat} now belongs to {group}.",
        chat=request.chat_title or request.chat_id,
        group=bold(group.name),
    )
    reply.deliveries.append(Delivery(joined, welcome))
    return reply.build()


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
            f"{context.t(PLATFORM_NAMES.get(c.platform, c.platform))}: {c.title or c.chat_id}"
            for c in chats
        ),
    )
    total = sum(counts.values())
    reply.add(context.tn("{count} member", "{count} members", total), count=total)
    if refs:
        reply.add(context.t("Coordinators: {names}"), names=join_spans(mention(r) for r in refs))
        reachable = await people.reachable_privately(session, [r.person_id for r in refs])
        unreachable = [r for r in refs if r.person_id not in reachable]
        if unreachable:
            reply.add(
                context.t(
                    "Not reachable privately (weekly overview and notices only as a pointer "
                    "here): {names} – please write {start} to me in a private chat once."
                ),
                names=join_spans(mention(r) for r in unreachable),
                start=context.command_word("start"),
            )
    else:
        reply.add(context.t("Coordinators: none"))
    reply.add(
        context.t(
            "Settings: language {language}, time zone {timezone}, state {state}, "
            "one person-day (TW) = {hours} hours"
        ),
        language=context.t(LANGUAGE_NAMES.get(group.language, group.language)),
        timezone=group.timezone,
        state=group_state_name(context.translator, group),
        hours=format_decimal(group.hours_per_day, locale=context.language),
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
    return (
        context.reply(
            "Welcome to {group}, {name}!", group=bold(group.name), name=context.person.display_name
        )
        .add(context.t(PRIVACY_POINTER), privacy=context.command_word("datenschutz"))
        .build()
    )


async def leave_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    if context.role is None:
        raise context.refuse("You are not a member of {group}.", group=group.name)
    if context.role is Role.COORDINATOR:
        await _keep_one_coordinator(context, group, leaving=True)
    released = await release_tasks(context, group, context.person)
    await groups.remove_member(context.session, group.id, context.person.id)
    reply = context.reply("You have left {group}.", group=bold(group.name))
    if released.released:
        count = len(released.released)
        reply.add(
            context.tn(
                "You are no longer responsible for {count} open task.",
                "You are no longer responsible for {count} open tasks.",
                count,
            ),
            count=count,
        )
    if released.unassigned:
        unassigned_lines(context, reply, released.unassigned)
    return reply.build()


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
    page = bounded_number(words[0]) if len(words) == 1 else None
    if page is None or page < 1:
        raise UsageError()
    return page


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
    reply = context.reply(
        "{name} now is {role} in {group}.",
        name=mention(ref),
        role=role_name(context.translator, new_role),
        group=bold(group.name),
    )
    reachable = await people.reachable_privately(context.session, [person.id])
    if new_role is Role.COORDINATOR and person.id not in reachable:
        reply.add(
            context.t(
                "{name}, I cannot write to you privately yet: please send me {start} in a "
                "private chat once, so that the weekly overview and notices reach you."
            ),
            name=mention(ref),
            start=context.command_word("start"),
        )
    return reply.build()


COMMANDS = [
    Command(
        name="einrichten",
        alias="setup",
        usage=N_("<name> | network <network> | confirm <code>"),
        summary=N_("Binds this group chat to an AG, creating the AG if needed, or to a network."),
        details=N_(
            "Chat admins create a new AG; the person who creates it becomes its first "
            "coordinator. A chat joins an AG that exists only with its coordinators: they "
            "either send the command themselves, or confirm the code it answers with in one "
            "of the AG's chats. One AG may have several chats, also on different messengers. "
            "Moving a chat to another AG asks for confirmation. With the word network, the "
            "chat belongs to a network of AGs itself (a chat admin of its Geschäftsstelle, or "
            "a global admin)."
        ),
        handler=setup_command,
        permission=Permission.CHAT_ADMIN,
        subcommand_permissions=tuple(
            (word, Permission.COORDINATOR) for word in ("bestaetigen", "confirm")
        ),
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
