"""Event records the classroom stores with its state changes (contracts in meridian_common)."""

from __future__ import annotations

from datetime import datetime

from meridian_common.events.envelope import as_utc, new_event
from meridian_common.events.types import ATTENDANCE_RECORDED

from ..domain.ics import calendar_uid
from ..domain.session import SessionEvent

SOURCE = "/meridian/classroom"


def session_event(event: SessionEvent) -> dict:
    """The stored record of a session event (`SessionPayload`), keyed by offering id."""
    session, previous = event.session, event.previous
    moved = previous is not None and (previous.start, previous.end, previous.timezone) != (
        session.start, session.end, session.timezone)
    return new_event(event.type, source=SOURCE, key=session.offering_id, subject=session.id,
                     data={"session_id": session.id, "series_id": session.series_id,
                           "offering_id": session.offering_id, "kind": session.kind,
                           "title": session.title, "start": as_utc(session.start),
                           "end": as_utc(session.end), "timezone": session.timezone,
                           "instructors": list(session.instructors), "status": session.status,
                           "sequence": session.sequence, "uid": calendar_uid(session.id),
                           "duration_minutes": session.duration_minutes,
                           "previous_start": as_utc(previous.start) if moved else None,
                           "previous_end": as_utc(previous.end) if moved else None,
                           "previous_timezone": previous.timezone if moved else None,
                           "reason": event.reason})


def attendance_event(*, session_id: str, offering_id: str, user_id: str, role: str,
                     joined_at: datetime, left_at: datetime | None) -> dict:
    """`lms.classroom.attendance.recorded.v1`: a join, or later the same visit with its end."""
    return new_event(ATTENDANCE_RECORDED, source=SOURCE, key=offering_id, subject=session_id,
                     data={"session_id": session_id, "offering_id": offering_id,
                           "user_id": user_id, "role": role, "joined_at": as_utc(joined_at),
                           "left_at": as_utc(left_at) if left_at else None})
