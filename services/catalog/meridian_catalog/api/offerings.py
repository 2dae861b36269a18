"""Offerings: cohorts of a course with dates, capacity, an enrollment window and eligibility."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from meridian_common.events.envelope import utcnow
from meridian_common.ids import new_id
from meridian_common.persistence.idempotency import idempotent
from meridian_common.persistence.outbox import insert_with_events, update_with_events
from meridian_common.persistence.paging import paginate
from meridian_common.web.errors import ApiError
from meridian_common.web.http import check_if_match, page_response

from ..domain.offerings import capacity_conflict, check_schedule, seat_summary
from ..events.payloads import offering_event
from ..models import Course, Institution, Offering
from ..schemas import OfferingIn, OfferingOut, OfferingPatch, OfferingQuery, page_schema
from ..store import seat_counts
from .common import answer, etag_of, not_found
from .courses import load_course, require_course_admin

blp = Blueprint("offerings", __name__, url_prefix="/api/v1",
                description="Offerings (cohorts) of courses and their seats.")
_out = OfferingOut()


def dump_offering(offering: Offering, counts=None) -> dict:
    """The public view of an offering including its eventually consistent seat figures."""
    counts = counts if counts is not None else seat_counts([offering.id])[offering.id]
    payload = _out.dump(offering)
    payload.update(seat_summary(offering.capacity, counts["confirmed"], counts["waitlisted"]))
    return payload


def _load_offering(offering_id: str) -> Offering:
    offering = Offering.current(id=offering_id).first()
    if offering is None:
        raise not_found("offering", offering_id)
    return offering


def _validate_eligibility(eligibility: dict | None) -> None:
    if not eligibility or not eligibility.get("institutions"):
        return
    wanted = set(eligibility["institutions"])
    known = {i.id for i in Institution.current(id__in=sorted(wanted)).only("id")}
    if wanted - known:
        raise ApiError(422, "Eligibility names unknown institutions.", errors={
            "eligibility": {"institutions": [f"Unknown: {', '.join(sorted(wanted - known))}."]}})


def _validate_schedule(offering_fields: dict) -> None:
    errors = check_schedule(offering_fields["starts_on"], offering_fields["ends_on"],
                            offering_fields["enrollment_opens_at"],
                            offering_fields["enrollment_closes_at"])
    if errors:
        raise ApiError(422, "The offering's dates are not consistent.", errors=errors)


@blp.route("/courses/<course_id>/offerings")
class CourseOfferings(MethodView):
    @blp.arguments(OfferingQuery, location="query")
    @blp.response(200, page_schema(OfferingOut, "OfferingPage"))
    def get(self, args, course_id):
        """The offerings of a course."""
        course = load_course(course_id)
        query = {"course_id": course.id, **({"status": args["status"]} if "status" in args else {})}
        items, total = paginate(Offering.current(**query).order_by("starts_on", "id"),
                                args["page"], args["per_page"])
        counts = seat_counts([o.id for o in items])
        return page_response([dump_offering(o, counts[o.id]) for o in items], args, total)

    @blp.arguments(OfferingIn)
    @blp.response(201, OfferingOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @idempotent
    def post(self, data, course_id):
        """Open an offering of a published course (course admins)."""
        course = load_course(course_id, for_reading=False)
        require_course_admin(course)
        if course.status != "published":
            raise ApiError(409, f"Offerings can only be opened for published courses; "
                                f"this one is {course.status}.", code="invalid_state")
        _validate_schedule(data)
        _validate_eligibility(data["eligibility"])
        now = utcnow()
        offering = Offering(id=new_id("off"), course_id=course.id, status="open", version=1,
                            provider_institution_id=course.provider_institution_id,
                            created_at=now, updated_at=now, **data)
        insert_with_events(offering, offering_event("opened", offering, course))
        return answer(dump_offering(offering), offering, 201, f"/api/v1/offerings/{offering.id}")


@blp.route("/offerings/<offering_id>")
class OfferingById(MethodView):
    @blp.response(200, OfferingOut)
    def get(self, offering_id):
        """One offering with `seats_taken`, `seats_available` and `waitlist_length`."""
        offering = _load_offering(offering_id)
        return answer(dump_offering(offering), offering)

    @blp.arguments(OfferingPatch)
    @blp.response(200, OfferingOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def patch(self, data, offering_id):
        """Change capacity, window or eligibility; capacity below confirmed seats is 409."""
        offering = _load_offering(offering_id)
        course = load_course(offering.course_id, for_reading=False)
        require_course_admin(course)
        check_if_match(etag_of(offering))
        if offering.status == "cancelled":
            raise ApiError(409, "A cancelled offering cannot be changed.", code="invalid_state")
        merged = {f: data.get(f, getattr(offering, f)) for f in
                  ("starts_on", "ends_on", "enrollment_opens_at", "enrollment_closes_at")}
        _validate_schedule(merged)
        if "eligibility" in data:
            _validate_eligibility(data["eligibility"])
        if "capacity" in data:
            taken = seat_counts([offering.id])[offering.id]["confirmed"]
            conflict = capacity_conflict(data["capacity"], taken)
            if conflict:
                raise ApiError(409, conflict, code="capacity_below_confirmed")
        update_with_events(offering, data, lambda doc: [offering_event("updated", doc, course)])
        return answer(dump_offering(offering), offering)


@blp.route("/offerings/<offering_id>/cancel", methods=["POST"])
@blp.response(200, OfferingOut)
@blp.doc(security=[{"bearerAuth": []}])
def cancel(offering_id):
    """Cancel an offering; its enrollments and sessions follow through events."""
    offering = _load_offering(offering_id)
    course = Course.current(id=offering.course_id).first()
    require_course_admin(course)
    check_if_match(etag_of(offering))
    if offering.status == "cancelled":
        raise ApiError(409, "The offering is already cancelled.", code="invalid_state")
    update_with_events(offering, {"status": "cancelled", "cancelled_at": utcnow()},
                       lambda doc: [offering_event("cancelled", doc, course)])
    return answer(dump_offering(offering), offering)
