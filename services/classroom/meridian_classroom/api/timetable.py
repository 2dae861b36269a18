"""/api/v1/me/timetable: every session of the caller's offerings, as student or faculty."""

from __future__ import annotations

from flask_smorest import Blueprint

from meridian_common.events.envelope import utcnow
from meridian_common.web.http import page_response

from ..application import reading
from ..domain.localtime import wall_clock
from .common import caller, classroom, view_session, window
from .schemas.fields import page_schema
from .schemas.sessions import RangeArgs, SessionOut

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
    found = reading.timetable(classroom(), principal.user_id, window(args, tz))
    return page_response([{**view_session(s, tz), "as": found.role_in(s)}
                          for s in found.sessions], args, found.total)
