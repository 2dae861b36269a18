"""Ending enrollments: a student withdraws, or the offering's cancellation cancels them."""

from __future__ import annotations

import logging
import time

from ..domain.refusals import CONFLICT, NOT_FOUND, Refusal
from ..events.payloads import enrollment_event
from ..ledger import students, transitions
from ..ledger.transitions import Contended
from ..models import ACTIVE_STATUSES, Enrollment
from .promote import promote_waiters
from .reconcile import release_claims

log = logging.getLogger(__name__)

# A competing transition (usually a promotion) takes milliseconds; wait a little, not forever.
ATTEMPTS = 8
BACKOFF_SECONDS = 0.05


def end_enrollment(enrollment_id: str, status: str, reason: str | None = None) -> Enrollment:
    """Move an active enrollment to `withdrawn` or `cancelled`, then promote the waitlist."""
    for attempt in range(ATTEMPTS):
        enrollment = Enrollment.objects(id=enrollment_id).first()
        if enrollment is None:
            raise Refusal(NOT_FOUND, "not_found", f"No enrollment with id '{enrollment_id}'.")
        if enrollment.status not in ACTIVE_STATUSES:
            raise Refusal(CONFLICT, "not_active",
                          f"The enrollment is already {enrollment.status}.")
        try:
            transitions.transition(enrollment, status, {"status": status, "reason": reason},
                                   lambda doc: enrollment_event(status, doc))
        except Contended:
            time.sleep(BACKOFF_SECONDS * (attempt + 1))
            continue
        release_claims(enrollment)
        transitions.finish(enrollment)
        promote_waiters(enrollment.offering_id)
        return enrollment
    raise Refusal(CONFLICT, "concurrent_update",
                  "The enrollment is changing right now; try again in a moment.",
                  headers={"Retry-After": "1"})


def cancel_offering_enrollments(offering_id: str) -> int:
    """Cancel every active enrollment of a cancelled offering; returns how many were cancelled."""
    cancelled = 0
    # Every active enrollment holds its student's place in the offering's small ledger.
    for enrollment_id in sorted({row["enrollment_id"] for row in students.active(offering_id)}):
        try:
            end_enrollment(enrollment_id, "cancelled", reason="offering_cancelled")
            cancelled += 1
        except Refusal as refusal:
            if refusal.code == "concurrent_update":
                raise  # let the consumer retry the whole (idempotent) cancellation
            log.info("nothing to cancel for %s: %s", enrollment_id, refusal.detail)
    return cancelled
