"""Catalog facts (offerings, institutions, courses) kept as read models, and their consequences.

A read model only moves to a newer aggregate version, and the consequences (seat relocation,
promotion, cancellation) are recomputed from the stored state, so a redelivered or retried
event changes nothing twice.
"""

from __future__ import annotations

from ..domain.eligibility import InstitutionFacts
from ..domain.offering import OfferingView
from .ports import Ports
from .promote import promote_waiters
from .settle import cancel_offering_enrollments


def offering_announced(ports: Ports, view: OfferingView) -> None:
    """Store the offering's newest state, then bring enrollments in line with it."""
    ports.offerings.store_newer(view)
    offering = ports.offerings.get(view.id)
    if offering is None:
        return
    if offering.status == "cancelled":
        cancel_offering_enrollments(ports, offering.id)
        return
    ports.seats.relocate_above(offering)
    promote_waiters(ports, offering.id, offering)


def institution_announced(ports: Ports, institution_id: str, version: int,
                          facts: InstitutionFacts) -> None:
    """Keep an institution's country and alliances for eligibility checks."""
    ports.institutions.store_newer(institution_id, version, facts)


def course_announced(ports: Ports, course_id: str, version: int, provider: str,
                     faculty: list[dict], status: str | None = None) -> None:
    """Keep a course's faculty, who count as staff of all its offerings, and its status (an
    archived course's offerings take no enrollments)."""
    ports.courses.store_newer(course_id, version, provider, faculty, status)
