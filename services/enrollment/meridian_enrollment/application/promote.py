"""Promotion: free seats go to the head of the waitlist, in order, exactly once each.

Several processes may promote at once (a withdrawal in the API, a capacity raise in the
worker). Each promotion holds the waiting enrollment's version first, then reserves a seat,
and only then changes the enrollment, so no enrollment is promoted twice and no seat is
double-booked. A process that finds the head busy stops: the holder finishes the work, and
re-checks for free seats after it lets go, so no seat stays free while someone waits.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import Enum

from ..domain import lifecycle
from ..domain.lifecycle import Enrollment
from ..domain.offering import OfferingView
from .admission import quotas_of
from .ports import Ports

log = logging.getLogger(__name__)

IN_FLIGHT = timedelta(seconds=60)
HEADS_PER_ROUND = 50
MAX_ROUNDS = 100_000


class Outcome(Enum):
    PROMOTED = "promoted"
    NO_SEAT = "no_seat"
    QUOTA_FULL = "quota_full"
    BUSY = "busy"


def promote_waiters(ports: Ports, offering_id: str,
                    offering: OfferingView | None = None) -> list[str]:
    """Promote waiting enrollments while seats are free; returns the promoted ids in order."""
    offering = offering or ports.offerings.get(offering_id)
    if offering is None or offering.status != "open":
        return []
    quotas = quotas_of(ports, offering)
    promoted: list[str] = []
    for _ in range(MAX_ROUNDS):
        if not ports.seats.any_free(offering):
            break
        outcome, enrollment_id = _promote_next(ports, offering, quotas)
        if outcome is Outcome.PROMOTED:
            promoted.append(enrollment_id)
        elif outcome is not Outcome.NO_SEAT:
            break
    return promoted


def _promote_next(ports: Ports, offering: OfferingView,
                  quotas: dict[str, int]) -> tuple[Outcome, str | None]:
    for head in ports.waitlist.head(offering.id, HEADS_PER_ROUND):
        enrollment = ports.enrollments.get(head.enrollment_id)
        if enrollment is None:
            if head.created_at > ports.clock.now() - IN_FLIGHT:
                # Its enroller has not committed yet; it promotes the line itself afterwards.
                return Outcome.BUSY, None
            continue
        if enrollment.status != lifecycle.WAITLISTED:
            continue
        outcome = promote_one(ports, offering, enrollment, quotas)
        if outcome is Outcome.QUOTA_FULL:
            continue  # passed over for its institution's quota: it keeps its place in line
        return outcome, enrollment.id
    return Outcome.BUSY, None


def promote_one(ports: Ports, offering: OfferingView, enrollment: Enrollment,
                quotas: dict[str, int]) -> Outcome:
    """Give one waiting enrollment a seat (and its institution's quota place, if any)."""
    if not ports.enrollments.hold(enrollment, "promote"):
        return Outcome.BUSY
    seat = ports.seats.reserve(offering, enrollment.id)
    if seat is None:
        ports.enrollments.let_go(enrollment.id, enrollment.version)
        return Outcome.NO_SEAT
    institution, place = enrollment.institution_id, None
    if institution in quotas:
        place = ports.seats.reserve_quota(offering.id, institution, quotas[institution],
                                          enrollment.id)
        if place is None:
            ports.seats.release(seat)
            ports.enrollments.let_go(enrollment.id, enrollment.version)
            return Outcome.QUOTA_FULL
    promoted, events = lifecycle.move(enrollment, "promote", ports.clock.now())
    if ports.enrollments.update(enrollment, promoted, events) is None:
        # Our read was stale: undo exactly our own claims, never the enrollment's others.
        ports.seats.release(seat)
        if place is not None:
            ports.seats.release_quota(place)
        return Outcome.BUSY
    ports.waitlist.remove(offering.id, enrollment.ticket, enrollment.id)
    ports.enrollments.let_go(enrollment.id, enrollment.version)
    log.info("promoted %s in %s", enrollment.id, offering.id)
    return Outcome.PROMOTED
