"""Bulk rostering: an institution admin enrolls its own students in one call."""

from __future__ import annotations

from collections import Counter

from flask import jsonify
from flask_smorest import Blueprint

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.auth import current_principal

from ..application.admission import offering_or_refuse
from ..application.enroll import enroll_many
from ..domain.permissions import bulk_institution
from ..domain.refusals import Refusal
from .common import STATUS_OF, dump_enrollment, ports, speaks_http
from .schemas import BulkIn, BulkOut

blp = Blueprint("bulk", __name__, url_prefix="/api/v1",
                description="Enrolling an institution's students in bulk.")


def _result(student_id: str, outcome) -> dict:
    if isinstance(outcome, Refusal):
        return {"student_id": student_id, "status": STATUS_OF[outcome.kind],
                "enrollment": None, "code": outcome.code, "detail": outcome.detail}
    enrollment, position = outcome
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
    offering = offering_or_refuse(ports(), offering_id)
    results = [_result(student_id, outcome) for student_id, outcome in enroll_many(
        ports(), offering, data["student_ids"], institution_id, caller.user_id)]
    summary = Counter(r["enrollment"]["status"] if r["enrollment"] else "refused"
                      for r in results)
    return jsonify({"offering_id": offering.id, "institution_id": institution_id,
                    "results": results, "summary": dict(summary)})
