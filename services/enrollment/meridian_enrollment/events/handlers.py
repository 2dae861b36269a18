"""Catalog events keep the enrollment read models current and drive their consequences.

Handlers are idempotent: a read model only moves to a newer aggregate version, and the
consequences (promotion, seat relocation, cancellation) are recomputed from the stored state,
so a redelivered or retried event changes nothing twice.
"""

from __future__ import annotations

from meridian_common.events.envelope import ReceivedEvent, utcnow
from meridian_common.messaging.consumer import Handler

from ..actions.promote import promote_waiters
from ..actions.readmodels import load_offering, store_if_newer
from ..actions.settle import cancel_offering_enrollments
from ..ledger import seats
from ..models import EnrollmentCourseView, EnrollmentInstitutionView, EnrollmentOfferingView

OFFERING_FIELDS = ("course_id", "provider_institution_id", "capacity", "enrollment_opens_at",
                   "enrollment_closes_at", "eligibility", "selection", "waitlist", "status")


def on_offering(_event: ReceivedEvent, payload: dict) -> None:
    """Store the offering's newest state, then bring enrollments in line with it."""
    fields = {name: payload[name] for name in OFFERING_FIELDS}
    fields["faculty"] = [dict(member) for member in payload["faculty"]]
    fields["updated_at"] = utcnow()
    store_if_newer(EnrollmentOfferingView, payload["offering_id"], payload["version"], fields)
    offering = load_offering(payload["offering_id"])
    if offering is None:
        return
    if offering.status == "cancelled":
        cancel_offering_enrollments(offering.id)
        return
    seats.relocate_above(offering.id, offering.capacity)
    promote_waiters(offering.id)


def on_institution(_event: ReceivedEvent, payload: dict) -> None:
    """Keep an institution's country and alliances for eligibility checks."""
    store_if_newer(EnrollmentInstitutionView, payload["institution_id"], payload["version"],
                   {"country": payload["country"], "alliances": list(payload["alliances"])})


def on_course(_event: ReceivedEvent, payload: dict) -> None:
    """Keep a course's faculty, who count as staff of all its offerings."""
    store_if_newer(EnrollmentCourseView, payload["course_id"], payload["version"],
                   {"provider_institution_id": payload["provider_institution_id"],
                    "faculty": [dict(member) for member in payload["faculty"]]})


HANDLERS: dict[str, Handler] = {
    **{f"lms.catalog.offering.{kind}.v1": on_offering
       for kind in ("opened", "updated", "cancelled")},
    **{f"lms.catalog.institution.{kind}.v1": on_institution for kind in ("created", "updated")},
    **{f"lms.catalog.course.{kind}.v1": on_course
       for kind in ("published", "updated", "archived")},
}
