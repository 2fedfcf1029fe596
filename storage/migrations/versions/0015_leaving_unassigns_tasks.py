"""Leaving an AG unassigns the person's open tasks: a task event 'left' records it, and a
reminder kind 'unassigned' tells the coordinators which tasks now have nobody responsible.

Revision ID: 0015
Revises: 0012
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0015'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_EVENT_KINDS = ('created', 'assigned', 'due', 'note', 'done', 'reopened', 'dropped')
_REMINDER_KINDS = (
    'meeting', 'task', 'digest', 'personal', 'protocol_due', 'protocol', 'budget', 'announcement'
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # Native enums grow in place; SQLite stores the kinds as text (widened below).
        op.execute("ALTER TYPE task_event_kind ADD VALUE IF NOT EXISTS 'left'")
        op.execute("ALTER TYPE reminder_kind ADD VALUE IF NOT EXISTS 'unassigned'")
        return
    with op.batch_alter_table('action_item_events', schema=None) as batch_op:
        batch_op.alter_column('kind',
               existing_type=sa.Enum(*_EVENT_KINDS, name='task_event_kind'),
               type_=sa.Enum(*_EVENT_KINDS, 'left', name='task_event_kind'),
               existing_nullable=False)
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.alter_column('kind',
               existing_type=sa.Enum(*_REMINDER_KINDS, name='reminder_kind'),
               type_=sa.Enum(*_REMINDER_KINDS, 'unassigned', name='reminder_kind'),
               existing_nullable=False)


def downgrade() -> None:
    op.execute("DELETE FROM reminders WHERE kind = 'unassigned'")
    op.execute("DELETE FROM action_item_events WHERE kind = 'left'")
    if op.get_bind().dialect.name == "postgresql":
        return  # PostgreSQL cannot drop an enum value; both stay, unused.
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.alter_column('kind',
               existing_type=sa.Enum(*_REMINDER_KINDS, 'unassigned', name='reminder_kind'),
               type_=sa.Enum(*_REMINDER_KINDS, name='reminder_kind'),
               existing_nullable=False)
    with op.batch_alter_table('action_item_events', schema=None) as batch_op:
        batch_op.alter_column('kind',
               existing_type=sa.Enum(*_EVENT_KINDS, 'left', name='task_event_kind'),
               type_=sa.Enum(*_EVENT_KINDS, name='task_event_kind'),
               existing_nullable=False)
