"""Event records the catalog stores with its state changes (contracts in meridian_common)."""

from __future__ import annotations

from meridian_common.events.envelope import new_event

from ..models import Course, Institution, Offering

SOURCE = "/meridian/catalog"


def institution_event(kind: str, institution: Institution) -> dict:
    """`lms.catalog.institution.<kind>.v1` for the institution's new state."""
    return new_event(f"lms.catalog.institution.{kind}.v1", source=SOURCE, key=institution.id,
                     data={"institution_id": institution.id, "name": institution.name,
                           "country": institution.country, "timezone": institution.timezone,
                           "alliances": list(institution.alliances),
                           "version": institution.version})


def _faculty(course: Course) -> list[dict]:
    return [{"user_id": m.user_id, "role": m.role} for m in course.faculty]


def course_event(kind: str, course: Course) -> dict:
    """`lms.catalog.course.<kind>.v1` for the course's new state."""
    return new_event(f"lms.catalog.course.{kind}.v1", source=SOURCE, key=course.id,
                     data={"course_id": course.id, "code": course.code, "title": course.title,
                           "provider_institution_id": course.provider_institution_id,
                           "status": course.status, "languages": list(course.languages),
                           "discipline": course.discipline, "level": course.level,
                           "faculty": _faculty(course), "version": course.version})


def offering_event(kind: str, offering: Offering, course: Course) -> dict:
    """`lms.catalog.offering.<kind>.v1` for the offering's new state, keyed by offering id."""
    return new_event(f"lms.catalog.offering.{kind}.v1", source=SOURCE, key=offering.id,
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
