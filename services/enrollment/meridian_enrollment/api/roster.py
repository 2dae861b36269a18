"""The roster of an offering, for its staff: confirmed, waitlisted in order, applied."""

from __future__ import annotations

from flask import jsonify
from flask_smorest import Blueprint

from meridian_common.web.auth import current_principal

from ..actions.listing import active_enrollments
from ..actions.readmodels import course_staff
from ..domain.permissions import is_course_staff
from ..ledger import waitlist
from ..models import ACTIVE_STATUSES
from ..schemas import RosterOut
from .common import dump_enrollment, forbidden, load_offering_or_404

blp = Blueprint("roster", __name__, url_prefix="/api/v1",
                description="Who is enrolled in an offering.")


@blp.route("/offerings/<offering_id>/roster", methods=["GET"])
@blp.response(200, RosterOut)
@blp.doc(security=[{"bearerAuth": []}])
def roster(offering_id):
    """Confirmed, waitlisted (in waitlist order) and applied enrollments of an offering."""
    caller = current_principal()
    offering = load_offering_or_404(offering_id)
    if not is_course_staff(caller, course_staff(offering), offering.provider_institution_id):
        raise forbidden("Only the course's staff and admins see the roster.")
    rank = waitlist.ranks(offering.id)
    groups: dict[str, list] = {status: [] for status in ACTIVE_STATUSES}
    for enrollment in active_enrollments(offering.id):
        position = rank.get(enrollment.ticket) if enrollment.status == "waitlisted" else None
        groups[enrollment.status].append(dump_enrollment(enrollment, position))
    groups["waitlisted"].sort(key=lambda item: (item["waitlist_position"] is None,
                                                item["waitlist_position"] or 0))
    return jsonify({"offering_id": offering.id, "capacity": offering.capacity,
                    "selection": offering.selection, **groups})
