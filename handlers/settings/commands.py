"""/einstellungen: an AG's settings for coordinators (reminders before meetings, digest)."""

from __future__ import annotations

from datetime import timedelta

from core.commands import Command, Permission, Where
from core.errors import UsageError
from core.i18n import N_
from core.messages import Reply, bold
from handlers.hours.amounts import format_minutes, parse_amount
from handlers.shared.context import Context
from handlers.shared.durations import format_duration_short, parse_duration
from handlers.shared.states import STATE_NAMES, find_state, group_state_name
from storage import protocol_deadlines, reminders
from storage.models import WorkingGroup

MAX_OFFSETS = 5
MAX_OFFSET = timedelta(days=14)
_REMINDER_WORDS = {"erinnerungen", "erinnerung", "reminders", "reminder"}
_DIGEST_WORDS = {"wochenuebersicht", "wochenübersicht", "digest"}
_PROTOCOL_WORDS = {"protokollfrist", "protocol", "protokoll"}
_TAGEWERK_WORDS = {"tagewerk", "tw", "personday", "person-day"}
_STATE_WORDS = {"bundesland", "land", "state"}
MAX_PROTOCOL_DAYS = 90
_ON = {"an", "ein", "on"}
_OFF = {"aus", "off", "keine", "none"}
_SAVED = N_("Saved. Settings of {group}:")
_SETTINGS = N_("Settings of {group}:")
# How each setting is changed, with a value filled in: the arguments as the reader types them.
_REMINDERS_CHANGE = N_("reminders {offsets}")
_DIGEST_ON = N_("digest on")
_DIGEST_OFF = N_("digest off")
_PROTOCOL_CHANGE = N_("protocol {days}")
_TAGEWERK_CHANGE = N_("tagewerk {hours}")
_STATE_CHANGE = N_("state {code}")


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
    elif setting in _PROTOCOL_WORDS:
        await _protocol_days(context, group, value)
    elif setting in _TAGEWERK_WORDS:
        group.hours_per_day = _hours_per_day(context, value)
    elif setting in _STATE_WORDS:
        group.state = _state(context, value)
        await _deadlines_follow(context, group)  # its holidays move due days
    else:
        raise UsageError()
    return _show(context, group, changed=True)


async def _protocol_days(context: Context, group: WorkingGroup, value: str) -> None:
    """Protocols are due this many days after the meeting; the deadline reminders follow."""
    days = value.removesuffix("d").removesuffix(" Tage").strip()
    if not days.isdecimal() or not 1 <= int(days) <= MAX_PROTOCOL_DAYS:
        raise context.refuse(
            "{value} is not a number of days between 1 and {limit}.",
            value=value,
            limit=MAX_PROTOCOL_DAYS,
        )
    group.protocol_days = int(days)
    await _deadlines_follow(context, group)


async def _deadlines_follow(context: Context, group: WorkingGroup) -> None:
    """Meetings that have not ended get the due day the changed setting gives, and their
    deadline reminders with it; those that took place keep theirs."""
    now = context.now()
    horizon = context.settings.reminder_horizon
    for meeting in await protocol_deadlines.refresh(context.session, group, now):
        await reminders.sync_protocol_due(
            context.session, meeting, now, plan=meeting.starts_at <= now + horizon
        )


def _hours_per_day(context: Context, value: str) -> float:
    """The hours of one Tagewerk: ``8``, ``7,8`` or ``7:48``, between 1 and 12 hours."""
    minutes = parse_amount(value, 8)
    if minutes is None or not 60 <= minutes <= 720 or value.casefold().endswith("tw"):
        raise context.refuse(
            "{value} is not a number of hours for one Tagewerk. Examples: 8, 7,8, 7:48.",
            value=value,
        )
    return minutes / 60


def _state(context: Context, value: str) -> str:
    """The code of the state whose public holidays apply: ``BY``, ``Bayern``, ``DE-BY``."""
    code = find_state(value)
    if code is None:
        raise context.refuse(
            "{value} is not a German state. Codes: {codes}.",
            value=value,
            codes=", ".join(sorted(STATE_NAMES)),
        )
    return code


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
    """Every setting with its current value, and a command that changes it.

    The example in each command is another value than the current one, so that nobody
    takes the example for what is set, and typing it changes something.
    """
    offsets = reminders.parse_offsets(group.meeting_reminders)
    reply = context.reply(_SAVED if changed else _SETTINGS, group=bold(group.name))
    reply.add(
        context.t("Reminders before meetings: {offsets} — change: {change}"),
        offsets=", ".join(format_duration_short(timedelta(minutes=m)) for m in offsets)
        or context.t("none"),
        change=_change(
            context, _REMINDERS_CHANGE, offsets="1d" if offsets == [2880, 60] else "2d,1h"
        ),
    )
    reply.add(
        context.t("Weekly overview for coordinators: {state} — change: {change}"),
        state=context.t("on") if group.digest else context.t("off"),
        change=_change(context, _DIGEST_OFF if group.digest else _DIGEST_ON),
    )
    reply.add(
        context.tn(
            "Protocols due: {days} day after the meeting — change: {change}",
            "Protocols due: {days} days after the meeting — change: {change}",
            group.protocol_days,
        ),
        days=group.protocol_days,
        change=_change(context, _PROTOCOL_CHANGE, days=10 if group.protocol_days == 7 else 7),
    )
    # 7.8 hours is a day of the 39-hour week; written as the reader writes decimals.
    other_day = "7,8" if context.language == "de" else "7.8"
    reply.add(
        context.t("One Tagewerk (TW): {hours} h — change: {change}"),
        hours=format_minutes(round(group.hours_per_day * 60)),
        change=_change(
            context, _TAGEWERK_CHANGE, hours=other_day if group.hours_per_day == 8 else "8"
        ),
    )
    reply.add(
        context.t("Public holidays of: {state} — change: {change}"),
        state=group_state_name(context.translator, group),
        change=_change(context, _STATE_CHANGE, code="TH" if group.state == "BY" else "BY"),
    )
    return reply.build()


def _change(context: Context, arguments: str, **values: str | int) -> str:
    """``/einstellungen protokollfrist 7``: the command that sets one value."""
    filled = context.t(arguments).format(**values)
    return f"{context.command_word('einstellungen')} {filled}"


COMMANDS = [
    Command(
        name="einstellungen",
        alias="settings",
        usage=N_(
            "[reminders 2d,1h|off] [digest on|off] [protocol <days>] [tagewerk <hours>] "
            "[state <code>]"
        ),
        summary=N_(
            "Shows or changes the AG's settings: reminders before meetings, digest, protocol "
            "deadline, Tagewerk, the state whose public holidays apply."
        ),
        details=N_(
            "Examples: /einstellungen erinnerungen 2d,1h — /einstellungen erinnerungen aus — "
            "/einstellungen wochenuebersicht aus — /einstellungen protokollfrist 7 (protocols are "
            "due 7 days after the meeting) — /einstellungen tagewerk 7,8 (hours of one Tagewerk) — "
            "/einstellungen bundesland BY (Bavaria's public holidays; default Thuringia)"
        ),
        handler=settings_command,
        permission=Permission.COORDINATOR,
        where=Where.GROUP,
        needs_group=True,
    ),
]
