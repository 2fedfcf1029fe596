"""Files that come with a command: the m.file event a command answers, and its download.

The file is fetched only for the bot's own commands, through the authenticated media API;
attachments of encrypted rooms are decrypted, which checks their SHA-256 hash. The size is
checked twice: the sender's ``info.size`` before the download, the bytes that arrived after.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from nio import (
    AsyncClient,
    MegolmEvent,
    MemoryDownloadResponse,
    RoomEncryptedFile,
    RoomGetEventResponse,
    RoomMessageFile,
)
from nio.crypto.attachments import decrypt_attachment
from nio.exceptions import EncryptionError, LocalProtocolError

from bot.router import Router
from core.messages import Incoming, IncomingFile, Reply

log = logging.getLogger(__name__)

# nio downloads without a timeout of its own.
_DOWNLOAD_TIMEOUT = 120.0


async def replied_file(client: AsyncClient, room_id: str, event_id: str) -> dict[str, Any] | None:
    """The content of the m.file event a command answers (decrypted), else None."""
    response = await client.room_get_event(room_id, event_id)
    if not isinstance(response, RoomGetEventResponse):
        log.warning("matrix: cannot fetch replied event %s: %s", event_id, response)
        return None
    replied: Any = response.event
    if isinstance(replied, MegolmEvent):
        try:
            replied = client.decrypt_event(replied)
        except (EncryptionError, LocalProtocolError) as error:
            log.warning("matrix: cannot decrypt replied event %s: %s", event_id, error)
            return None
    if not isinstance(replied, (RoomMessageFile, RoomEncryptedFile)):
        return None
    content: dict[str, Any] = replied.source.get("content", {})
    return content


async def fetch_file(
    client: AsyncClient, router: Router, content: dict[str, Any], incoming: Incoming
) -> IncomingFile | Reply:
    """Download (and decrypt) the file of an m.file content, or the refusal to send."""
    info: dict[str, Any] = content.get("info") or {}
    encrypted: dict[str, Any] | None = content.get("file")
    if not isinstance(info, dict):
        info = {}
    if not isinstance(encrypted, dict):
        encrypted = None
    name = str(content.get("filename") or content.get("body") or "file")
    limit = router.settings.max_upload_bytes
    size = info.get("size")
    if isinstance(size, int) and size > limit:
        return await router.file_too_large(incoming, name, size)
    url = encrypted.get("url") if encrypted is not None else content.get("url")
    if not isinstance(url, str) or not url.startswith("mxc://"):
        log.warning("matrix: file %s in %s has no mxc:// url", name, incoming.message_id)
        return await router.file_unavailable(incoming, name)
    try:
        response = await asyncio.wait_for(client.download(mxc=url), _DOWNLOAD_TIMEOUT)
    except (aiohttp.ClientError, TimeoutError) as error:
        response = None
        reason: object = error
    else:
        reason = response
    if not isinstance(response, MemoryDownloadResponse):
        log.warning("matrix: download of %s failed: %s", url, reason)
        return await router.file_unavailable(incoming, name)
    data: bytes = response.body
    # The info.size of the event is the sender's word; what arrived is checked again.
    if len(data) > limit:
        return await router.file_too_large(incoming, name, len(data))
    if encrypted is not None:
        try:
            data = decrypt_attachment(
                data, encrypted["key"]["k"], encrypted["hashes"]["sha256"], encrypted["iv"]
            )
        except (EncryptionError, KeyError, TypeError, ValueError) as error:
            log.warning("matrix: cannot decrypt the file at %s: %s", url, error)
            return await router.file_unavailable(incoming, name)
    mime_type = (
        info.get("mimetype")
        or (encrypted or {}).get("mimetype")
        or response.content_type
        or "application/octet-stream"
    )
    return IncomingFile(name, data, str(mime_type))
