"""/netzwerk: create a network, show it, take AGs in and release them, name its Geschäftsstelle;
and ``/einrichten netzwerk <Name>``, which binds a chat to the network itself.

The network of a command is the one of the chat it is sent in: a chat bound to the network,
or a chat of one of its AGs. Only the Geschäftsstelle and global admins see the network's
AGs by name; everyone else in its chats sees the network, its Geschäftsstelle and its own
chats, never another AG.
"""

from __future__ import annotations

from core.commands import Command, Permission, normalize_word
from core.errors import UsageError
from core.i18n import N_
from core.messages import Reply, bold, join_spans, mention
from handlers.shared.context import Context
from handlers.shared.mentions import resolve_person
from handlers.shared.texts import PLATFORM_NAMES
from storage import groups, networks
from storage.models import Network, NetworkRole, Role, WorkingGroup

MAX_NAME_LENGTH = 100
_CREATE = {"anlegen", "create"}
_ADMIT = {"aufnehmen", "admit"}
_RELEASE = {"entlassen", "release"}
_ROLE = {"rolle", "role"}
_ROLE_WORDS: dict[str, NetworkRole | None] = {
    "geschaeftsstelle": NetworkRole.OFFICE,
    "office": NetworkRole.OFFICE,
    "keine": None,
    "none": None,
}
# Subcommand words as the reader writes them, for the hints in replies.
_CREATE_WORD = N_("create")
_ADMIT_WORD = N_("admit")
_ROLE_WORD = N_("role")
_NETWORK_WORD = N_("network")
# The first word of /einrichten that binds the chat to a network instead of an AG.
SETUP_WORDS = {"netzwerk", "network"}


async def network_command(context: Context, args: str) -> Reply:
    word, _, rest = args.strip().partition(" ")
    key = normalize_word(word)
    rest = " ".join(rest.split())
    if not word:
        return await _show(context)
    if key in _CREATE:
        return await _create(context, rest)
    if key in _ADMIT:
        return await _admit(context, rest)
    if key in _RELEASE:
        return await _release(context, rest)
    if key in _ROLE:
        return await _role(context, rest)
    raise UsageError()


async def _network_here(context: Context) -> Network:
    """The network of this chat, or a refusal that says where /netzwerk works."""
    network: Network | None = None
    if context.group is not None:
        network = await networks.network_of_group(context.session, context.group.id)
        if network is None:
            raise context.refuse(
                "{group} belongs to no network. The Geschäftsstelle of a network takes it in "
                "with {admit} in a chat of the network.",
                group=context.group.name,
                admit=f"{context.command_word('netzwerk')} {context.t(_ADMIT_WORD)} "
                f"{context.group.name}",
            )
    elif not context.is_private:
        chat = context.message.chat
        network = await networks.network_for_chat(context.session, chat.platform, chat.chat_id)
    if network is None:
        raise context.refuse(
            "{command} works in a chat of a network or of one of its AGs.",
            command=context.command_word("netzwerk"),
        )
    return network


async def _is_office(context: Context, network: Network) -> bool:
    role = await networks.role_of(context.session, network.id, context.person.id)
    return role is NetworkRole.OFFICE


async def _require_manager(context: Context, network: Network) -> None:
    """Refuse everyone but the network's Geschäftsstelle and global admins."""
    if context.level >= Permission.GLOBAL_ADMIN or await _is_office(context, network):
        return
    raise context.refuse(
        "Only the Geschäftsstelle of the network {network} or a global admin may do this.",
        network=network.name,
    )


async def _show(context: Context) -> Reply:
    network = await _network_here(context)
    session = context.session
    office = await networks.office_of(session, network.id)
    members = await networks.groups_of(session, network.id)
    full = context.level >= Permission.GLOBAL_ADMIN or any(
        p.person_id == context.person.id for p in office
    )
    reply = context.reply()
    reply.add(context.t("Network {network}"), network=bold(network.name))
    if full:
        reply.add(
            context.tn("{count} AG belongs to it:", "{count} AGs belong to it:", len(members)),
            count=len(members),
        )
        counts = await networks.chat_counts(session, [g.id for g in members])
        for group in members:
            reply.add(
                context.tn(
                    "• {group} ({count} chat)", "• {group} ({count} chats)", counts[group.id]
                ),
                group=bold(group.name),
                count=counts[group.id],
            )
    else:
        # Outside the Geschäftsstelle nobody learns the other AGs of the network.
        reply.add(
            context.tn("{count} AG belongs to it.", "{count} AGs belong to it.", len(members)),
            count=len(members),
        )
        if context.group is not None:
            reply.add(context.t("This chat belongs to {group}."), group=bold(context.group.name))
    refs = await context.person_refs([(p.person_id, p.display_name) for p in office])
    if refs:
        reply.add(context.t("Geschäftsstelle: {names}"), names=join_spans(mention(r) for r in refs))
    else:
        reply.add(context.t("Geschäftsstelle: nobody yet"))
    chats = await networks.chats_of(session, network.id)
    if chats:
        reply.add(
            context.t("Chats of the network: {chats}"),
            chats="; ".join(
                f"{context.t(PLATFORM_NAMES.get(c.platform, c.platform))}: {c.title or c.chat_id}"
                for c in chats
            ),
        )
    else:
        reply.add(context.t("Chats of the network: none"))
    return reply.build()


async def _create(context: Context, name: str) -> Reply:
    if not name:
        raise UsageError()
    if len(name) > MAX_NAME_LENGTH:
        raise context.refuse(
            "The name is too long (at most {limit} characters).", limit=MAX_NAME_LENGTH
        )
    if await networks.find_network(context.session, name) is not None:
        raise context.refuse("The network {network} already exists.", network=name)
    network = await networks.create_network(context.session, name, context.now())
    return context.reply(
        "The network {network} was created. Bind a chat to it with {setup}; there its "
        "Geschäftsstelle is named with {role} and AGs are taken in with {admit}.",
        network=bold(network.name),
        setup=f"{context.command_word('einrichten')} {context.t(_NETWORK_WORD)} {network.name}",
        role=f"{context.command_word('netzwerk')} {context.t(_ROLE_WORD)}",
        admit=f"{context.command_word('netzwerk')} {context.t(_ADMIT_WORD)}",
    ).build()


async def _named_group(context: Context, name: str) -> WorkingGroup:
    if not name:
        raise UsageError()
    group = await groups.find_group(context.session, name)
    if group is None:
        raise context.refuse("There is no AG named {name}.", name=name)
    return group


async def _require_coordinating(context: Context, network: Network, group: WorkingGroup) -> None:
    """A Geschäftsstelle member acts at once only on an AG they coordinate themselves.

    Their network rights make them a coordinator of the network's AGs, so the AG's own
    membership role is what counts here, never the level.
    """
    if context.level >= Permission.GLOBAL_ADMIN:
        return
    if await groups.role_in(context.session, group.id, context.person.id) is Role.COORDINATOR:
        return
    office = await networks.office_of(context.session, network.id)
    able = [
        p
        for p in office
        if await groups.role_in(context.session, group.id, p.person_id) is Role.COORDINATOR
    ]
    if able:
        raise context.refuse(
            "Only a global admin or a member of the Geschäftsstelle who coordinates {group} "
            "can do this: {names}.",
            group=group.name,
            names=", ".join(p.display_name for p in able),
        )
    raise context.refuse(
        "Only a global admin can do this, or a member of the Geschäftsstelle who coordinates "
        "{group}; nobody of the Geschäftsstelle coordinates it.",
        group=group.name,
    )


async def _admit(context: Context, name: str) -> Reply:
    network = await _network_here(context)
    await _require_manager(context, network)
    group = await _named_group(context, name)
    current = await networks.network_of_group(context.session, group.id)
    if current is not None and current.id == network.id:
        return context.reply(
            "{group} already belongs to the network {network}.",
            group=bold(group.name),
            network=bold(network.name),
        ).build()
    if current is not None:
        # Which network is not said: nothing of one network is visible in another.
        raise context.refuse(
            "{group} already belongs to another network, and an AG belongs to at most one. "
            "It has to be released there first.",
            group=group.name,
        )
    await _require_coordinating(context, network, group)
    await networks.add_group(
        context.session, network.id, group.id, context.person.id, context.now()
    )
    return context.reply(
        "{group} now belongs to the network {network}. Its Geschäftsstelle has the rights of a "
        "coordinator in {group}.",
        group=bold(group.name),
        network=bold(network.name),
    ).build()


async def _release(context: Context, name: str) -> Reply:
    network = await _network_here(context)
    await _require_manager(context, network)
    group = await _named_group(context, name)
    current = await networks.network_of_group(context.session, group.id)
    if current is None or current.id != network.id:
        raise context.refuse(
            "{group} does not belong to the network {network}.",
            group=group.name,
            network=network.name,
        )
    await _require_coordinating(context, network, group)
    await networks.remove_group(context.session, network.id, group.id)
    return context.reply(
        "{group} no longer belongs to the network {network}.",
        group=bold(group.name),
        network=bold(network.name),
    ).build()


async def _role(context: Context, rest: str) -> Reply:
    network = await _network_here(context)
    await _require_manager(context, network)
    mentions = context.message.mentions
    words = normalize_word(context.without_mentions(rest)).split()
    if len(mentions) != 1 or len(words) != 1 or words[0] not in _ROLE_WORDS:
        raise UsageError()
    role = _ROLE_WORDS[words[0]]
    person = await resolve_person(context, mentions[0])
    ref = await context.person_ref(person.id, person.display_name)
    current = await networks.role_of(context.session, network.id, person.id)
    if current is role:
        template = (
            N_("{name} already is in the Geschäftsstelle of the network {network}.")
            if role is not None
            else N_("{name} is not in the Geschäftsstelle of the network {network}.")
        )
        return context.reply(template, name=mention(ref), network=bold(network.name)).build()
    await networks.set_role(context.session, network.id, person.id, role, context.now())
    template = (
        N_(
            "{name} now is in the Geschäftsstelle of the network {network}, with the rights "
            "of a coordinator in each of its AGs."
        )
        if role is not None
        else N_("{name} is no longer in the Geschäftsstelle of the network {network}.")
    )
    return context.reply(template, name=mention(ref), network=bold(network.name)).build()


async def bind_chat_to_network(context: Context, name: str) -> Reply:
    """``/einrichten netzwerk <Name>``: a chat admin of the Geschäftsstelle, or a global admin."""
    if not name:
        raise UsageError()
    network = await networks.find_network(context.session, name)
    if network is None:
        raise context.refuse(
            "There is no network named {name}. A global admin creates it with {create}.",
            name=name,
            create=f"{context.command_word('netzwerk')} {context.t(_CREATE_WORD)} {name}",
        )
    admin = context.level >= Permission.GLOBAL_ADMIN
    if not admin and not (
        context.message.sender.is_chat_admin and await _is_office(context, network)
    ):
        raise context.refuse(
            "Only a chat admin who is in the Geschäftsstelle of the network {network}, or a "
            "global admin, can bind a chat to it.",
            network=network.name,
        )
    if context.group is not None:
        raise context.refuse(
            "This chat belongs to {group}. A network gets chats of its own, not the chat of an AG.",
            group=context.group.name,
        )
    chat = context.message.chat
    current = await networks.network_for_chat(context.session, chat.platform, chat.chat_id)
    if current is not None and current.id == network.id:
        return context.reply(
            "This chat already belongs to the network {network}.", network=bold(network.name)
        ).build()
    if current is not None and not admin:
        raise context.refuse(
            "This chat belongs to the network {network}; only a global admin can move it.",
            network=current.name,
        )
    await networks.bind_chat(
        context.session,
        network,
        chat.platform,
        chat.chat_id,
        chat.title,
        context.person.id,
        context.now(),
    )
    return context.reply(
        "This chat now belongs to the network {network}. See it with {show}.",
        network=bold(network.name),
        show=context.command_word("netzwerk"),
    ).build()


COMMANDS = [
    Command(
        name="netzwerk",
        alias="network",
        usage=N_("[create <network> | admit <group> | release <group> | role @person office|none]"),
        summary=N_("Shows this chat's network of AGs; creates networks and manages their AGs."),
        details=N_(
            "Global admins create a network. Its Geschäftsstelle takes AGs in and releases "
            "them (at once for an AG they coordinate, else a global admin does it) and names "
            "the Geschäftsstelle; its members have the rights of a coordinator in every AG of "
            "the network. An AG belongs to at most one network. Works in a chat of the network "
            "or of one of its AGs."
        ),
        handler=network_command,
        subcommand_permissions=tuple((word, Permission.GLOBAL_ADMIN) for word in _CREATE),
    ),
]
