"""Hours in storage on SQLite and PostgreSQL: monthly totals stay equal to the entries through
random adds, changes and deletions; period totals over whole and partial months; budget
thresholds once each; merging persons adds their totals up."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import groups, hour_budgets, hours, people
from storage.database import create_engine, session_factory, upgrade_schema
from storage.hours import NewEntry
from storage.models import HourEntry, HourTotal, Person, Role

NOW = datetime(2026, 3, 25, 9, 15, tzinfo=UTC)


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
        anna, ben = await _person(session, "anna"), await _person(session, "ben")
        for person in (anna, ben):
            await groups.add_member(session, ag.id, person.id, Role.MEMBER, NOW)
        pilot = await hour_budgets.add_project(session, ag.id, "Pilot", anna.id, NOW)
        general = await hour_budgets.default_project(session, ag.id, "Allgemein", NOW)
        ids = (ag.id, anna.id, ben.id, pilot.id, general.id)
    return engine, sessions, ids


async def _raw_totals(session: AsyncSession, start: date, end: date) -> dict[tuple[int, int], int]:
    rows = await session.execute(
        select(HourEntry.person_id, HourEntry.project_id, func.sum(HourEntry.minutes))
        .where(HourEntry.work_date >= start, HourEntry.work_date <= end)
        .group_by(HourEntry.person_id, HourEntry.project_id)
    )
    return {(person, project): int(minutes) for person, project, minutes in rows}


async def test_totals_follow_every_add_change_and_delete(database_url: str) -> None:
    engine, sessions, (ag, anna, ben, pilot, general) = await _setup(database_url)
    rng = random.Random(7)
    async with sessions() as session, session.begin():
        entries: list[HourEntry] = []
        for _ in range(300):
            action = rng.random()
            if entries and action < 0.2:
                entry = entries.pop(rng.randrange(len(entries)))
                await hours.delete_entry(session, entry, entry.person_id, NOW)
            elif entries and action < 0.4:
                entry = rng.choice(entries)
                await hours.change_minutes(session, entry, rng.randint(1, 600), anna, NOW)
            else:
                day = date(2025, 11, 1) + timedelta(days=rng.randrange(150))
                entries.append(
                    await hours.add_entry(
                        session,
                        NewEntry(
                            ag,
                            rng.choice((anna, ben)),
                            rng.choice((pilot, general)),
                            day,
                            rng.randint(1, 600),
                            "",
                        ),
                        NOW,
                    )
                )
    async with sessions() as session:
        # Whole months, partial months at both ends, one partial month, one day.
        for start, end in (
            (date(2025, 11, 1), date(2026, 3, 31)),
            (date(2025, 11, 17), date(2026, 2, 9)),
            (date(2026, 1, 5), date(2026, 1, 20)),
            (date(2026, 2, 1), date(2026, 2, 28)),
            (date(2025, 12, 24), date(2025, 12, 24)),
        ):
            summed = {
                (row.person_id, row.project_id): row.minutes
                for row in await hours.totals(session, start, end, group_id=ag)
            }
            assert summed == {k: v for k, v in (await _raw_totals(session, start, end)).items()}
        count = await session.scalar(select(func.sum(HourTotal.entries)))
        assert count == len(entries)
    await engine.dispose()


async def test_thresholds_are_returned_once_each(database_url: str) -> None:
    engine, sessions, (ag, anna, _, pilot, _) = await _setup(database_url)
    async with sessions() as session, session.begin():
        await hour_budgets.set_budget(session, pilot, 2026, 600, anna, NOW)
        told = []
        for minutes in (400, 79, 1, 60, 59, 1, 100):
            await hours.add_entry(
                session, NewEntry(ag, anna, pilot, date(2026, 3, 2), minutes, ""), NOW
            )
            crossed = await hour_budgets.crossed_thresholds(session, pilot, 2026)
            told.append(crossed[2] if crossed else None)
        assert told == [None, None, 80, None, None, 100, None]
        # Another year has its own budget and thresholds.
        assert await hour_budgets.crossed_thresholds(session, pilot, 2027) is None
    await engine.dispose()


async def test_merging_persons_adds_their_totals(database_url: str) -> None:
    engine, sessions, (ag, anna, ben, pilot, _) = await _setup(database_url)
    async with sessions() as session, session.begin():
        for person, minutes in ((anna, 60), (ben, 90), (ben, 30)):
            await hours.add_entry(
                session, NewEntry(ag, person, pilot, date(2026, 3, 2), minutes, ""), NOW
            )
    async with sessions() as session, session.begin():
        keep, absorb = await session.get(Person, anna), await session.get(Person, ben)
        assert keep is not None and absorb is not None
        await people.merge_persons(session, keep, absorb)
    async with sessions() as session:
        rows = await hours.totals(session, date(2026, 3, 1), date(2026, 3, 31), group_id=ag)
        assert [(row.person_id, row.minutes, row.entries) for row in rows] == [(anna, 180, 3)]
        assert await hours.minutes_on_day(session, anna, date(2026, 3, 2)) == 180
    await engine.dispose()
