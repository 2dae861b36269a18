"""Ending enrollments (withdrawal, the offering's cancellation) and releasing their claims."""

from __future__ import annotations

import logging
import time

from ..domain import lifecycle
from ..domain.lifecycle import Enrollment
from ..domain.refusals import CONFLICT, NOT_FOUND, Refusal
from .ports import Ports
from .promote import promote_waiters

log = logging.getLogger(__name__)

# A competing transition (usually a promotion) takes milliseconds; wait a little, not forever.
ATTEMPTS = 8
BACKOFF_SECONDS = 0.05


def end_enrollment(ports: Ports, enrollment_id: str, action: str,
                   reason: str | None = None) -> Enrollment:
    """`withdraw` or `cancel` an active enrollment, release its claims, promote the line."""
    for attempt in range(ATTEMPTS):
        enrollment = ports.enrollments.get(enrollment_id)
        if enrollment is None:
            raise Refusal(NOT_FOUND, "not_found", f"No enrollment with id '{enrollment_id}'.")
        ended, events = lifecycle.move(enrollment, action, ports.clock.now(), reason=reason)
        if ports.enrollments.hold(enrollment, action):
            ended = ports.enrollments.update(enrollment, ended, events)
            if ended is not None:
                release_claims(ports, ended)
                ports.enrollments.let_go(ended.id, enrollment.version)
                promote_waiters(ports, ended.offering_id)
                return ended
        time.sleep(BACKOFF_SECONDS * (attempt + 1))
    raise Refusal(CONFLICT, "concurrent_update",
                  "The enrollment is changing right now; try again in a moment.",
                  headers={"Retry-After": "1"})


def withdraw(ports: Ports, enrollment_id: str) -> Enrollment:
    """The student (or an admin) withdraws; the head of the waitlist is promoted at once."""
    return end_enrollment(ports, enrollment_id, "withdraw")


def cancel_offering_enrollments(ports: Ports, offering_id: str) -> int:
    """Cancel every active enrollment of a cancelled offering; returns how many were cancelled."""
    cancelled = 0
    for enrollment_id in sorted({place.enrollment_id for place in
                                 ports.places.active(offering_id)}):
        try:
            end_enrollment(ports, enrollment_id, "cancel", reason="offering_cancelled")
            cancelled += 1
        except Refusal as refusal:
            if refusal.code == "concurrent_update":
                raise  # let the consumer retry the whole (idempotent) cancellation
            log.info("nothing to cancel for %s: %s", enrollment_id, refusal.detail)
    return cancelled


def release_claims(ports: Ports, enrollment: Enrollment) -> None:
    """Give back everything an ended enrollment held: seat, quota place, ticket, its place."""
    ports.seats.release_all(enrollment.offering_id, enrollment.id)
    ports.waitlist.remove(enrollment.offering_id, enrollment.ticket, enrollment.id)
    ports.places.release(enrollment.offering_id, enrollment.student_id, enrollment.id)


def release_uncommitted(ports: Ports, offering_id: str, enrollment_id: str,
                        student_id: str | None) -> None:
    """Release what a creation that never committed had claimed."""
    ports.seats.release_all(offering_id, enrollment_id)
    for ticket in ports.waitlist.tickets_of(offering_id, enrollment_id):
        ports.waitlist.remove(offering_id, ticket, enrollment_id)
    if student_id is not None:
        ports.places.release(offering_id, student_id, enrollment_id)


def reconcile(ports: Ports, enrollment: Enrollment) -> None:
    """Release every claim the enrollment's status does not justify (idempotent; the caller
    holds the enrollment, so no promotion or draw claims places for it meanwhile)."""
    if not enrollment.active:
        release_uncommitted(ports, enrollment.offering_id, enrollment.id, enrollment.student_id)
        return
    if enrollment.status != lifecycle.CONFIRMED:
        ports.seats.release_all(enrollment.offering_id, enrollment.id)
    keep = enrollment.ticket if enrollment.status == lifecycle.WAITLISTED else None
    for ticket in ports.waitlist.tickets_of(enrollment.offering_id, enrollment.id):
        if ticket != keep:
            ports.waitlist.remove(enrollment.offering_id, ticket, enrollment.id)
