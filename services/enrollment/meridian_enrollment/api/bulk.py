"""Bulk rostering: an institution admin enrolls its own students in one call."""

from __future__ import annotations

from collections import Counter

from flask import jsonify
from flask_smorest import Blueprint

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.auth import current_principal

from ..actions.enroll import check_admission, enroll
from ..domain.permissions import bulk_institution
from ..domain.refusals import Refusal
from ..models import EnrollmentOfferingView
from ..schemas import BulkIn, BulkOut
from .common import STATUS_OF, dump_enrollment, load_offering_or_404, speaks_http

blp = Blueprint("bulk", __name__, url_prefix="/api/v1",
                description="Enrolling an institution's students in bulk.")


def _enroll_one(offering: EnrollmentOfferingView, student_id: str, institution_id: str | None,
                enrolled_by: str) -> dict:
    try:
        enrollment, position = enroll(offering, student_id, institution_id, enrolled_by)
    except Refusal as refusal:
        return {"student_id": student_id, "status": STATUS_OF[refusal.kind],
                "enrollment": None, "code": refusal.code, "detail": refusal.detail}
    return {"student_id": student_id, "status": 201, "code": None, "detail": None,
            "enrollment": dump_enrollment(enrollment, position)}


@blp.route("/offerings/<offering_id>/enrollments/bulk", methods=["POST"])
@blp.arguments(BulkIn)
@blp.response(200, BulkOut)
@blp.doc(security=[{"bearerAuth": []}])
@idempotent
@speaks_http
def bulk_enroll(data, offering_id):
    """Enroll up to 500 students of the caller's institution, in the order given.

    Checks that hold for every student alike (the offering exists and is open, the
    institution is eligible) answer the whole call; the rest is one result per student.
    """
    caller = current_principal()
    institution_id = bulk_institution(caller, data.get("institution_id"))
    offering = load_offering_or_404(offering_id)
    check_admission(offering, institution_id)
    results = [_enroll_one(offering, student_id, institution_id, caller.user_id)
               for student_id in data["student_ids"]]
    summary = Counter(r["enrollment"]["status"] if r["enrollment"] else "refused"
                      for r in results)
    return jsonify({"offering_id": offering.id, "institution_id": institution_id,
                    "results": results, "summary": dict(summary)})
