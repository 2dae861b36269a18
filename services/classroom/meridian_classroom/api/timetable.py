"""/api/v1/me/timetable: every session of the caller's offerings, as student or faculty."""

from __future__ import annotations

from flask_smorest import Blueprint

from meridian_common.events.envelope import utcnow
from meridian_common.web.http import page_response

from ..domain.localtime import wall_clock
from ..readmodels import offerings_of
from ..schemas.fields import page_schema
from ..schemas.sessions import RangeArgs, SessionOut
from ..sessionreads import listed
from .common import caller, time_range, view_session

blp = Blueprint("timetable", __name__, url_prefix="/api/v1/me",
                description="The caller's own timetable.")


@blp.route("/timetable")
@blp.arguments(RangeArgs, location="query")
@blp.response(200, page_schema(SessionOut, "TimetablePage"))
@blp.doc(security=[{"bearerAuth": []}])
def timetable(args):
    """Sessions of every offering the caller studies (confirmed) or teaches, in time order;
    `from` defaults to the start of today in `tz` (else UTC). Items say `as` student/faculty."""
    principal = caller()
    tz = args.get("tz")
    if "from_" not in args:
        args["from_"] = wall_clock(utcnow(), tz or "UTC").date()
    begin, until = time_range(args, tz)
    as_student, as_faculty = offerings_of(principal.user_id)
    offering_ids = sorted(set(as_student) | set(as_faculty))
    if not offering_ids:
        return page_response([], args, 0)
    items, total = listed(offering_ids, args["page"], args["per_page"], begin, until)
    faculty = set(as_faculty)
    return page_response([{**view_session(s, tz),
                           "as": "faculty" if s.offering_id in faculty else "student"}
                          for s in items], args, total)
