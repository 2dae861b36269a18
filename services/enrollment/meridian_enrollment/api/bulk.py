"""Bulk rostering as a job: an institution admin asks for up to 1000 students at once, the
worker enrolls them in batches, and the job resource reports one result per student."""

from __future__ import annotations

from collections import Counter

from flask import jsonify
from flask_smorest import Blueprint

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.auth import current_principal
from meridian_common.web.validation import UtcDateTime

from ..application import jobs
from ..domain.permissions import bulk_institution
from .common import STATUS_OF, ports, speaks_http
from .schemas import BulkIn, BulkOut, EnrollmentOut

blp = Blueprint("bulk", __name__, url_prefix="/api/v1",
                description="Enrolling an institution's students in bulk, as jobs.")
_time = UtcDateTime()
_enrollment = EnrollmentOut()


def _result(row: dict) -> dict:
    if row["kind"] is not None:
        return {"student_id": row["student_id"], "status": STATUS_OF[row["kind"]],
                "enrollment": None, "code": row["code"], "detail": row["detail"]}
    return {"student_id": row["student_id"], "status": 201, "code": None, "detail": None,
            "enrollment": _enrollment.dump(row["enrollment"])}


def _job_body(seen: jobs.JobView) -> dict:
    job = seen.job
    results = [_result(row) for row in seen.rows]
    summary = Counter(r["enrollment"]["status"] if r["enrollment"] else "refused"
                      for r in results)
    return {"id": job.id, "status": seen.status, "offering_id": job.offering_id,
            "institution_id": job.institution_id, "total": len(job.student_ids),
            "processed": len(results), "results": results, "summary": dict(summary),
            "created_at": _time._serialize(job.created_at, None, None),
            "finished_at": _time._serialize(job.finished_at, None, None)}


@blp.route("/offerings/<offering_id>/enrollments/bulk", methods=["POST"])
@blp.arguments(BulkIn)
@blp.response(202, BulkOut, headers={"Location": {
    "description": "The job resource to poll.", "schema": {"type": "string"}}})
@blp.doc(security=[{"bearerAuth": []}])
@idempotent
@speaks_http
def bulk_enroll(data, offering_id):
    """Enroll up to 1000 students of the caller's institution as a job, in the order given.

    Checks that hold for every student alike (the offering exists and is open, the
    institution is eligible) answer the whole call; the job then reports one result per
    student, with the rules of a single enrollment, at `Location`.
    """
    caller = current_principal()
    institution_id = bulk_institution(caller, data.get("institution_id"))
    job = jobs.submit(ports(), offering_id, data["student_ids"], institution_id,
                      caller.user_id)
    response = jsonify(_job_body(jobs.JobView(job, [], "queued")))
    response.status_code = 202
    response.headers["Location"] = f"/api/v1/enrollment-jobs/{job.id}"
    return response


@blp.route("/enrollment-jobs/<job_id>", methods=["GET"])
@blp.response(200, BulkOut)
@blp.doc(security=[{"bearerAuth": []}])
@speaks_http
def bulk_job(job_id):
    """A bulk enrollment job: its status and one result per processed student (the admin
    who asked for it, platform admins)."""
    caller = current_principal()
    return jsonify(_job_body(jobs.view(ports(), job_id, caller.user_id, caller.roles)))
