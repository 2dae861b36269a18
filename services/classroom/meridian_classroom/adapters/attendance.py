"""Attendance on MongoDB: a join is an insert; a departure is an insert keyed by that join."""

from __future__ import annotations

from datetime import datetime

from meridian_common.conflicts import Conflict
from meridian_common.events.envelope import as_utc
from meridian_common.persistence.outbox import insert_with_events

from ..application.ports import Join
from ..domain.attendance import OwnVisit, Visit
from ..events.payloads import attendance_event
from .documents import AttendanceJoin, AttendanceLeave


def _join(document: AttendanceJoin) -> Join:
    return Join(id=document.id, session_id=document.session_id,
                offering_id=document.offering_id, user_id=document.user_id,
                role=document.role, provider=document.provider,
                joined_at=as_utc(document.joined_at))


class MongoAttendance:
    """The `Attendance` port on `attendance_joins` and `attendance_leaves`."""

    def record_join(self, join: Join) -> None:
        """Store one join with its attendance event."""
        document = AttendanceJoin(id=join.id, session_id=join.session_id,
                                  offering_id=join.offering_id, user_id=join.user_id,
                                  role=join.role, provider=join.provider,
                                  joined_at=join.joined_at)
        insert_with_events(document, attendance_event(
            session_id=join.session_id, offering_id=join.offering_id, user_id=join.user_id,
            role=join.role, joined_at=join.joined_at, left_at=None))

    def open_joins(self, session_id: str, user_id: str | None,
                   before: datetime) -> list[Join]:
        """Joins of the session (by the user) up to `before` that have no departure yet."""
        query = {"session_id": session_id, "joined_at__lte": before}
        if user_id is not None:
            query["user_id"] = user_id
        joins = list(AttendanceJoin.objects(**query).exclude("outbox").order_by("-joined_at"))
        closed = {leave.id for leave in AttendanceLeave.objects(
            id__in=[j.id for j in joins]).only("id")} if joins else set()
        return [_join(j) for j in joins if j.id not in closed]

    def record_leave(self, join: Join, left_at: datetime) -> bool:
        """Store a departure once; False when an earlier delivery already recorded it."""
        leave = AttendanceLeave(id=join.id, session_id=join.session_id, user_id=join.user_id,
                                left_at=left_at)
        try:
            insert_with_events(leave, attendance_event(
                session_id=join.session_id, offering_id=join.offering_id,
                user_id=join.user_id, role=join.role, joined_at=join.joined_at,
                left_at=left_at))
        except Conflict:
            return False
        return True

    def visits(self, session_id: str) -> list[Visit]:
        """Every join of a session with its departure, when known."""
        joins = AttendanceJoin.objects(session_id=session_id).exclude("outbox")
        lefts = {leave.id: as_utc(leave.left_at)
                 for leave in AttendanceLeave.objects(session_id=session_id).exclude("outbox")}
        return [Visit(user_id=j.user_id, role=j.role, joined_at=as_utc(j.joined_at),
                      left_at=lefts.get(j.id)) for j in joins]

    def of_user(self, user_id: str, skip: int, limit: int) -> tuple[list[OwnVisit], int]:
        """One page of the user's joins, newest first, with departures; and how many in all."""
        joins = AttendanceJoin.objects(user_id=user_id).exclude("outbox")
        page = list(joins.order_by("-joined_at", "-id").skip(skip).limit(limit))
        total = len(page) if skip == 0 and len(page) < limit else joins.count()
        lefts = {leave.id: as_utc(leave.left_at) for leave in AttendanceLeave.objects(
            id__in=[j.id for j in page]).only("id", "left_at")} if page else {}
        return [OwnVisit(id=j.id, session_id=j.session_id, offering_id=j.offering_id,
                         joined_at=as_utc(j.joined_at), left_at=lefts.get(j.id))
                for j in page], total
