"""Invitations to teach a course: the invitee lists, accepts or declines them."""

from __future__ import annotations

from meridian_common.conflicts import Conflict
from meridian_common.events.types import COURSE_UPDATED

from ..domain import faculty as team
from ..domain.courses import Course
from ..domain.refusals import NotFound
from ..domain.workflow import is_publicly_visible
from ..events.payloads import course_event
from .ports import CatalogPorts, Identify


def mine(ports: CatalogPorts, identify: Identify) -> list[tuple[Course, team.FacultyMember]]:
    """The caller's open invitations, each with its course."""
    user_id = identify().user_id
    return [(course, member) for course in ports.courses.invited(user_id)
            for member in course.faculty
            if member.user_id == user_id and member.status == team.INVITED]


def _answer(ports: CatalogPorts, identify: Identify, invitation_id: str, decide) -> Course:
    user_id = identify().user_id
    course = ports.courses.get(team.course_of(invitation_id))
    if course is None:
        raise NotFound("invitation", invitation_id)
    updated = decide(course.faculty, invitation_id, user_id)
    if course.status == "archived":
        raise Conflict("invalid_state", "The course is archived; its team no longer changes.")
    # A published course announces its new team, so the classroom learns who teaches it.
    events = (COURSE_UPDATED,) if is_publicly_visible(course.status) else ()
    stored = ports.courses.update(course, {"faculty": updated},
                                  lambda new: [course_event(t, new) for t in events])
    return stored


def accept(ports: CatalogPorts, identify: Identify, invitation_id: str) -> Course:
    """The invitee joins the course's faculty."""
    return _answer(ports, identify, invitation_id, team.accept)


def decline(ports: CatalogPorts, identify: Identify, invitation_id: str) -> Course:
    """The invitee declines; they leave the course's team."""
    return _answer(ports, identify, invitation_id, team.decline)
