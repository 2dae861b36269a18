"""The roster of an offering, for its staff: confirmed, waitlisted in order, applied."""

from __future__ import annotations

from flask import jsonify
from flask_smorest import Blueprint

from meridian_common.web.auth import current_principal

from ..application import queries
from ..application.admission import course_staff, offering_or_refuse
from ..domain.permissions import is_course_staff
from .common import dump_enrollment, forbidden, ports, speaks_http
from .schemas import RosterOut

blp = Blueprint("roster", __name__, url_prefix="/api/v1",
                description="Who is enrolled in an offering.")


@blp.route("/offerings/<offering_id>/roster", methods=["GET"])
@blp.response(200, RosterOut)
@blp.doc(security=[{"bearerAuth": []}])
@speaks_http
def roster(offering_id):
    """Confirmed, waitlisted (in waitlist order) and applied enrollments of an offering."""
    caller = current_principal()
    offering = offering_or_refuse(ports(), offering_id)
    if not is_course_staff(caller, course_staff(ports(), offering),
                           offering.provider_institution_id):
        raise forbidden("Only the course's staff and admins see the roster.")
    groups = {status: [dump_enrollment(e, position) for e, position in rows]
              for status, rows in queries.roster(ports(), offering).items()}
    return jsonify({"offering_id": offering.id, "capacity": offering.capacity,
                    "selection": offering.selection, **groups})
