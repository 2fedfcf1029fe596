"""Initial schema: persons, accounts, working groups, chat bindings, memberships.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-21 11:52:10.767860
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('persons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_persons'))
    )
    op.create_table('working_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=100), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('state', sa.String(length=4), nullable=True),
    sa.Column('hours_per_day', sa.Numeric(precision=4, scale=2, asdecimal=False), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_groups')),
    sa.UniqueConstraint('name_key', name=op.f('uq_working_groups_name_key'))
    )
    op.create_table('accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('account_id', sa.String(length=255), nullable=False),
    sa.Column('username', sa.String(length=255), nullable=True),
    sa.Column('username_key', sa.String(length=255), nullable=True),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('last_seen_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_accounts_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('platform', 'account_id', name=op.f('uq_accounts_platform'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounts_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_accounts_platform_username', ['platform', 'username_key'], unique=False)

    op.create_table('chat_bindings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('chat_id', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('bound_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('bound_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['bound_by'], ['persons.id'], name=op.f('fk_chat_bindings_bound_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_chat_bindings_group_id_working_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_bindings')),
    sa.UniqueConstraint('platform', 'chat_id', name=op.f('uq_chat_bindings_platform'))
    )
    with op.batch_alter_table('chat_bindings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_bindings_group_id'), ['group_id'], unique=False)

    op.create_table('link_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('expires_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_link_codes_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_link_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_link_codes_code_hash'))
    )
    with op.batch_alter_table('link_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_link_codes_person_id'), ['person_id'], unique=False)

    op.create_table('memberships',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('member', 'coordinator', name='membership_role'), nullable=False),
    sa.Column('joined_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_memberships_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_memberships_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'person_id', name=op.f('pk_memberships'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_person_id'), ['person_id'], unique=False)

    op.create_table('pending_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('chat_id', sa.String(length=255), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('command', sa.String(length=50), nullable=False),
    sa.Column('argument', sa.String(length=1000), nullable=False),
    sa.Column('expires_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_pending_confirmations_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_confirmations')),
    sa.UniqueConstraint('platform', 'chat_id', 'person_id', name=op.f('uq_pending_confirmations_platform'))
    )
    with op.batch_alter_table('pending_confirmations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_confirmations_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('pending_confirmations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_confirmations_person_id'))

    op.drop_table('pending_confirmations')
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_person_id'))

    op.drop_table('memberships')
    # PostgreSQL keeps the enum type after its table is gone.
    sa.Enum(name='membership_role').drop(op.get_bind(), checkfirst=True)
    with op.batch_alter_table('link_codes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_link_codes_person_id'))

    op.drop_table('link_codes')
    with op.batch_alter_table('chat_bindings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_bindings_group_id'))

    op.drop_table('chat_bindings')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index('ix_accounts_platform_username')
        batch_op.drop_index(batch_op.f('ix_accounts_person_id'))

    op.drop_table('accounts')
    op.drop_table('working_groups')
    op.drop_table('persons')
