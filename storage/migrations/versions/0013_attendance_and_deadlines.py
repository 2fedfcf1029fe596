"""Attendance as people record it: guests from outside the AG, and people taken off the list
of those present (a row with present false, so writing in the minutes does not add them again).

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-07 08:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0013'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('protocol_guests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('protocol_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('added_by', sa.Integer(), nullable=True),
    sa.Column('at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by'], ['persons.id'], name=op.f('fk_protocol_guests_added_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['protocol_id'], ['protocols.id'], name=op.f('fk_protocol_guests_protocol_id_protocols'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_protocol_guests'))
    )
    with op.batch_alter_table('protocol_guests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_protocol_guests_protocol_id'), ['protocol_id'], unique=False)
    with op.batch_alter_table('protocol_presence', schema=None) as batch_op:
        batch_op.add_column(sa.Column('present', sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    # Who was taken off the list was not present: without the column, no row says so.
    op.execute("DELETE FROM protocol_presence WHERE NOT present")
    with op.batch_alter_table('protocol_presence', schema=None) as batch_op:
        batch_op.drop_column('present')
    with op.batch_alter_table('protocol_guests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_protocol_guests_protocol_id'))
    op.drop_table('protocol_guests')
