"""The database tables of AG-Bot as SQLAlchemy 2 declarative models.

All times are stored in UTC. Later features add tables that point at
``persons.id`` and ``working_groups.id``; merging persons (account linking)
follows every foreign key to ``persons`` automatically.

One module per area (people, groups, networks, meetings, tasks, reminders, hours, protocols, and the
state between messages in ``conversation``); a new table goes into the module of its area
and is exported here, so that ``from storage.models import Meeting`` works everywhere and
Alembic sees every table.
"""

from __future__ import annotations

from storage.models.base import Base, UTCDateTime
from storage.models.conversation import (
    AdapterState,
    BindingRequest,
    LinkCode,
    PendingConfirmation,
    PendingFile,
    ReplyPage,
)
from storage.models.groups import ChatBinding, Membership, Role, WorkingGroup
from storage.models.hours import (
    ClosedMonth,
    HourEntry,
    HourEntryEvent,
    HourEventKind,
    HourTotal,
    Project,
    ProjectBudget,
)
from storage.models.meetings import (
    AgendaItem,
    Answer,
    Meeting,
    MeetingFormat,
    MeetingSeries,
    MeetingStatus,
    Rsvp,
)
from storage.models.networks import Network, NetworkChat, NetworkGroup, NetworkMember, NetworkRole
from storage.models.people import Account, Person
from storage.models.protocols import (
    Protocol,
    ProtocolCorrection,
    ProtocolDocument,
    ProtocolEntry,
    ProtocolEntryKind,
    ProtocolGuest,
    ProtocolPresence,
    ProtocolRequest,
    ProtocolStatus,
    ProtocolVersion,
)
from storage.models.reminders import Reminder, ReminderKind, ReminderStatus
from storage.models.tasks import (
    ActionItem,
    ActionItemAssignee,
    ActionItemEvent,
    TaskEventKind,
    TaskStatus,
)

__all__ = [
    "Account",
    "ActionItem",
    "ActionItemAssignee",
    "ActionItemEvent",
    "AdapterState",
    "AgendaItem",
    "Answer",
    "Base",
    "BindingRequest",
    "ChatBinding",
    "ClosedMonth",
    "HourEntry",
    "HourEntryEvent",
    "HourEventKind",
    "HourTotal",
    "LinkCode",
    "Meeting",
    "MeetingFormat",
    "MeetingSeries",
    "MeetingStatus",
    "Membership",
    "Network",
    "NetworkChat",
    "NetworkGroup",
    "NetworkMember",
    "NetworkRole",
    "PendingConfirmation",
    "PendingFile",
    "Person",
    "Project",
    "ProjectBudget",
    "Protocol",
    "ProtocolCorrection",
    "ProtocolDocument",
    "ProtocolEntry",
    "ProtocolEntryKind",
    "ProtocolGuest",
    "ProtocolPresence",
    "ProtocolRequest",
    "ProtocolStatus",
    "ProtocolVersion",
    "Reminder",
    "ReminderKind",
    "ReminderStatus",
    "ReplyPage",
    "Role",
    "Rsvp",
    "TaskEventKind",
    "TaskStatus",
    "UTCDateTime",
    "WorkingGroup",
]
