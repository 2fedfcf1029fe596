"""Persons get a case-folded sort name for ordering and name lookups.

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

persons = sa.table(
    "persons", sa.column("id", sa.Integer), sa.column("display_name"), sa.column("sort_name")
)


def upgrade() -> None:
    with op.batch_alter_table("persons") as batch_op:
        batch_op.add_column(sa.Column("sort_name", sa.String(200), nullable=True))
    # Python's casefold, not SQL's lower(): SQLite's lower() leaves umlauts alone.
    connection = op.get_bind()
    for person_id, display_name in connection.execute(
        sa.select(persons.c.id, persons.c.display_name)
    ):
        connection.execute(
            persons.update()
            .where(persons.c.id == person_id)
            .values(sort_name=display_name.casefold())
        )
    with op.batch_alter_table("persons") as batch_op:
        batch_op.alter_column("sort_name", existing_type=sa.String(200), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("persons") as batch_op:
        batch_op.drop_column("sort_name")
