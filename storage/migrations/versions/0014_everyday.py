"""Everyday use: a project's year budget can be a hard cap.

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-07 08:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0014'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('project_budgets', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('hard', sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table('project_budgets', schema=None) as batch_op:
        batch_op.drop_column('hard')
