"""Attendance: a join is an insert; a reported departure is an insert keyed by that join."""

from __future__ import annotations

from datetime import datetime, timedelta

from meridian_common.conflicts import Conflict
from meridian_common.events.envelope import as_utc, utcnow
from meridian_common.ids import new_id
from meridian_common.persistence.outbox import insert_with_events

from .domain.attendance import Visit
from .domain.bbb import HookEvent
from .events.payloads import attendance_event
from .models import AttendanceJoin, AttendanceLeave, LiveSession

# The provider's clock and ours differ a little; a departure may be stamped before our join.
CLOCK_SKEW = timedelta(minutes=5)


def record_join(session: LiveSession, user_id: str, role: str, provider: str) -> AttendanceJoin:
    """Store one join with its attendance event."""
    join = AttendanceJoin(id=new_id("att"), session_id=session.id,
                          offering_id=session.offering_id, user_id=user_id, role=role,
                          provider=provider, joined_at=utcnow())
    return insert_with_events(join, attendance_event(
        session_id=session.id, offering_id=session.offering_id, user_id=user_id, role=role,
        joined_at=join.joined_at, left_at=None))


def _close(join: AttendanceJoin, left_at: datetime) -> bool:
    left_at = max(left_at, as_utc(join.joined_at))
    leave = AttendanceLeave(id=join.id, session_id=join.session_id, user_id=join.user_id,
                            left_at=left_at)
    try:
        insert_with_events(leave, attendance_event(
            session_id=join.session_id, offering_id=join.offering_id, user_id=join.user_id,
            role=join.role, joined_at=join.joined_at, left_at=left_at))
    except Conflict:
        return False  # already closed by an earlier delivery of the same webhook
    return True


def _open_joins(session_id: str, user_id: str | None, before: datetime) -> list[AttendanceJoin]:
    query = {"session_id": session_id, "joined_at__lte": before + CLOCK_SKEW}
    if user_id is not None:
        query["user_id"] = user_id
    joins = list(AttendanceJoin.objects(**query).order_by("-joined_at"))
    closed = {leave.id for leave in AttendanceLeave.objects(
        id__in=[j.id for j in joins]).only("id")} if joins else set()
    return [j for j in joins if j.id not in closed]


def apply_hook_event(event: HookEvent) -> int:
    """Record departures from a provider event; returns how many visits it closed."""
    if event.kind == "user-left" and event.user_id:
        open_joins = _open_joins(event.meeting_id, event.user_id, event.at)
        return int(_close(open_joins[0], event.at)) if open_joins else 0
    if event.kind == "meeting-ended":
        return sum(_close(join, event.at)
                   for join in _open_joins(event.meeting_id, None, event.at))
    return 0


def visits(session_id: str) -> list[Visit]:
    """Every join of a session with its departure, when known."""
    joins = list(AttendanceJoin.objects(session_id=session_id))
    lefts = {leave.id: as_utc(leave.left_at)
             for leave in AttendanceLeave.objects(session_id=session_id)}
    return [Visit(user_id=j.user_id, role=j.role, joined_at=as_utc(j.joined_at),
                  left_at=lefts.get(j.id)) for j in joins]
