"""/api/v1/sessions/{id}: one session — read, reschedule or edit, cancel."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from ..application import joining, reading, scheduling
from .common import answer_session, caller, check_session_etag, classroom
from .schemas.sessions import ScopeArgs, SessionOut, SessionPatch, ZoneArgs

blp = Blueprint("sessions", __name__, url_prefix="/api/v1/sessions",
                description="One live session.")


@blp.route("/<session_id>")
class SessionById(MethodView):
    @blp.arguments(ZoneArgs, location="query")
    @blp.response(200, SessionOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, args, session_id):
        """One session (confirmed students and faculty); `?tz=` adds local times."""
        session = reading.one_session(classroom(), caller(), session_id)
        choice = joining.provider_choice(classroom(), session.offering_id)
        return answer_session(session, args.get("tz"), {"public_room": choice.public_room})

    @blp.arguments(SessionPatch)
    @blp.arguments(ScopeArgs, location="query")
    @blp.response(200, SessionOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def patch(self, data, scope_args, session_id):
        """Reschedule or edit (course faculty); `?scope=following` moves the rest of the
        series by the same wall-clock shift. Double bookings → 409; `If-Match` honoured."""
        changed = scheduling.reschedule(classroom(), caller(), session_id, data,
                                        scope_args["scope"], check_session_etag)
        return answer_session(changed[0], None,
                              {"affected_session_ids": [s.id for s in changed]})

    @blp.arguments(ScopeArgs, location="query")
    @blp.response(200, SessionOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def delete(self, scope_args, session_id):
        """Cancel the session (course faculty); it stays listed with status `cancelled`."""
        main, changed = scheduling.cancel(classroom(), caller(), session_id,
                                          scope_args["scope"], check_session_etag)
        return answer_session(main, None, {"affected_session_ids": [s.id for s in changed]})
