"""Action items: items with status and deadline, their assignees and their history.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 01:04:25.265120
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('action_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=1000), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', 'dropped', name='task_status'), nullable=False),
    sa.Column('due_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('due_all_day', sa.Boolean(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['closed_by'], ['persons.id'], name=op.f('fk_action_items_closed_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by'], ['persons.id'], name=op.f('fk_action_items_created_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_action_items_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_action_items_meeting_id_meetings'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_items'))
    )
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.create_index('ix_action_items_group_status_closed', ['group_id', 'status', 'closed_at'], unique=False)
        batch_op.create_index('ix_action_items_group_status_due', ['group_id', 'status', 'due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_items_meeting_id'), ['meeting_id'], unique=False)

    op.create_table('action_item_assignees',
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['action_items.id'], name=op.f('fk_action_item_assignees_item_id_action_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_action_item_assignees_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('item_id', 'person_id', name=op.f('pk_action_item_assignees'))
    )
    with op.batch_alter_table('action_item_assignees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_item_assignees_person_id'), ['person_id'], unique=False)

    op.create_table('action_item_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('created', 'assigned', 'due', 'note', 'done', 'reopened', 'dropped', name='task_event_kind'), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.String(length=1000), nullable=False),
    sa.Column('at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['action_items.id'], name=op.f('fk_action_item_events_item_id_action_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_action_item_events_person_id_persons'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_item_events'))
    )
    with op.batch_alter_table('action_item_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_item_events_item_id'), ['item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('action_item_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_events_item_id'))

    op.drop_table('action_item_events')
    # PostgreSQL keeps enum types after their tables are gone.
    sa.Enum(name='task_event_kind').drop(op.get_bind(), checkfirst=True)
    with op.batch_alter_table('action_item_assignees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_item_assignees_person_id'))

    op.drop_table('action_item_assignees')
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_items_meeting_id'))
        batch_op.drop_index('ix_action_items_group_status_due')
        batch_op.drop_index('ix_action_items_group_status_closed')

    op.drop_table('action_items')
    sa.Enum(name='task_status').drop(op.get_bind(), checkfirst=True)
