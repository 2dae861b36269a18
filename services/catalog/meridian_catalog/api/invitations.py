"""Invitations to a course's faculty: the invitee lists, accepts or declines them."""

from __future__ import annotations

from flask import jsonify
from flask_smorest import Blueprint

from meridian_common.web.http import PageArgs, page_response

from ..application import invitations as cases
from ..domain.courses import Course
from ..domain.faculty import FacultyMember
from .common import caller, ports, refusals
from .schemas import InvitationOut, page_schema

blp = Blueprint("invitations", __name__, url_prefix="/api/v1",
                description="Invitations to teach a course (an addition to API.md): nobody "
                            "teaches, or is booked for live sessions, without accepting.")


def _view(course: Course, member: FacultyMember, invitation_id: str, status: str) -> dict:
    return {"id": invitation_id, "course_id": course.id, "course_code": course.code,
            "course_title": course.title,
            "provider_institution_id": course.provider_institution_id,
            "role": member.role, "status": status}


@blp.route("/me/faculty-invitations", methods=["GET"])
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_schema(InvitationOut, "InvitationPage"))
@blp.doc(security=[{"bearerAuth": []}])
@refusals
def my_invitations(args):
    """The caller's open invitations to teach, by course title."""
    found = [_view(c, m, m.invitation_id, "invited") for c, m in cases.mine(ports(), caller)]
    first = (args["page"] - 1) * args["per_page"]
    return page_response(found[first:first + args["per_page"]], args, len(found))


def _answered(course: Course, invitation_id: str, status: str):
    user_id = caller().user_id
    member = next((m for m in course.faculty if m.user_id == user_id), None)
    role = member.role if member else ""
    return jsonify(_view(course, FacultyMember(user_id, role), invitation_id, status))


@blp.route("/faculty-invitations/<invitation_id>/accept", methods=["POST"])
@blp.response(200, InvitationOut)
@blp.doc(security=[{"bearerAuth": []}])
@refusals
def accept(invitation_id):
    """Accept: the caller joins the course's faculty (the invitee only; others get 403)."""
    return _answered(cases.accept(ports(), caller, invitation_id), invitation_id, "accepted")


@blp.route("/faculty-invitations/<invitation_id>/decline", methods=["POST"])
@blp.response(200, InvitationOut)
@blp.doc(security=[{"bearerAuth": []}])
@refusals
def decline(invitation_id):
    """Decline: the caller leaves the course's team (the invitee only)."""
    return _answered(cases.decline(ports(), caller, invitation_id), invitation_id, "declined")
