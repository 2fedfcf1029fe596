"""Files uploaded as a protocol: only a readable PDF or Word (DOCX) file within the size limit,
stored under the meeting's file name."""

from __future__ import annotations

import io
import zipfile

from core.i18n import Translator
from core.messages import IncomingFile
from handlers.protocols.texts import DOCX, PDF, file_stem, protocol_word
from handlers.shared.context import Context
from storage.models import Meeting, WorkingGroup
from storage.protocols import DocumentFile


def _kind_of(file: IncomingFile) -> str | None:
    """``pdf`` or ``docx`` by MIME type or file name; None for anything else."""
    name = file.name.casefold()
    if file.mime_type == PDF or name.endswith(".pdf"):
        return "pdf"
    if file.mime_type == DOCX or name.endswith(".docx"):
        return "docx"
    return None


def _content_fits(content: bytes, kind: str) -> bool:
    """Whether the bytes are what the name says: a PDF, or a Word document (a zip file)."""
    if kind == "pdf":
        return content.startswith(b"%PDF-")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "word/document.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def _unique_names(stem: str, kinds: list[str]) -> list[str]:
    """``stem.pdf``, ``stem_2.pdf`` …: several files of one upload keep apart."""
    seen: dict[str, int] = {}
    names = []
    for kind in kinds:
        seen[kind] = seen.get(kind, 0) + 1
        count = seen[kind]
        names.append(f"{stem}.{kind}" if count == 1 else f"{stem}_{count}.{kind}")
    return names


def checked_files(context: Context, meeting: Meeting, which: str) -> list[tuple[IncomingFile, str]]:
    """The message's files with their kinds; refuses when one is missing, wrong or too large.

    ``which`` is the subcommand the refusal names (``upload`` or ``replace``).
    """
    files = context.message.files
    if not files:
        raise context.refuse(
            "Please attach the protocol as a PDF or Word (DOCX) file to {command}, or send the "
            "command in reply to the file.",
            command=f"{protocol_word(context, which)} {meeting.number}",
        )
    accepted = [(file, kind) for file in files if (kind := _kind_of(file)) is not None]
    if not accepted:
        raise context.refuse(
            "{names} is not a PDF or Word (DOCX) file. Please upload the protocol as PDF or DOCX.",
            names=", ".join(file.name for file in files),
        )
    broken = [file.name for file, kind in accepted if not _content_fits(file.content, kind)]
    if broken:
        raise context.refuse(
            "{names} is not a readable PDF or Word (DOCX) file, although its name says so. "
            "Please save it again as PDF or DOCX and upload it.",
            names=", ".join(broken),
        )
    if any(len(file.content) > context.settings.max_upload_bytes for file, _ in accepted):
        raise context.refuse(
            "A protocol file may be at most {limit} MB.", limit=context.settings.max_upload_mb
        )
    return accepted


def stored_files(
    group: WorkingGroup,
    meeting: Meeting,
    accepted: list[tuple[IncomingFile, str]],
    version: int,
) -> list[DocumentFile]:
    """The uploaded files under the meeting's file name (``…_Fassung-2`` for a later one)."""
    stem = file_stem(Translator(group.language), group, meeting, version)
    names = _unique_names(stem, [kind for _, kind in accepted])
    return [
        DocumentFile(name, PDF if kind == "pdf" else DOCX, file.content)
        for name, (file, kind) in zip(names, accepted, strict=True)
    ]
