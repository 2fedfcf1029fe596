"""Action items in storage on SQLite and PostgreSQL: order of lists, filters, counts, history,
closing windows and merging persons who are both assigned to one item."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage import groups, people, tasks
from storage.database import create_engine, session_factory, upgrade_schema
from storage.models import Person, Role, TaskEventKind, TaskStatus
from storage.tasks import NewItem

NOW = datetime(2026, 3, 25, 9, 15, tzinfo=UTC)
DAY = timedelta(days=1)


async def _person(session: AsyncSession, name: str) -> Person:
    return await people.person_for_account(session, people.SeenAccount("console", name, name), NOW)


async def _setup(url: str):  # type: ignore[no-untyped-def]
    engine = create_engine(url)
    await upgrade_schema(engine)
    sessions = session_factory(engine)
    async with sessions() as session, session.begin():
        ag = await groups.create_group(
            session, "AG Innenstadt", NOW, language="de", timezone="Europe/Berlin"
        )
        other = await groups.create_group(
            session, "AG Verkehr", NOW, language="de", timezone="Europe/Berlin"
        )
        anna, ben = await _person(session, "anna"), await _person(session, "ben")
        for person in (anna, ben):
            await groups.add_member(session, ag.id, person.id, Role.MEMBER, NOW)
        ids = (ag.id, other.id, anna.id, ben.id)
    return engine, sessions, ids


async def test_open_items_come_by_deadline_with_their_assignees(database_url: str) -> None:
    engine, sessions, (ag, other, anna, ben) = await _setup(database_url)
    async with sessions() as session, session.begin():
        for text, due, who in (
            ("ohne Frist", None, (anna,)),
            ("später", NOW + 5 * DAY, (anna, ben)),
            ("bald", NOW + DAY, (ben,)),
            ("überfällig", NOW - DAY, ()),
        ):
            await tasks.add_item(session, NewItem(ag, text, due, False, anna, who), NOW)
        await tasks.add_item(session, NewItem(other, "andere AG", NOW, False, anna, (anna,)), NOW)
    async with sessions() as session:
        rows = await tasks.open_items(session, [ag])
        assert [row.text for row in rows] == ["überfällig", "bald", "später", "ohne Frist"]
        assert [name for _, name in rows[2].assignees] == ["anna", "ben"]
        assert [row.is_overdue(NOW) for row in rows] == [True, False, False, False]
        annas = await tasks.open_items(session, [ag], person_id=anna)
        assert [row.text for row in annas] == ["später", "ohne Frist"]
        overdue = await tasks.open_items(session, [ag, other], due_before=NOW)
        assert [row.text for row in overdue] == ["überfällig"]
        assert rows[0].group_name == "AG Innenstadt" and rows[0].timezone == "Europe/Berlin"
        assert await tasks.count_open(session, [ag]) == 4
    await engine.dispose()


async def test_counts_per_ag_and_person_count_overdue_items(database_url: str) -> None:
    engine, sessions, (ag, other, anna, ben) = await _setup(database_url)
    async with sessions() as session, session.begin():
        await tasks.add_item(session, NewItem(ag, "a", NOW - DAY, True, anna, (anna, ben)), NOW)
        await tasks.add_item(session, NewItem(ag, "b", NOW + DAY, True, anna, (anna,)), NOW)
        await tasks.add_item(session, NewItem(ag, "c", None, False, anna, ()), NOW)
        await tasks.add_item(session, NewItem(other, "d", NOW - DAY, False, ben, (ben,)), NOW)
        done = await tasks.add_item(session, NewItem(ag, "e", NOW - DAY, False, ben, (ben,)), NOW)
        tasks.close(session, done, TaskStatus.DONE, ben, NOW)
    async with sessions() as session:
        counts = await tasks.open_counts(session, [ag, other], NOW)
    assert [(c.group_id, c.person_name, c.open, c.overdue) for c in counts] == [
        (ag, "anna", 2, 1),
        (ag, "ben", 1, 1),
        (ag, None, 1, 0),
        (other, "ben", 1, 1),
    ]
    await engine.dispose()


async def test_closed_items_within_the_window_and_history_in_order(database_url: str) -> None:
    engine, sessions, (ag, _, anna, ben) = await _setup(database_url)
    async with sessions() as session, session.begin():
        old = await tasks.add_item(session, NewItem(ag, "alt", None, False, anna, (ben,)), NOW)
        new = await tasks.add_item(session, NewItem(ag, "neu", None, False, anna, (ben,)), NOW)
        tasks.record(session, new, TaskEventKind.CREATED, anna, NOW)
        tasks.close(session, old, TaskStatus.DONE, ben, NOW - 40 * DAY)
        tasks.close(session, new, TaskStatus.DROPPED, anna, NOW + DAY)
        tasks.reopen(session, new, anna, NOW + 2 * DAY)
        tasks.close(session, new, TaskStatus.DONE, ben, NOW + 3 * DAY)
        new_id = new.id
    async with sessions() as session:
        closed = await tasks.closed_items(session, [ag], NOW - 30 * DAY)
        assert [(row.text, row.status) for row in closed] == [("neu", TaskStatus.DONE)]
        assert await tasks.closed_items(session, [ag], NOW, person_id=anna) == []
        events = await tasks.history(session, new_id)
        assert [(e.kind, e.person_name) for e in events] == [
            (TaskEventKind.CREATED, "anna"),
            (TaskEventKind.DROPPED, "anna"),
            (TaskEventKind.REOPENED, "anna"),
            (TaskEventKind.DONE, "ben"),
        ]
    await engine.dispose()


async def test_merging_two_assignees_of_one_item_keeps_one(database_url: str) -> None:
    engine, sessions, (ag, _, anna, ben) = await _setup(database_url)
    async with sessions() as session, session.begin():
        both = await tasks.add_item(
            session, NewItem(ag, "beide", None, False, anna, (anna, ben)), NOW
        )
        only_ben = await tasks.add_item(session, NewItem(ag, "ben", None, False, ben, (ben,)), NOW)
        ids = (both.id, only_ben.id)
    async with sessions() as session, session.begin():
        keep, absorb = await session.get(Person, anna), await session.get(Person, ben)
        assert keep is not None and absorb is not None
        await people.merge_persons(session, keep, absorb)
    async with sessions() as session:
        assert await tasks.assignees_of(session, ids[0]) == [(anna, "anna")]
        assert await tasks.assignees_of(session, ids[1]) == [(anna, "anna")]
        item = await tasks.get_item(session, ids[1])
        assert item is not None and item.created_by == anna
    await engine.dispose()
