"""/api/v1/courses: the shared catalog, its search, and the draft → published → archived flow."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from meridian_common.events.envelope import utcnow
from meridian_common.ids import new_id
from meridian_common.persistence.idempotency import idempotent
from meridian_common.persistence.outbox import insert_with_events, update_with_events
from meridian_common.persistence.paging import paginate
from meridian_common.web.auth import current_principal
from meridian_common.web.errors import ApiError
from meridian_common.web.http import check_if_match, page_response

from ..domain.permissions import can_manage_course
from ..domain.search import course_terms, query_terms
from ..domain.workflow import TransitionRefused, is_publicly_visible, next_status
from ..events.payloads import course_event
from ..models import Course, FacultyEntry, Institution, Offering
from ..schemas import CourseDetailOut, CourseIn, CourseOut, CoursePatch, CourseQuery, page_schema
from ..store import seat_counts
from .common import answer, etag_of, forbidden, not_found

blp = Blueprint("courses", __name__, url_prefix="/api/v1/courses",
                description="Courses shared across an alliance's catalog.")
_out, _detail = CourseOut(), CourseDetailOut()
_SEARCHABLE = ("code", "title", "summary", "tags")


def load_course(course_id: str, *, for_reading: bool = True) -> Course:
    """The course, hidden (404) from callers who may not see it in its current state."""
    course = Course.current(id=course_id).first()
    if course is None:
        raise not_found("course", course_id)
    if for_reading and not is_publicly_visible(course.status):
        if not can_manage_course(current_principal(optional=True),
                                 course.provider_institution_id):
            raise not_found("course", course_id)
    return course


def require_course_admin(course: Course) -> None:
    """403 unless the caller administers the course's provider."""
    if not can_manage_course(current_principal(), course.provider_institution_id):
        raise forbidden("Only admins of the providing institution manage this course.")


def _faculty(members: list[dict]) -> list[FacultyEntry]:
    return [FacultyEntry(**member) for member in members]


def _visibility_filter(args: dict) -> dict:
    status = args.get("status", "published")
    if status == "published":
        return {"status": "published"}
    caller = current_principal(optional=True)
    if caller is not None and caller.is_admin:
        return {"status": status}
    if caller is not None and caller.has_role("institution_admin") and caller.institution_id:
        return {"status": status, "provider_institution_id": caller.institution_id}
    raise forbidden("Only course admins may list courses that are not published.")


def _search_filter(args: dict) -> dict:
    query = _visibility_filter(args)
    if args.get("q"):
        terms = query_terms(args["q"])
        if terms:
            query["search_terms__all"] = terms
    for arg, field in (("language", "languages"), ("discipline", "discipline"),
                       ("level", "level")):
        if arg in args:
            query[field] = args[arg]
    providers = None
    if "provider" in args:
        providers = {args["provider"]}
    if "alliance" in args:
        members = {i.id for i in Institution.current(alliances=args["alliance"]).only("id")}
        providers = members if providers is None else providers & members
    if providers is not None:
        if "provider_institution_id" in query:
            providers &= {query.pop("provider_institution_id")}
        query["provider_institution_id__in"] = sorted(providers)
    return query


@blp.route("")
class Courses(MethodView):
    @blp.arguments(CourseQuery, location="query")
    @blp.response(200, page_schema(CourseOut, "CoursePage"))
    def get(self, args):
        """Search the catalog by words, language, discipline, provider, alliance and level."""
        queryset = Course.current(**_search_filter(args)).order_by("title", "id")
        items, total = paginate(queryset, args["page"], args["per_page"])
        return page_response(_out.dump(items, many=True), args, total)

    @blp.arguments(CourseIn)
    @blp.response(201, CourseOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @idempotent
    def post(self, data):
        """Create a draft course (admins of the providing institution)."""
        provider = data["provider_institution_id"]
        if not can_manage_course(current_principal(), provider):
            raise forbidden("Only admins of the providing institution create its courses.")
        if Institution.current(id=provider).first() is None:
            raise ApiError(422, "The providing institution does not exist.",
                           errors={"provider_institution_id": ["Unknown institution."]})
        now = utcnow()
        course = Course(id=new_id("crs"), status="draft", version=1, created_at=now,
                        updated_at=now, faculty=_faculty(data.pop("faculty")), **data)
        course.search_terms = course_terms(course.code, course.title, course.summary, course.tags)
        insert_with_events(course)
        return answer(_out.dump(course), course, 201, f"/api/v1/courses/{course.id}")


@blp.route("/<course_id>")
class CourseById(MethodView):
    @blp.response(200, CourseDetailOut)
    def get(self, course_id):
        """One course with a summary of its offerings."""
        course = load_course(course_id)
        offerings = list(Offering.current(course_id=course.id).order_by("starts_on", "id"))
        counts = seat_counts([o.id for o in offerings])
        payload = _out.dump(course)
        payload["offerings"] = [
            {"id": o.id, "term": o.term, "starts_on": o.starts_on.isoformat(),
             "ends_on": o.ends_on.isoformat(), "status": o.status, "selection": o.selection,
             "seats_available": max(o.capacity - counts[o.id]["confirmed"], 0)}
            for o in offerings]
        return answer(payload, course)

    @blp.arguments(CoursePatch)
    @blp.response(200, CourseOut)
    @blp.doc(security=[{"bearerAuth": []}])
    def patch(self, data, course_id):
        """Edit a course; `If-Match` honoured. Published courses announce the change."""
        course = load_course(course_id, for_reading=False)
        require_course_admin(course)
        check_if_match(etag_of(course))
        if course.status == "archived":
            raise ApiError(409, "Archived courses cannot be edited.", code="invalid_state")
        if "faculty" in data:
            data["faculty"] = _faculty(data["faculty"])
        merged = {f: data.get(f, getattr(course, f)) for f in _SEARCHABLE}
        data["search_terms"] = course_terms(merged["code"], merged["title"], merged["summary"],
                                            merged["tags"])
        builder = (lambda doc: [course_event("updated", doc)]) \
            if course.status == "published" else None
        update_with_events(course, data, builder)
        return answer(_out.dump(course), course)


def _transition(course_id: str, action: str, timestamp_field: str, event_kind: str):
    course = load_course(course_id, for_reading=False)
    require_course_admin(course)
    check_if_match(etag_of(course))
    try:
        status = next_status(action, course.status)
    except TransitionRefused as exc:
        raise ApiError(409, str(exc), code="invalid_state") from exc
    update_with_events(course, {"status": status, timestamp_field: utcnow()},
                       lambda doc: [course_event(event_kind, doc)])
    return answer(_out.dump(course), course)


@blp.route("/<course_id>/publish", methods=["POST"])
@blp.response(200, CourseOut)
@blp.doc(security=[{"bearerAuth": []}])
def publish(course_id):
    """Publish a draft course: it becomes visible to everyone (409 from any other state)."""
    return _transition(course_id, "publish", "published_at", "published")


@blp.route("/<course_id>/archive", methods=["POST"])
@blp.response(200, CourseOut)
@blp.doc(security=[{"bearerAuth": []}])
def archive(course_id):
    """Archive a published course (409 from any other state)."""
    return _transition(course_id, "archive", "archived_at", "archived")
