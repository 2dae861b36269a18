"""The repair sweep: makes claims agree with enrollments after a crash in between writes.

A process can die between its claim inserts and the enrollment write that commits them, or
between a state change and the release of its claims. Every claim older than ORPHAN_AGE
whose enrollment does not back it is released, then the waitlists concerned are promoted.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from meridian_common import idempotency
from meridian_common.events.envelope import utcnow

from ..ledger import waitlist
from ..models import (
    ACTIVE_STATUSES,
    ActiveClaim,
    Enrollment,
    EnrollmentOfferingView,
    EnrollmentTransition,
    LotteryDraw,
    SeatSlot,
    WaitlistTicket,
)
from .draw import apply_draw
from .promote import promote_waiters
from .settle import cancel_offering_enrollments, release_claims

log = logging.getLogger(__name__)

ORPHAN_AGE = timedelta(seconds=60)
WINDOW = timedelta(minutes=15)
INTERVAL_SECONDS = 20.0
BATCH = 500

# Which enrollment statuses keep each kind of claim alive.
BACKED_BY = ((ActiveClaim, set(ACTIVE_STATUSES)), (SeatSlot, {"confirmed"}),
             (WaitlistTicket, {"waitlisted"}))


def _between(lower: datetime | None, upper: datetime) -> dict:
    return {"$lt": upper, **({"$gte": lower} if lower is not None else {})}


def _statuses(enrollment_ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(enrollment_ids), BATCH):
        chunk = enrollment_ids[start:start + BATCH]
        for row in Enrollment._get_collection().find({"_id": {"$in": chunk}}, {"status": 1}):
            found[row["_id"]] = row["status"]
    return found


def _release_unbacked(document_class, backing: set[str], created: dict) -> set[str]:
    collection = document_class._get_collection()
    rows = list(collection.find({"created_at": created},
                                {"enrollment_id": 1, "offering_id": 1}))
    statuses = _statuses(sorted({row["enrollment_id"] for row in rows}))
    touched = set()
    for row in rows:
        if statuses.get(row["enrollment_id"]) not in backing:
            collection.delete_one({"_id": row["_id"], "enrollment_id": row["enrollment_id"]})
            touched.add(row["offering_id"])
    return touched


def _settle_recent(updated: dict) -> set[str]:
    touched = set()
    for enrollment in Enrollment.objects(__raw__={"updated_at": updated}).only(
            "id", "offering_id", "student_id", "status"):
        if enrollment.status not in ACTIVE_STATUSES:
            release_claims(enrollment)
        elif enrollment.status == "confirmed":
            waitlist.leave(enrollment.id)
        touched.add(enrollment.offering_id)
    return touched


def sweep(full: bool = False) -> set[str]:
    """One repair pass (over everything when `full`); returns the offerings it touched."""
    now = utcnow()
    window = _between(None if full else now - WINDOW, now - ORPHAN_AGE)
    touched: set[str] = set()
    for document_class, backing in BACKED_BY:
        touched |= _release_unbacked(document_class, backing, window)
    # A transition claim older than ORPHAN_AGE has either happened or never will.
    EnrollmentTransition._get_collection().delete_many(
        {"created_at": {"$lt": now - ORPHAN_AGE}, "action": {"$ne": "apply-draw"}})
    touched |= _settle_recent(window)
    for offering in EnrollmentOfferingView.objects(
            __raw__={"status": "cancelled", "updated_at": window}):
        cancel_offering_enrollments(offering.id)
    for draw in LotteryDraw.objects(__raw__={"created_at": window}):
        if Enrollment.objects(offering_id=draw.id, status="applied").count():
            apply_draw(draw)
    for offering_id in sorted(touched):
        promote_waiters(offering_id)
    idempotency.purge_expired()
    return touched


def run_repairs(stop: threading.Event) -> None:
    """Worker task: a full sweep at start, then a windowed one every INTERVAL_SECONDS."""
    full = True
    while not stop.is_set():
        try:
            touched = sweep(full=full)
            full = False
            if touched:
                log.info("repair sweep touched %d offerings", len(touched))
        except Exception:  # an outage must not end the worker; the next round retries
            log.warning("repair sweep failed; will retry", exc_info=True)
        stop.wait(INTERVAL_SECONDS)
