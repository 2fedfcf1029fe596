"""Protocol deadlines that applied stay applied: the due day is stored with each meeting, a
changed setting (days or state) reaches only meetings that have not ended, a due day on a
weekend or a public holiday moves to the next working day, reminders and overviews use the
stored day, and the migration fills it for meetings that existed before.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy import select

from storage.database import create_engine, upgrade_schema
from storage.models import Meeting
from tests.harness import ConsoleBot
from tests.test_console_protocols import messages


async def ag(bot: ConsoleBot) -> None:
    """AG Innenstadt in chat ag; you coordinate and can be written to privately."""
    await bot.say("::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::dm", "/start", "::chat ag")


async def due_days(bot: ConsoleBot) -> dict[int, date | None]:
    """Meeting number -> the stored due day of its protocol."""
    async with bot.app.sessions() as session:
        rows = await session.execute(select(Meeting.number, Meeting.protocol_due))
        return {number: due for number, due in rows}


async def test_a_changed_deadline_setting_moves_no_past_deadline(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("/termin Jour fixe | heute 14 Uhr", "/termin Jour fixe | 8.4.2026 14 Uhr")
    assert await due_days(bot) == {1: date(2026, 4, 1), 2: date(2026, 4, 15)}

    await bot.say("::now 2026-03-26T10:00")
    assert "Protokolle fällig: 3 Tage" in await bot.say("/einstellungen protokollfrist 3")
    # #1 took place under 7 days; #2 is to come: 8.4. + 3 is Saturday, so Monday.
    assert await due_days(bot) == {1: date(2026, 4, 1), 2: date(2026, 4, 13)}
    assert "#1 Jour fixe (Mi, 25.03.2026): noch nicht begonnen, fällig am Mi, 01.04.2026" in (
        await bot.say("/protokolle")
    )

    # The reminders and the overviews keep to the stored day.
    assert "📝" not in await bot.say("::now 2026-03-28T10:00")
    day_before = [m for m in messages(await bot.say("::now 2026-03-31T09:00")) if "📝" in m]
    assert (
        len(day_before) == 1
        and "Jour fixe (#1, Mi, 25.03.2026) ist morgen fällig." in (day_before[0])
    )
    overdue = await bot.say("::now 2026-04-02T10:00", "/protokolle")
    assert (
        "⚠ #1 Jour fixe (Mi, 25.03.2026): noch nicht begonnen, überfällig seit Mi, 01.04.2026"
        in (overdue)
    )
    digest = await bot.say("::now 2026-04-06T08:00")
    assert "⚠ #1 Jour fixe (Mi, 25.03.2026) – fällig am Mi, 01.04.2026" in digest
    reminded = await bot.say("::now 2026-04-10T09:00")
    assert "Jour fixe (#2, Mi, 08.04.2026) ist morgen fällig." not in reminded  # Saturday
    monday = await bot.say("::now 2026-04-13T09:00")
    assert "Jour fixe (#2, Mi, 08.04.2026) ist heute fällig." in monday


async def test_a_due_day_on_a_holiday_moves_to_the_next_working_day(bot: ConsoleBot) -> None:
    await ag(bot)
    # 27.3. + 7 days is Good Friday, then Easter Monday: due Tuesday 7.4.
    await bot.say("/termin Sitzung | 27.3.2026 14 Uhr", "/termin Sitzung | 28.5.2026 14 Uhr")
    # 28.5. + 7 is Corpus Christi, a public holiday in Bavaria but not in Thüringen.
    assert await due_days(bot) == {1: date(2026, 4, 7), 2: date(2026, 6, 4)}
    assert "fällig am Di, 07.04.2026" in await bot.say("::now 2026-03-27T16:00", "/protokoll 1")

    await bot.say("/einstellungen bundesland BY")
    assert await due_days(bot) == {1: date(2026, 4, 7), 2: date(2026, 6, 5)}
    await bot.say("/termin verschieben 2 1.6.2026 14 Uhr")
    assert await due_days(bot) == {1: date(2026, 4, 7), 2: date(2026, 6, 8)}
    assert "Feiertage von: Thüringen" in await bot.say("/einstellungen bundesland TH")
    assert await due_days(bot) == {1: date(2026, 4, 7), 2: date(2026, 6, 8)}


_GROUPS = sa.table(
    "working_groups",
    sa.column("id", sa.Integer()),
    sa.column("name", sa.String()),
    sa.column("name_key", sa.String()),
    sa.column("timezone", sa.String()),
    sa.column("language", sa.String()),
    sa.column("state", sa.String()),
    sa.column("hours_per_day", sa.Numeric()),
    sa.column("protocol_days", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)
_MEETINGS = sa.table(
    "meetings",
    sa.column("id", sa.Integer()),
    sa.column("group_id", sa.Integer()),
    sa.column("number", sa.Integer()),
    sa.column("starts_at", sa.DateTime(timezone=True)),
    sa.column("duration_minutes", sa.Integer()),
    sa.column("title", sa.String()),
    sa.column("format", sa.Enum("in_person", "digital", "hybrid", name="meeting_format")),
    sa.column("status", sa.Enum("scheduled", "cancelled", name="meeting_status")),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


async def test_the_migration_fills_the_deadlines_of_existing_meetings(database_url: str) -> None:
    engine = create_engine(database_url)
    await upgrade_schema(engine, "0011")
    async with engine.begin() as connection:
        created = datetime(2020, 1, 1, tzinfo=UTC)
        await connection.execute(
            _GROUPS.insert().values(
                id=1,
                name="AG Alt",
                name_key="ag alt",
                timezone="Europe/Berlin",
                language="de",
                state=None,
                hours_per_day=8,
                protocol_days=3,
                created_at=created,
            )
        )
        for number, starts_at in (
            (1, datetime(2020, 3, 4, 13, 0, tzinfo=UTC)),  # Wed; + 3 is a Saturday
            (2, datetime(2030, 5, 29, 12, 0, tzinfo=UTC)),  # to come: Saturday -> Monday
        ):
            await connection.execute(
                _MEETINGS.insert().values(
                    group_id=1,
                    number=number,
                    starts_at=starts_at,
                    duration_minutes=90,
                    title="Sitzung",
                    format="in_person",
                    status="scheduled",
                    created_at=created,
                    updated_at=created,
                )
            )
    await upgrade_schema(engine)
    async with engine.connect() as connection:
        rows = await connection.execute(select(Meeting.number, Meeting.protocol_due))
        # What applied to the meeting held stays; the one to come follows the new rule.
        assert {number: due for number, due in rows} == {1: date(2020, 3, 7), 2: date(2030, 6, 3)}
    await engine.dispose()
