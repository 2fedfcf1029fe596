"""Networks of AGs: the networks, the AGs that belong to one (at most one network per AG,
the group id is the key), the roles of persons in a network (the Geschäftsstelle) and the
chats bound to a network itself. Only new tables: nothing existing changes.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 14:04:02.238268
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('networks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=100), nullable=False),
    sa.Column('created_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_networks')),
    sa.UniqueConstraint('name_key', name=op.f('uq_networks_name_key'))
    )
    op.create_table('network_chats',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(length=20), nullable=False),
    sa.Column('chat_id', sa.String(length=255), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('bound_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('bound_by', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.ForeignKeyConstraint(['bound_by'], ['persons.id'], name=op.f('fk_network_chats_bound_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_chats_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_chats')),
    sa.UniqueConstraint('platform', 'chat_id', name=op.f('uq_network_chats_platform'))
    )
    with op.batch_alter_table('network_chats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_chats_network_id'), ['network_id'], unique=False)

    op.create_table('network_groups',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('added_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['added_by'], ['persons.id'], name=op.f('fk_network_groups_added_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_network_groups_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_groups_network_id_networks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', name=op.f('pk_network_groups'))
    )
    with op.batch_alter_table('network_groups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_groups_network_id'), ['network_id'], unique=False)

    op.create_table('network_roles',
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('geschaeftsstelle', name='network_role'), nullable=False),
    sa.Column('granted_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['networks.id'], name=op.f('fk_network_roles_network_id_networks'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_network_roles_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('network_id', 'person_id', name=op.f('pk_network_roles'))
    )
    with op.batch_alter_table('network_roles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_roles_person_id'), ['person_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('network_roles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_roles_person_id'))

    op.drop_table('network_roles')
    with op.batch_alter_table('network_groups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_groups_network_id'))

    op.drop_table('network_groups')
    with op.batch_alter_table('network_chats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_chats_network_id'))

    op.drop_table('network_chats')
    op.drop_table('networks')
    sa.Enum(name='network_role').drop(op.get_bind(), checkfirst=True)
