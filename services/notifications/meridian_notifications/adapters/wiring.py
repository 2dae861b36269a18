"""The notifications use cases' ports on MongoDB (connected by the app factory or worker)."""

from __future__ import annotations

from dataclasses import dataclass

from meridian_common.events.envelope import utcnow

from .config import NotificationsConfig
from .notifications import MongoNotifications
from .preferences import MongoPreferences
from .reminders import MongoReminders
from .replans import MongoReplans


class SystemClock:
    """The `Clock` port: the machine's time, in UTC."""

    def now(self):
        """Now, timezone-aware UTC."""
        return utcnow()


@dataclass(frozen=True)
class Ports:
    """Every port the notifications use cases need, implemented on MongoDB."""

    config: NotificationsConfig
    preferences: MongoPreferences
    notifications: MongoNotifications
    reminders: MongoReminders
    clock: SystemClock
    replans: MongoReplans


def mongo_ports(config: NotificationsConfig) -> Ports:
    """The MongoDB implementations of the ports, with the system clock."""
    return Ports(config=config, preferences=MongoPreferences(),
                 notifications=MongoNotifications(), reminders=MongoReminders(),
                 clock=SystemClock(), replans=MongoReplans())
