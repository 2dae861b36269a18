"""Enrolling one student: claims first (active place, then seat or ticket), then the commit.

The enrollment insert, which carries its event, is the commit point. Claims taken before a
refusal or a failure seen here are released at once; claims of a creation that crashed half
way have no enrollment behind them: the student's next attempt releases them once their
lease is over (places.py), and the repair sweep releases whatever nobody came back for.
"""

from __future__ import annotations

import logging
from datetime import datetime

from meridian_common.ids import new_id

from ..domain import lifecycle
from ..domain.lifecycle import Enrollment
from ..domain.offering import OfferingView
from ..domain.refusals import CONFLICT, Refusal
from .admission import check_admission
from .places import check_deadline, commit_deadline, take_place
from .ports import Ports
from .promote import promote_waiters
from .settle import release_uncommitted

log = logging.getLogger(__name__)


def enroll(ports: Ports, offering: OfferingView, student_id: str, institution_id: str | None,
           enrolled_by: str) -> tuple[Enrollment, int | None]:
    """Enroll a student who passed `check_admission`; returns it and its waitlist position."""
    enrollment_id = new_id("enr")
    taken_at = take_place(ports, offering.id, student_id, enrollment_id, institution_id)
    draft = lifecycle.new_enrollment(enrollment_id, offering.id, student_id, institution_id,
                                     enrolled_by, ports.clock.now())
    try:
        enrollment, position = place_draft(ports, offering, draft,
                                           commit_deadline(ports, taken_at))
    except BaseException:
        undo_draft(ports, draft)
        raise
    if enrollment.status == lifecycle.WAITLISTED and enrollment.id in promote_waiters(
            ports, offering.id, offering):
        # It may have been the in-flight head a concurrent withdrawal had to skip.
        enrollment, position = ports.enrollments.get(enrollment.id), None
    return enrollment, position


def enroll_many(ports: Ports, offering: OfferingView, student_ids: list[str],
                institution_id: str | None, enrolled_by: str) -> list[tuple[str, object]]:
    """Bulk: the shared checks once, then (student id, (enrollment, position) | Refusal)."""
    check_admission(ports, offering, institution_id)
    results: list[tuple[str, object]] = []
    for student_id in student_ids:
        try:
            results.append((student_id, enroll(ports, offering, student_id, institution_id,
                                               enrolled_by)))
        except Refusal as refusal:
            results.append((student_id, refusal))
    return results


def place_draft(ports: Ports, offering: OfferingView, draft: Enrollment,
                deadline: datetime | None = None) -> tuple[Enrollment, int | None]:
    """Seat, waitlist or (lottery) register a draft whose place is claimed, and store it."""
    now = ports.clock.now()
    if offering.is_lottery:
        enrollment, events = lifecycle.move(draft, "apply", now)
    elif _takes_seat(ports, offering, draft.id):
        enrollment, events = lifecycle.move(draft, "confirm", now)
    elif offering.waitlist:
        ticket = ports.waitlist.append(offering.id, draft.id)
        position = ports.waitlist.position(offering.id, ticket)
        enrollment, events = lifecycle.move(draft, "waitlist", now, ticket=ticket,
                                            position=position)
    else:
        raise Refusal(CONFLICT, "offering_full", "The offering is full and keeps no waitlist.")
    if deadline is not None:
        check_deadline(ports, deadline)
    ports.enrollments.add(enrollment, events)
    return enrollment, events[0].waitlist_position


def _takes_seat(ports: Ports, offering: OfferingView, enrollment_id: str) -> bool:
    if offering.waitlist and ports.waitlist.anyone_waiting(offering.id):
        # First come, first served: a free seat belongs to whoever waits, not to a newcomer.
        return False
    return ports.seats.reserve(offering, enrollment_id) is not None


def undo_draft(ports: Ports, draft: Enrollment) -> None:
    """Release the claims of a draft that was never stored (the repair sweep retries)."""
    try:
        if ports.enrollments.get(draft.id) is None:
            release_uncommitted(ports, draft.offering_id, draft.id, draft.student_id)
    except Exception:  # the database may be what failed; the repair sweep retries
        log.warning("could not release claims of %s; the repair sweep will", draft.id,
                    exc_info=True)
