"""/api/v1/courses: the shared catalog, its search, and the draft → published → archived flow."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from meridian_common.persistence.idempotency import idempotent
from meridian_common.web.http import page_response

from ..application import courses as cases
from .common import answer, caller, if_match, ports, reader, refusals
from .schemas import CourseDetailOut, CourseIn, CourseOut, CoursePatch, CourseQuery, page_schema

blp = Blueprint("courses", __name__, url_prefix="/api/v1/courses",
                description="Courses shared across an alliance's catalog.")
_out = CourseOut()


@blp.route("")
class Courses(MethodView):
    @blp.arguments(CourseQuery, location="query")
    @blp.response(200, page_schema(CourseOut, "CoursePage"))
    @refusals
    def get(self, args):
        """Search the catalog by words, language, discipline, provider, alliance and level."""
        items, total = cases.search_courses(ports(), reader, args)
        return page_response(_out.dump(items, many=True), args, total)

    @blp.arguments(CourseIn)
    @blp.response(201, CourseOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @idempotent
    @refusals
    def post(self, data):
        """Create a draft course (admins of the providing institution)."""
        course = cases.create_course(ports(), caller, data)
        return answer(_out.dump(course), course, 201, f"/api/v1/courses/{course.id}")


@blp.route("/<course_id>")
class CourseById(MethodView):
    @blp.response(200, CourseDetailOut)
    @refusals
    def get(self, course_id):
        """One course with a summary of its offerings."""
        course, offerings, figures = cases.course_with_offerings(ports(), reader, course_id)
        payload = _out.dump(course)
        payload["offerings"] = [
            {"id": o.id, "term": o.term, "starts_on": o.starts_on.isoformat(),
             "ends_on": o.ends_on.isoformat(), "status": o.status, "selection": o.selection,
             "seats_available": figures[o.id]["seats_available"]}
            for o in offerings]
        return answer(payload, course)

    @blp.arguments(CoursePatch)
    @blp.response(200, CourseOut)
    @blp.doc(security=[{"bearerAuth": []}])
    @refusals
    def patch(self, data, course_id):
        """Edit a course; `If-Match` honoured. Published courses announce the change."""
        course = cases.patch_course(ports(), caller, course_id, data, if_match)
        return answer(_out.dump(course), course)


@blp.route("/<course_id>/publish", methods=["POST"])
@blp.response(200, CourseOut)
@blp.doc(security=[{"bearerAuth": []}])
@refusals
def publish(course_id):
    """Publish a draft course: it becomes visible to everyone (409 from any other state)."""
    course = cases.move_course(ports(), caller, course_id, "publish", if_match)
    return answer(_out.dump(course), course)


@blp.route("/<course_id>/archive", methods=["POST"])
@blp.response(200, CourseOut)
@blp.doc(security=[{"bearerAuth": []}])
@refusals
def archive(course_id):
    """Archive a published course (409 from any other state)."""
    course = cases.move_course(ports(), caller, course_id, "archive", if_match)
    return answer(_out.dump(course), course)
