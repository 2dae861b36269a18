"""The ports one classroom process works with, wired once by `app.py` or `worker.py`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .ports import (
    Attendance,
    Catalog,
    Clock,
    Feeds,
    HookReceipts,
    MeetingProvider,
    MeetingSettings,
    Rosters,
    ScheduleLease,
    Sessions,
    UserZones,
)


@dataclass(frozen=True)
class Classroom:
    """Everything the use cases reach the outside world through."""

    sessions: Sessions
    lease: ScheduleLease
    catalog: Catalog
    rosters: Rosters
    attendance: Attendance
    feeds: Feeds
    zones: UserZones
    meeting_settings: MeetingSettings
    provider: MeetingProvider
    receipts: HookReceipts
    clock: Clock
    new_id: Callable[[str], str]
    default_provider: str = "jitsi"
