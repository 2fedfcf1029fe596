"""Attendance as people record it: guests from outside the AG, and people taken off the list
of those present (a row with present false, so writing in the minutes does not add them again).
The protocol deadline stored per meeting, filled from the AG's current setting: a meeting that
has ended gets the day that applied to it until now (its day plus the setting), one still to
come also moves off weekends and public holidays of the AG's state, like new meetings.

Revision ID: 0013
Revises: 0016
Create Date: 2026-12-07 08:45:00
"""

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
import sqlalchemy as sa
from alembic import op

import storage.models


revision: str = '0013'
down_revision: str | None = '0016'
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
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('protocol_due', sa.Date(), nullable=True))
    _fill_protocol_due()


def _fill_protocol_due() -> None:
    meetings = sa.table(
        'meetings',
        sa.column('id', sa.Integer()),
        sa.column('group_id', sa.Integer()),
        sa.column('starts_at', sa.DateTime(timezone=True)),
        sa.column('duration_minutes', sa.Integer()),
        sa.column('protocol_due', sa.Date()),
    )
    groups = sa.table(
        'working_groups',
        sa.column('id', sa.Integer()),
        sa.column('timezone', sa.String()),
        sa.column('protocol_days', sa.Integer()),
        sa.column('state', sa.String()),
    )
    bind = op.get_bind()
    now = datetime.now(UTC)
    rows = bind.execute(
        sa.select(
            meetings.c.id,
            meetings.c.starts_at,
            meetings.c.duration_minutes,
            groups.c.timezone,
            groups.c.protocol_days,
            groups.c.state,
        ).join(groups, groups.c.id == meetings.c.group_id)
    ).all()
    for meeting_id, starts_at, minutes, zone, days, state in rows:
        if starts_at.tzinfo is None:  # SQLite keeps no zone; the times are UTC
            starts_at = starts_at.replace(tzinfo=UTC)
        due = starts_at.astimezone(ZoneInfo(zone)).date() + timedelta(days=days)
        if starts_at + timedelta(minutes=minutes) > now:
            due = _next_working_day(due, state)
        bind.execute(
            sa.update(meetings).where(meetings.c.id == meeting_id).values(protocol_due=due)
        )


def _next_working_day(day: date, state: str | None) -> date:
    """As storage.protocol_deadlines.next_working_day at this revision (Thüringen by default)."""
    calendar = holidays.country_holidays("DE", subdiv=state or "TH", years=(day.year, day.year + 1))
    while day.weekday() >= 5 or day in calendar:
        day += timedelta(days=1)
    return day


def downgrade() -> None:
    # A plain DROP COLUMN (SQLite 3.35 and later): a batch copy of the table would drop
    # "meetings" and, with foreign keys on, delete every protocol and RSVP along with it.
    op.execute("ALTER TABLE meetings DROP COLUMN protocol_due")
    # Who was taken off the list was not present: without the column, no row says so.
    op.execute("DELETE FROM protocol_presence WHERE NOT present")
    with op.batch_alter_table('protocol_presence', schema=None) as batch_op:
        batch_op.drop_column('present')
    with op.batch_alter_table('protocol_guests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_protocol_guests_protocol_id'))
    op.drop_table('protocol_guests')
