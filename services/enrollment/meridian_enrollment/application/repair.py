"""The repair sweep: finishes or undoes what a crash left half done, then promotes.

- A creation that died before its commit left claims without an enrollment: released.
- A change of an existing enrollment holds it until all its consequences are done; a hold
  older than ORPHAN_AGE was interrupted: the enrollment's claims are brought in line with its
  status (whether or not the change itself landed).
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta

from .draw import apply_draw
from .ports import Hold, Ports
from .promote import promote_waiters
from .settle import cancel_offering_enrollments, reconcile, release_uncommitted

log = logging.getLogger(__name__)

ORPHAN_AGE = timedelta(seconds=60)
WINDOW = timedelta(minutes=15)
INTERVAL_SECONDS = 15.0
# Orphan claims only follow a crash: looking for recent ones every fifth minute is soon enough.
ORPHAN_SCAN_EVERY = 20


def _repair_enrollment(ports: Ports, hold: Hold) -> bool:
    enrollment = ports.enrollments.get(hold.enrollment_id)
    if enrollment is None:
        release_uncommitted(ports, hold.offering_id, hold.enrollment_id, hold.student_id)
        return True
    if enrollment.version == hold.from_version:
        # The change never landed, and this stale hold is what still blocks the enrollment.
        reconcile(ports, enrollment)
        return True
    if not ports.enrollments.hold(enrollment, "repair"):
        return False  # someone is changing it right now; the next sweep looks again
    try:
        reconcile(ports, enrollment)
    finally:
        ports.enrollments.let_go(enrollment.id, enrollment.version)
    return True


def repair_hold(ports: Ports, hold: Hold) -> str | None:
    """Finish or undo one interrupted change; returns the offering it touched, if any."""
    if not _repair_enrollment(ports, hold):
        return None
    ports.enrollments.drop_hold(hold)
    return hold.offering_id


def _release_orphans(ports: Ports, orphans: str, now: datetime) -> set[str]:
    # A claim checked once it was ORPHAN_AGE old keeps its verdict (no creation commits that
    # late), so a sweep starts where the last one ended, less ORPHAN_AGE for clock skew: a
    # worker's first pass no longer reads every claim ever made (14 s at 21,000 enrollments).
    checked = ports.sweeps.checked_until()
    if checked is not None:
        since = checked - ORPHAN_AGE
    else:
        since = None if orphans == "all" else now - WINDOW
    touched = ports.sweeps.release_orphans(now - ORPHAN_AGE, since)
    if checked is not None or orphans == "all":
        ports.sweeps.note_checked(now - ORPHAN_AGE)
    return touched


def sweep(ports: Ports, orphans: str = "recent") -> set[str]:
    """One repair pass; `orphans` is "all", "recent" or "skip"; returns offerings touched."""
    now = ports.clock.now()
    touched = {offering for offering in (repair_hold(ports, hold) for hold in
                                         ports.enrollments.stale_holds(now - ORPHAN_AGE))
               if offering}
    if orphans != "skip":
        touched |= _release_orphans(ports, orphans, now)
    for offering_id in ports.offerings.cancelled_since(now - WINDOW):
        cancel_offering_enrollments(ports, offering_id)
    for draw in ports.draws.unapplied():
        apply_draw(ports, draw)
    for offering_id in sorted(touched):
        promote_waiters(ports, offering_id)
    return touched


def repairs(ports: Ports):
    """Worker task: a full repair pass now, then a lighter one every INTERVAL_SECONDS."""

    def run_repairs(stop: threading.Event) -> None:
        passes = 0
        # After an outage (which leaves orphans behind) every pass looks for them until
        # they are old enough to release, instead of at the next fifth minute.
        scan_until = 0.0
        while not stop.is_set():
            orphans = "all" if passes == 0 else (
                "recent" if passes % ORPHAN_SCAN_EVERY == 0 or time.monotonic() < scan_until
                else "skip")
            try:
                touched = sweep(ports, orphans)
                passes += 1
                if touched:
                    log.info("repair sweep touched %d offerings", len(touched))
            except Exception:  # an outage must not end the worker; the next round retries
                log.warning("repair sweep failed; will retry", exc_info=True)
                scan_until = (time.monotonic() + ORPHAN_AGE.total_seconds()
                              + 2 * INTERVAL_SECONDS)
            stop.wait(INTERVAL_SECONDS)

    return run_repairs
