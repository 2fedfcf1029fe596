"""AG names begin with a word for a group: "Verkehr" becomes "AG Verkehr".

The German texts name an AG with its article ("in der AG Verkehr"); new AGs get the prefix
when they are set up, and this gives it to AGs set up before. A name whose prefixed form is
already taken by another AG stays as it is. The downgrade keeps the names: they are still
valid names, and nobody can tell which ones had the prefix typed.

Revision ID: 0017
Revises: 0013
Create Date: 2026-12-07 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0017'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_groups = sa.table(
    'working_groups',
    sa.column('id', sa.Integer),
    sa.column('name', sa.String),
    sa.column('name_key', sa.String),
)


def _has_group_word(name: str) -> bool:
    # The same rule as handlers/groups/names.py at the time of this migration.
    first = name.split()[0].casefold() if name.split() else ''
    return first == 'ag' or first.startswith(('ag-', 'arbeitsgemeinschaft')) or first.endswith('gruppe')


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.select(_groups.c.id, _groups.c.name, _groups.c.name_key)).all()
    taken = {row.name_key for row in rows}
    for row in rows:
        if _has_group_word(row.name):
            continue
        name = ' '.join(['AG', *row.name.split()])
        key = name.casefold()
        if key in taken:
            continue
        taken.add(key)
        connection.execute(
            _groups.update().where(_groups.c.id == row.id).values(name=name, name_key=key)
        )


def downgrade() -> None:
    pass
