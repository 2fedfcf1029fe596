"""Members ask for what is theirs in a private chat: /protokoll, /protokolle, /termine and
/stunden bericht work there for a person in one AG; a person in several AGs is offered the
AGs as buttons, or names the AG (``/protokoll AG Verkehr #3``, ``/termine AG Verkehr``).

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START).
AG Innenstadt (chat ``ag``) and AG Verkehr (chat ``verkehr``) each meet today, and their
meetings are both #1: a wrong AG shows in the wrong title.
"""

from __future__ import annotations

from pathlib import Path

import pypdf
from sqlalchemy import select

from storage.models import Meeting, ProtocolRequest
from tests.harness import ConsoleBot
from tests.test_console_reminders import messages

INNENSTADT_PDF = "Protokoll_AG-Innenstadt_1_2026-03-25.pdf"
VERKEHR_PDF = "Protokoll_AG-Verkehr_1_2026-03-25.pdf"


async def two_ags(bot: ConsoleBot) -> None:
    """you coordinate both AGs; ben is a member of both, carla of AG Innenstadt only.

    AG Innenstadt met at 11:00 and its protocol is published; AG Verkehr met at 12:00 and
    its protocol is a draft. Each AG has its next meeting on Friday; ben and carla logged
    hours in their AGs.
    """
    await bot.say("::user you", "::dm", "/start")
    await bot.say("::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::user ben", "/beitreten", "::dm", "/start")
    await bot.say("::user carla", "::chat ag", "/beitreten", "::dm", "/start")
    await bot.say("::user you", "::chat verkehr", "::admin", "/einrichten AG Verkehr", "::noadmin")
    await bot.say("::user ben", "/beitreten", "::user you")
    await bot.say(
        "::chat ag", "/termin Jour fixe | heute 11 Uhr", "/termin Stadtfest | 27.3. 9 Uhr"
    )
    await bot.say("::chat verkehr", "/termin Verkehrsrunde | heute 12 Uhr")
    await bot.say("/termin Radweg | 27.3. 15 Uhr")
    await bot.say("::now 2026-03-25T11:02", "::chat ag", "/sitzung start")
    await bot.say("/info Der Kämmerer berichtet vom Haushalt.", "/sitzung ende")
    await bot.say("/protokoll freigeben 1", "/ja")
    await bot.say("::now 2026-03-25T12:02", "::chat verkehr", "/sitzung start")
    await bot.say("/info Die Ampel an der Hauptstraße bleibt.", "/sitzung ende")
    await bot.say("::user ben", "::chat ag", "/stunden 2 Recherche")
    await bot.say("::chat verkehr", "/stunden 3 Zählung")
    await bot.say("::user carla", "::chat ag", "/stunden 1:30 Flyer")


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


async def requests(bot: ConsoleBot) -> set[tuple[str, int, str]]:
    """(AG of the meeting, meeting number, chat) of every open protocol request."""
    async with bot.app.sessions() as session:
        rows = await session.execute(
            select(Meeting.group_id, Meeting.number, ProtocolRequest.chat_id).join(
                Meeting, Meeting.id == ProtocolRequest.meeting_id
            )
        )
        names = {1: "AG Innenstadt", 2: "AG Verkehr"}
        return {(names[group], number, chat) for group, number, chat in rows}


async def test_a_member_of_one_ag_asks_privately(bot: ConsoleBot, tmp_path: Path) -> None:
    await two_ags(bot)
    await bot.say("::user carla", "::dm")

    out = await bot.say("/protokoll")
    assert out.startswith("[dm:carla] Protokoll von Jour fixe (#1, Mi, 25.03.2026):")
    assert f"file: {INNENSTADT_PDF}" in out
    assert "Der Kämmerer berichtet vom Haushalt." in pdf_text(tmp_path / "files" / INNENSTADT_PDF)

    listed = await bot.say("/protokolle")
    assert "Protokolle der AG Innenstadt:" in listed and "#1 Jour fixe" in listed
    assert "Verkehrsrunde" not in listed

    meetings = await bot.say("/termine")
    assert "#2" in meetings and "Stadtfest" in meetings
    assert "Radweg" not in meetings and "[AG" not in meetings  # no buttons for one AG

    report = await bot.say("/stunden bericht März")
    assert "Stunden der AG Innenstadt · März 2026" in report and "1:30 h" in report
    assert "ben" not in report and "3:00" not in report  # a member sees their own hours


async def test_a_member_of_two_ags_chooses_the_ag(bot: ConsoleBot, tmp_path: Path) -> None:
    await two_ags(bot)
    await bot.say("::user ben", "::dm")

    asked = await bot.say("/protokoll")
    assert "Sie gehören mehreren AGs an. Um welche geht es?" in asked
    assert "z. B. /protokoll AG Innenstadt" in asked
    assert "[AG Innenstadt: /protokoll AG Innenstadt] [AG Verkehr: /protokoll AG Verkehr]" in asked
    assert "file:" not in asked
    with_number = await bot.say("/protokoll #1")
    assert "[AG Innenstadt: /protokoll AG Innenstadt #1]" in with_number

    # The button's command, and the AG named without its "AG".
    chosen = await bot.say("/protokoll AG Innenstadt #1")
    assert "Protokoll von Jour fixe (#1, Mi, 25.03.2026):" in chosen
    assert f"file: {INNENSTADT_PDF}" in chosen
    draft = await bot.say("/protokoll verkehr 1")
    assert "Das Protokoll von Verkehrsrunde (#1, Mi, 25.03.2026)" in draft
    assert "noch nicht veröffentlicht" in draft and "file:" not in draft
    assert await requests(bot) == {("AG Verkehr", 1, "dm:ben")}

    # Published, it reaches ben privately, as asked.
    published = await bot.say("::user you", "::chat verkehr", "/protokoll freigeben 1", "/ja")
    assert f"file: {VERKEHR_PDF}" in published
    sent = "\n".join(
        m for m in messages(await bot.say("::now 2026-03-25T12:03")) if m.startswith("[dm:ben]")
    )
    assert "ben, hier ist das angeforderte Protokoll: Verkehrsrunde" in sent
    assert f"[dm:ben] file: {VERKEHR_PDF}" in sent
    assert "Die Ampel an der Hauptstraße bleibt." in pdf_text(tmp_path / "files" / VERKEHR_PDF)

    await bot.say("::user ben", "::dm")
    listed = await bot.say("/protokolle")
    assert "[AG Innenstadt: /protokolle AG Innenstadt] [AG Verkehr: /protokolle AG Verkehr]" in (
        listed
    )
    verkehr = await bot.say("/protokolle AG Verkehr")
    assert "Protokolle der AG Verkehr:" in verkehr and "#1 Verkehrsrunde" in verkehr
    assert "Jour fixe" not in verkehr


async def test_meetings_and_hours_of_one_of_two_ags(bot: ConsoleBot) -> None:
    await two_ags(bot)
    await bot.say("::user ben", "::dm")

    both = await bot.say("/termine")
    assert "Ihre anstehenden Termine:" in both
    assert "Stadtfest [AG Innenstadt]" in both and "Radweg [AG Verkehr]" in both
    assert "[AG Innenstadt: /termine AG Innenstadt] [AG Verkehr: /termine AG Verkehr]" in both
    one = await bot.say("/termine AG Verkehr")
    assert "Anstehende Termine der AG Verkehr:" in one
    assert "Radweg" in one and "Stadtfest" not in one and "[AG" not in one
    assert "Radweg" in await bot.say("/termine Verkehr woche")

    asked = await bot.say("/stunden bericht März")
    assert "Sie gehören mehreren AGs an." in asked and "Stunden AG" not in asked
    assert "[AG Verkehr: /stunden bericht AG Verkehr März]" in asked
    report = await bot.say("/stunden bericht AG Verkehr März")
    assert "Stunden der AG Verkehr · März 2026" in report and "3:00 h" in report
    assert "2:00 h" not in report


async def test_people_in_no_ag_and_outsiders_get_nothing(bot: ConsoleBot) -> None:
    await two_ags(bot)
    alone = await bot.say("::user dora", "::dm", "/protokoll")
    assert "Sie sind noch in keiner AG" in alone and "file:" not in alone
    named = await bot.say("/protokoll AG Innenstadt #1")
    assert "file:" not in named
    assert "Stunden AG" not in await bot.say("/stunden bericht AG Innenstadt")
    outsider = await bot.say("::chat ag", "/protokolle")
    assert "Nur Mitglieder der AG Innenstadt können das einsehen." in outsider
    assert "file:" not in await bot.say("/protokoll 1")
