"""Announcements: messages a command writes for the AG's other chats become reminder rows
(kind 'announcement') that carry the whole reply, so a crash after the commit loses none.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 19:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = ('meeting', 'task', 'digest', 'personal', 'protocol_due', 'protocol', 'budget')


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # A native enum grows in place; SQLite stores the kind as text (widened below).
        op.execute("ALTER TYPE reminder_kind ADD VALUE IF NOT EXISTS 'announcement'")
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        if op.get_bind().dialect.name != "postgresql":
            batch_op.alter_column('kind',
                   existing_type=sa.Enum(*_KINDS, name='reminder_kind'),
                   type_=sa.Enum(*_KINDS, 'announcement', name='reminder_kind'),
                   existing_nullable=False)
        batch_op.add_column(sa.Column('payload', sa.Text(), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM reminders WHERE kind = 'announcement'")
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_column('payload')
        if op.get_bind().dialect.name != "postgresql":
            batch_op.alter_column('kind',
                   existing_type=sa.Enum(*_KINDS, 'announcement', name='reminder_kind'),
                   type_=sa.Enum(*_KINDS, name='reminder_kind'),
                   existing_nullable=False)
    # PostgreSQL cannot drop an enum value; 'announcement' stays in reminder_kind, unused.
