"""Shared wording: names of roles and permissions, usage lines of commands, pointers."""

from __future__ import annotations

from typing import Any

from core.commands import Command, Permission
from core.i18n import N_, Translator
from storage.models import Role

_PERMISSION_NAMES = {
    Permission.ANYONE: N_("everyone"),
    Permission.MEMBER: N_("members of the AG"),
    Permission.COORDINATOR: N_("coordinators of the AG"),
    Permission.CHAT_ADMIN: N_("chat admins"),
    Permission.GLOBAL_ADMIN: N_("global admins"),
}

# Messengers by their platform key, as people call them.
PLATFORM_NAMES = {"telegram": "Telegram", "matrix": "Matrix", "console": N_("console")}

# The line /start and /beitreten show, pointing to /datenschutz.
PRIVACY_POINTER = N_("What I store about you and who sees it: {privacy}")

# The languages of the replies, by their code.
LANGUAGE_NAMES = {"de": N_("German"), "en": N_("English")}

_ROLE_NAMES = {
    Role.MEMBER: N_("member"),
    Role.COORDINATOR: N_("coordinator"),
}


def permission_name(translator: Translator, permission: Permission) -> str:
    return translator.t(_PERMISSION_NAMES[permission])


def role_name(translator: Translator, role: Role) -> str:
    return translator.t(_ROLE_NAMES[role])


def usage_line(translator: Translator, command: Command[Any], prefix: str = "/") -> str:
    """``/rolle @person koordination|mitglied`` in the reader's language."""
    word = f"{prefix}{command.word(translator.language)}"
    if not command.usage:
        return word
    return f"{word} {translator.t(command.usage)}"
