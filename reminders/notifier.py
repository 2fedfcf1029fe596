"""The interface through which the bot's own messages reach a chat, implemented by every adapter."""

from __future__ import annotations

from typing import Protocol

from core.messages import ChatRef, Reply


class DeliveryFailed(Exception):
    """A message could not be delivered.

    ``permanent``: trying again will not help (the bot was removed from the chat, the
    person blocked it); otherwise the messenger was unreachable or overloaded.
    """

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.permanent = permanent


class DeliveryUncertain(Exception):
    """The message may or may not have arrived (the answer was lost or unreadable) and the
    messenger cannot de-duplicate a repeat: it is recorded as sent, with a warning.

    ``message_id``: the id of a part that did arrive, if any.
    """

    def __init__(self, reason: str, *, message_id: str | None = None) -> None:
        super().__init__(reason)
        self.message_id = message_id


class Notifier(Protocol):
    async def send(self, chat: ChatRef, reply: Reply, *, key: str | None = None) -> str | None:
        """Send ``reply`` into ``chat``; the platform's message id if it has one.

        ``key`` names what is sent (a reminder's key): a messenger that can deduplicate
        retries (Matrix transaction ids) uses it. Raises :class:`DeliveryFailed` when the
        message did not arrive, :class:`DeliveryUncertain` when nobody can tell and a
        repeat could show it twice (a messenger that de-duplicates raises DeliveryFailed
        then: repeating is safe).
        """
        ...

    async def send_private(
        self, account_id: str, reply: Reply, *, key: str | None = None
    ) -> str | None:
        """Send ``reply`` into the person's private chat with the bot, as :meth:`send`."""
        ...
