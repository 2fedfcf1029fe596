"""Storage on SQLite and PostgreSQL: migrations, times, merging persons, lookups."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from storage import dialogues, groups, people
from storage.database import (
    alembic_config,
    create_engine,
    downgrade_schema,
    schema_revision,
    session_factory,
    upgrade_schema,
)
from storage.models import Role

NOW = datetime(2026, 3, 25, 9, 15, tzinfo=UTC)


async def _migrated(url: str):  # type: ignore[no-untyped-def]
    engine = create_engine(url)
    await upgrade_schema(engine)
    return engine


async def test_migrations_run_from_empty_to_head_and_back(database_url: str) -> None:
    engine = create_engine(database_url)
    assert await schema_revision(engine) is None
    await upgrade_schema(engine)
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert await schema_revision(engine) == head
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {"persons", "accounts", "working_groups", "chat_bindings", "memberships"} <= tables

    await downgrade_schema(engine, "base")
    assert await schema_revision(engine) is None
    await upgrade_schema(engine)  # and up again: downgrades leave nothing behind
    assert await schema_revision(engine) == head
    await engine.dispose()


async def test_times_come_back_aware_in_utc(database_url: str) -> None:
    engine = await _migrated(database_url)
    sessions = session_factory(engine)
    berlin_noon = datetime.fromisoformat("2026-07-01T12:00:00+02:00")
    async with sessions() as session, session.begin():
        person = await people.person_for_account(
            session, people.SeenAccount("console", "anna", "Anna"), berlin_noon
        )
        person_id = person.id
    async with sessions() as session:
        person = await people.find_by_account(session, "console", "anna")
        assert person is not None and person.id == person_id
        assert person.created_at == berlin_noon
        assert person.created_at.utcoffset() == timedelta(0)
    await engine.dispose()


async def test_merging_persons_keeps_the_higher_role_and_moves_everything(
    database_url: str,
) -> None:
    engine = await _migrated(database_url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        keep = await people.person_for_account(
            session, people.SeenAccount("telegram", "111", "Anna T", "anna_t"), NOW
        )
        absorb = await people.person_for_account(
            session, people.SeenAccount("matrix", "@anna:example.org", "Anna M"), NOW
        )
        both = await groups.create_group(session, "AG Beide", NOW, language="de", timezone="UTC")
        only_absorbed = await groups.create_group(
            session, "AG Matrix", NOW, language="de", timezone="UTC"
        )
        await groups.add_member(session, both.id, keep.id, Role.MEMBER, NOW)
        await groups.add_member(session, both.id, absorb.id, Role.COORDINATOR, NOW)
        await groups.add_member(session, only_absorbed.id, absorb.id, Role.MEMBER, NOW)
        await people.merge_persons(session, keep=keep, absorb=absorb)
        keep_id, both_id, only_id = keep.id, both.id, only_absorbed.id
    async with sessions() as session:
        assert await groups.role_in(session, both_id, keep_id) is Role.COORDINATOR
        assert await groups.role_in(session, only_id, keep_id) is Role.MEMBER
        merged = await people.find_by_account(session, "matrix", "@anna:example.org")
        assert merged is not None and merged.id == keep_id
        assert await people.count_persons(session) == 1
        assert len(await groups.members_of(session, both_id)) == 1
    await engine.dispose()


async def test_a_chat_belongs_to_one_ag_and_names_are_unique_ignoring_case(
    database_url: str,
) -> None:
    engine = await _migrated(database_url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        anna = await people.person_for_account(
            session, people.SeenAccount("console", "anna", "Anna"), NOW
        )
        first = await groups.create_group(session, "AG Verkehr", NOW, language="de", timezone="UTC")
        second = await groups.create_group(session, "AG Kultur", NOW, language="de", timezone="UTC")
        await groups.bind_chat(session, first, "telegram", "-100", "Verkehr", anna.id, NOW)
        await groups.bind_chat(session, second, "telegram", "-100", "Kultur", anna.id, NOW)
        bound = await groups.group_for_chat(session, "telegram", "-100")
        assert bound is not None and bound.name == "AG Kultur"
        assert await groups.find_group(session, "  ag   VERKEHR ") is not None
    with pytest.raises(IntegrityError):
        async with sessions() as session, session.begin():
            await groups.create_group(session, "ag verkehr", NOW, language="de", timezone="UTC")
    await engine.dispose()


async def test_link_codes_work_once_and_expire(database_url: str) -> None:
    engine = await _migrated(database_url)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        anna = await people.person_for_account(
            session, people.SeenAccount("console", "anna", "Anna"), NOW
        )
        await dialogues.store_link_code(session, anna.id, "ABCD2345", NOW + timedelta(minutes=10))
        assert await dialogues.redeem_link_code(session, "abcd2345", NOW) == anna.id
        assert await dialogues.redeem_link_code(session, "ABCD2345", NOW) is None
        await dialogues.store_link_code(session, anna.id, "WXYZ6789", NOW + timedelta(minutes=10))
        later = NOW + timedelta(minutes=11)
        assert await dialogues.redeem_link_code(session, "WXYZ6789", later) is None
    await engine.dispose()


async def test_the_migrations_create_exactly_the_models(database_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from storage.models import Base

    engine = await _migrated(database_url)

    def differences(connection):  # type: ignore[no-untyped-def]
        return compare_metadata(MigrationContext.configure(connection), Base.metadata)

    async with engine.connect() as connection:
        diff = await connection.run_sync(differences)
    assert diff == [], "models and migrations disagree; write a migration"
    await engine.dispose()
