"""The repair sweep: finishes or undoes operations a crash left half done.

Every operation on an enrollment records an intent (its transition claim) before its first
claim and deletes it when complete, so the intents older than ORPHAN_AGE are exactly the
interrupted ones: a creation that never committed gives its claims back, a change that did
commit gets its claims released as its new status says, and the waitlists are promoted.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from meridian_common import idempotency
from meridian_common.events.envelope import utcnow

from ..ledger import transitions
from ..ledger.transitions import Contended
from ..models import Enrollment, EnrollmentOfferingView, EnrollmentTransition, LotteryDraw
from .draw import apply_draw, draw_lock_is_stale
from .promote import promote_waiters
from .reconcile import reconcile, release_uncommitted
from .settle import cancel_offering_enrollments

log = logging.getLogger(__name__)

ORPHAN_AGE = timedelta(seconds=60)
CANCELLED_RECHECK = timedelta(minutes=15)
INTERVAL_SECONDS = 20.0


def _repair_enrollment(intent: dict) -> None:
    enrollment = Enrollment.objects(id=intent["enrollment_id"]).first()
    if enrollment is None:
        release_uncommitted(intent["offering_id"], intent["enrollment_id"],
                            intent.get("student_id"))
        return
    if enrollment.version == intent["from_version"]:
        # The change never landed and this stale intent still blocks the enrollment.
        reconcile(enrollment)
        return
    # Raises Contended when someone is changing it right now; the next sweep looks again.
    transitions.begin(enrollment, "repair")
    try:
        reconcile(enrollment)
    finally:
        transitions.abandon(enrollment.id, enrollment.version)


def repair_intent(intent: dict) -> str | None:
    """Finish or undo one interrupted operation; returns the offering it touched, if any."""
    collection = EnrollmentTransition._get_collection()
    if intent["action"] == "apply-draw":
        draw = LotteryDraw.objects(id=intent["offering_id"]).first()
        if not draw_lock_is_stale(intent["created_at"]):
            return None
        if draw is None:
            collection.delete_one({"_id": intent["_id"], "created_at": intent["created_at"]})
        else:
            apply_draw(draw)
        return intent["offering_id"]
    try:
        _repair_enrollment(intent)
    except Contended:
        return None
    collection.delete_one({"_id": intent["_id"], "created_at": intent["created_at"]})
    return intent["offering_id"]


def sweep() -> set[str]:
    """One repair pass; returns the offerings it touched."""
    now = utcnow()
    stale = list(EnrollmentTransition._get_collection().find(
        {"created_at": {"$lt": now - ORPHAN_AGE}}))
    touched = {offering for offering in map(repair_intent, stale) if offering}
    for offering in EnrollmentOfferingView.objects(
            __raw__={"status": "cancelled", "updated_at": {"$gte": now - CANCELLED_RECHECK}}):
        cancel_offering_enrollments(offering.id)
    for offering_id in sorted(touched):
        promote_waiters(offering_id)
    idempotency.purge_expired()
    return touched


def run_repairs(stop: threading.Event) -> None:
    """Worker task: a repair pass now and every INTERVAL_SECONDS until `stop` is set."""
    while not stop.is_set():
        try:
            touched = sweep()
            if touched:
                log.info("repair sweep touched %d offerings", len(touched))
        except Exception:  # an outage must not end the worker; the next round retries
            log.warning("repair sweep failed; will retry", exc_info=True)
        stop.wait(INTERVAL_SECONDS)
