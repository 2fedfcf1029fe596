"""/einstellungen: an AG's settings for coordinators (reminders before meetings, digest)."""

from __future__ import annotations

from datetime import timedelta

from core.commands import Command, Permission, Where
from core.errors import UsageError
from core.i18n import N_
from core.messages import Reply, bold
from handlers.context import Context
from handlers.durations import format_duration_short, parse_duration
from storage import reminders
from storage.models import WorkingGroup

MAX_OFFSETS = 5
MAX_OFFSET = timedelta(days=14)
_REMINDER_WORDS = {"erinnerungen", "erinnerung", "reminders", "reminder"}
_DIGEST_WORDS = {"wochenuebersicht", "wochenübersicht", "digest"}
_ON = {"an", "ein", "on"}
_OFF = {"aus", "off", "keine", "none"}
_SAVED = N_("Saved. Settings of {group}:")
_SETTINGS = N_("Settings of {group}:")
_REMINDERS_EXAMPLE = N_("reminders 2d,1h")
_DIGEST_EXAMPLE = N_("digest on|off")


async def settings_command(context: Context, args: str) -> Reply:
    group = context.require_group()
    words = args.split(maxsplit=1)
    if not words:
        return _show(context, group)
    setting, value = words[0].casefold(), (words[1].strip() if len(words) > 1 else "")
    if not value:
        raise UsageError()
    if setting in _REMINDER_WORDS:
        group.meeting_reminders = _offsets(context, value)
        # Upcoming meetings get their reminders anew with the new offsets.
        horizon = context.settings.reminder_horizon
        now = context.now()
        for meeting in await reminders.meetings_to_plan(context.session, now, horizon, group.id):
            await reminders.sync_meeting(context.session, meeting, now, horizon)
    elif setting in _DIGEST_WORDS and value.casefold() in _ON | _OFF:
        group.digest = value.casefold() in _ON
    else:
        raise UsageError()
    return _show(context, group, changed=True)


def _offsets(context: Context, value: str) -> str:
    """``"2d, 1h"`` → ``"2880,60"``; ``"aus"`` → no reminders."""
    if value.casefold() in _OFF:
        return ""
    minutes: list[int] = []
    for part in value.split(","):
        delta = parse_duration(part)
        if delta is None or delta > MAX_OFFSET:
            raise context.refuse(
                "{part} is not a time before the meeting. Examples: 2d, 24h, 1h, 30min "
                "(at most 14 days).",
                part=part.strip() or "–",
            )
        minutes.append(int(delta.total_seconds() // 60))
    if len(set(minutes)) > MAX_OFFSETS:
        raise context.refuse("At most {count} reminders per meeting.", count=MAX_OFFSETS)
    return ",".join(str(m) for m in sorted(set(minutes), reverse=True))


def _show(context: Context, group: WorkingGroup, *, changed: bool = False) -> Reply:
    offsets = reminders.parse_offsets(group.meeting_reminders)
    reply = context.reply(_SAVED if changed else _SETTINGS, group=bold(group.name))
    reply.add(
        context.t("Reminders before meetings: {offsets}"),
        offsets=", ".join(format_duration_short(timedelta(minutes=m)) for m in offsets)
        or context.t("none"),
    )
    reply.add(
        context.t("Weekly overview for coordinators: {state}"),
        state=context.t("on") if group.digest else context.t("off"),
    )
    reply.add(
        context.t("Change: {reminders} · {digest}"),
        reminders=f"{context.command_word('einstellungen')} {context.t(_REMINDERS_EXAMPLE)}",
        digest=f"{context.command_word('einstellungen')} {context.t(_DIGEST_EXAMPLE)}",
    )
    return reply.build()


COMMANDS = [
    Command(
        name="einstellungen",
        alias="settings",
        usage=N_("[reminders 2d,1h|off] [digest on|off]"),
        summary=N_("Shows or changes the AG's settings: reminders before meetings, digest."),
        details=N_(
            "Examples: /einstellungen erinnerungen 2d,1h — /einstellungen erinnerungen aus — "
            "/einstellungen wochenuebersicht aus"
        ),
        handler=settings_command,
        permission=Permission.COORDINATOR,
        where=Where.GROUP,
        needs_group=True,
    ),
]
