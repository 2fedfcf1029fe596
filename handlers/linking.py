"""/verknuepfen: one person, several messenger accounts, joined by a one-time code."""

from __future__ import annotations

import secrets
from datetime import timedelta

from core.commands import Command, Where
from core.i18n import N_
from core.messages import Reply, code
from handlers.context import Context
from storage import dialogues, people
from storage.models import Person

CODE_LIFETIME = timedelta(minutes=10)
# No 0/O, 1/I/L: the code is typed by hand on another device.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


async def link_command(context: Context, args: str) -> Reply:
    given = args.strip()
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
    owner = await context.session.get(Person, owner_id)
    assert owner is not None  # the code's foreign key cascades on delete
    await people.merge_persons(context.session, keep=owner, absorb=context.person)
    context.person = owner
    accounts = (await people.accounts_of(context.session, [owner.id]))[owner.id]
    return context.reply(
        "Done: {accounts} are now one person. Memberships and roles were merged.",
        accounts=", ".join(sorted(f"{a.platform}:{a.account_id}" for a in accounts)),
    ).build()


async def _new_code(context: Context) -> Reply:
    new_code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
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
