"""One `Classroom` on MongoDB and the configured meeting providers."""

from __future__ import annotations

from meridian_common.events.envelope import utcnow
from meridian_common.ids import new_id

from ..application.classroom import Classroom
from .attendance import MongoAttendance
from .catalog import MongoCatalog
from .config import ClassroomConfig
from .feeds import MongoFeeds, MongoUserZones
from .leases import MongoScheduleLease
from .meetings import HttpMeetingProvider, MongoMeetingSettings
from .receipts import MongoHookReceipts
from .rosters import MongoRosters
from .sessions import MongoSessions


class SystemClock:
    """The `Clock` port: the machine's time, in UTC."""

    def now(self):
        """Now, timezone-aware UTC."""
        return utcnow()


def mongo_classroom(config: ClassroomConfig) -> Classroom:
    """The classroom's use cases wired to MongoDB (the connection is made by the app factory
    or the worker) and to the meeting providers `config` names."""
    return Classroom(sessions=MongoSessions(), lease=MongoScheduleLease(),
                     catalog=MongoCatalog(), rosters=MongoRosters(),
                     attendance=MongoAttendance(), feeds=MongoFeeds(), zones=MongoUserZones(),
                     meeting_settings=MongoMeetingSettings(),
                     provider=HttpMeetingProvider(config), receipts=MongoHookReceipts(),
                     clock=SystemClock(),
                     new_id=new_id, default_provider=config.default_provider)
