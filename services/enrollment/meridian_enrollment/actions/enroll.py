"""Enrolling one student: claims first (active place, then seat or ticket), then the commit.

The enrollment insert, which carries its event, is the commit point. Claims taken before a
refusal or a failure seen here are released at once; claims of a creation that crashed half
way have no enrollment behind them, and the repair sweep (actions/repair.py) releases them.
"""

from __future__ import annotations

import logging

from pymongo.errors import PyMongoError

from meridian_common.events.envelope import utcnow
from meridian_common.ids import new_id
from meridian_common.persistence.outbox import insert_with_events

from ..domain.eligibility import eligibility_refusal, is_restricted
from ..domain.refusals import CONFLICT, Refusal
from ..domain.seats import free_seat_numbers
from ..domain.windows import window_refusal
from ..events.payloads import enrollment_event
from ..ledger import seats, students, waitlist
from ..ledger.local import offering_lock
from ..models import Enrollment, EnrollmentOfferingView, StudentEnrollment
from .promote import promote_waiters
from .readmodels import draw_of, institution_facts
from .reconcile import release_uncommitted

log = logging.getLogger(__name__)


def check_admission(offering: EnrollmentOfferingView, institution_id: str | None) -> None:
    """Raise the Refusal that stops any student of `institution_id` enrolling now."""
    refusal = window_refusal(offering.status, offering.enrollment_opens_at,
                             offering.enrollment_closes_at, utcnow())
    if refusal is None and is_restricted(offering.eligibility):
        refusal = eligibility_refusal(offering.eligibility, institution_id,
                                      institution_facts(institution_id))
    if refusal is None and offering.selection == "lottery" and draw_of(offering.id):
        refusal = Refusal(CONFLICT, "already_drawn", "The lottery of this offering was drawn.")
    if refusal is not None:
        raise refusal


def enroll(offering: EnrollmentOfferingView, student_id: str, institution_id: str | None,
           enrolled_by: str) -> tuple[Enrollment, int | None]:
    """Enroll a student who passed `check_admission`; returns it and its waitlist position."""
    enrollment_id = new_id("enr")
    if not students.take(offering.id, student_id, enrollment_id, institution_id):
        raise Refusal(CONFLICT, "already_enrolled",
                      "The student already holds an active enrollment in this offering.",
                      enrollment_id=students.holder(offering.id, student_id))
    try:
        StudentEnrollment._get_collection().insert_one({
            "_id": enrollment_id, "student_id": student_id, "offering_id": offering.id,
            "created_at": utcnow()})
        enrollment, position = _place(offering, enrollment_id, student_id, institution_id,
                                      enrolled_by)
    except BaseException:
        _undo(offering.id, student_id, enrollment_id)
        raise
    if enrollment.status == "waitlisted" and enrollment.id in promote_waiters(offering.id,
                                                                               offering):
        enrollment.reload()
        position = None
    return enrollment, position


def _place(offering: EnrollmentOfferingView, enrollment_id: str, student_id: str,
           institution_id: str | None, enrolled_by: str) -> tuple[Enrollment, int | None]:
    now = utcnow()
    enrollment = Enrollment(id=enrollment_id, offering_id=offering.id, student_id=student_id,
                            institution_id=institution_id, enrolled_by=enrolled_by, version=1,
                            created_at=now, updated_at=now)
    position = None
    if offering.selection == "lottery":
        enrollment.status = "applied"
    else:
        with offering_lock(offering.id):
            if _take_seat(offering, enrollment_id):
                enrollment.status = "confirmed"
            elif offering.waitlist:
                enrollment.status = "waitlisted"
                enrollment.ticket = waitlist.take_ticket(offering.id, enrollment_id)
        if enrollment.status is None:
            raise Refusal(CONFLICT, "offering_full", "The offering is full and keeps no waitlist.")
        if enrollment.ticket is not None:
            position = waitlist.position(offering.id, enrollment.ticket)
    insert_with_events(enrollment, enrollment_event(enrollment.status, enrollment, position))
    return enrollment, position


def _take_seat(offering: EnrollmentOfferingView, enrollment_id: str) -> bool:
    free = free_seat_numbers(offering.capacity, seats.taken_numbers(offering.id))
    if free and offering.waitlist and waitlist.anyone_waiting(offering.id):
        # First come, first served: a free seat belongs to whoever waits, not to a newcomer.
        return False
    return seats.claim_among(offering.id, free, enrollment_id) is not None


def _undo(offering_id: str, student_id: str, enrollment_id: str) -> None:
    try:
        if Enrollment._get_collection().find_one({"_id": enrollment_id}, {"_id": 1}) is None:
            release_uncommitted(offering_id, enrollment_id, student_id)
            StudentEnrollment._get_collection().delete_one({"_id": enrollment_id})
    except PyMongoError:
        log.warning("could not release claims of %s; the repair sweep will", enrollment_id,
                    exc_info=True)
