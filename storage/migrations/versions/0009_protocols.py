"""Protocols: minutes taken in the chat, published documents, requests; the protocol deadline
per AG and two reminder kinds (deadline reminders, delivery of a published protocol).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 12:34:28.368349
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # A native enum grows in place; SQLite stores the kind as text (widened below).
        op.execute("ALTER TYPE reminder_kind ADD VALUE IF NOT EXISTS 'protocol_due'")
        op.execute("ALTER TYPE reminder_kind ADD VALUE IF NOT EXISTS 'protocol'")
    else:
        with op.batch_alter_table('reminders', schema=None) as batch_op:
            batch_op.alter_column('kind',
                   existing_type=sa.VARCHAR(length=8),
                   type_=sa.Enum('meeting', 'task', 'digest', 'personal', 'protocol_due', 'protocol', 'budget', name='reminder_kind'),
                   existing_nullable=False)
    op.create_table('protocol_requests',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('chat_platform', sa.String(length=20), nullable=False),
    sa.Column('chat_id', sa.String(length=255), nullable=False),
    sa.Column('requested_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('delivered_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_protocol_requests_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_protocol_requests_person_id_persons'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'person_id', name=op.f('pk_protocol_requests'))
    )
    with op.batch_alter_table('protocol_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_protocol_requests_person_id'), ['person_id'], unique=False)

    op.create_table('protocols',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('running', 'draft', 'published', name='protocol_status'), nullable=False),
    sa.Column('chat_platform', sa.String(length=20), nullable=True),
    sa.Column('chat_id', sa.String(length=255), nullable=True),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('minute_taker_id', sa.Integer(), nullable=True),
    sa.Column('started_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['chair_id'], ['persons.id'], name=op.f('fk_protocols_chair_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_protocols_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_protocols_meeting_id_meetings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['minute_taker_id'], ['persons.id'], name=op.f('fk_protocols_minute_taker_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['published_by'], ['persons.id'], name=op.f('fk_protocols_published_by_persons'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_protocols')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_protocols_meeting_id'))
    )
    with op.batch_alter_table('protocols', schema=None) as batch_op:
        batch_op.create_index('ix_protocols_group_status', ['group_id', 'status'], unique=False)

    op.create_table('protocol_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('protocol_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['protocol_id'], ['protocols.id'], name=op.f('fk_protocol_documents_protocol_id_protocols'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_protocol_documents'))
    )
    with op.batch_alter_table('protocol_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_protocol_documents_protocol_id'), ['protocol_id'], unique=False)

    op.create_table('protocol_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('protocol_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('topic', 'info', 'decision', 'action', name='protocol_entry_kind'), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('topic', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('corrected_by', sa.Integer(), nullable=True),
    sa.Column('corrected_at', storage.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['persons.id'], name=op.f('fk_protocol_entries_author_id_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['corrected_by'], ['persons.id'], name=op.f('fk_protocol_entries_corrected_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['item_id'], ['action_items.id'], name=op.f('fk_protocol_entries_item_id_action_items'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['protocol_id'], ['protocols.id'], name=op.f('fk_protocol_entries_protocol_id_protocols'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_protocol_entries'))
    )
    with op.batch_alter_table('protocol_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_protocol_entries_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_protocol_entries_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_protocol_entries_protocol_kind', ['protocol_id', 'kind', 'number'], unique=False)

    op.create_table('protocol_presence',
    sa.Column('protocol_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('added_by', sa.Integer(), nullable=True),
    sa.Column('at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by'], ['persons.id'], name=op.f('fk_protocol_presence_added_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_protocol_presence_person_id_persons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['protocol_id'], ['protocols.id'], name=op.f('fk_protocol_presence_protocol_id_protocols'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('protocol_id', 'person_id', name=op.f('pk_protocol_presence'))
    )
    with op.batch_alter_table('protocol_presence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_protocol_presence_person_id'), ['person_id'], unique=False)

    with op.batch_alter_table('working_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('protocol_days', sa.Integer(), server_default='7', nullable=False))



def downgrade() -> None:
    op.execute("DELETE FROM reminders WHERE kind IN ('protocol_due', 'protocol')")
    with op.batch_alter_table('working_groups', schema=None) as batch_op:
        batch_op.drop_column('protocol_days')

    if op.get_bind().dialect.name != "postgresql":
        with op.batch_alter_table('reminders', schema=None) as batch_op:
            batch_op.alter_column('kind',
                   existing_type=sa.Enum('meeting', 'task', 'digest', 'personal', 'protocol_due', 'protocol', 'budget', name='reminder_kind'),
                   type_=sa.VARCHAR(length=8),
                   existing_nullable=False)

    with op.batch_alter_table('protocol_presence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_protocol_presence_person_id'))

    op.drop_table('protocol_presence')
    with op.batch_alter_table('protocol_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_protocol_entries_protocol_kind')
        batch_op.drop_index(batch_op.f('ix_protocol_entries_item_id'))
        batch_op.drop_index(batch_op.f('ix_protocol_entries_author_id'))

    op.drop_table('protocol_entries')
    with op.batch_alter_table('protocol_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_protocol_documents_protocol_id'))

    op.drop_table('protocol_documents')
    with op.batch_alter_table('protocols', schema=None) as batch_op:
        batch_op.drop_index('ix_protocols_group_status')

    op.drop_table('protocols')
    with op.batch_alter_table('protocol_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_protocol_requests_person_id'))

    op.drop_table('protocol_requests')
    sa.Enum(name='protocol_entry_kind').drop(op.get_bind(), checkfirst=True)
    sa.Enum(name='protocol_status').drop(op.get_bind(), checkfirst=True)
    # PostgreSQL cannot drop an enum value; 'protocol_due' and 'protocol' stay, unused.
