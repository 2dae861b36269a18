"""Taking a student's one place in an offering, and telling a real holder from a leftover.

A place is claimed first and committed by the enrollment insert. A place whose enrollment does
not exist is either a creation in flight (it commits within milliseconds) or a leftover of a
creation that died: a SIGKILLed worker, or a database outage that let the claim through but
not the enrollment nor the release. Refusing `already_enrolled` for it (and storing that
answer under the request's Idempotency-Key) would lock out a student who holds nothing, so:
- an in-flight creation is waited for briefly, then the caller is told to retry (503);
- a place older than `claim_lease` without an enrollment is released and taken again. No
  creation commits after its place is that old (see `commit_deadline`), so none is lost.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from ..domain.refusals import CONFLICT, UNAVAILABLE, Refusal
from .ports import Ports
from .settle import release_uncommitted

log = logging.getLogger(__name__)

# How long to wait for a creation in flight to commit (or give up) before saying "retry".
PATIENCE = timedelta(seconds=2)
FIRST_PAUSE_SECONDS = 0.02
MAX_PAUSE_SECONDS = 0.25
# Processes' clocks may differ a little: a creation stops this much before its place expires.
CLOCK_SKEW = timedelta(seconds=2)


def take_place(ports: Ports, offering_id: str, student_id: str, enrollment_id: str,
               institution_id: str | None) -> datetime:
    """Claim the student's place for `enrollment_id`; returns when it was taken."""
    started = ports.clock.now()
    pause = FIRST_PAUSE_SECONDS
    while True:
        now = ports.clock.now()
        if ports.places.take(offering_id, student_id, enrollment_id, institution_id):
            return now
        place = ports.places.held(offering_id, student_id)
        left = FIRST_PAUSE_SECONDS  # no holder any more: it was released, take it again
        if place is not None:
            if ports.enrollments.get(place.enrollment_id) is not None:
                raise Refusal(CONFLICT, "already_enrolled",
                              "The student already holds an active enrollment in this "
                              "offering.", enrollment_id=place.enrollment_id)
            left = (ports.claim_lease - (now - (place.taken_at or now))).total_seconds()
            if left <= 0:
                log.warning("releasing place of %s in %s left by uncommitted %s", student_id,
                            offering_id, place.enrollment_id)
                release_uncommitted(ports, offering_id, place.enrollment_id, student_id)
        if now - started >= PATIENCE:
            raise Refusal(UNAVAILABLE, "enrollment_in_progress",
                          "Another request is enrolling this student right now; try again.",
                          headers={"Retry-After": str(max(1, min(math.ceil(left), 5)))})
        if left > 0:
            ports.clock.sleep(pause)
            pause = min(pause * 2, MAX_PAUSE_SECONDS)


def commit_deadline(ports: Ports, taken_at: datetime) -> datetime:
    """The last moment a creation whose place was taken at `taken_at` may commit."""
    return taken_at + ports.claim_lease - CLOCK_SKEW


def check_deadline(ports: Ports, deadline: datetime) -> None:
    """Refuse (retryably) to commit a creation whose place may be released as a leftover."""
    if ports.clock.now() >= deadline:
        raise Refusal(UNAVAILABLE, "enrollment_timed_out",
                      "Enrolling took too long and was undone; try again.",
                      headers={"Retry-After": "1"})
