"""Answers to invitations without a number and with a reason: ``/zusage`` answers the AG's
next meeting when it is the only one in the coming 14 days, else lists the candidates;
``/absage #N wegen Urlaub`` keeps the reason, and the protocol lists the person as excused
with it.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from storage.models import Answer, Meeting, Person, Rsvp
from tests.harness import ConsoleBot
from tests.test_console_protocols import docx_text, pdf_text
from tests.test_console_tasks import ag


async def answers(bot: ConsoleBot) -> dict[tuple[int, str], tuple[Answer, str | None]]:
    """(meeting number, person) → (answer, reason), as stored."""
    async with bot.app.sessions() as session:
        rows = await session.execute(
            select(Meeting.number, Person.display_name, Rsvp.answer, Rsvp.reason)
            .join(Meeting, Meeting.id == Rsvp.meeting_id)
            .join(Person, Person.id == Rsvp.person_id)
        )
        return {(number, name): (answer, reason) for number, name, answer, reason in rows}


async def test_an_answer_without_a_number_goes_to_the_only_meeting_in_14_days(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say(
        "/termin Jour fixe | 1.4. 14 Uhr | Rathaus",  # 1
        "/termin Klausur | 20.4. 9 Uhr | Rathaus",  # 2: 26 days ahead
    )
    out = await bot.say("::user ben", "/zusage")
    assert "Danke, ben: Sie nehmen an Jour fixe (#1) am Mi, 01.04.2026, 14:00 Uhr teil." in out
    assert await answers(bot) == {(1, "ben"): (Answer.YES, None)}

    await bot.say("::user you", "/termin Workshop | 3.4. 10 Uhr | Rathaus")  # 3
    out = await bot.say("::user carla", "/vielleicht")
    assert "Welchen Termin meinen Sie? In den nächsten 14 Tagen:" in out
    assert "#1 Mi, 01.04.2026, 14:00 Uhr: Jour fixe" in out
    assert "#3 Fr, 03.04.2026, 10:00 Uhr: Workshop" in out
    assert "#2" not in out
    assert "[Jour fixe (#1): /vielleicht 1]" in out and "[Workshop (#3): /vielleicht 3]" in out
    assert (1, "carla") not in await answers(bot)  # nothing answered yet
    assert "Notiert, carla: vielleicht bei Workshop" in await bot.say("/vielleicht 3")
    assert (await answers(bot))[(3, "carla")] == (Answer.MAYBE, None)

    # After the 3rd the Klausur on the 20th is more than 14 days away: it is offered.
    out = await bot.say("::now 2026-04-04T10:00", "/absage")
    assert "In den nächsten 14 Tagen hat die AG Innenstadt keinen Termin. Der nächste:" in out
    assert "[Klausur (#2): /absage 2]" in out
    assert (2, "carla") not in await answers(bot)
    out = await bot.say("::user you", "/sprache en", "::user ben", "/yes")
    assert "AG Innenstadt has no meeting in the coming 14 days. The next one:" in out
    assert "[Klausur (#2): /yes 2]" in out


async def test_a_reason_is_kept_and_the_protocol_names_it(bot: ConsoleBot, tmp_path: Path) -> None:
    await ag(bot)
    await bot.say("/termin Jour fixe | heute 14 Uhr | Rathaus")
    out = await bot.say("::user ben", "/absage #1 wegen Urlaub")
    assert "Danke, ben: Sie nehmen an Jour fixe (#1) am Mi, 25.03.2026, 14:00 Uhr nicht teil" in out
    assert "Grund: Urlaub" in out
    out = await bot.say("::user carla", "/absage wegen Fortbildung in Erfurt")
    assert "Grund: Fortbildung in Erfurt" in out
    assert await answers(bot) == {
        (1, "ben"): (Answer.NO, "Urlaub"),
        (1, "carla"): (Answer.NO, "Fortbildung in Erfurt"),
    }
    # Answering again without a reason drops the old one; a reason is at most 200 characters.
    await bot.say("/zusage 1", "/absage 1 Termin beim Amt")
    assert (await answers(bot))[(1, "carla")] == (Answer.NO, "Termin beim Amt")
    assert "höchstens 200 Zeichen" in await bot.say("/absage 1 " + "x" * 201)
    assert (await answers(bot))[(1, "carla")] == (Answer.NO, "Termin beim Amt")
    out = await bot.say("/teilnehmer 1")
    assert "Absagen (2): ben (Urlaub), carla (Termin beim Amt)" in out

    await bot.say("::user you", "::now 2026-03-25T14:02", "/sitzung start")
    await bot.say("/info Bericht", "/sitzung ende", "/protokoll freigeben 1", "/ja")
    for text in (
        pdf_text(tmp_path / "files" / "Protokoll_AG-Innenstadt_1_2026-03-25.pdf"),
        docx_text(tmp_path / "files" / "Protokoll_AG-Innenstadt_1_2026-03-25.docx"),
    ):
        flat = " ".join(text.split())
        assert "Entschuldigt (2) ben (Urlaub), carla (Termin beim Amt)" in flat
