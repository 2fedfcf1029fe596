"""Networks of AGs: creating them, taking AGs in and out, the Geschäftsstelle, their chats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.groups import name_key
from storage.models import (
    ChatBinding,
    Network,
    NetworkChat,
    NetworkGroup,
    NetworkMember,
    NetworkRole,
    Person,
    WorkingGroup,
)


async def find_network(session: AsyncSession, name: str) -> Network | None:
    return await session.scalar(select(Network).where(Network.name_key == name_key(name)))


async def create_network(session: AsyncSession, name: str, now: datetime) -> Network:
    network = Network(name=" ".join(name.split()), name_key=name_key(name), created_at=now)
    session.add(network)
    await session.flush()
    return network


async def network_of_group(session: AsyncSession, group_id: int) -> Network | None:
    return await session.scalar(
        select(Network)
        .join(NetworkGroup, NetworkGroup.network_id == Network.id)
        .where(NetworkGroup.group_id == group_id)
    )


async def network_for_chat(session: AsyncSession, platform: str, chat_id: str) -> Network | None:
    """The network a chat is bound to itself (not through an AG)."""
    return await session.scalar(
        select(Network)
        .join(NetworkChat, NetworkChat.network_id == Network.id)
        .where(NetworkChat.platform == platform, NetworkChat.chat_id == chat_id)
    )


async def add_group(
    session: AsyncSession, network_id: int, group_id: int, person_id: int, now: datetime
) -> None:
    session.add(
        NetworkGroup(group_id=group_id, network_id=network_id, joined_at=now, added_by=person_id)
    )
    await session.flush()


async def remove_group(session: AsyncSession, network_id: int, group_id: int) -> None:
    await session.execute(
        delete(NetworkGroup).where(
            NetworkGroup.network_id == network_id, NetworkGroup.group_id == group_id
        )
    )


async def groups_of(session: AsyncSession, network_id: int) -> list[WorkingGroup]:
    rows = await session.scalars(
        select(WorkingGroup)
        .join(NetworkGroup, NetworkGroup.group_id == WorkingGroup.id)
        .where(NetworkGroup.network_id == network_id)
        .order_by(WorkingGroup.name_key)
    )
    return list(rows)


async def chat_counts(session: AsyncSession, group_ids: list[int]) -> dict[int, int]:
    """Active chats per AG, for the overview of a network."""
    counts = dict.fromkeys(group_ids, 0)
    rows = await session.scalars(
        select(ChatBinding.group_id).where(
            ChatBinding.group_id.in_(group_ids), ChatBinding.active.is_(True)
        )
    )
    for group_id in rows:
        counts[group_id] += 1
    return counts


async def role_of(session: AsyncSession, network_id: int, person_id: int) -> NetworkRole | None:
    return await session.scalar(
        select(NetworkMember.role).where(
            NetworkMember.network_id == network_id, NetworkMember.person_id == person_id
        )
    )


async def set_role(
    session: AsyncSession,
    network_id: int,
    person_id: int,
    role: NetworkRole | None,
    now: datetime,
) -> None:
    """Give the person ``role`` in the network, or take their role away (None)."""
    member = await session.get(NetworkMember, (network_id, person_id))
    if role is None:
        if member is not None:
            await session.delete(member)
    elif member is None:
        session.add(
            NetworkMember(network_id=network_id, person_id=person_id, role=role, granted_at=now)
        )
    else:
        member.role = role
    await session.flush()


@dataclass(frozen=True)
class NetworkPerson:
    person_id: int
    display_name: str


async def office_of(session: AsyncSession, network_id: int) -> list[NetworkPerson]:
    """The Geschäftsstelle of the network, by name."""
    rows = await session.execute(
        select(Person.id, Person.display_name)
        .join(NetworkMember, NetworkMember.person_id == Person.id)
        .where(NetworkMember.network_id == network_id, NetworkMember.role == NetworkRole.OFFICE)
        .order_by(Person.sort_name, Person.id)
    )
    return [NetworkPerson(pid, name) for pid, name in rows]


async def is_office_of_group(session: AsyncSession, group_id: int, person_id: int) -> bool:
    """Whether the person is in the Geschäftsstelle of the network the AG belongs to."""
    found = await session.scalar(
        select(
            exists().where(
                NetworkGroup.group_id == group_id,
                NetworkMember.network_id == NetworkGroup.network_id,
                NetworkMember.person_id == person_id,
                NetworkMember.role == NetworkRole.OFFICE,
            )
        )
    )
    return bool(found)


async def bind_chat(
    session: AsyncSession,
    network: Network,
    platform: str,
    chat_id: str,
    title: str,
    person_id: int,
    now: datetime,
) -> None:
    """Bind a chat to the network, replacing an earlier binding to another network."""
    binding = await session.scalar(
        select(NetworkChat).where(NetworkChat.platform == platform, NetworkChat.chat_id == chat_id)
    )
    if binding is None:
        session.add(
            NetworkChat(
                network_id=network.id,
                platform=platform,
                chat_id=chat_id,
                title=title,
                bound_at=now,
                bound_by=person_id,
            )
        )
    else:
        binding.network_id = network.id
        binding.title = title
        binding.bound_at = now
        binding.bound_by = person_id
        binding.active = True
    await session.flush()


async def set_chat_active(session: AsyncSession, platform: str, chat_id: str, active: bool) -> None:
    """Mark a network's chat (in)active when the bot is added to it again or removed."""
    await session.execute(
        update(NetworkChat)
        .where(NetworkChat.platform == platform, NetworkChat.chat_id == chat_id)
        .values(active=active)
    )


async def chats_of(session: AsyncSession, network_id: int) -> list[NetworkChat]:
    rows = await session.scalars(
        select(NetworkChat)
        .where(NetworkChat.network_id == network_id, NetworkChat.active.is_(True))
        .order_by(NetworkChat.platform, NetworkChat.title)
    )
    return list(rows)


async def groups_of_office(session: AsyncSession, person_id: int) -> list[WorkingGroup]:
    """The AGs of every network whose Geschäftsstelle the person is in."""
    rows = await session.scalars(
        select(WorkingGroup)
        .join(NetworkGroup, NetworkGroup.group_id == WorkingGroup.id)
        .join(NetworkMember, NetworkMember.network_id == NetworkGroup.network_id)
        .where(NetworkMember.person_id == person_id, NetworkMember.role == NetworkRole.OFFICE)
        .order_by(WorkingGroup.name_key)
    )
    return list(rows)
