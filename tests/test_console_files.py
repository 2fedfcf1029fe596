"""Console scenarios for files with commands: ``::file PATH`` and /datei.

``::file`` attaches a file to the next message line, as a caption or an answer to a file
does on Telegram and Matrix; /datei shows what arrived. German wording is asserted, as
the bot answers in German by default.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.harness import ConsoleBot

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


async def test_a_file_goes_with_the_next_message_only(bot: ConsoleBot, tmp_path: Path) -> None:
    content = "Protokoll der AG Wirtschaftsförderung – 3.000 €\n".encode() * 50
    protocol = tmp_path / "Protokoll März.docx"
    protocol.write_bytes(content)

    attached = await bot.say(f"::file {protocol}")
    assert (
        attached
        == f"[console] Protokoll März.docx ({len(content)} bytes) goes with your next message\n"
    )
    out = await bot.say("/datei")
    assert out.splitlines() == [
        "[dm:you] Empfangen: Protokoll März.docx",
        f"  Typ: {DOCX_TYPE}, Größe: {len(content)} Byte",
        f"  SHA-256: {hashlib.sha256(content).hexdigest()}",
    ]
    # Used once: the next command comes without it.
    assert "Mit dem Befehl kam keine Datei" in await bot.say("/datei")


async def test_several_files_and_a_switch_of_chat_in_between(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7 a")
    (tmp_path / "b.csv").write_bytes(b"Name;Stunden\n")
    out = await bot.say(
        f"::file {tmp_path / 'a.pdf'}", f"::file {tmp_path / 'b.csv'}", "::chat ag", "/datei"
    )
    assert "[ag] Empfangen: a.pdf" in out
    assert "Typ: application/pdf, Größe: 10 Byte" in out
    assert "Empfangen: b.csv" in out
    assert "Typ: text/csv, Größe: 13 Byte" in out


async def test_a_missing_or_unreadable_path_is_named(bot: ConsoleBot, tmp_path: Path) -> None:
    missing = await bot.say(f"::file {tmp_path / 'fehlt.pdf'}")
    assert missing.startswith("[console] ::file cannot read ")
    assert "fehlt.pdf" in missing and "No such file or directory" in missing
    directory = await bot.say(f"::file {tmp_path}")
    assert directory == f"[console] ::file cannot read {str(tmp_path)!r}: it is a directory\n"
    incomplete = await bot.say("::file")
    assert incomplete == "[console] unknown or incomplete directive: ::file\n"
    # Nothing was attached.
    assert "Mit dem Befehl kam keine Datei" in await bot.say("/datei")


async def test_a_file_over_the_limit_is_refused_and_the_command_not_run(
    bot: ConsoleBot, tmp_path: Path
) -> None:
    big = tmp_path / "scan.pdf"
    with big.open("wb") as handle:
        handle.truncate(20 * 1024 * 1024 + 1)  # sparse: one byte over the default 20 MB
    out = await bot.say(f"::file {big}", "/datei")
    assert out.splitlines()[-1] == (
        "[dm:you] Die Datei scan.pdf ist zu groß (21 MB). Ich nehme Dateien bis 20 MB an; "
        "der Befehl wurde nicht ausgeführt."
    )
    assert "SHA-256" not in out


async def test_a_file_with_plain_chat_is_not_a_command(bot: ConsoleBot, tmp_path: Path) -> None:
    (tmp_path / "bild.png").write_bytes(b"\x89PNG")
    out = await bot.say("::chat ag", f"::file {tmp_path / 'bild.png'}", "Schaut mal")
    assert out.endswith("goes with your next message\n")  # no answer to chat in a group
    assert "Mit dem Befehl kam keine Datei" in await bot.say("/datei")


async def test_a_file_gone_before_the_command_stops_it(bot: ConsoleBot, tmp_path: Path) -> None:
    draft = tmp_path / "entwurf.pdf"
    draft.write_bytes(b"%PDF")
    await bot.say(f"::file {draft}")
    draft.unlink()
    out = await bot.say("/datei")
    assert out.startswith("[console] ::file cannot read ")
    assert out.splitlines()[-1] == (
        "[dm:you] Ich konnte die Datei entwurf.pdf nicht abrufen; der Befehl wurde nicht "
        "ausgeführt. Bitte senden Sie sie noch einmal."
    )
