"""Announcements: messages a command wrote for the AG's other chats (invitations, moves,
cancellations, a welcome), kept whole in the row and sent as they were written."""

from __future__ import annotations

from core.line_codec import reply_from_json
from core.messages import ChatRef
from reminders.addressing import Outgoing, Rendered
from storage.models import Reminder


def render_announcement(row: Reminder) -> Rendered | None:
    """The stored reply for the stored chat; None for a row without either (withdrawn)."""
    if row.payload is None or row.chat_platform is None or row.chat_id is None:
        return None
    chat = ChatRef(row.chat_platform, row.chat_id, False)
    return Rendered(Outgoing(row.chat_platform, reply_from_json(row.payload), chat=chat))
