"""Errors a handler raises to refuse a command; the router turns them into replies.

Raising (instead of returning an error reply) makes the router roll back the
transaction, so a refused command never leaves anything half-written.
"""

from __future__ import annotations

from core.messages import Reply


class Refusal(Exception):
    """The command cannot be carried out; ``reply`` tells the user why."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.plain_text())
        self.reply = reply


class UsageError(Exception):
    """The arguments do not fit; the router answers with the command's usage."""

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
