"""/verknuepfen: one person, several messenger accounts, joined by a one-time code."""

from __future__ import annotations

from datetime import timedelta

from core.commands import Command, Where
from core.i18n import N_
from core.messages import Reply, bold, code
from handlers.groups.codes import one_time_code
from handlers.shared.context import Context
from handlers.shared.questions import ask_yes_no
from handlers.shared.texts import PLATFORM_NAMES
from storage import dialogues, people
from storage.models import Account, Person

CODE_LIFETIME = timedelta(minutes=10)


async def link_command(context: Context, args: str) -> Reply:
    given = args.strip()
    if context.confirmed:
        # The answer /ja carries the owner found when the code was redeemed.
        return await _merge_into(context, int(given))
    if not given:
        return await _new_code(context)
    owner_id = await dialogues.redeem_link_code(context.session, given, context.now())
    if owner_id is None:
        raise context.refuse(
            "This code is unknown or expired. Ask for a new one with {link}.",
            link=context.command_word("verknuepfen"),
        )
    if owner_id == context.person.id:
        raise context.refuse(
            "This code belongs to this very account. Send it from your other account."
        )
    return await _ask_to_merge(context, owner_id)


async def _ask_to_merge(context: Context, owner_id: int) -> Reply:
    """Name whose person this account becomes part of, before anything is merged.

    Whoever redeems a code hands their memberships and roles to the code's owner: a
    code passed on by someone else must not make that happen unseen.
    """
    owner = await context.session.get(Person, owner_id)
    assert owner is not None  # the code's foreign key cascades on delete
    accounts = (await people.accounts_of(context.session, [owner.id]))[owner.id]
    reply = context.reply(
        "With this code, this account becomes part of {name} ({accounts}): memberships, "
        "roles and everything else of both then belong to one person. Is that you? "
        "Answer {yes} or {no} within 5 minutes.",
        name=bold(owner.display_name),
        accounts=", ".join(sorted(_account_name(context, a) for a in accounts)),
        yes=context.command_word("ja"),
        no=context.command_word("nein"),
    )
    return await ask_yes_no(
        context,
        reply,
        command="verknuepfen",
        argument=str(owner.id),
        yes_label=context.t("Yes, link"),
    )


async def _merge_into(context: Context, owner_id: int) -> Reply:
    owner = await context.session.get(Person, owner_id)
    if owner is None or owner.id == context.person.id:
        raise context.refuse(
            "This code is unknown or expired. Ask for a new one with {link}.",
            link=context.command_word("verknuepfen"),
        )
    await people.merge_persons(context.session, keep=owner, absorb=context.person)
    context.person = owner
    accounts = (await people.accounts_of(context.session, [owner.id]))[owner.id]
    return context.reply(
        "Done: {accounts} are now one person. Memberships and roles were merged.",
        accounts=", ".join(sorted(f"{a.platform}:{a.account_id}" for a in accounts)),
    ).build()


def _account_name(context: Context, account: Account) -> str:
    """``Telegram @anna``: the messenger and what people know the account by."""
    platform = context.t(PLATFORM_NAMES.get(account.platform, account.platform))
    shown = f"@{account.username}" if account.username else account.account_id
    return f"{platform} {shown}"


async def _new_code(context: Context) -> Reply:
    new_code = one_time_code()
    await dialogues.store_link_code(
        context.session, context.person.id, new_code, context.now() + CODE_LIFETIME
    )
    return context.reply(
        "Your code: {code}\nSend {command} from your other account (e.g. Telegram or Matrix) "
        "in a private chat with me within 10 minutes. The code works once.",
        code=code(new_code),
        command=f"{context.command_word('verknuepfen')} {new_code}",
    ).build()


COMMANDS = [
    Command(
        name="verknuepfen",
        alias="link",
        usage=N_("[code]"),
        summary=N_("Links your accounts on different messengers into one person."),
        details=N_(
            "Without a code you get a one-time code, valid for 10 minutes. Send it with this "
            "command from your other account; afterwards memberships, roles and everything "
            "else of both accounts belong to one person."
        ),
        handler=link_command,
        where=Where.PRIVATE,
    ),
]
