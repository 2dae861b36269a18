"""/api/v1/me/attendance: the caller's own joins of live sessions, newest first."""

from __future__ import annotations

from flask_smorest import Blueprint

from meridian_common.web.http import PageArgs, page_response

from ..application.history import HistoryEntry, my_attendance
from ..domain.localtime import iso_in_zone
from .common import caller, classroom, utc_text
from .schemas.access import MyVisitOut
from .schemas.fields import page_schema
from .schemas.sessions import ZoneArgs

blp = Blueprint("my_attendance", __name__, url_prefix="/api/v1/me",
                description="The caller's own attendance history.")


class MyAttendanceArgs(PageArgs, ZoneArgs):
    """`?page=&per_page=&tz=`."""


def _local(value, tz: str):
    return iso_in_zone(value, tz) if value is not None else None


def _view(entry: HistoryEntry, tz: str | None) -> dict:
    visit, session = entry.visit, entry.session
    start, end = (session.start, session.end) if session else (None, None)
    body = {"id": visit.id, "session_id": visit.session_id, "offering_id": visit.offering_id,
            "session_title": session.title if session else None,
            "session_kind": session.kind if session else None,
            "session_start": utc_text(start), "session_end": utc_text(end),
            "joined_at": utc_text(visit.joined_at), "left_at": utc_text(visit.left_at),
            "duration_minutes": visit.duration_minutes}
    if tz:
        body.update(local_timezone=tz, local_start=_local(start, tz), local_end=_local(end, tz),
                    local_joined_at=_local(visit.joined_at, tz),
                    local_left_at=_local(visit.left_at, tz))
    return body


@blp.route("/attendance")
@blp.arguments(MyAttendanceArgs, location="query")
@blp.response(200, page_schema(MyVisitOut, "MyAttendancePage"))
@blp.doc(security=[{"bearerAuth": []}])
def my_attendance_page(args):
    """Every time the caller joined a live session, newest first, with the session and, where
    the provider reported the departure, when they left and how many minutes they stayed."""
    principal = caller()
    found, total = my_attendance(classroom(), principal.user_id, args["page"], args["per_page"])
    tz = args.get("tz")
    return page_response([_view(e, tz) for e in found], args, total)
