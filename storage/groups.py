"""Working groups (AGs), the chats bound to them and their memberships."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, case, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Account,
    ChatBinding,
    Membership,
    NetworkChat,
    PendingConfirmation,
    Person,
    Role,
    WorkingGroup,
)


def name_key(name: str) -> str:
    """The lookup key of an AG name: case-folded with single spaces."""
    return " ".join(name.split()).casefold()


async def find_group(session: AsyncSession, name: str) -> WorkingGroup | None:
    return await session.scalar(select(WorkingGroup).where(WorkingGroup.name_key == name_key(name)))


async def create_group(
    session: AsyncSession, name: str, now: datetime, *, language: str, timezone: str
) -> WorkingGroup:
    group = WorkingGroup(
        name=" ".join(name.split()),
        name_key=name_key(name),
        language=language,
        timezone=timezone,
        hours_per_day=8,
        created_at=now,
    )
    session.add(group)
    await session.flush()
    return group


async def group_for_chat(session: AsyncSession, platform: str, chat_id: str) -> WorkingGroup | None:
    return await session.scalar(
        select(WorkingGroup)
        .join(ChatBinding, ChatBinding.group_id == WorkingGroup.id)
        .where(ChatBinding.platform == platform, ChatBinding.chat_id == chat_id)
    )


async def bind_chat(
    session: AsyncSession,
    group: WorkingGroup,
    platform: str,
    chat_id: str,
    title: str,
    person_id: int,
    now: datetime,
) -> None:
    """Bind a chat to ``group``, replacing an earlier binding of the same chat."""
    binding = await session.scalar(
        select(ChatBinding).where(ChatBinding.platform == platform, ChatBinding.chat_id == chat_id)
    )
    if binding is None:
        session.add(
            ChatBinding(
                group_id=group.id,
                platform=platform,
                chat_id=chat_id,
                title=title,
                bound_at=now,
                bound_by=person_id,
            )
        )
    else:
        binding.group_id = group.id
        binding.title = title
        binding.bound_at = now
        binding.bound_by = person_id
    await session.flush()


async def set_binding_active(
    session: AsyncSession, platform: str, chat_id: str, active: bool
) -> WorkingGroup | None:
    """Mark a bound chat (in)active; the AG it belongs to, if it is bound."""
    binding = await session.scalar(
        select(ChatBinding).where(ChatBinding.platform == platform, ChatBinding.chat_id == chat_id)
    )
    if binding is None:
        return None
    binding.active = active
    return await session.get(WorkingGroup, binding.group_id)


async def move_chat(
    session: AsyncSession, platform: str, old_chat_id: str, new_chat_id: str
) -> None:
    """A chat got a new id (Telegram group → supergroup): its binding follows."""
    for binding in (ChatBinding, NetworkChat):
        await session.execute(
            update(binding)
            .where(binding.platform == platform, binding.chat_id == old_chat_id)
            .values(chat_id=new_chat_id)
        )
    await session.execute(
        update(PendingConfirmation)
        .where(
            PendingConfirmation.platform == platform,
            PendingConfirmation.chat_id == old_chat_id,
        )
        .values(chat_id=new_chat_id)
    )


async def chats_of(session: AsyncSession, group_id: int) -> list[ChatBinding]:
    rows = await session.scalars(
        select(ChatBinding)
        .where(ChatBinding.group_id == group_id)
        .order_by(ChatBinding.platform, ChatBinding.title)
    )
    return list(rows)


# Built once: this lookup runs for every command in a group chat.
_GROUP_AND_ROLE = (
    select(WorkingGroup, Membership.role)
    .join(ChatBinding, ChatBinding.group_id == WorkingGroup.id)
    .outerjoin(
        Membership,
        (Membership.group_id == WorkingGroup.id) & (Membership.person_id == bindparam("person")),
    )
    .where(ChatBinding.platform == bindparam("platform"), ChatBinding.chat_id == bindparam("chat"))
)


async def group_and_role_for_chat(
    session: AsyncSession, platform: str, chat_id: str, person_id: int
) -> tuple[WorkingGroup | None, Role | None]:
    """The AG a chat belongs to and the person's role in it, in one query."""
    row = (
        await session.execute(
            _GROUP_AND_ROLE, {"platform": platform, "chat": chat_id, "person": person_id}
        )
    ).first()
    return (row[0], row[1]) if row is not None else (None, None)


async def role_in(session: AsyncSession, group_id: int, person_id: int) -> Role | None:
    return await session.scalar(
        select(Membership.role).where(
            Membership.group_id == group_id, Membership.person_id == person_id
        )
    )


async def add_member(
    session: AsyncSession, group_id: int, person_id: int, role: Role, now: datetime
) -> None:
    session.add(Membership(group_id=group_id, person_id=person_id, role=role, joined_at=now))
    await session.flush()


async def remove_member(session: AsyncSession, group_id: int, person_id: int) -> None:
    await session.execute(
        delete(Membership).where(Membership.group_id == group_id, Membership.person_id == person_id)
    )


async def set_role(session: AsyncSession, group_id: int, person_id: int, role: Role) -> None:
    membership = await session.get(Membership, (group_id, person_id))
    if membership is None:
        raise LookupError("not a member")
    membership.role = role


@dataclass(frozen=True)
class MemberRow:
    person_id: int
    display_name: str
    role: Role


# CASE, not the enum's sort order: PostgreSQL sorts native enums by declaration.
_COORDINATORS_FIRST = case((Membership.role == Role.COORDINATOR, 0), else_=1)
_MEMBER_ORDER = (_COORDINATORS_FIRST, Person.sort_name, Person.id)


async def members_of(
    session: AsyncSession, group_id: int, *, role: Role | None = None
) -> list[MemberRow]:
    """Members with roles, coordinators first, then by name; optionally only one role."""
    # Plain columns instead of ORM entities: an AG may have a thousand members.
    query = (
        select(Person.id, Person.display_name, Membership.role)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.group_id == group_id)
        .order_by(*_MEMBER_ORDER)
    )
    if role is not None:
        query = query.where(Membership.role == role)
    rows = await session.execute(query)
    return [MemberRow(pid, name, member_role) for pid, name, member_role in rows]


# Built once; the window count gives the total with the page, saving a round trip.
_MEMBER_PAGE = (
    select(Person.id, Person.display_name, Membership.role, func.count().over())
    .join(Membership, Membership.person_id == Person.id)
    .where(Membership.group_id == bindparam("group"))
    .order_by(*_MEMBER_ORDER)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)


async def member_page(
    session: AsyncSession, group_id: int, limit: int, offset: int
) -> tuple[list[MemberRow], int]:
    """One page of :func:`members_of` and the number of all members."""
    rows = (
        await session.execute(_MEMBER_PAGE, {"group": group_id, "limit": limit, "offset": offset})
    ).all()
    if not rows:
        total = sum((await count_by_role(session, group_id)).values())
        return [], total
    return [MemberRow(pid, name, role) for pid, name, role, _ in rows], rows[0][3]


async def count_by_role(session: AsyncSession, group_id: int) -> dict[Role, int]:
    rows = await session.execute(
        select(Membership.role, func.count())
        .where(Membership.group_id == group_id)
        .group_by(Membership.role)
    )
    counts = {role: 0 for role in Role}
    for role, count in rows:
        counts[role] = count
    return counts


@dataclass(frozen=True)
class PrivateAddress:
    """Where a person can be written to privately on one messenger."""

    person_id: int
    language: str | None
    platform: str
    account_id: str


async def coordinators_reachable_privately(
    session: AsyncSession, group_id: int
) -> list[PrivateAddress]:
    """Accounts of the AG's coordinators that the bot may write to privately."""
    rows = await session.execute(
        select(Person.id, Person.language, Account.platform, Account.account_id)
        .join(Membership, Membership.person_id == Person.id)
        .join(Account, Account.person_id == Person.id)
        .where(
            Membership.group_id == group_id,
            Membership.role == Role.COORDINATOR,
            Account.reachable_privately.is_(True),
        )
        .order_by(Person.id, Account.platform)
    )
    return [PrivateAddress(*row) for row in rows]


async def groups_of_person(
    session: AsyncSession, person_id: int
) -> list[tuple[WorkingGroup, Role]]:
    rows = await session.execute(
        select(WorkingGroup, Membership.role)
        .join(Membership, Membership.group_id == WorkingGroup.id)
        .where(Membership.person_id == person_id)
        .order_by(WorkingGroup.name_key)
    )
    return [(group, role) for group, role in rows]


async def all_groups(session: AsyncSession) -> list[WorkingGroup]:
    rows = await session.scalars(select(WorkingGroup).order_by(WorkingGroup.name_key))
    return list(rows)
