"""Persons and their messenger accounts: lookup, learning names, resolving mentions, merging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Table, bindparam, delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage import hours
from storage.models import Account, Base, LinkCode, Membership, PendingConfirmation, Person, Role


def username_key(username: str | None) -> str | None:
    return username.casefold() if username else None


@dataclass(frozen=True)
class SeenAccount:
    """What an adapter knows about the sender of a message."""

    platform: str
    account_id: str
    display_name: str
    username: str | None = None


# Built once: this lookup runs for every message the bot sees.
_ACCOUNT_WITH_PERSON = (
    select(Account, Person)
    .join(Person, Person.id == Account.person_id)
    .where(Account.platform == bindparam("platform"), Account.account_id == bindparam("account_id"))
)


async def person_for_account(
    session: AsyncSession,
    seen: SeenAccount,
    now: datetime,
    language: str | None = None,
    *,
    wrote_privately: bool = False,
) -> Person:
    """The person behind an account, created on their first command; learns name changes.

    Only the router calls this, for a command (a button press is one too). Plain chat
    goes through :func:`learn_known_account`, which never creates anybody.

    ``wrote_privately``: the message came from a private chat, so the bot can write
    to this account privately from now on.
    """
    row = (
        await session.execute(
            _ACCOUNT_WITH_PERSON, {"platform": seen.platform, "account_id": seen.account_id}
        )
    ).first()
    if row is None:
        person = Person(language=language, created_at=now)
        person.rename(seen.display_name)
        session.add(person)
        await session.flush()
        session.add(
            Account(
                person_id=person.id,
                platform=seen.platform,
                account_id=seen.account_id,
                username=seen.username,
                username_key=username_key(seen.username),
                display_name=seen.display_name,
                last_seen_at=now,
                reachable_privately=True if wrote_privately else None,
            )
        )
        await session.flush()
        return person
    account, person = row
    _learn(account, person, seen, now, wrote_privately)
    return person


async def learn_known_account(
    session: AsyncSession, seen: SeenAccount, now: datetime, *, wrote_privately: bool = False
) -> Person | None:
    """The person behind an account the bot already knows, with name changes learned.

    For messages that are no command: they never create a person (data minimisation,
    docs/DATENSCHUTZ.md), they only keep the names of known people up to date.
    """
    row = (
        await session.execute(
            _ACCOUNT_WITH_PERSON, {"platform": seen.platform, "account_id": seen.account_id}
        )
    ).first()
    if row is None:
        return None
    account, person = row
    _learn(account, person, seen, now, wrote_privately)
    return person


def _learn(
    account: Account, person: Person, seen: SeenAccount, now: datetime, wrote_privately: bool
) -> None:
    if wrote_privately and not account.reachable_privately:
        account.reachable_privately = True
    # Only write when something changed: most messages come from known, unchanged accounts.
    if account.display_name != seen.display_name or account.username != seen.username:
        account.display_name = seen.display_name
        account.username = seen.username
        account.username_key = username_key(seen.username)
        account.last_seen_at = now
        if person.display_name != seen.display_name:
            person.rename(seen.display_name)


async def set_reachable_privately(
    session: AsyncSession, platform: str, account_id: str, reachable: bool
) -> None:
    """Record that the bot can (no longer) write to this account privately."""
    await session.execute(
        update(Account)
        .where(Account.platform == platform, Account.account_id == account_id)
        .values(reachable_privately=reachable)
    )


async def accounts_of(session: AsyncSession, person_ids: list[int]) -> dict[int, list[Account]]:
    """Accounts per person, for rendering mentions on every messenger."""
    if not person_ids:
        return {}
    result: dict[int, list[Account]] = {pid: [] for pid in person_ids}
    rows = await session.scalars(select(Account).where(Account.person_id.in_(person_ids)))
    for account in rows:
        result[account.person_id].append(account)
    return result


async def reachable_privately(session: AsyncSession, person_ids: list[int]) -> set[int]:
    """Those of ``person_ids`` the bot can write to privately on at least one messenger."""
    if not person_ids:
        return set()
    rows = await session.scalars(
        select(Account.person_id).where(
            Account.person_id.in_(person_ids), Account.reachable_privately.is_(True)
        )
    )
    return set(rows)


async def find_by_account(session: AsyncSession, platform: str, account_id: str) -> Person | None:
    return await session.scalar(
        select(Person)
        .join(Account, Account.person_id == Person.id)
        .where(Account.platform == platform, Account.account_id == account_id)
    )


async def find_by_username(session: AsyncSession, platform: str, username: str) -> list[Person]:
    """Persons whose account on ``platform`` has this username (case-insensitive)."""
    rows = await session.scalars(
        select(Person)
        .join(Account, Account.person_id == Person.id)
        .where(Account.platform == platform, Account.username_key == username_key(username))
        .distinct()
    )
    return list(rows)


async def find_members_by_name(session: AsyncSession, group_id: int, name: str) -> list[Person]:
    """Members of an AG whose display name is ``name`` (case-insensitive)."""
    rows = await session.scalars(
        select(Person)
        .join(Membership, Membership.person_id == Person.id)
        .where(Membership.group_id == group_id, Person.sort_name == name.casefold())
    )
    return list(rows)


async def set_language(session: AsyncSession, person: Person, language: str) -> None:
    person.language = language


async def merge_persons(session: AsyncSession, keep: Person, absorb: Person) -> None:
    """Make ``absorb`` part of ``keep``: accounts, memberships and every other row move over.

    Memberships in an AG both belong to keep the higher role. Every other
    foreign key to ``persons.id`` (later: tasks, hours, …) is followed
    generically so that new tables are merged without changing this function.
    """
    both = (
        await session.execute(
            select(Membership).where(Membership.person_id.in_([keep.id, absorb.id]))
        )
    ).scalars()
    by_group: dict[int, list[Membership]] = {}
    for membership in both:
        by_group.setdefault(membership.group_id, []).append(membership)
    for memberships in by_group.values():
        if len(memberships) == 2:
            kept = next(m for m in memberships if m.person_id == keep.id)
            dropped = next(m for m in memberships if m.person_id == absorb.id)
            if dropped.role == Role.COORDINATOR:
                kept.role = Role.COORDINATOR
            kept.joined_at = min(kept.joined_at, dropped.joined_at)
            await session.delete(dropped)
    # Short-lived dialogue rows of the absorbed person are dropped, not merged.
    await session.execute(
        delete(PendingConfirmation).where(PendingConfirmation.person_id == absorb.id)
    )
    await session.execute(delete(LinkCode).where(LinkCode.person_id == absorb.id))
    # Monthly hour totals are sums: both persons' rows of one month add up.
    await hours.merge_totals(session, keep.id, absorb.id)
    await session.flush()

    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if table.name == "persons" or not any(
                isinstance(fk, ForeignKey) and fk.column.table.name == "persons"
                for fk in column.foreign_keys
            ):
                continue
            if column.primary_key:
                await _drop_colliding_rows(session, table, column, keep.id, absorb.id)
            await session.execute(
                update(table).where(column == absorb.id).values({column.name: keep.id})
            )
    if keep.language is None:
        keep.language = absorb.language
    await session.execute(delete(Person).where(Person.id == absorb.id))
    session.expunge(absorb)


async def _drop_colliding_rows(
    session: AsyncSession, table: Table, column: Column[Any], keep_id: int, absorb_id: int
) -> None:
    """Delete absorb's rows whose primary key keep already has (both assigned to one item)."""
    others = [c for c in table.primary_key.columns if c is not column]
    kept = table.alias("kept")
    await session.execute(
        delete(table).where(
            column == absorb_id,
            exists().where(kept.c[column.name] == keep_id, *(kept.c[c.name] == c for c in others)),
        )
    )


async def count_persons(session: AsyncSession) -> int:
    return (await session.scalar(select(func.count()).select_from(Person))) or 0
