"""Chat bindings can be inactive; accounts know whether they can be written to privately.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("chat_bindings") as batch_op:
        batch_op.add_column(
            sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.add_column(sa.Column("reachable_privately", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("accounts") as batch_op:
        batch_op.drop_column("reachable_privately")
    with op.batch_alter_table("chat_bindings") as batch_op:
        batch_op.drop_column("active")
