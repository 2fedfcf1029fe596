"""Hours: projects with budgets per year, hour entries, their audit trail, monthly totals, closed months.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 12:30:31.228218
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # A native enum grows in place; SQLite stores the kind as plain text.
        op.execute("ALTER TYPE reminder_kind ADD VALUE IF NOT EXISTS 'budget'")
    op.create_table('closed_months',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('closed_by', sa.Integer(), nullable=True),
    sa.Column('closed_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['closed_by'], ['persons.id'], name=op.f('fk_closed_months_closed_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_closed_months_group_id_working_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'month', name=op.f('pk_closed_months'))
    )
    op.create_table('hour_entry_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('created', 'changed', 'deleted', name='hour_event_kind'), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('minutes_before', sa.Integer(), nullable=True),
    sa.Column('minutes_after', sa.Integer(), nullable=True),
    sa.Column('work_date', sa.Date(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_hour_entry_events_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_hour_entry_events_person_id_persons'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hour_entry_events'))
    )
    with op.batch_alter_table('hour_entry_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hour_entry_events_entry_id'), ['entry_id'], unique=False)
        batch_op.create_index('ix_hour_entry_events_group_at', ['group_id', 'at'], unique=False)

    op.create_table('projects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_key', sa.String(length=100), nullable=False),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['persons.id'], name=op.f('fk_projects_created_by_persons'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_projects_group_id_working_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects')),
    sa.UniqueConstraint('group_id', 'name_key', name=op.f('uq_projects_group_id'))
    )
    op.create_table('hour_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('work_date', sa.Date(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('created_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_hour_entries_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_hour_entries_person_id_persons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_hour_entries_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hour_entries'))
    )
    with op.batch_alter_table('hour_entries', schema=None) as batch_op:
        batch_op.create_index('ix_hour_entries_group_date', ['group_id', 'work_date'], unique=False)
        batch_op.create_index('ix_hour_entries_person_date', ['person_id', 'work_date'], unique=False)
        batch_op.create_index('ix_hour_entries_project_date', ['project_id', 'work_date'], unique=False)

    op.create_table('hour_totals',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['working_groups.id'], name=op.f('fk_hour_totals_group_id_working_groups'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['persons.id'], name=op.f('fk_hour_totals_person_id_persons'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_hour_totals_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'month', 'person_id', 'project_id', name=op.f('pk_hour_totals'))
    )
    with op.batch_alter_table('hour_totals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hour_totals_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_hour_totals_project_id'), ['project_id'], unique=False)

    op.create_table('project_budgets',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('alerted_percent', sa.Integer(), nullable=False),
    sa.Column('set_by', sa.Integer(), nullable=True),
    sa.Column('set_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_budgets_project_id_projects'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['set_by'], ['persons.id'], name=op.f('fk_project_budgets_set_by_persons'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('project_id', 'year', name=op.f('pk_project_budgets'))
    )


def downgrade() -> None:
    op.drop_table('project_budgets')
    with op.batch_alter_table('hour_totals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hour_totals_project_id'))
        batch_op.drop_index(batch_op.f('ix_hour_totals_person_id'))

    op.drop_table('hour_totals')
    with op.batch_alter_table('hour_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_hour_entries_project_date')
        batch_op.drop_index('ix_hour_entries_person_date')
        batch_op.drop_index('ix_hour_entries_group_date')

    op.drop_table('hour_entries')
    op.drop_table('projects')
    with op.batch_alter_table('hour_entry_events', schema=None) as batch_op:
        batch_op.drop_index('ix_hour_entry_events_group_at')
        batch_op.drop_index(batch_op.f('ix_hour_entry_events_entry_id'))

    op.drop_table('hour_entry_events')
    op.drop_table('closed_months')
    sa.Enum(name='hour_event_kind').drop(op.get_bind(), checkfirst=True)
    # PostgreSQL cannot drop an enum value; 'budget' stays in reminder_kind, unused.
