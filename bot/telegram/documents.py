"""Documents that come with a command: which one a message carries, and downloading it
within the bot's upload limit (refusals go back through the router, in the user's words)."""

from __future__ import annotations

import logging

from telegram import Document, Message
from telegram.error import BadRequest, TelegramError

from bot.router import Router
from core.messages import Incoming, IncomingFile, Reply

log = logging.getLogger(__name__)

# getFile of Telegram's cloud Bot API hands out files up to 20 MB; larger ones need a
# self-hosted Bot API server.
BOT_API_DOWNLOAD_LIMIT_MB = 20
_DOWNLOAD_TIMEOUT = 120.0


def document_for(message: Message) -> Document | None:
    """The document a command carries: its own (caption) or the one of the message it answers."""
    if message.document is not None:
        return message.document
    replied = message.reply_to_message
    return replied.document if replied is not None else None


async def fetch_document(
    router: Router, document: Document, incoming: Incoming
) -> IncomingFile | Reply:
    """Download a command's document, or the refusal to send instead of running it."""
    name = document.file_name or "document"
    settings = router.settings
    if document.file_size is not None and document.file_size > settings.max_upload_bytes:
        return await router.file_too_large(incoming, name, document.file_size)
    try:
        file = await document.get_file()
        content = bytes(await file.download_as_bytearray(read_timeout=_DOWNLOAD_TIMEOUT))
    except BadRequest as error:
        if "too big" in error.message.casefold():
            limit = min(settings.max_upload_mb, BOT_API_DOWNLOAD_LIMIT_MB)
            size = document.file_size or (limit * 1024 * 1024 + 1)
            return await router.file_too_large(incoming, name, size, limit)
        log.warning("telegram: getFile for %s failed: %s", document.file_id, error)
        return await router.file_unavailable(incoming, name)
    except (TelegramError, RuntimeError) as error:
        # RuntimeError: getFile answered without a file_path.
        log.warning("telegram: download of %s failed: %s", document.file_id, error)
        return await router.file_unavailable(incoming, name)
    if len(content) > settings.max_upload_bytes:
        return await router.file_too_large(incoming, name, len(content))
    mime_type = document.mime_type or "application/octet-stream"
    return IncomingFile(name, content, mime_type)
