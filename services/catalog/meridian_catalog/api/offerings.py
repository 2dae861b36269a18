"""/api/v1/.../offerings: a course's cohorts with capacity, enrollment window and eligibility."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.http import page_response

from ..application import offerings as cases
from ..application.seats import seat_figures
from .common import answer, caller, if_match, ports, reader, refusals
from .schemas import OfferingIn, OfferingOut, OfferingPatch, OfferingQuery, page_schema

blp = Blueprint("offerings", __name__, url_prefix="/api/v1",
                description="Offerings (cohorts) of courses and their seats.")
_out = OfferingOut()


def dump_offerings(offerings: list) -> list[dict]:
    """The public view of offerings including their eventually consistent seat figures."""
    figures = seat_figures(ports(), offerings)
    return [{**_out.dump(o), **figures[o.id]} for o in offerings]


def _answer(offering, status: int = 200, location: str | None = None):
    return answer(dump_offerings([offering])[0], offering, status, location)


@blp.route("/courses/<course_id>/offerings")
class CourseOfferings(MethodView):
    @blp.arguments(OfferingQuery, location="query")
    @blp.response(200, page_schema(OfferingOut, "OfferingPage"))
    @refusals
    def get(self, args, course_id):
        """The offerings of a course."""
        items, total = cases.offerings_of_course(ports(), reader, course_id, args)
        return page_response(dump_offerings(items), args, total)

    @blp.arguments(OfferingIn)
    @blp.response(201, OfferingOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @idempotent
    @refusals
    def post(self, data, course_id):
        """Open an offering of a published course (course admins)."""
        offering = cases.open_offering(ports(), caller, course_id, data)
        return _answer(offering, 201, f"/api/v1/offerings/{offering.id}")


@blp.route("/offerings/<offering_id>")
class OfferingById(MethodView):
    @blp.response(200, OfferingOut)
    @refusals
    def get(self, offering_id):
        """One offering with `seats_taken`, `seats_available` and `waitlist_length`."""
        return _answer(cases.get_offering(ports(), offering_id))

    @blp.arguments(OfferingPatch)
    @blp.response(200, OfferingOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @refusals
    def patch(self, data, offering_id):
        """Change capacity, window or eligibility; capacity below confirmed seats is 409."""
        return _answer(cases.patch_offering(ports(), caller, offering_id, data, if_match))


@blp.route("/offerings/<offering_id>/cancel", methods=["POST"])
@blp.response(200, OfferingOut)
@blp.doc(security=[{"bearerAuth": []}])
@refusals
def cancel(offering_id):
    """Cancel an offering; its enrollments and sessions follow through events."""
    return _answer(cases.cancel_offering(ports(), caller, offering_id, if_match))
