"""Edited commands (``m.replace``): when the edited version runs, and when the bot says why not.

Every command the bot answers leaves a small record (``answered:<event id>``: the command's
name and whether it was refused). An edit then

- runs, as the edited text, when the original was no command yet, or its answer was an
  error (a typo fixed by editing is the common case);
- is ignored when the original was answered: running it again would do twice what the
  person wanted once; the bot says so only when the edit names a different command,
  because then the person expects something the bot will not do.
"""

from __future__ import annotations

import json
from enum import Enum

from core.messages import Reply


class EditOutcome(Enum):
    RUN = "run"
    IGNORE = "ignore"
    TELL = "tell"


def answer_record(command: str, reply: Reply | None) -> str:
    """What is kept of an answered command."""
    return json.dumps({"command": command, "refused": bool(reply is not None and reply.refused)})


def decide(record: str | None, new_command: str | None) -> EditOutcome:
    """What to do with an edit whose new text runs ``new_command`` (None: no command)."""
    if new_command is None:
        return EditOutcome.IGNORE
    if record is None:
        return EditOutcome.RUN
    try:
        previous = json.loads(record)
    except ValueError:
        return EditOutcome.IGNORE
    if previous.get("refused"):
        return EditOutcome.RUN
    return EditOutcome.IGNORE if previous.get("command") == new_command else EditOutcome.TELL
