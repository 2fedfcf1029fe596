"""All-day meetings: a meeting planned with "ganztägig" has a day, not a time of day.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('all_day', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35 and later): a batch copy of the table would drop
    # "meetings" and, with foreign keys on, delete every protocol and RSVP along with it.
    op.execute("ALTER TABLE meetings DROP COLUMN all_day")
