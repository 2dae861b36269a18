"""The repair sweep: finishes or undoes what a crash left half done, then promotes.

- A creation that died before its commit left claims without an enrollment: released.
- A change of an existing enrollment holds a transition claim until all its consequences are
  done; one older than ORPHAN_AGE was interrupted: the enrollment's claims are brought in line
  with its status (whether or not the change itself landed).
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from meridian_common.events.envelope import utcnow

from ..ledger import transitions
from ..ledger.transitions import Contended
from ..models import Enrollment, EnrollmentOfferingView, EnrollmentTransition, LotteryDraw
from .draw import apply_draw
from .orphans import release_orphans
from .promote import promote_waiters
from .reconcile import reconcile, release_uncommitted
from .settle import cancel_offering_enrollments

log = logging.getLogger(__name__)

ORPHAN_AGE = timedelta(seconds=60)
WINDOW = timedelta(minutes=15)
INTERVAL_SECONDS = 15.0
# Looking for claims without an enrollment reads every claim (FerretDB scans), and such
# orphans only follow a crash: every fifth minute is soon enough.
ORPHAN_SCAN_EVERY = 20


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
    """Finish or undo one interrupted change; returns the offering it touched, if any."""
    if intent["action"] == "apply-draw":
        return None  # draw locks expire on their own; unfinished draws are resumed below
    try:
        _repair_enrollment(intent)
    except Contended:
        return None
    EnrollmentTransition._get_collection().delete_one(
        {"_id": intent["_id"], "created_at": intent["created_at"]})
    return intent["offering_id"]


def sweep(orphans: str = "recent") -> set[str]:
    """One repair pass; `orphans` is "all", "recent" or "skip"; returns offerings touched."""
    now = utcnow()
    stale = list(EnrollmentTransition._get_collection().find(
        {"created_at": {"$lt": now - ORPHAN_AGE}}))
    touched = {offering for offering in map(repair_intent, stale) if offering}
    if orphans != "skip":
        created = {"$lt": now - ORPHAN_AGE,
                   **({} if orphans == "all" else {"$gte": now - WINDOW})}
        touched |= release_orphans(created)
    for offering in EnrollmentOfferingView.objects(
            __raw__={"status": "cancelled", "updated_at": {"$gte": now - WINDOW}}):
        cancel_offering_enrollments(offering.id)
    for draw in LotteryDraw.objects(applied_at=None):
        apply_draw(draw)
    for offering_id in sorted(touched):
        promote_waiters(offering_id)
    return touched


def run_repairs(stop: threading.Event) -> None:
    """Worker task: a full repair pass now, then a lighter one every INTERVAL_SECONDS."""
    passes = 0
    while not stop.is_set():
        orphans = "all" if passes == 0 else (
            "recent" if passes % ORPHAN_SCAN_EVERY == 0 else "skip")
        try:
            touched = sweep(orphans)
            passes += 1
            if touched:
                log.info("repair sweep touched %d offerings", len(touched))
        except Exception:  # an outage must not end the worker; the next round retries
            log.warning("repair sweep failed; will retry", exc_info=True)
        stop.wait(INTERVAL_SECONDS)
