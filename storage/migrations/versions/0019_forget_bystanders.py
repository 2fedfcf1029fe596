"""Data minimisation: forget the people the bot stored only because they chatted.

Until now the bot stored a person with their account for every sender it saw in a group,
also for people who never used it. From now on a person is stored only for a command (a
button press is one), so this removes the rows of earlier bystanders: a person goes, with
their accounts, when

- no row of any other table refers to them (no membership and so no role, no meeting
  answer, task, hour entry, reminder, protocol entry, open question, link code, …),
- they chose no language of their own (``/sprache`` in a private chat is a command), and
- none of their accounts wrote to the bot privately (they came to the bot themselves,
  and a reminder needs that flag to reach them there).

A person who only ever asked for ``/hilfe`` in a group looks the same and goes too; their
next command stores them again, with nothing lost.

The tables that refer to ``persons`` are found by reflecting the foreign keys of the
database being migrated (SQLAlchemy's inspector), not from ``storage.models`` and not
from a list written here: the models describe the newest schema, which may have columns
this revision's database lacks, and a frozen list would miss a table that a migration on
another branch added before this one runs (the networks' roles, say). The inspector sees
exactly the tables that exist, on SQLite and PostgreSQL alike.

The downgrade restores nothing: the removed rows held no information beyond a name and
an account id, and they were removed on purpose.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Deleted in chunks: SQLite takes at most 999 bound parameters in one statement.
_CHUNK = 500


def _references(connection: sa.Connection) -> list[tuple[str, str]]:
    """(table, column) of every foreign key to persons.id, except the accounts'."""
    inspector = sa.inspect(connection)
    found: list[tuple[str, str]] = []
    for table in inspector.get_table_names():
        if table in ('persons', 'accounts'):
            continue
        for key in inspector.get_foreign_keys(table):
            if key['referred_table'] == 'persons':
                found.extend((table, column) for column in key['constrained_columns'])
    return sorted(set(found))


def upgrade() -> None:
    connection = op.get_bind()
    persons = sa.table('persons', sa.column('id', sa.Integer), sa.column('language', sa.String))
    accounts = sa.table(
        'accounts',
        sa.column('person_id', sa.Integer),
        sa.column('reachable_privately', sa.Boolean),
    )
    referenced = [
        sa.exists().where(sa.table(table, sa.column(column)).c[column] == persons.c.id)
        for table, column in _references(connection)
    ]
    wrote_privately = sa.exists().where(
        accounts.c.person_id == persons.c.id, accounts.c.reachable_privately.is_(True)
    )
    bystanders = list(
        connection.scalars(
            sa.select(persons.c.id).where(
                persons.c.language.is_(None),
                ~wrote_privately,
                *(~reference for reference in referenced),
            )
        )
    )
    for start in range(0, len(bystanders), _CHUNK):
        chunk = bystanders[start : start + _CHUNK]
        # Accounts first: SQLite enforces no ON DELETE CASCADE without its pragma.
        connection.execute(accounts.delete().where(accounts.c.person_id.in_(chunk)))
        connection.execute(persons.delete().where(persons.c.id.in_(chunk)))


def downgrade() -> None:
    pass
