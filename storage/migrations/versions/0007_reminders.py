"""Reminders: the outbox of everything the bot sends by itself; AG settings for them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:23:35.961658
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.Enum('meeting', 'task', 'digest', 'personal', name='reminder_kind'), nullable=False),
    sa.Column('status', sa.Enum('pending', 'claimed', 'sent', 'failed', 'cancelled', name='reminder_status'), nullable=False),
    sa.Column('due_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('next_attempt_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('chat_platform', sa.String(length=20), nullable=True),
    sa.Column('chat_id', sa.String(length=255), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('offset_minutes', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('recurrence', sa.String(length=255), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.String(length=500), nullable=True),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('sent_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('message_id', sa.String(length=255), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['persons.id'], name=op.f('fk_reminders_created_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_reminders_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['action_items.id'], name=op.f('fk_reminders_item_id_action_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_reminders_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_reminders_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('key', name=op.f('uq_reminders_key'))
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index('ix_reminders_chat', ['chat_platform', 'chat_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_item_id'), ['item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_reminders_status_next', ['status', 'next_attempt_at'], unique=False)

    with op.batch_alter_table('working_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_reminders', sa.String(length=100), server_default='1440,60', nullable=False))
        batch_op.add_column(sa.Column('digest', sa.Boolean(), server_default=sa.true(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('working_groups', schema=None) as batch_op:
        batch_op.drop_column('digest')
        batch_op.drop_column('meeting_reminders')

    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index('ix_reminders_status_next')
        batch_op.drop_index(batch_op.f('ix_reminders_person_id'))
        batch_op.drop_index(batch_op.f('ix_reminders_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_reminders_item_id'))
        batch_op.drop_index(batch_op.f('ix_reminders_group_id'))
        batch_op.drop_index('ix_reminders_chat')

    op.drop_table('reminders')
    # PostgreSQL keeps enum types after their tables are gone.
    sa.Enum(name='reminder_kind').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='reminder_status').drop(op.get_bind(), checkfirst=True)
