"""Event records the catalog stores with its state changes (contracts in meridian_common).

Each builder takes a type constant of `meridian_common.events.types` and the aggregate's new
state; the domain decides which types a change causes.
"""

from __future__ import annotations

from meridian_common.events.envelope import new_event

from ..domain.courses import Course
from ..domain.faculty import active
from ..domain.institutions import Institution
from ..domain.offerings import Offering

SOURCE = "/meridian/catalog"


def institution_event(event_type: str, institution: Institution) -> dict:
    """An `lms.catalog.institution.*` record for the institution's new state."""
    return new_event(event_type, source=SOURCE, key=institution.id,
                     data={"institution_id": institution.id, "name": institution.name,
                           "country": institution.country, "timezone": institution.timezone,
                           "alliances": list(institution.alliances),
                           "version": institution.version})


def _faculty(course: Course) -> list[dict]:
    # Only members who teach: an invitation nobody accepted books no one's timetable.
    return [{"user_id": m.user_id, "role": m.role} for m in active(course.faculty)]


def course_event(event_type: str, course: Course) -> dict:
    """An `lms.catalog.course.*` record for the course's new state."""
    return new_event(event_type, source=SOURCE, key=course.id,
                     data={"course_id": course.id, "code": course.code, "title": course.title,
                           "provider_institution_id": course.provider_institution_id,
                           "status": course.status, "languages": list(course.languages),
                           "discipline": course.discipline, "level": course.level,
                           "faculty": _faculty(course), "version": course.version})


def offering_event(event_type: str, offering: Offering, course: Course) -> dict:
    """An `lms.catalog.offering.*` record for the offering's new state, keyed by offering id."""
    return new_event(event_type, source=SOURCE, key=offering.id,
                     data={"offering_id": offering.id, "course_id": offering.course_id,
                           "provider_institution_id": offering.provider_institution_id,
                           "term": offering.term, "starts_on": offering.starts_on,
                           "ends_on": offering.ends_on, "timezone": offering.timezone,
                           "capacity": offering.capacity,
                           "enrollment_opens_at": offering.enrollment_opens_at,
                           "enrollment_closes_at": offering.enrollment_closes_at,
                           "eligibility": offering.eligibility, "selection": offering.selection,
                           "waitlist": offering.waitlist, "status": offering.status,
                           "faculty": _faculty(course), "version": offering.version})
