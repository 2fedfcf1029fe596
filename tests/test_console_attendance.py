"""Attendance in the console, as people write it: mixed lists of mentions, "ich", commas and
"und"; the minute-taker, the chair and the writers counted by themselves; people taken off;
guests from outside the AG in the rows and the published documents; and publishing that asks
first when nobody is present or no chair is set.

The clock stands at Wednesday 25 March 2026 (tests.harness.START); meeting #1 is today at
14:00 and its minutes start at 14:02.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from storage.models import Person, Protocol, ProtocolGuest, ProtocolPresence, ProtocolStatus
from tests.harness import ConsoleBot
from tests.test_console_protocols import DOCX_NAME, PDF_NAME, docx_text, pdf_text


async def ag(bot: ConsoleBot) -> None:
    """AG Innenstadt in chat ag: you coordinate; ben, cara and dora are members; cara said
    yes to meeting #1 (today 14:00), dora no."""
    await bot.say("::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    for name in ("ben", "cara", "dora"):
        await bot.say(f"::user {name}", "/beitreten")
    await bot.say("::user you", "/termin Jour fixe | heute 14 Uhr | Rathaus")
    await bot.say("::user cara", "/zusage 1", "::user dora", "/absage 1", "::user you")


async def presence_rows(bot: ConsoleBot) -> dict[str, bool]:
    """Name -> present (False: taken off the list) for the protocol of meeting #1."""
    async with bot.app.sessions() as session:
        rows = await session.execute(
            select(Person.display_name, ProtocolPresence.present).join(
                ProtocolPresence, ProtocolPresence.person_id == Person.id
            )
        )
        return {name: present for name, present in rows}


async def guest_rows(bot: ConsoleBot) -> list[str]:
    async with bot.app.sessions() as session:
        return list(await session.scalars(select(ProtocolGuest.name).order_by(ProtocolGuest.id)))


async def protocol_status(bot: ConsoleBot) -> ProtocolStatus:
    async with bot.app.sessions() as session:
        status = await session.scalar(select(Protocol.status))
        assert status is not None
        return status


async def test_mixed_lists_with_commas_und_and_ich_are_recorded(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T14:02", "/sitzung start")
    assert await presence_rows(bot) == {"you": True}  # the minute-taker was there

    assert "Anwesend (3): ben, cara, you" in await bot.say("/anwesend @ben, @cara")
    assert "Anwesend (2): ben, you" in await bot.say("/anwesend ohne @cara")
    assert await presence_rows(bot) == {"you": True, "ben": True, "cara": False}
    assert "Anwesend (3): ben, cara, you" in await bot.say("/anwesend @ben und @cara")
    assert "Anwesend (2): cara, you" in await bot.say("/anwesend - @ben")
    assert "Anwesend (4): ben, cara, dora, you" in await bot.say("/anwesend @ben @dora ich")
    assert "Anwesend (3): ben, cara, dora" in await bot.say("/anwesend ohne ich")
    assert "Anwesend (4): ben, cara, dora, you" in await bot.say("/anwesend ich @ben")
    assert await presence_rows(bot) == {"you": True, "ben": True, "cara": True, "dora": True}

    refused = await bot.say("/anwesend @ben Kaffee")
    assert "Kaffee ist niemand, den ich eintragen kann." in refused
    assert "/anwesend gast <Name>" in refused
    assert "Verwendung" not in refused


async def test_writers_count_as_present_unless_taken_off(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T14:02", "/sitzung start @dora")
    await bot.say("::user ben", "/info Bens Bericht", "::user you")
    shown = await bot.say("/anwesend")
    assert "Anwesend (3): ben, dora, you" in shown  # writer, chair, minute-taker
    assert "Vorgeschlagen (zugesagt): cara" in shown
    await bot.say("/anwesend ohne @ben")
    # ben writes again: he was taken off, so he stays off.
    await bot.say("::user ben", "/beschluss Noch etwas", "::user you")
    assert await presence_rows(bot) == {"you": True, "dora": True, "ben": False}
    await bot.say("/anwesend vorschlag")
    assert await presence_rows(bot) == {"you": True, "dora": True, "ben": False, "cara": True}
    assert "Anwesend (3): cara, dora, you" in await bot.say("/anwesend")


async def test_guests_are_stored_and_shown_in_the_protocol(bot: ConsoleBot, tmp_path: Path) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T14:02", "/sitzung start @ben", "/top Radwege")
    out = await bot.say("/anwesend gast Frau Dr. Schmidt (Stadt Erfurt)")
    assert "Gäste (1): Frau Dr. Schmidt (Stadt Erfurt)" in out
    out = await bot.say("/anwesend gast Herr Meier, ADFC; Frau Dr. Schmidt (Stadt Erfurt)")
    assert "Gäste (2): Frau Dr. Schmidt (Stadt Erfurt); Herr Meier, ADFC" in out
    await bot.say("/anwesend gast Frau Kühn")
    assert "Gäste (2): Frau Dr. Schmidt (Stadt Erfurt); Herr Meier, ADFC" in await bot.say(
        "/anwesend ohne gast frau kühn"
    )
    assert "Herr Lange ist nicht als Gast eingetragen." in await bot.say(
        "/anwesend ohne gast Herr Lange"
    )
    assert await guest_rows(bot) == ["Frau Dr. Schmidt (Stadt Erfurt)", "Herr Meier, ADFC"]

    await bot.say("/sitzung ende", "/protokoll freigeben 1")
    assert await protocol_status(bot) is ProtocolStatus.PUBLISHED
    for text in (
        pdf_text(tmp_path / "files" / PDF_NAME),
        docx_text(tmp_path / "files" / DOCX_NAME),
    ):
        flat = " ".join(text.split())
        assert "Anwesend (2) ben, you" in flat
        assert "Gäste (2) Frau Dr. Schmidt (Stadt Erfurt); Herr Meier, ADFC" in flat
        assert "Entschuldigt (1) dora" in flat


async def test_publishing_without_a_chair_or_anyone_present_asks_first(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T14:02", "/sitzung start", "/info Notiz")
    await bot.say("/anwesend ohne ich", "/sitzung ende")
    asked = await bot.say("/protokoll freigeben 1")
    assert "Bevor das Protokoll von Jour fixe (#1, Mi, 25.03.2026) veröffentlicht wird:" in asked
    assert "⚠ Niemand ist als anwesend eingetragen." in asked
    assert "⚠ Es ist keine Sitzungsleitung angegeben." in asked
    assert "[Ja, freigeben: /ja]" in asked
    assert "file:" not in asked
    assert await protocol_status(bot) is ProtocolStatus.DRAFT
    assert "Abgebrochen" in await bot.say("/nein")
    assert await protocol_status(bot) is ProtocolStatus.DRAFT

    await bot.say("/protokoll freigeben 1")
    published = await bot.say("/ja")
    assert "ist veröffentlicht." in published and "file:" in published
    assert await protocol_status(bot) is ProtocolStatus.PUBLISHED


async def test_a_protocol_with_chair_and_presence_is_published_at_once(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T14:02", "/sitzung start @ben", "/info Notiz")
    await bot.say("/sitzung ende")
    published = await bot.say("/protokoll freigeben 1")
    assert "ist veröffentlicht." in published and "Bevor" not in published
    assert await protocol_status(bot) is ProtocolStatus.PUBLISHED
    assert await presence_rows(bot) == {"you": True, "ben": True}
