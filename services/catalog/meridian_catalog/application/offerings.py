"""Use cases of offerings: open, edit, cancel, read and list."""

from __future__ import annotations

from meridian_common.events.envelope import utcnow
from meridian_common.ids import new_id

from ..domain import offerings as rules
from ..domain.offerings import Offering
from ..domain.refusals import NotFound
from ..events.payloads import offering_event
from .courses import managed_course, require_course_admin, visible_course
from .ports import CatalogPorts, Identify, Precondition


def get_offering(ports: CatalogPorts, offering_id: str) -> Offering:
    """The offering, or NotFound."""
    offering = ports.offerings.get(offering_id)
    if offering is None:
        raise NotFound("offering", offering_id)
    return offering


def offerings_of_course(ports: CatalogPorts, identify: Identify, course_id: str,
                        args: dict) -> tuple[list[Offering], int]:
    """One page of a visible course's offerings by start date."""
    course = visible_course(ports, identify, course_id)
    return ports.offerings.of_course(course.id, args.get("status"), args["page"],
                                     args["per_page"])


def _unknown_institutions(ports: CatalogPorts, eligibility: dict | None) -> set[str]:
    wanted = rules.wanted_institutions(eligibility)
    return wanted - ports.institutions.existing(wanted) if wanted else set()


def open_offering(ports: CatalogPorts, identify: Identify, course_id: str,
                  fields: dict) -> Offering:
    """Open an offering of a published course (course admins) and announce it."""
    course = managed_course(ports, identify, course_id)
    unknown = _unknown_institutions(ports, fields.get("eligibility"))
    offering, change = rules.open_offering(new_id("off"), course.status,
                                           course.provider_institution_id, course.id, utcnow(),
                                           fields, unknown)
    ports.offerings.add(offering, [offering_event(t, offering, course) for t in change.events])
    return offering


def patch_offering(ports: CatalogPorts, identify: Identify, offering_id: str, fields: dict,
                   precondition: Precondition | None = None) -> Offering:
    """Change capacity, window or eligibility; a capacity below confirmed seats conflicts."""
    offering = get_offering(ports, offering_id)
    course = managed_course(ports, identify, offering.course_id)
    if precondition is not None:
        precondition(offering)
    unknown = _unknown_institutions(ports, fields.get("eligibility")) \
        if offering.status != "cancelled" else set()
    confirmed = ports.seats.counts([offering.id])[offering.id]["confirmed"] \
        if "capacity" in fields else None
    change = rules.edit(offering, fields, unknown, confirmed)
    return ports.offerings.update(offering, change.fields, lambda new: [
        offering_event(t, new, course) for t in change.events])


def cancel_offering(ports: CatalogPorts, identify: Identify, offering_id: str,
                    precondition: Precondition | None = None) -> Offering:
    """Cancel an offering; its enrollments and sessions follow through the event."""
    offering = get_offering(ports, offering_id)
    course = ports.courses.get(offering.course_id)
    if course is None:
        raise NotFound("course", offering.course_id)
    require_course_admin(identify, course)
    if precondition is not None:
        precondition(offering)
    change = rules.cancel(offering, utcnow())
    return ports.offerings.update(offering, change.fields, lambda new: [
        offering_event(t, new, course) for t in change.events])
