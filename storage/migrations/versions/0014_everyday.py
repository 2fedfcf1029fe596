"""Everyday use: a project's year budget can be a hard cap; an answer to an invitation
keeps its reason ("/absage #3 wegen Urlaub").

Revision ID: 0014
Revises: 0015
Create Date: 2026-12-07 08:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('project_budgets', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('hard', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.String(length=200), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.drop_column('reason')
    with op.batch_alter_table('project_budgets', schema=None) as batch_op:
        batch_op.drop_column('hard')
