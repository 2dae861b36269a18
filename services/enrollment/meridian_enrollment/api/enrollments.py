"""Enrolling oneself, reading and withdrawing an enrollment, and a student's own list."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.auth import current_principal
from meridian_common.web.errors import ApiError
from meridian_common.web.http import page_response

from ..application import queries
from ..application.admission import check_admission, course_staff, offering_or_refuse
from ..application.enroll import enroll
from ..application.settle import withdraw
from ..domain.permissions import can_read_enrollment, can_withdraw
from .common import (
    answer_enrollment,
    dump_with_draw,
    enrollable_caller,
    forbidden,
    ports,
    speaks_http,
)
from .pages import page_schema
from .schemas import EnrollIn, EnrollmentOut, EnrollmentWithDrawOut, MyEnrollmentsQuery

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
    offering = offering_or_refuse(ports(), offering_id)
    check_admission(ports(), offering, student.institution_id)
    enrollment, position = enroll(ports(), offering, student.user_id, student.institution_id,
                                  student.user_id)
    return answer_enrollment(enrollment, position, 201)


@blp.route("/enrollments/<enrollment_id>")
class EnrollmentById(MethodView):
    @blp.response(200, EnrollmentWithDrawOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @speaks_http
    def get(self, enrollment_id):
        """One enrollment: for its student, the course's staff and admins."""
        caller = current_principal()
        enrollment = queries.enrollment_or_refuse(ports(), enrollment_id)
        offering = ports().offerings.get(enrollment.offering_id)
        provider = offering.provider_institution_id if offering is not None else ""
        if not can_read_enrollment(caller, enrollment.student_id,
                                   course_staff(ports(), offering), provider):
            raise forbidden("Only the student, the course's staff and admins see this "
                            "enrollment.")
        return answer_enrollment(enrollment, queries.position_of(ports(), enrollment),
                                 outlines=queries.draw_outlines(ports(), [enrollment]))

    @blp.response(200, EnrollmentOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @speaks_http
    def delete(self, enrollment_id):
        """Withdraw (the student or an admin); the head of the waitlist is promoted at once."""
        caller = current_principal()
        enrollment = queries.enrollment_or_refuse(ports(), enrollment_id)
        if not can_withdraw(caller, enrollment.student_id):
            raise forbidden("Only the student and admins withdraw this enrollment.")
        return answer_enrollment(withdraw(ports(), enrollment.id), None)


@blp.route("/me/enrollments", methods=["GET"])
@blp.arguments(MyEnrollmentsQuery, location="query")
@blp.response(200, page_schema(EnrollmentWithDrawOut, "EnrollmentPage"))
@blp.doc(security=[{"bearerAuth": []}])
def my_enrollments(args):
    """Your own enrollments, newest first (filters `status`, `offering_id`)."""
    caller = current_principal()
    mine = queries.student_enrollments(ports(), caller.user_id, args.get("offering_id"),
                                       args.get("status"))
    start = (args["page"] - 1) * args["per_page"]
    items = mine[start:start + args["per_page"]]
    outlines = queries.draw_outlines(ports(), items)
    return page_response([dump_with_draw(e, queries.position_of(ports(), e), outlines)
                          for e in items], args, len(mine))
