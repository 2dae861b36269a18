"""Use cases of courses: create, edit, publish, archive, read and search."""

from __future__ import annotations

from meridian_common.events.envelope import utcnow
from meridian_common.ids import new_id

from ..domain import courses as rules
from ..domain.courses import Course
from ..domain.offerings import Offering
from ..domain.permissions import can_manage_course
from ..domain.refusals import Forbidden, Invalid, NotFound
from ..domain.search import course_filter
from ..domain.workflow import is_publicly_visible, transition
from ..events.payloads import course_event
from .ports import CatalogPorts, Identify, Precondition
from .seats import seat_figures


def author_of(identify: Identify) -> rules.Author:
    """The caller as the author of a course change."""
    caller = identify()
    return rules.Author(user_id=caller.user_id, is_platform_admin="admin" in caller.roles)


def visible_course(ports: CatalogPorts, identify: Identify, course_id: str) -> Course:
    """The course, hidden (NotFound) from callers who may not see it in its current state."""
    course = ports.courses.read(course_id)
    if course is None:
        raise NotFound("course", course_id)
    if not is_publicly_visible(course.status) and \
            not can_manage_course(identify(), course.provider_institution_id):
        raise NotFound("course", course_id)
    return course


def course_with_offerings(ports: CatalogPorts, identify: Identify,
                          course_id: str) -> tuple[Course, list[Offering], dict[str, dict]]:
    """A visible course, all its offerings by start date, and their seat figures."""
    course = visible_course(ports, identify, course_id)
    offerings, _total = ports.offerings.of_course(course.id, None)
    return course, offerings, seat_figures(ports, offerings)


def managed_course(ports: CatalogPorts, identify: Identify, course_id: str) -> Course:
    """The course, if it exists and the caller administers its provider."""
    course = ports.courses.get(course_id)
    if course is None:
        raise NotFound("course", course_id)
    require_course_admin(identify, course)
    return course


def require_course_admin(identify: Identify, course: Course) -> None:
    """Forbidden unless the caller administers the course's provider."""
    if not can_manage_course(identify(), course.provider_institution_id):
        raise Forbidden("Only admins of the providing institution manage this course.")


def search_courses(ports: CatalogPorts, identify: Identify,
                   args: dict) -> tuple[list[Course], int]:
    """One page of the catalog by words, language, discipline, provider, alliance and level."""
    members = ports.institutions.members_of(args["alliance"]) if "alliance" in args else None
    caller = identify() if args.get("status", "published") != "published" else None
    wanted = course_filter(args, caller, members)
    return ports.courses.search(wanted, args["page"], args["per_page"])


def create_course(ports: CatalogPorts, identify: Identify, fields: dict) -> Course:
    """Create a draft course (admins of the providing institution)."""
    provider = fields["provider_institution_id"]
    if not can_manage_course(identify(), provider):
        raise Forbidden("Only admins of the providing institution create its courses.")
    if not ports.institutions.existing({provider}):
        raise Invalid("The providing institution does not exist.",
                      {"provider_institution_id": ["Unknown institution."]})
    course = rules.new_course(new_id("crs"), utcnow(), fields, author_of(identify))
    ports.courses.add(course, [])
    return course


def patch_course(ports: CatalogPorts, identify: Identify, course_id: str, fields: dict,
                 precondition: Precondition | None = None) -> Course:
    """Edit a course; a published one announces the change."""
    course = managed_course(ports, identify, course_id)
    if precondition is not None:
        precondition(course)
    change = rules.edit(course, fields, author_of(identify))
    return ports.courses.update(course, change.fields,
                                lambda new: [course_event(t, new) for t in change.events])


def move_course(ports: CatalogPorts, identify: Identify, course_id: str, action: str,
                precondition: Precondition | None = None) -> Course:
    """Publish or archive a course (`action`), announcing the new state."""
    course = managed_course(ports, identify, course_id)
    if precondition is not None:
        precondition(course)
    change = transition(action, course.status, utcnow())
    return ports.courses.update(course, change.fields,
                                lambda new: [course_event(t, new) for t in change.events])


def repair_search_card(ports: CatalogPorts, payload: dict) -> bool:
    """A course event's version reached the catalog's own consumer: make sure the search card
    is at least that new (the event is durable where the card write after it was not)."""
    return ports.courses.refresh_card(payload["course_id"], payload["version"])
