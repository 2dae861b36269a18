"""Enrolling oneself, reading and withdrawing an enrollment, and a student's own list."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.auth import current_principal
from meridian_common.web.errors import ApiError
from meridian_common.web.http import page_response

from ..actions.enroll import check_admission, enroll
from ..actions.listing import student_enrollments
from ..actions.readmodels import course_staff, load_offering
from ..actions.settle import end_enrollment
from ..domain.permissions import can_read_enrollment, can_withdraw
from ..schemas import EnrollIn, EnrollmentOut, MyEnrollmentsQuery
from .common import (
    answer_enrollment,
    dump_enrollment,
    enrollable_caller,
    forbidden,
    load_enrollment,
    load_offering_or_404,
    position_of,
    speaks_http,
)
from .pages import page_schema

blp = Blueprint("enrollments", __name__, url_prefix="/api/v1",
                description="Students' enrollments in offerings: seats, waitlists, lotteries.")


@blp.route("/offerings/<offering_id>/enrollments", methods=["POST"])
@blp.arguments(EnrollIn)
@blp.response(201, EnrollmentOut)
@blp.doc(security=[{"bearerAuth": []}])
@idempotent
@speaks_http
def enroll_self(data, offering_id):
    """Enroll yourself: `confirmed`, `waitlisted` when full, or `applied` for a lottery."""
    student = enrollable_caller()
    if data.get("student_id", student.user_id) != student.user_id:
        raise ApiError(422, "Students enroll only themselves.",
                       errors={"student_id": ["Must be your own user id, or left out."]})
    offering = load_offering_or_404(offering_id)
    check_admission(offering, student.institution_id)
    enrollment, position = enroll(offering, student.user_id, student.institution_id,
                                  student.user_id)
    return answer_enrollment(enrollment, 201, position)


@blp.route("/enrollments/<enrollment_id>")
class EnrollmentById(MethodView):
    @blp.response(200, EnrollmentOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def get(self, enrollment_id):
        """One enrollment: for its student, the course's staff and admins."""
        caller = current_principal()
        enrollment = load_enrollment(enrollment_id)
        offering = load_offering(enrollment.offering_id)
        staff = course_staff(offering) if offering is not None else []
        provider = offering.provider_institution_id if offering is not None else ""
        if not can_read_enrollment(caller, enrollment.student_id, staff, provider):
            raise forbidden("Only the student, the course's staff and admins see this "
                            "enrollment.")
        return answer_enrollment(enrollment)

    @blp.response(200, EnrollmentOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @speaks_http
    def delete(self, enrollment_id):
        """Withdraw (the student or an admin); the head of the waitlist is promoted at once."""
        caller = current_principal()
        enrollment = load_enrollment(enrollment_id)
        if not can_withdraw(caller, enrollment.student_id):
            raise forbidden("Only the student and admins withdraw this enrollment.")
        return answer_enrollment(end_enrollment(enrollment.id, "withdrawn"))


@blp.route("/me/enrollments", methods=["GET"])
@blp.arguments(MyEnrollmentsQuery, location="query")
@blp.response(200, page_schema(EnrollmentOut, "EnrollmentPage"))
@blp.doc(security=[{"bearerAuth": []}])
def my_enrollments(args):
    """Your own enrollments, newest first (filters `status`, `offering_id`)."""
    caller = current_principal()
    mine = [e for e in student_enrollments(caller.user_id, args.get("offering_id"))
            if "status" not in args or e.status == args["status"]]
    start = (args["page"] - 1) * args["per_page"]
    items = mine[start:start + args["per_page"]]
    return page_response([dump_enrollment(e, position_of(e)) for e in items], args, len(mine))
