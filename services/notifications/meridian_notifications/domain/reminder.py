"""Reminders before a session: durable jobs with a due time, planned from the user's offsets."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

SCHEDULED, FIRED, DROPPED = "scheduled", "fired", "dropped"
REMINDER_STATES = (SCHEDULED, FIRED, DROPPED)


def reminder_key(session_id: str, recipient: str, offset_minutes: int,
                 session_start: datetime) -> str:
    """One id per (session, recipient, offset, start): a moved session gets new reminders."""
    raw = f"{session_id}\n{recipient}\n{offset_minutes}\n{session_start.isoformat()}"
    return f"rem_{hashlib.sha256(raw.encode()).hexdigest()[:32]}"


@dataclass(frozen=True)
class ScheduledReminder:
    """A reminder due `offset_minutes` before the session's start (as it was when planned)."""

    key: str
    session_id: str
    offering_id: str
    recipient: str
    offset_minutes: int
    session_start: datetime
    due_at: datetime
    created_at: datetime
    state: str = SCHEDULED
    done_at: datetime | None = None

    def fired(self, at: datetime) -> ScheduledReminder:
        """The reminder once its notification was planned."""
        return replace(self, state=FIRED, done_at=at)

    def dropped(self, at: datetime) -> ScheduledReminder:
        """The reminder of a session that moved, was cancelled or is over."""
        return replace(self, state=DROPPED, done_at=at)


def plan_reminders(*, session_id: str, offering_id: str, recipient: str,
                   session_start: datetime, offsets: tuple[int, ...] | list[int],
                   now: datetime) -> list[ScheduledReminder]:
    """Reminders still ahead for one recipient: none once their due time or the start passed."""
    if session_start <= now:
        return []
    planned = []
    for offset in sorted(set(offsets), reverse=True):
        due = session_start - timedelta(minutes=offset)
        if due <= now:
            continue
        planned.append(ScheduledReminder(
            key=reminder_key(session_id, recipient, offset, session_start),
            session_id=session_id, offering_id=offering_id, recipient=recipient,
            offset_minutes=offset, session_start=session_start, due_at=due, created_at=now))
    return planned
