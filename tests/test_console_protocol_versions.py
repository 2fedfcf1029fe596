"""Publishing a protocol as a deliberate act (issue 18, item 3): an upload asks /ja first,
naming the meeting, its day and the draft it replaces; a published protocol gets new
versions (Fassungen) that go out like the first, earlier ones stay retrievable; the AG's
approval is stored and shown in the document; corrections go into its appendix.

The AG and meeting are those of ``tests.test_console_protocols`` (Jour fixe #1 on Wednesday
25 March 2026, 14:00). Documents are read back; the rows are read from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from storage.models import (
    PendingFile,
    Protocol,
    ProtocolCorrection,
    ProtocolDocument,
    ProtocolStatus,
    ProtocolVersion,
)
from tests.harness import ConsoleBot
from tests.test_console_protocols import (
    DOCX_NAME,
    PDF_NAME,
    ag,
    ag_with_two_chats,
    copies_in_ag_zwei,
    docx_text,
    pdf_text,
    take_minutes,
)

V2_PDF = PDF_NAME.replace(".pdf", "_Fassung-2.pdf")
V2_DOCX = DOCX_NAME.replace(".docx", "_Fassung-2.docx")
APPENDIX = "Anhang: Änderungen gegenüber dem Entwurf"


@dataclass(frozen=True)
class Rows:
    """What the database holds of the one protocol of these scenarios."""

    status: ProtocolStatus | None
    approved_at: datetime | None
    versions: list[tuple[int, bool]]  # (number, from the minutes)
    documents: list[tuple[int, str]]  # (version, name)
    corrections: list[tuple[str, str]]  # (before, after)
    held_files: int


async def rows(bot: ConsoleBot) -> Rows:
    async with bot.app.sessions() as session:
        protocol = await session.scalar(select(Protocol))
        versions = await session.execute(
            select(ProtocolVersion.number, ProtocolVersion.from_minutes).order_by(
                ProtocolVersion.number
            )
        )
        documents = await session.execute(
            select(ProtocolDocument.version, ProtocolDocument.name).order_by(
                ProtocolDocument.version, ProtocolDocument.id
            )
        )
        corrections = await session.execute(
            select(ProtocolCorrection.before, ProtocolCorrection.after).order_by(
                ProtocolCorrection.id
            )
        )
        held = list(await session.scalars(select(PendingFile.id)))
        return Rows(
            status=protocol.status if protocol else None,
            approved_at=protocol.approved_at if protocol else None,
            versions=[(number, bool(minutes)) for number, minutes in versions],
            documents=[(version, name) for version, name in documents],
            corrections=[(before, after) for before, after in corrections],
            held_files=len(held),
        )


def flat(text: str) -> str:
    return " ".join(text.split())


# --- uploading asks first --------------------------------------------------------------------


async def test_an_upload_names_the_meeting_its_day_and_the_draft_and_waits_for_yes(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag(bot)
    await take_minutes(bot)
    upload = tmp_path / "Protokoll Januar.pdf"
    upload.write_bytes(b"%PDF-1.4\n% Protokoll vom Januar\n%%EOF\n")

    asked = await bot.say(f"::file {upload}", "/protokoll hochladen 1")
    assert (
        "[ag] Protokoll Januar.pdf als Protokoll von Jour fixe (#1, Mi, 25.03.2026) "
        "veröffentlichen?" in asked
    )
    assert "ein Entwurf mit 4 Einträgen geführt; die Datei ersetzt ihn als Protokoll." in asked
    assert "[Ja, freigeben: /ja] [Nein: /nein]" in asked
    waiting = await rows(bot)
    assert waiting.status is ProtocolStatus.DRAFT and waiting.versions == []
    assert waiting.documents == [] and waiting.held_files == 1

    assert "Es wurde nichts geändert." in await bot.say("/nein")
    cancelled = await rows(bot)
    assert cancelled.status is ProtocolStatus.DRAFT and cancelled.held_files == 0
    assert "Entwurf" in await bot.say("/protokolle")

    await bot.say(f"::file {upload}", "/protokoll hochladen 1")
    # /ja comes without the file: the one sent with the question is published.
    done = await bot.say("/ja")
    assert "[ag] 📄 Das Protokoll von Jour fixe (#1, Mi, 25.03.2026) ist veröffentlicht." in done
    assert f"[ag] file: {PDF_NAME}" in done
    assert (tmp_path / "files" / PDF_NAME).read_bytes() == upload.read_bytes()
    published = await rows(bot)
    assert published.status is ProtocolStatus.PUBLISHED
    assert published.versions == [(1, False)] and published.documents == [(1, PDF_NAME)]
    assert published.held_files == 0
    assert "Es gibt nichts zu bestätigen." in await bot.say("/ja")


async def test_an_upload_without_minutes_says_so_and_english_works_too(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag(bot)
    upload = tmp_path / "protokoll.pdf"
    upload.write_bytes(b"%PDF-1.4\n%%EOF\n")
    await bot.say("::now 2026-03-25T16:00")
    asked = await bot.say(f"::file {upload}", "/protocol upload 1")
    assert "Für diesen Termin wurde im Chat kein Protokoll geführt." in asked
    assert (await rows(bot)).status is None  # nothing created before the answer
    assert "ist veröffentlicht" in await bot.say("/confirm")
    assert (await rows(bot)).versions == [(1, False)]


# --- new versions ----------------------------------------------------------------------------


async def test_a_corrected_protocol_is_published_again_as_version_2_like_the_first(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag_with_two_chats(bot)
    await take_minutes(bot)
    await bot.say("::user ben", "/protokoll 1", "::user you")  # ben asks before it is published
    await bot.say("/protokoll freigeben 1", "::now 2026-03-25T14:03")
    v1_pdf = (tmp_path / "files" / PDF_NAME).read_bytes()

    await bot.say("::now 2026-03-27T09:00")
    corrected = await bot.say("/protokoll korrektur 1 1 Der Kämmerer berichtet: 6.000 € für Bäume.")
    assert "Die Korrektur geht mit /protokoll ersetzen 1 als neue Fassung hinaus." in corrected
    assert "6.000 €" not in pdf_text(tmp_path / "files" / PDF_NAME)  # the published one stays

    asked = await bot.say("/protokoll ersetzen 1")
    assert (
        "Fassung 1 des Protokolls von Jour fixe (#1, Mi, 25.03.2026), veröffentlicht am "
        "Mi, 25.03.2026, 14:02 Uhr, ersetzen?" in asked
    )
    assert "Fassung 2: das Protokoll im jetzigen Stand (1 Korrektur seit Fassung 1)." in asked
    assert "Fassung 1 bleibt mit /protokoll 1 fassung 1 abrufbar." in asked
    assert (await rows(bot)).versions == [(1, True)]  # nothing before /ja

    done = await bot.say("/ja")
    assert "[ag] 📄 Das Protokoll von Jour fixe (#1, Mi, 25.03.2026) ist veröffentlicht." in done
    assert "Fassung 2, ersetzt die Fassung vom Mi, 25.03.2026." in done
    assert "Auch an 1 weiteren Chat der AG geschickt." in done
    assert "Auch an 1 Person geschickt, die es angefordert hat" in done
    assert f"[ag] file: {V2_PDF}" in done and f"[ag] file: {V2_DOCX}" in done
    after = await rows(bot)
    assert after.versions == [(1, True), (2, True)]
    assert after.documents == [(1, PDF_NAME), (1, DOCX_NAME), (2, V2_PDF), (2, V2_DOCX)]
    assert after.corrections == [
        (
            "Der Kämmerer berichtet: 5.000 € für Straßenbäume.",
            "Der Kämmerer berichtet: 6.000 € für Bäume.",
        )
    ]

    # Delivered through the outbox, like the first version.
    delivered = await bot.say("::now 2026-03-27T09:01")
    copies = copies_in_ag_zwei(delivered)
    assert copies[0].startswith("[ag-zwei] 📄 Das Protokoll von Jour fixe (#1, Mi, 25.03.2026)")
    assert "Fassung 2, ersetzt die Fassung vom Mi, 25.03.2026." in copies[0]
    assert [m.split(" (")[0] for m in copies[1:]] == [
        f"[ag-zwei] file: {V2_PDF}",
        f"[ag-zwei] file: {V2_DOCX}",
    ]
    assert f"[dm:ben] file: {V2_PDF}" in delivered
    assert copies_in_ag_zwei(await bot.say("::now 2026-03-27T12:00")) == []  # nothing twice

    for text in (pdf_text(tmp_path / "files" / V2_PDF), docx_text(tmp_path / "files" / V2_DOCX)):
        whole = flat(text)
        body, _, appendix = whole.partition(APPENDIX)
        assert "Fassung 2, ersetzt die Fassung vom Mi, 25.03.2026" in whole
        assert "Veröffentlicht am Fr, 27.03.2026, 09:00 Uhr" in whole
        assert "6.000 € für Bäume" in body and "5.000 €" not in body
        assert "vorher: Der Kämmerer berichtet: 5.000 € für Straßenbäume." in appendix

    current = await bot.say("::user carla", "/protokoll 1")
    assert "Fassung 2, ersetzt die Fassung vom Mi, 25.03.2026." in current
    assert "Frühere Fassungen: /protokoll 1 fassung 1" in current
    assert f"[ag] file: {V2_PDF}" in current
    earlier = await bot.say("/protokoll 1 fassung 1")
    assert "Fassung 1 von 2, veröffentlicht am Mi, 25.03.2026, 14:02 Uhr" in earlier
    assert "Ersetzt durch Fassung 2: /protokoll 1 fassung 2" in earlier
    assert f"[ag] file: {PDF_NAME}" in earlier
    assert (tmp_path / "files" / PDF_NAME).read_bytes() == v1_pdf
    assert "es gibt die Fassungen 1 bis 2" in await bot.say("/protokoll 1 fassung 3")
    # The deadline was met by the first version; a replacement does not rewrite it.
    assert "veröffentlicht am Mi, 25.03.2026, 14:02 Uhr" in await bot.say("/protokolle")


async def test_an_uploaded_protocol_is_replaced_by_a_file_only(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag(bot)
    first, second = tmp_path / "erste.pdf", tmp_path / "zweite.pdf"
    first.write_bytes(b"%PDF-1.4\n% erste\n%%EOF\n")
    second.write_bytes(b"%PDF-1.4\n% zweite\n%%EOF\n")
    await bot.say("::now 2026-03-25T16:00")
    not_yet = await bot.say(f"::file {second}", "/protokoll ersetzen 1")
    assert "Das Protokoll von #1 ist noch nicht veröffentlicht." in not_yet
    await bot.say(f"::file {first}", "/protokoll hochladen 1", "/ja")

    no_file = await bot.say("/protokoll ersetzen 1")
    assert "eine neue Fassung braucht deshalb eine Datei" in no_file
    member = await bot.say("::user carla", f"::file {second}", "/protokoll ersetzen 1")
    assert "dürfen nur die Koordinierenden der AG Innenstadt." in member
    asked = await bot.say("::user you", f"::file {second}", "/protocol replace 1")
    assert "Fassung 2: zweite.pdf" in asked
    done = await bot.say("/ja")
    assert "Fassung 2, ersetzt die Fassung vom Mi, 25.03.2026." in done
    assert (tmp_path / "files" / V2_PDF).read_bytes() == second.read_bytes()
    assert (await rows(bot)).versions == [(1, False), (2, False)]
    assert (tmp_path / "files" / PDF_NAME).read_bytes() == first.read_bytes()


# --- approval --------------------------------------------------------------------------------


async def test_the_ag_approves_a_published_protocol_and_the_document_says_so(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    await ag(bot)
    await take_minutes(bot)
    not_yet = await bot.say("/protokoll genehmigt 1")
    assert "Das Protokoll von #1 ist noch nicht veröffentlicht." in not_yet
    await bot.say("/protokoll freigeben 1")

    await bot.say("::now 2026-04-01T10:00")
    await bot.say("/protokoll korrektur 1 1 Der Kämmerer berichtet: 6.000 €.")
    pending = await bot.say("/protokoll genehmigt 1")
    assert "hat Korrekturen, die noch nicht veröffentlicht sind" in pending
    assert "/protokoll ersetzen 1" in pending
    assert (await rows(bot)).approved_at is None
    await bot.say("/protokoll ersetzen 1", "/ja")

    member = await bot.say("::user ben", "/protokoll genehmigt 1", "::user you")
    assert "dürfen nur die Koordinierenden der AG Innenstadt." in member
    approved = await bot.say("/protocol approved 1")
    assert (
        "✅ Das Protokoll von Jour fixe (#1, Mi, 25.03.2026) ist genehmigt, am Mi, 01.04.2026."
        in approved
    )
    assert f"[ag] file: {V2_PDF}" in approved
    stored = await rows(bot)
    assert stored.approved_at == datetime.fromisoformat("2026-04-01T10:00:00+02:00")
    assert stored.versions == [(1, True), (2, True)]  # approving is no new version
    for text in (pdf_text(tmp_path / "files" / V2_PDF), docx_text(tmp_path / "files" / V2_DOCX)):
        assert "Genehmigt am Mi, 01.04.2026" in flat(text)
    assert "genehmigt am Mi, 01.04.2026" in await bot.say("/protokolle")
    # Whoever asks later gets the approved document.
    later = await bot.say("::user carla", "/protokoll 1", "::user you")
    assert f"[ag] file: {V2_PDF}" in later
    assert "bereits am Mi, 01.04.2026 genehmigt" in await bot.say("/protokoll genehmigt 1")
