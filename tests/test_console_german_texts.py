"""German that a municipal office would sign: the AG's name with its article, /start saying
what the bot does, refusals naming who may, lengths as an office writes them, and AG names
that always begin with a word for a group (so the article fits).

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy import select

from storage.database import create_engine, upgrade_schema
from storage.models import Meeting, WorkingGroup
from tests.harness import ConsoleBot


async def names(bot: ConsoleBot) -> list[str]:
    async with bot.app.sessions() as session:
        return list(await session.scalars(select(WorkingGroup.name).order_by(WorkingGroup.id)))


async def test_start_says_what_the_bot_does(bot: ConsoleBot) -> None:
    out = await bot.say("::user you", "::dm", "/start")
    for capability in ("Termine", "Einladungen", "Erinnerungen", "Aufgaben", "Fristen"):
        assert capability in out.split("\n")[0], capability
    assert "Stunden gegen die Budgets" in out and "Protokolle" in out.split("\n")[0]


async def test_a_name_without_a_group_word_becomes_ag_and_texts_carry_the_article(
    bot: ConsoleBot,
) -> None:
    out = await bot.say("::user you", "::chat ag", "::admin", "/einrichten Verkehr", "::noadmin")
    assert out == (
        "[ag] Die AG Verkehr ist angelegt, und dieser Chat gehört dazu. Sie koordinieren jetzt "
        "die AG Verkehr. Mitglieder treten mit /beitreten bei.\n"
    )
    assert await names(bot) == ["AG Verkehr"]
    assert "Willkommen in der AG Verkehr, ben!" in await bot.say("::user ben", "/beitreten")
    invitation = await bot.say("::user you", "/termin Klausur | 7.5. 9 Uhr | Rathaus | 3 h")
    assert "Einladung zu einem Termin der AG Verkehr:" in invitation
    assert "Do, 07.05.2026, 09:00 Uhr (3 Std.) – Präsenz, Rathaus" in invitation
    await bot.say("/aufgabe Flyer drucken")
    assert "Offene Aufgaben der AG Verkehr: 1, davon 0 überfällig" in await bot.say("/aufgaben")
    refused = await bot.say("::user ben", "/termin X | 8.5. 9 Uhr")
    assert refused == "[ag] /termin dürfen nur die Koordinierenden der AG Verkehr verwenden.\n"
    assert "Sie sind aus der AG Verkehr ausgetreten." in await bot.say("/austreten")
    # The same AG under the name as typed: another chat asks its coordinators, nothing new.
    other = await bot.say("::user cara", "::chat andere", "::admin", "/einrichten verkehr")
    assert "Die AG Verkehr gibt es bereits" in other
    assert await names(bot) == ["AG Verkehr"]


async def test_names_with_a_group_word_stay_as_typed(bot: ConsoleBot) -> None:
    for chat, name in (
        ("a", "AG Kultur"),
        ("b", "Arbeitsgruppe Klima"),
        ("c", "Projektgruppe Bahnhof"),
    ):
        await bot.say("::user you", f"::chat {chat}", "::admin", f"/einrichten {name}")
    assert await names(bot) == ["AG Kultur", "Arbeitsgruppe Klima", "Projektgruppe Bahnhof"]


async def test_lengths_read_as_an_office_writes_them(bot: ConsoleBot) -> None:
    await bot.say("::user you", "::chat ag", "::admin", "/einrichten AG Verkehr", "::noadmin")
    shown = {}
    for number, length in enumerate(("45 min", "90 min", "2 h", "100 min"), start=1):
        out = await bot.say(f"/termin T{number} | {number + 6}.5. 9 Uhr | Rathaus | {length}")
        shown[length] = out.split("Uhr (")[1].split(")")[0]
    assert shown == {
        "45 min": "45 Min.",
        "90 min": "1,5 Std.",
        "2 h": "2 Std.",
        "100 min": "1:40 Std.",
    }
    async with bot.app.sessions() as session:
        stored = list(await session.scalars(select(Meeting.duration_minutes).order_by(Meeting.id)))
    assert stored == [45, 90, 120, 100]
    await bot.say("/sprache en")
    assert "09:00 (1.5 h) – in person" in await bot.say(
        "/termin T5 | 12.5. 9 Uhr | Rathaus | 90 min"
    )


_GROUPS = sa.table(
    "working_groups",
    sa.column("id", sa.Integer()),
    sa.column("name", sa.String()),
    sa.column("name_key", sa.String()),
    sa.column("timezone", sa.String()),
    sa.column("language", sa.String()),
    sa.column("hours_per_day", sa.Numeric()),
    sa.column("created_at", sa.DateTime(timezone=True)),
)


async def test_the_migration_gives_older_names_their_group_word(database_url: str) -> None:
    engine = create_engine(database_url)
    await upgrade_schema(engine, "0013")
    async with engine.begin() as connection:
        created = datetime(2026, 1, 1, tzinfo=UTC)
        for number, name in enumerate(("Verkehr", "AG Kultur", "Kultur", "Projektgruppe X"), 1):
            await connection.execute(
                _GROUPS.insert().values(
                    id=number,
                    name=name,
                    name_key=name.casefold(),
                    timezone="Europe/Berlin",
                    language="de",
                    hours_per_day=8,
                    created_at=created,
                )
            )
    await upgrade_schema(engine)
    async with engine.connect() as connection:
        rows = (await connection.execute(select(_GROUPS.c.name, _GROUPS.c.name_key))).all()
    await engine.dispose()
    # "Kultur" keeps its name: "AG Kultur" is another AG's already.
    assert sorted(rows) == sorted(
        [
            ("AG Verkehr", "ag verkehr"),
            ("AG Kultur", "ag kultur"),
            ("Kultur", "kultur"),
            ("Projektgruppe X", "projektgruppe x"),
        ]
    )
