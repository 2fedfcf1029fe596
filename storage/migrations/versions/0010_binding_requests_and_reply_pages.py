"""Binding requests (a coordinator confirms a chat joining an existing AG), the rest of
long replies for /weiter, and an index for the per-person limit on new tasks.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 01:56:16.188500
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('binding_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('chat_id', sa.String(length=255), nullable=False),
    sa.Column('chat_title', sa.String(length=255), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=False),
    sa.Column('expires_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_binding_requests_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by'], ['persons.id'], name=op.f('fk_binding_requests_requested_by_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_binding_requests')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_binding_requests_code_hash')),
    sa.UniqueConstraint('platform', 'chat_id', name=op.f('uq_binding_requests_platform'))
    )
    with op.batch_alter_table('binding_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_binding_requests_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_binding_requests_requested_by'), ['requested_by'], unique=False)

    op.create_table('reply_pages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('chat_id', sa.String(length=255), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('rest', sa.Text(), nullable=False),
    sa.Column('page', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('expires_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_reply_pages_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reply_pages')),
    sa.UniqueConstraint('platform', 'chat_id', 'person_id', name=op.f('uq_reply_pages_platform'))
    )
    with op.batch_alter_table('reply_pages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reply_pages_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.create_index('ix_action_items_creator_created', ['created_by', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('action_items', schema=None) as batch_op:
        batch_op.drop_index('ix_action_items_creator_created')
    with op.batch_alter_table('reply_pages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reply_pages_person_id'))

    op.drop_table('reply_pages')
    with op.batch_alter_table('binding_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_binding_requests_requested_by'))
        batch_op.drop_index(batch_op.f('ix_binding_requests_group_id'))

    op.drop_table('binding_requests')
