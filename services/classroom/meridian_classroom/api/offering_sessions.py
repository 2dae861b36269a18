"""/api/v1/offerings/{id}/sessions: an offering's live sessions, listed and scheduled."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView
from flask_smorest import Blueprint

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.http import page_response

from ..application import joining, reading, scheduling
from .common import caller, classroom, view_session, window
from .schemas.fields import page_schema
from .schemas.sessions import (
    ScheduleConflictOut,
    SeriesOut,
    SessionIn,
    SessionListArgs,
    SessionOut,
)

blp = Blueprint("offering_sessions", __name__, url_prefix="/api/v1/offerings",
                description="Live sessions of an offering: lectures, seminars, workshops, "
                            "office hours.")


@blp.route("/<offering_id>/sessions")
class OfferingSessions(MethodView):
    @blp.arguments(SessionListArgs, location="query")
    @blp.response(200, page_schema(SessionOut, "SessionPage"))
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, args, offering_id):
        """The offering's sessions in time order (confirmed students and faculty)."""
        tz = args.get("tz")
        items, total = reading.offering_sessions(classroom(), caller(), offering_id,
                                                 window(args, tz), args.get("status"))
        public = {"public_room": joining.provider_choice(classroom(), offering_id).public_room}
        return page_response([{**view_session(s, tz), **public} for s in items], args, total)

    @blp.arguments(SessionIn)
    @blp.response(201, SeriesOut)
    @blp.alt_response(409, schema=ScheduleConflictOut, content_type="application/problem+json",
                      description="Double bookings: the problem body "
                      "carries `conflicts`, a list of these.")
    @blp.doc(security=[{"bearerAuth": []}])
    @idempotent
    def post(self, data, offering_id):
        """Schedule a session, or a daily/weekly series keeping its local wall-clock time."""
        series_id, sessions = scheduling.schedule_series(classroom(), caller(), offering_id,
                                                         data)
        response = jsonify({"series_id": series_id,
                            "sessions": [view_session(s) for s in sessions]})
        response.status_code = 201
        response.headers["Location"] = f"/api/v1/sessions/{sessions[0].id}"
        return response
