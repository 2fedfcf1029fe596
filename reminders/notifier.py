"""The interface through which reminders reach a chat, implemented by every adapter."""

from __future__ import annotations

from typing import Protocol

from core.messages import ChatRef, Reply


class Notifier(Protocol):
    async def send(self, chat: ChatRef, reply: Reply) -> str | None:
        """Send ``reply`` into ``chat``; return the platform's message id if it has one."""
        ...
