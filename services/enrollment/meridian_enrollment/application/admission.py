"""Whether students of an institution may enroll in an offering right now."""

from __future__ import annotations

from ..domain.eligibility import eligibility_refusal, is_restricted
from ..domain.offering import OfferingView
from ..domain.refusals import CONFLICT, NOT_FOUND, UNPROCESSABLE, Refusal
from ..domain.windows import window_refusal
from .ports import Ports


def offering_or_refuse(ports: Ports, offering_id: str) -> OfferingView:
    """The offering's read model, or a not-found Refusal when the catalog never announced it."""
    offering = ports.offerings.get(offering_id)
    if offering is None:
        raise Refusal(NOT_FOUND, "not_found", f"No offering with id '{offering_id}'.")
    return offering


def check_admission(ports: Ports, offering: OfferingView, institution_id: str | None) -> None:
    """Raise the Refusal that stops any student of `institution_id` enrolling now."""
    refusal = window_refusal(offering.status, offering.enrollment_opens_at,
                             offering.enrollment_closes_at, ports.clock.now())
    if refusal is None and ports.courses.status(offering.course_id) == "archived":
        refusal = Refusal(UNPROCESSABLE, "offering_not_open",
                          "The offering's course is archived; it takes no enrollments.")
    if refusal is None and is_restricted(offering.eligibility):
        facts = ports.institutions.facts(institution_id) if institution_id else None
        refusal = eligibility_refusal(offering.eligibility, institution_id, facts)
    if refusal is None and offering.is_lottery and ports.draws.get(offering.id) is not None:
        refusal = Refusal(CONFLICT, "already_drawn", "The lottery of this offering was drawn.")
    if refusal is not None:
        raise refusal


def course_staff(ports: Ports, offering: OfferingView | None) -> list[dict]:
    """The course's faculty: the course's own newest list, else the offering's snapshot."""
    if offering is None:
        return []
    faculty = ports.courses.faculty(offering.course_id)
    return list(faculty) if faculty is not None else list(offering.faculty or [])


def quotas_of(ports: Ports, offering: OfferingView) -> dict[str, int]:
    """Institution quotas that still bind a lottery offering's places (none otherwise)."""
    if not offering.is_lottery:
        return {}
    draw = ports.draws.get(offering.id)
    return dict(draw.quotas) if draw is not None else {}
