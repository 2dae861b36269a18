"""Promotion: free seats go to the head of the waitlist, in order, exactly once each.

Several processes may promote at once (a withdrawal in the API, a capacity raise in the
worker). Each promotion claims the waiting enrollment's next version first, then a seat, and
only then changes the enrollment, so no enrollment is promoted twice and no seat is
double-booked. A process that finds the head busy stops: the holder finishes the work, and
re-checks for free seats after it lets go, so no seat stays free while someone waits.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import Enum

from meridian_common.events.envelope import as_utc, utcnow

from ..events.payloads import enrollment_event
from ..ledger import seats, transitions, waitlist
from ..ledger.transitions import Contended
from ..models import Enrollment, EnrollmentOfferingView
from .readmodels import load_offering, quotas_of

log = logging.getLogger(__name__)

IN_FLIGHT = timedelta(seconds=60)
HEADS_PER_ROUND = 50
MAX_ROUNDS = 100_000


class Outcome(Enum):
    PROMOTED = "promoted"
    NO_SEAT = "no_seat"
    QUOTA_FULL = "quota_full"
    BUSY = "busy"


def promote_waiters(offering_id: str,
                    offering: EnrollmentOfferingView | None = None) -> list[str]:
    """Promote waiting enrollments while seats are free; returns the promoted ids in order."""
    offering = offering or load_offering(offering_id)
    if offering is None or offering.status != "open":
        return []
    quotas = quotas_of(offering)
    promoted: list[str] = []
    for _ in range(MAX_ROUNDS):
        if not seats.has_free(offering.id, offering.capacity):
            break
        outcome, enrollment_id = _promote_next(offering, quotas)
        if outcome is Outcome.PROMOTED:
            promoted.append(enrollment_id)
        elif outcome is not Outcome.NO_SEAT:
            break
    return promoted


def _promote_next(offering: EnrollmentOfferingView,
                  quotas: dict[str, int]) -> tuple[Outcome, str | None]:
    for head in waitlist.line(offering.id)[:HEADS_PER_ROUND]:
        enrollment = Enrollment.objects(id=head["enrollment_id"]).first()
        if enrollment is None:
            if as_utc(head["created_at"]) > utcnow() - IN_FLIGHT:
                # Its enroller has not committed yet; it promotes the line itself afterwards.
                return Outcome.BUSY, None
            continue
        if enrollment.status != "waitlisted":
            continue
        outcome = promote_one(offering, enrollment, quotas)
        if outcome is Outcome.QUOTA_FULL:
            continue
        return outcome, enrollment.id
    return Outcome.BUSY, None


def promote_one(offering: EnrollmentOfferingView, enrollment: Enrollment,
                quotas: dict[str, int]) -> Outcome:
    """Give one waiting enrollment a seat (and its institution's quota place, if any)."""
    version = enrollment.version
    try:
        transitions.begin(enrollment, "promote")
    except Contended:
        return Outcome.BUSY
    seat = seats.claim(offering.id, offering.capacity, enrollment.id)
    if seat is None:
        transitions.abandon(enrollment.id, version)
        return Outcome.NO_SEAT
    institution, place = enrollment.institution_id, None
    if institution in quotas:
        place = seats.claim_quota(offering.id, institution, quotas[institution], enrollment.id)
        if place is None:
            seats.release_number(offering.id, seat, enrollment.id)
            transitions.abandon(enrollment.id, version)
            return Outcome.QUOTA_FULL
    try:
        transitions.commit(enrollment, {"status": "confirmed"},
                           lambda doc: enrollment_event("promoted", doc))
    except Contended:
        # Our read was stale: undo exactly our own claims, never the enrollment's others.
        seats.release_number(offering.id, seat, enrollment.id)
        if place is not None:
            seats.release_quota_number(offering.id, institution, place, enrollment.id)
        return Outcome.BUSY
    waitlist.depart(offering.id, enrollment.ticket, enrollment.id)
    transitions.finish(enrollment)
    log.info("promoted %s in %s", enrollment.id, offering.id)
    return Outcome.PROMOTED
