"""Protocol versions (Fassungen) with their documents, the AG's approval, the history of
corrections of entries, and files that wait with a confirmation (an upload asks "ja" first).

Every protocol published before this revision becomes version 1 with its documents.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-07 08:28:41.016764
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0016'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('pending_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('confirmation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('mime_type', sa.String(length=100), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['confirmation_id'], ['pending_confirmations.id'], name=op.f('fk_pending_files_confirmation_id_pending_confirmations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_files'))
    )
    with op.batch_alter_table('pending_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_files_confirmation_id'), ['confirmation_id'], unique=False)

    op.create_table('protocol_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('protocol_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('published_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.Integer(), nullable=True),
    sa.Column('from_minutes', sa.Boolean(), nullable=False),
    sa.Column('approved_at', storage.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by'], ['persons.id'], name=op.f('fk_protocol_versions_approved_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['protocol_id'], ['protocols.id'], name=op.f('fk_protocol_versions_protocol_id_protocols'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by'], ['persons.id'], name=op.f('fk_protocol_versions_published_by_persons'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_protocol_versions')),
    sa.UniqueConstraint('protocol_id', 'number', name=op.f('uq_protocol_versions_protocol_id'))
    )
    op.create_table('protocol_corrections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('protocol_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('before', sa.String(length=2000), nullable=False),
    sa.Column('after', sa.String(length=2000), nullable=False),
    sa.Column('corrected_by', sa.Integer(), nullable=True),
    sa.Column('corrected_at', storage.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['corrected_by'], ['persons.id'], name=op.f('fk_protocol_corrections_corrected_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['entry_id'], ['protocol_entries.id'], name=op.f('fk_protocol_corrections_entry_id_protocol_entries'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['protocol_id'], ['protocols.id'], name=op.f('fk_protocol_corrections_protocol_id_protocols'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_protocol_corrections'))
    )
    with op.batch_alter_table('protocol_corrections', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_protocol_corrections_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_protocol_corrections_protocol_id'), ['protocol_id'], unique=False)

    # Plain ADD COLUMN (no foreign key): on SQLite, a foreign key would make batch mode copy
    # the table, and dropping the old ``protocols`` with foreign keys on would cascade to
    # every entry, presence and document.
    op.add_column('protocol_documents', sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.add_column('protocols', sa.Column('approved_at', storage.models.base.UTCDateTime(timezone=True), nullable=True))
    # What was published so far is version 1 (its documents got version 1 by the default);
    # rendered from the minutes are those with entries and both a PDF and a DOCX (an upload
    # is mostly one file).
    op.execute(
        "INSERT INTO protocol_versions (protocol_id, number, published_at, published_by, "
        "from_minutes) "
        "SELECT p.id, 1, p.published_at, p.published_by, "
        "(EXISTS (SELECT 1 FROM protocol_entries e WHERE e.protocol_id = p.id) "
        "AND EXISTS (SELECT 1 FROM protocol_documents d WHERE d.protocol_id = p.id "
        "AND d.mime_type = 'application/pdf') "
        "AND EXISTS (SELECT 1 FROM protocol_documents d WHERE d.protocol_id = p.id "
        "AND d.mime_type LIKE '%wordprocessingml%')) "
        "FROM protocols p WHERE p.status = 'published' AND p.published_at IS NOT NULL"
    )


def downgrade() -> None:
    # ALTER TABLE … DROP COLUMN (SQLite 3.35 and on): batch mode's copy of ``protocols``
    # would cascade its deletion to the entries (see above).
    op.drop_column('protocols', 'approved_at')
    op.drop_column('protocol_documents', 'version')
    with op.batch_alter_table('protocol_corrections', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_protocol_corrections_protocol_id'))
        batch_op.drop_index(batch_op.f('ix_protocol_corrections_entry_id'))

    op.drop_table('protocol_corrections')
    op.drop_table('protocol_versions')
    with op.batch_alter_table('pending_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_files_confirmation_id'))

    op.drop_table('pending_files')
