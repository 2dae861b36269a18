"""/api/v1/offerings/{id}/sessions: an offering's live sessions, listed and scheduled."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.errors import ApiError
from meridian_common.web.http import page_response

from ..domain.recurrence import ScheduleError, expand
from ..readmodels import OfferingContext, offering_context
from ..schedule import new_series, unprocessable
from ..schemas.fields import page_schema
from ..schemas.sessions import ConflictOut, SeriesOut, SessionIn, SessionListArgs, SessionOut
from ..sessionreads import listed
from .common import caller, require_manage, require_view, time_range, view_session

blp = Blueprint("offering_sessions", __name__, url_prefix="/api/v1/offerings",
                description="Live sessions of an offering: lectures, seminars, workshops, "
                            "office hours.")


def require_faculty_instructors(context: OfferingContext, instructors: list[str]) -> None:
    """422 unless every instructor is on the course's faculty."""
    strangers = [u for u in instructors if u not in context.faculty]
    if strangers:
        raise ApiError(422, "Instructors must be on the course's faculty.", errors={
            "instructors": [f"Not on this course's faculty: {', '.join(strangers)}."]})


@blp.route("/<offering_id>/sessions")
class OfferingSessions(MethodView):
    @blp.arguments(SessionListArgs, location="query")
    @blp.response(200, page_schema(SessionOut, "SessionPage"))
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, args, offering_id):
        """The offering's sessions in time order (confirmed students and faculty)."""
        context = offering_context(offering_id)
        require_view(context, caller())
        tz = args.get("tz")
        begin, until = time_range(args, tz)
        items, total = listed([offering_id], args["page"], args["per_page"], begin, until,
                              args.get("status"))
        return page_response([view_session(s, tz) for s in items], args, total)

    @blp.arguments(SessionIn)
    @blp.response(201, SeriesOut)
    @blp.alt_response(409, schema=ConflictOut, description="Double bookings: the problem body "
                      "carries `conflicts`, a list of these.")
    @blp.doc(security=[{"bearerAuth": []}])
    @idempotent
    def post(self, data, offering_id):
        """Schedule a session, or a daily/weekly series keeping its local wall-clock time."""
        context = offering_context(offering_id)
        require_manage(context, caller())
        if context.offering.status != "open":
            raise ApiError(409, "The offering is cancelled; no sessions can be scheduled.",
                           code="offering_cancelled")
        require_faculty_instructors(context, data["instructors"])
        repeat = data.get("repeat") or {}
        try:
            occurrences = expand(data["start"], data["timezone"], data["duration_minutes"],
                                 repeat.get("frequency"), repeat.get("count", 1), data["fold"])
        except ScheduleError as exc:
            raise unprocessable(exc) from exc
        series_id, sessions = new_series(offering_id, data, occurrences)
        response = jsonify({"series_id": series_id,
                            "sessions": [view_session(s) for s in sessions]})
        response.status_code = 201
        response.headers["Location"] = f"/api/v1/sessions/{sessions[0].id}"
        return response
