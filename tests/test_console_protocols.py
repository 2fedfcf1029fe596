"""Protocols in the console: taking the minutes of a meeting, correcting and publishing them,
requests before and after publishing, deadline reminders with ``::now``, the weekly digest,
uploading a finished file with ``::file``, and who may do what.

The clock stands at Wednesday 25 March 2026, 10:15 in Berlin (tests.harness.START); the
meeting of these scenarios is today at 14:00. Files the bot sends land in ``tmp_path/files``
and are read back: PDF with pypdf, DOCX with python-docx.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pypdf

from core.messages import IncomingFile
from tests.harness import ConsoleBot

DOCX_NAME = "Protokoll_AG-Innenstadt_1_2026-03-25.docx"
PDF_NAME = "Protokoll_AG-Innenstadt_1_2026-03-25.pdf"


async def ag(bot: ConsoleBot) -> None:
    """AG Innenstadt in chat ag: you coordinate (reachable privately); ben (reachable
    privately) and carla (not) are members. Meeting #1 today 14:00 with two agenda points."""
    await bot.say("::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("::dm", "/start", "::chat ag")
    await bot.say("::user ben", "/beitreten", "::dm", "/start", "::chat ag")
    await bot.say("::user carla", "/beitreten", "::user you")
    await bot.say(
        "/termin Jour fixe | heute 14 Uhr | Rathaus, Raum 2",
        "/tagesordnung 1 + Haushalt 2027",
        "/tagesordnung 1 + Stadtfest",
    )
    await bot.say("::user ben", "/zusage 1", "::user carla", "/absage 1", "::user you")


def messages(out: str) -> list[str]:
    """The messages in console output, each with its continuation lines."""
    found: list[str] = []
    for line in out.splitlines():
        if line.startswith("["):
            found.append(line)
        elif found:
            found[-1] += "\n" + line
    return found


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


async def take_minutes(bot: ConsoleBot) -> None:
    """The minutes of meeting #1 from start to end, by you and ben (who chairs)."""
    await bot.say("::now 2026-03-25T14:02", "/sitzung start @ben")
    await bot.say("/top", "/info Der Kämmerer berichtet: 5.000 € für Straßenbäume.")
    await bot.say("::user ben", "/beschluss Der Haushalt 2027 wird angenommen.", "::user you")
    await bot.say("/aufgabe Flyer drucken @ben bis Freitag", "/top")
    await bot.say("/beschluss Das Stadtfest findet am 13.6. statt.")
    await bot.say("/anwesend vorschlag")
    await bot.say("/sitzung ende")


# --- taking the minutes ----------------------------------------------------------------------


async def test_a_full_meeting_from_start_to_published_documents(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag(bot)
    await bot.say("::chat ag-2", "::admin", "/einrichten AG Innenstadt", "/ja", "::noadmin")
    await bot.say("::chat ag", "::now 2026-03-25T14:02")

    started = await bot.say("/sitzung start @ben")
    assert started.startswith("[ag] Das Protokoll von Jour fixe (#1) hat begonnen.")
    assert "Sitzungsleitung: ben" in started
    assert "Als Nächstes auf der Tagesordnung: Haushalt 2027" in started
    assert "[Nächster TOP: /top]" in started

    first = await bot.say("/top")
    assert first.startswith("[ag] TOP 1: Haushalt 2027\n")
    assert "Als Nächstes auf der Tagesordnung: Stadtfest" in first
    assert "Info 1 (TOP 1): Der Kämmerer" in await bot.say(
        "/info Der Kämmerer berichtet: 5.000 € für Straßenbäume."
    )
    ben = await bot.say("::user ben", "/beschluss Der Haushalt wird angenommen.")
    assert "Beschluss 2 (TOP 1): Der Haushalt wird angenommen." in ben
    undone = await bot.say("/rueckgaengig")
    assert "Entfernt: Beschluss 2: Der Haushalt wird angenommen." in undone
    again = await bot.say("/beschluss Der Haushalt 2027 wird angenommen.")
    assert "Beschluss 2 (TOP 1)" in again  # the number is free again

    task = await bot.say("::user you", "/aufgabe Flyer drucken @ben bis Freitag")
    assert "Aufgabe #1 angelegt: Flyer drucken" in task
    assert "Im Protokoll: Eintrag 3 (TOP 1)" in task
    assert "Aus dem Termin #1: Jour fixe" in await bot.say("/aufgabe #1")
    own = await bot.say("::user ben", "/aufgabe Getränke bestellen bis 10.4.", "::user you")
    assert "Im Protokoll: Eintrag 4 (TOP 1)" in own

    assert "TOP 2: Stadtfest" in await bot.say("/top")
    await bot.say("/beschluss Das Stadtfest findet am 13.6. statt.")
    assert "TOP 3: Verschiedenes" in await bot.say("/top Verschiedenes")
    assert "Jeder Punkt der Tagesordnung hat seinen TOP" in await bot.say("/top")

    presence = await bot.say("/anwesend")
    # ben chairs and wrote; you take the minutes; carla declined and wrote nothing.
    assert "Anwesend (2): ben, you" in presence
    assert "Vorgeschlagen" not in presence
    assert "Anwesend (3): ben, carla, you" in await bot.say("/anwesend @carla")
    assert "Anwesend (2): ben, you" in await bot.say("/anwesend - @carla")

    ended = await bot.say("/sitzung ende")
    assert ended.startswith("[ag] Das Protokoll von Jour fixe (#1) ist beendet.")
    assert "Beschlüsse (2):\n    2. Der Haushalt 2027 wird angenommen.\n" in ended
    assert "    5. Das Stadtfest findet am 13.6. statt." in ended
    assert "Aufgaben nach Person (2):\n    ben\n" in ended
    assert "• #1 Flyer drucken – bis Fr, 27.03.2026" in ended
    assert "• #2 Getränke bestellen – bis Fr, 10.04.2026" in ended
    assert "fällig am Mi, 01.04.2026" in ended
    assert "[Freigeben: /protokoll freigeben 1]" in ended
    assert "In der AG Innenstadt wird gerade kein Protokoll geführt." in await bot.say("/top X")

    draft = await bot.say("/protokoll 1")
    assert "Stand: Entwurf, fällig am Mi, 01.04.2026" in draft
    assert "  1. Der Kämmerer berichtet: 5.000 € für Straßenbäume. (you)" in draft
    assert "file: Protokoll_AG-Innenstadt_1_2026-03-25_Entwurf.pdf" in draft

    corrected = await bot.say("/protokoll korrektur 1 1 Der Kämmerer berichtet: 6.000 € für Bäume.")
    assert "Eintrag 1 von #1 korrigiert: Der Kämmerer berichtet: 6.000 € für Bäume." in corrected
    assert "Vorher: Der Kämmerer berichtet: 5.000 € für Straßenbäume." in corrected

    published = messages(await bot.say("/protokoll freigeben 1"))
    here = [m for m in published if m.startswith("[ag]")]
    assert here[0].startswith("[ag] 📄 Das Protokoll von Jour fixe (#1, Mi, 25.03.2026) ist ")
    assert "Auch an 1 weiteren Chat der AG geschickt." in here[0]
    assert f"[ag] file: {PDF_NAME} (" in "\n".join(here) and DOCX_NAME in "\n".join(here)
    assert not [m for m in published if m.startswith("[ag-2]")]  # a row for the engine
    other = [m for m in messages(await bot.say("::now 2026-03-25T14:03")) if m.startswith("[ag-2]")]
    assert other[0].startswith("[ag-2] 📄 Das Protokoll von Jour fixe (#1, Mi, 25.03.2026)")
    assert f"[ag-2] file: {PDF_NAME} (" in "\n".join(other)

    for text in (
        pdf_text(tmp_path / "files" / PDF_NAME),
        docx_text(tmp_path / "files" / DOCX_NAME),
    ):
        flat = " ".join(text.split())
        # The body shows the final text; the appendix (last) what was corrected.
        body, _, appendix = flat.partition("Anhang: Änderungen gegenüber dem Entwurf")
        assert "vorher: Der Kämmerer berichtet: 5.000 € für Straßenbäume." in appendix
        assert "korrigiert am Mi, 25.03.2026, 14:02 Uhr von you" in appendix
        assert "5.000 €" not in body and flat.count("5.000 €") == 1
        assert "AG Innenstadt" in flat and "Jour fixe" in flat
        assert "Haushalt 2027" in flat and "Stadtfest" in flat
        assert "Der Haushalt 2027 wird angenommen." in flat
        assert "Das Stadtfest findet am 13.6. statt." in flat
        assert "6.000 € für Bäume" in body
        assert "Flyer drucken" in flat and "Getränke bestellen" in flat
        assert "Sitzungsleitung ben" in flat and "Anwesend (2) ben, you" in flat
        assert "Protokollführung you" in flat
        assert "Aufgaben nach Zuständigen" in flat
        assert "Entschuldigt (1) carla" in flat  # she answered no
        assert "Beschluss: Der Haushalt 2027 wird angenommen." in flat
        assert "Aufgabe #1: Flyer drucken" in flat
        assert "Zuständig: ben · Frist: Fr, 27.03.2026" in flat
        assert "Rathaus, Raum 2" in flat

    # Published: a correction waits for a new version (/protokoll ersetzen, tested there).
    later = await bot.say("/protokoll korrektur 1 1 Noch einmal")
    assert "Die Korrektur geht mit /protokoll ersetzen 1 als neue Fassung hinaus." in later
    assert "bereits veröffentlicht" in await bot.say("/protokoll freigeben 1")


async def test_undo_takes_back_only_the_own_last_entry_and_its_task(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T14:02", "/sitzung start", "/top Haushalt")
    await bot.say("::user ben", "/info Bens Notiz", "::user you", "/aufgabe Plakat @carla bis 1.4.")
    undone = await bot.say("/rueckgaengig")
    assert "Entfernt: Eintrag 2: Plakat (Aufgabe #1 gelöscht)" in undone
    assert "Hier gibt es keine Aufgabe #1." in await bot.say("/aufgabe #1")
    assert "Entfernt: TOP 1: Haushalt" not in await bot.say("/rueckgaengig")  # has ben's entry
    assert "Info 1" in await bot.say("::user ben", "/rueckgaengig")
    assert "Sie haben in diesem Protokoll keinen Eintrag." in await bot.say("/rueckgaengig")
    assert "Entfernt: TOP 1: Haushalt" in await bot.say("::user you", "/rueckgaengig")


async def test_the_default_meeting_is_todays_and_minutes_can_continue(bot: ConsoleBot) -> None:
    await ag(bot)
    assert "hat heute keinen Termin" in await bot.say("::now 2026-03-24T14:00", "/sitzung start")
    started = await bot.say("::now 2026-03-25T13:50", "/sitzung start")
    assert "Das Protokoll von Jour fixe (#1) hat begonnen." in started
    assert "läuft bereits" in await bot.say("/sitzung start 1")
    await bot.say("/info Eins", "/sitzung ende")
    continued = await bot.say("/sitzung start 1")
    assert "Das Protokoll von Jour fixe (#1) wird fortgesetzt." in continued
    assert "Info 2 (TOP 0): Zwei" in await bot.say("/info Zwei")


async def test_only_coordinators_start_end_correct_and_publish(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T14:02")
    refused = await bot.say("::user ben", "/sitzung start")
    assert (
        "Das Protokoll beginnen und beenden dürfen nur die Koordinierenden der AG Innenstadt."
        in refused
    )
    assert "kein Protokoll geführt" in await bot.say("/info Etwas")
    await bot.say("::user you", "/sitzung start")
    assert "dürfen nur die Koordinierenden" in await bot.say("::user ben", "/sitzung ende")
    assert "dürfen nur die Koordinierenden" in await bot.say("/protokoll freigeben 1")
    stranger = await bot.say("::user dora", "/info Hallo")
    assert "/info dürfen nur Mitglieder der AG Innenstadt verwenden." in stranger
    still = await bot.say("::user you", "/protokoll freigeben 1")
    assert "läuft noch. Beenden Sie es zuerst mit /sitzung ende" in still
    await bot.say("/sitzung ende")
    assert "hat keinen Eintrag 7" in await bot.say("/protokoll korrektur 1 7 Text")
    assert "Verwendung: /protokoll" in await bot.say("/protokoll korrektur 1")
    assert "In der AG Innenstadt gibt es keinen Termin 9." in await bot.say("/protokoll 9")


# --- requests ---------------------------------------------------------------------------------


async def test_a_request_before_publishing_is_delivered_when_it_is_published(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag(bot)
    await take_minutes(bot)
    asked = await bot.say("::user ben", "/protokoll")
    assert (
        "Das Protokoll von Jour fixe (#1, Mi, 25.03.2026) ist noch nicht veröffentlicht." in asked
    )
    assert "Stand: Entwurf, fällig am Mi, 01.04.2026" in asked
    assert "Vorgemerkt: Sie erhalten es, sobald es veröffentlicht ist" in asked
    assert "file:" not in asked
    assert "bereits angefordert" in await bot.say("/protokoll 1")
    await bot.say("::user carla", "/protokoll 1")
    listed = await bot.say("/protokolle")
    assert "• #1 Jour fixe (Mi, 25.03.2026): Entwurf, fällig am Mi, 01.04.2026" in listed
    assert "2 offene Anforderungen" in listed

    published = await bot.say("::user you", "/protokoll freigeben 1")
    assert (
        "Auch an 2 Personen geschickt, die es angefordert haben (privat, wo möglich)." in published
    )
    delivered = messages(await bot.say("::now 2026-03-25T14:03"))
    to_ben = [m for m in delivered if m.startswith("[dm:ben]")]
    assert (
        "📄 ben, hier ist das angeforderte Protokoll: Jour fixe (#1, Mi, 25.03.2026)."
        in (to_ben[0])
    )
    assert to_ben[0].startswith("[dm:ben] 📄")  # on time: no "late" line
    assert f"[dm:ben] file: {PDF_NAME} (" in "\n".join(to_ben)
    assert f"[dm:ben] file: {DOCX_NAME} (" in "\n".join(to_ben)
    assert "Der Haushalt 2027 wird angenommen." in pdf_text(tmp_path / "files" / PDF_NAME)
    # carla cannot be written to privately: the AG's chat got the files; she is told there.
    to_carla = [m for m in delivered if "carla" in m]
    assert to_carla == [
        "[ag] 📄 carla, das angeforderte Protokoll ist veröffentlicht: Jour fixe (#1, "
        "Mi, 25.03.2026). /protokoll 1 schickt es noch einmal."
    ]
    assert "Anforderung" not in await bot.say("/protokolle")
    assert "📄" not in await bot.say("::now 2026-03-25T17:00")  # nothing twice


async def test_a_request_after_publishing_gets_the_files_at_once(bot: ConsoleBot) -> None:
    await ag(bot)
    await take_minutes(bot)
    await bot.say("/protokoll freigeben 1")
    out = await bot.say("::user carla", "/protokoll")
    assert out.startswith("[ag] Protokoll von Jour fixe (#1, Mi, 25.03.2026):")
    assert "Stand: veröffentlicht am Mi, 25.03.2026, 14:02 Uhr" in out
    assert f"[ag] file: {PDF_NAME}" in out and f"[ag] file: {DOCX_NAME}" in out
    listed = await bot.say("/protokolle")
    assert "• #1 Jour fixe (Mi, 25.03.2026): veröffentlicht am Mi, 25.03.2026, 14:02 Uhr" in listed


async def test_a_request_survives_a_restart_before_publishing(
    database_url: str, tmp_path: Path
) -> None:
    first = await ConsoleBot.start(database_url, tmp_path / "files")
    try:
        await ag(first)
        await take_minutes(first)
        await first.say("::user ben", "/protokoll")
    finally:
        await first.close()
    second = await ConsoleBot.start(database_url, tmp_path / "files")
    try:
        await second.say("::now 2026-03-25T14:30", "::chat ag", "/protokoll freigeben 1")
        out = await second.say("::now 2026-03-25T14:31")
        assert "[dm:ben] 📄 ben, hier ist das angeforderte Protokoll" in out
        assert f"[dm:ben] file: {PDF_NAME}" in out
    finally:
        await second.close()


async def ag_with_two_chats(bot: ConsoleBot) -> None:
    """``ag`` with a second console chat, ag-zwei, bound to AG Innenstadt."""
    await ag(bot)
    await bot.say("::chat ag-zwei", "::admin", "/einrichten AG Innenstadt", "/ja", "::noadmin")
    await bot.say("::chat ag")


def copies_in_ag_zwei(out: str) -> list[str]:
    return [m for m in messages(out) if m.startswith("[ag-zwei]")]


async def test_the_other_chats_of_the_ag_get_the_published_files_once(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag_with_two_chats(bot)
    await take_minutes(bot)
    published = await bot.say("/protokoll freigeben 1")
    assert "[ag] 📄 Das Protokoll von Jour fixe (#1, Mi, 25.03.2026) ist veröffentlicht." in (
        published
    )
    assert "Auch an 1 weiteren Chat der AG geschickt." in published
    assert f"[ag] file: {PDF_NAME}" in published and f"[ag] file: {DOCX_NAME}" in published
    assert "[ag-zwei]" not in published  # a row, sent by the reminder engine
    copies = copies_in_ag_zwei(await bot.say("::now 2026-03-25T14:03"))
    assert copies[0] == (
        "[ag-zwei] 📄 Das Protokoll von Jour fixe (#1, Mi, 25.03.2026) ist veröffentlicht."
    )
    assert [m.split(" (")[0] for m in copies[1:]] == [
        f"[ag-zwei] file: {PDF_NAME}",
        f"[ag-zwei] file: {DOCX_NAME}",
    ]
    assert "Der Haushalt 2027 wird angenommen." in pdf_text(tmp_path / "files" / PDF_NAME)
    assert copies_in_ag_zwei(await bot.say("::now 2026-03-25T17:00")) == []  # nothing twice


async def test_an_uploaded_protocol_reaches_the_other_chat_after_a_restart(
    database_url: str, tmp_path: Path
) -> None:
    upload = tmp_path / "Protokoll.pdf"
    upload.write_bytes(b"%PDF-1.4 uploaded protocol")
    first = await ConsoleBot.start(database_url, tmp_path / "files")
    try:
        await ag_with_two_chats(first)
        await first.say("::now 2026-03-25T16:00")
        published = await first.say(f"::file {upload}", "/protokoll hochladen 1", "/ja")
        assert "ist veröffentlicht" in published and "[ag-zwei]" not in published
    finally:
        await first.close()
    second = await ConsoleBot.start(database_url, tmp_path / "files")
    try:
        copies = copies_in_ag_zwei(await second.say("::now 2026-03-25T16:01"))
        assert copies[0].startswith("[ag-zwei] 📄 Das Protokoll von Jour fixe (#1, Mi, 25.03.2026)")
        assert [m.split(" (")[0] for m in copies[1:]] == [f"[ag-zwei] file: {PDF_NAME}"]
        assert copies_in_ag_zwei(await second.say("::now 2026-03-25T18:00")) == []
    finally:
        await second.close()


# --- deadline -----------------------------------------------------------------------------


async def test_coordinators_are_reminded_the_day_before_and_on_the_due_day(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await take_minutes(bot)
    assert "Protokoll" not in await bot.say("::now 2026-03-31T08:59")
    day_before = messages(await bot.say("::now 2026-03-31T09:00"))
    reminders = [m for m in day_before if "📝" in m]
    assert len(reminders) == 1 and reminders[0].startswith("[dm:you] 📝 you, das Protokoll von")
    assert "Jour fixe (#1, Mi, 25.03.2026) ist morgen fällig." in reminders[0]
    assert "Stand: Entwurf, fällig am Mi, 01.04.2026" in reminders[0]
    assert "/protokoll freigeben 1" in reminders[0] and "/protokoll hochladen 1" in reminders[0]
    on_the_day = await bot.say("::now 2026-04-01T09:00")
    assert (
        "[dm:you] 📝 you, das Protokoll von Jour fixe (#1, Mi, 25.03.2026) ist heute fällig."
        in (on_the_day)
    )
    overdue = await bot.say("::now 2026-04-02T10:00", "/protokolle")
    assert "⚠ #1 Jour fixe (Mi, 25.03.2026): Entwurf, überfällig seit Mi, 01.04.2026" in overdue
    digest = await bot.say("::now 2026-04-06T08:00")
    assert "Überfällige Protokolle (1):" in digest
    assert "⚠ #1 Jour fixe (Mi, 25.03.2026) – fällig am Mi, 01.04.2026" in digest


async def test_publishing_ends_the_reminders_and_the_deadline_is_a_setting(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    shown = await bot.say("/einstellungen")
    assert (
        "Protokolle fällig: 7 Tage nach dem Termin — ändern: /einstellungen protokollfrist 10"
        in shown
    )
    changed = await bot.say("/einstellungen protokollfrist 3")
    assert "Protokolle fällig: 3 Tage nach dem Termin" in changed
    assert "keine Anzahl Tage zwischen 1 und 90" in await bot.say("/einstellungen protokollfrist 0")
    await take_minutes(bot)
    # 25.3. + 3 days is a Saturday: due the Monday after.
    assert "fällig am Mo, 30.03.2026" in await bot.say("/protokoll 1")
    assert "ist morgen fällig" in await bot.say("::now 2026-03-29T09:00")
    await bot.say("/protokoll freigeben 1")
    assert "📝" not in await bot.say("::now 2026-03-30T09:00")
    assert "Überfällige Protokolle" not in await bot.say("::now 2026-04-06T08:00")


# --- uploading ------------------------------------------------------------------------------


async def test_an_uploaded_pdf_becomes_the_published_protocol(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag(bot)
    upload = tmp_path / "Protokoll März.pdf"
    upload.write_bytes(b"%PDF-1.4\n% Protokoll der AG Innenstadt\n%%EOF\n")
    text = tmp_path / "notizen.txt"
    text.write_text("keine PDF")

    early = await bot.say(f"::file {upload}", "/protokoll hochladen 1")
    assert "Termin #1 hat noch nicht stattgefunden." in early
    await bot.say("::now 2026-03-25T16:00")
    await bot.say("::user ben", "/protokoll 1", "::user you")  # a request before the upload
    assert "Bitte hängen Sie das Protokoll als PDF- oder Word-Datei" in await bot.say(
        "/protokoll hochladen 1"
    )
    wrong = await bot.say(f"::file {text}", "/protokoll hochladen 1")
    assert "notizen.txt ist keine PDF- oder Word-Datei (DOCX)." in wrong
    member = await bot.say(f"::file {upload}", "::user carla", "/protokoll hochladen 1")
    assert "dürfen nur die Koordinierenden der AG Innenstadt." in member
    assert "veröffentlicht" not in await bot.say("/protokolle")  # refusals changed nothing

    done = await bot.say("::user you", f"::file {upload}", "/protokoll hochladen 1", "/ja")
    assert "[ag] 📄 Das Protokoll von Jour fixe (#1, Mi, 25.03.2026) ist veröffentlicht." in done
    assert "Auch an 1 Person geschickt, die es angefordert hat (privat, wo möglich)." in done
    assert f"[ag] file: {PDF_NAME}" in done and ".docx" not in done
    assert (tmp_path / "files" / PDF_NAME).read_bytes() == upload.read_bytes()
    delivered = await bot.say("::now 2026-03-25T16:01")
    assert f"[dm:ben] file: {PDF_NAME}" in delivered
    again = await bot.say("::user carla", "/protokoll")
    assert f"[ag] file: {PDF_NAME}" in again
    assert "veröffentlicht am Mi, 25.03.2026, 16:00 Uhr" in await bot.say("/protokolle")
    twice = await bot.say("::user you", f"::file {upload}", "/protokoll hochladen 1")
    assert "Das Protokoll von #1 ist bereits veröffentlicht." in twice
    assert "Eine neue Fassung ersetzt es: /protokoll ersetzen 1" in twice


async def test_an_uploaded_docx_replaces_a_draft(bot: ConsoleBot, tmp_path: Path) -> None:
    await ag(bot)
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Protokoll Jour fixe – Beschlüsse der AG Innenstadt")
    document.save(buffer)
    upload = tmp_path / "protokoll.docx"
    upload.write_bytes(buffer.getvalue())
    running = await bot.say("::now 2026-03-25T14:02", "/sitzung start", f"::file {upload}")
    refused = await bot.say("/protokoll hochladen 1")
    assert "Das Protokoll von #1 läuft noch. Beenden Sie es zuerst mit /sitzung ende." in refused
    assert "hat begonnen" in running
    await bot.say("/info Notiz", "/sitzung ende")
    done = await bot.say(f"::file {upload}", "/protokoll hochladen 1", "/ja")
    assert f"[ag] file: {DOCX_NAME}" in done and ".pdf" not in done
    assert "Beschlüsse der AG Innenstadt" in docx_text(tmp_path / "files" / DOCX_NAME)


async def test_the_deadline_follows_a_moved_meeting_and_reaches_a_coordinator_in_the_chat(
    bot: ConsoleBot,
) -> None:
    await bot.say("::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")  # no /start
    # Due Tuesday 7.4. (27.3. + 7 is Good Friday, then Easter Monday); moved: Wednesday 8.4.
    await bot.say("/termin Jour fixe | 27.3. 14 Uhr")
    await bot.say("/termin verschieben 1 1.4. 14 Uhr")
    assert "📝" not in await bot.say("::now 2026-04-06T09:00")  # the old deadline's day before
    reminded = messages(await bot.say("::now 2026-04-07T09:00"))
    due = [m for m in reminded if "📝" in m]
    assert due == [
        "[ag] 📝 you, das Protokoll von Jour fixe (#1, Mi, 01.04.2026) ist morgen fällig.\n"
        "  Stand: noch nicht begonnen, fällig am Mi, 08.04.2026\n"
        "  Geben Sie das Protokoll mit /protokoll freigeben 1 frei, oder laden Sie eine Datei "
        "mit /protokoll hochladen 1 hoch."
    ]


# --- forgotten minutes ------------------------------------------------------------------------


async def test_forgotten_minutes_end_after_the_meeting_day_and_the_chat_is_told_once(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T14:02", "/sitzung start", "/top")
    late = await bot.say("::now 2026-03-25T23:30", "/info Noch am selben Abend")
    assert "Info 1 (TOP 1): Noch am selben Abend" in late  # the meeting's day is not over
    await bot.say("::now 2026-04-10T10:00")  # reminders due meanwhile
    task = await bot.say("/aufgabe Steuererklärung prüfen bis 30.5.")
    assert task.startswith(
        "[ag] Das Protokoll von Jour fixe (#1) wurde nach dem Termin automatisch beendet"
    )
    assert "Aufgabe #1 angelegt: Steuererklärung prüfen" in task
    assert "Im Protokoll" not in task
    assert "Aus dem Termin" not in await bot.say("/aufgabe #1")
    info = await bot.say("/info Etwas")
    assert "In der AG Innenstadt wird gerade kein Protokoll geführt." in info
    assert "automatisch beendet" not in info  # told once
    assert "Stand: Entwurf" in await bot.say("/protokoll 1")


async def test_touching_stale_minutes_with_a_minutes_command_ends_them(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T14:02", "/sitzung start", "/top")
    await bot.say("::now 2026-03-26T09:00")
    touched = await bot.say("::user ben", "/info Vergessen")
    assert "Das Protokoll von Jour fixe (#1) wurde nach dem Termin automatisch beendet" in touched
    assert "In der AG Innenstadt wird gerade kein Protokoll geführt." in touched
    assert "automatisch" not in await bot.say("/info Noch einmal")
    assert "Entwurf" in await bot.say("::user you", "/protokolle")
    over = await bot.say("/sitzung start 1")
    assert "Termin #1 ist vorbei" in over


async def test_stale_minutes_are_a_draft_in_the_overview_and_the_deadline_reminder(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T14:02", "/sitzung start", "/top", "/info Notiz")
    running = await bot.say("::now 2026-03-25T18:00", "/protokolle")
    assert "• #1 Jour fixe (Mi, 25.03.2026): Protokoll läuft, fällig am Mi, 01.04.2026" in running
    day_before = [m for m in messages(await bot.say("::now 2026-03-31T09:00")) if "📝" in m]
    assert len(day_before) == 1 and "ist morgen fällig." in day_before[0]
    assert "Stand: Entwurf, fällig am Mi, 01.04.2026" in day_before[0]
    assert "Protokoll läuft" not in day_before[0]
    listed = await bot.say("/protokolle")
    assert listed.startswith(
        "[ag] Das Protokoll von Jour fixe (#1) wurde nach dem Termin automatisch beendet"
    )
    assert "• #1 Jour fixe (Mi, 25.03.2026): Entwurf, fällig am Mi, 01.04.2026" in listed
    assert "Protokoll läuft" not in listed
    again = await bot.say("/protokolle")
    assert "automatisch beendet" not in again and "Entwurf, fällig am" in again


# --- cancelled and future meetings ------------------------------------------------------------


async def test_a_cancelled_meeting_takes_no_requests_publishing_or_uploads(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T13:50", "/sitzung start", "/info Notiz", "/sitzung ende")
    assert "Abgesagt" in await bot.say("/termin absagen 1")
    await bot.say("::now 2026-03-25T16:00")
    asked = await bot.say("::user ben", "/protokoll 1")
    assert "Termin #1 ist abgesagt; es gibt kein Protokoll" in asked
    assert "Vorgemerkt" not in asked
    assert "Anforderung" not in await bot.say("/protokolle")
    assert "ist abgesagt" in await bot.say("::user you", "/protokoll freigeben 1")
    upload = tmp_path / "protokoll.pdf"
    upload.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert "ist abgesagt" in await bot.say(f"::file {upload}", "/protokoll hochladen 1")
    assert "veröffentlicht" not in await bot.say("/protokolle")


async def test_a_protocol_is_not_published_before_the_meeting_began(bot: ConsoleBot) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T13:50", "/sitzung start @ben", "/info Notiz", "/sitzung ende")
    early = await bot.say("/protokoll freigeben 1")
    assert "Termin #1 hat noch nicht stattgefunden." in early
    assert "ist veröffentlicht" in await bot.say("::now 2026-03-25T14:01", "/protokoll freigeben 1")


async def test_deadline_reminders_that_come_too_late_are_withdrawn(bot: ConsoleBot) -> None:
    await ag(bot)
    await take_minutes(bot)
    # Down from before the day-before reminder until the due day: only "due today" comes.
    on_the_day = [m for m in messages(await bot.say("::now 2026-04-01T10:00")) if "📝" in m]
    assert len(on_the_day) == 1 and "ist heute fällig." in on_the_day[0]


async def test_no_deadline_reminder_after_the_due_day(bot: ConsoleBot) -> None:
    await ag(bot)
    await take_minutes(bot)
    assert "📝" not in await bot.say("::now 2026-04-02T00:30")
    assert "überfällig seit Mi, 01.04.2026" in await bot.say("/protokolle")


async def test_members_note_action_items_for_others_only_while_the_minutes_run(
    bot: ConsoleBot,
) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T14:02", "/sitzung start", "/top")
    noted = await bot.say("::user ben", "/aufgabe Getränke @carla bis Freitag")
    assert "Aufgabe #1 angelegt: Getränke" in noted
    assert "Zuständig: @carla" in noted or "Zuständig: carla" in noted
    assert "Im Protokoll: Eintrag 1 (TOP 1)" in noted
    await bot.say("::user you", "/sitzung ende")
    after = await bot.say("::user ben", "/aufgabe Plakate @carla")
    assert (
        "Anderen Personen Aufgaben zuweisen dürfen nur die Koordinierenden der AG Innenstadt."
        in after
    )
    assert "Aufgabe #2" not in after


# --- what an upload must be -------------------------------------------------------------------


async def test_an_upload_is_checked_by_its_content_not_only_its_name(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag(bot)
    await bot.say("::now 2026-03-25T16:00")
    fake_pdf = tmp_path / "protokoll.pdf"
    fake_pdf.write_bytes(b"<html>kein PDF</html>")
    refused = await bot.say(f"::file {fake_pdf}", "/protokoll hochladen 1")
    assert "protokoll.pdf ist keine lesbare PDF- oder Word-Datei (DOCX)" in refused
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", "<office/>")  # a zip, but no Word document
    fake_docx = tmp_path / "protokoll.docx"
    fake_docx.write_bytes(buffer.getvalue())
    refused = await bot.say(f"::file {fake_docx}", "/protokoll hochladen 1")
    assert "protokoll.docx ist keine lesbare PDF- oder Word-Datei (DOCX)" in refused
    assert "veröffentlicht" not in await bot.say("/protokolle")  # refusals changed nothing


async def test_two_files_of_one_upload_with_the_same_name_both_arrive(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag(bot)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "protokoll.pdf", tmp_path / "b" / "protokoll.pdf"
    first.write_bytes(b"%PDF-1.4\n% Teil 1\n%%EOF\n")
    second.write_bytes(b"%PDF-1.4\n% Teil 2\n%%EOF\n")
    await bot.say("::now 2026-03-25T16:00")
    done = await bot.say(f"::file {first}", f"::file {second}", "/protokoll hochladen 1", "/ja")
    second_name = PDF_NAME.replace(".pdf", "_2.pdf")
    assert f"[ag] file: {PDF_NAME}" in done and f"[ag] file: {second_name}" in done
    assert (tmp_path / "files" / PDF_NAME).read_bytes() == first.read_bytes()
    assert (tmp_path / "files" / second_name).read_bytes() == second.read_bytes()


async def test_an_upload_larger_than_the_configured_limit_is_refused(
    database_url: str, tmp_path: Path
) -> None:
    bot = await ConsoleBot.start(database_url, tmp_path / "files", max_upload_mb=1)
    try:
        await ag(bot)
        await bot.say("::now 2026-03-25T16:00")
        big = IncomingFile("gross.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024), "application/pdf")
        # Past the adapter (which checks the same limit), straight to the command.
        incoming = replace(bot.adapter._incoming("/protokoll hochladen 1"), files=(big,))
        reply = await bot.app.router.handle(incoming)
        assert reply is not None and reply.refused
        assert "Eine Protokolldatei darf höchstens 1 MB groß sein." in reply.plain_text()
    finally:
        await bot.close()


async def test_the_help_for_protocols_says_when_a_request_is_answered(bot: ConsoleBot) -> None:
    await ag(bot)
    shown = " ".join((await bot.say("/hilfe protokoll")).split())
    assert "Sie erhalten es automatisch, sobald es veröffentlicht ist." in shown


async def test_the_list_counts_the_meetings_it_leaves_out_in_singular_and_plural(
    bot: ConsoleBot,
) -> None:
    await bot.say("::chat ag", "::admin", "/einrichten AG Innenstadt", "::noadmin")
    await bot.say("/termin Jour fixe | jeden Donnerstag 10 Uhr")
    # Eleven Thursdays have passed; the list shows ten of them.
    one_more = await bot.say("::now 2026-06-05T10:00", "/protokolle")
    assert "… und 1 früheren Termin: /protokolle <Jahr>" in one_more
    two_more = await bot.say("::now 2026-06-12T10:00", "/protokolle")
    assert "… und 2 frühere Termine: /protokolle <Jahr>" in two_more
    await bot.say("/sprache en")
    assert "… and 2 earlier meetings: /protocols <year>" in await bot.say("/protocols")
