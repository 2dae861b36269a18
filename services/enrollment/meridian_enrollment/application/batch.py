"""Enrolling a batch of students at once: each claim kind in one round trip for the batch.

The rules are those of a single enrollment (enroll.py): a place per student first, then a
seat (or a waitlist ticket, or a lottery application), then the enrollment insert carrying
its event as the commit. Enrollment ids are derived from the job and the student, so a batch
that a crash interrupted resumes on its own claims instead of refusing them as taken.
"""

from __future__ import annotations

import hashlib

from ..domain import lifecycle
from ..domain.lifecycle import Enrollment
from ..domain.offering import OfferingView
from ..domain.refusals import CONFLICT, Refusal
from .enroll import place_draft, undo_draft
from .ports import Ports
from .promote import promote_waiters

Outcome = tuple[Enrollment, int | None] | Refusal


def enrollment_id_for(job_id: str, student_id: str) -> str:
    """The enrollment a job creates for a student: the same on every attempt."""
    digest = hashlib.sha256(f"{job_id}\x00{student_id}".encode()).hexdigest()
    return f"enr_{digest[:20]}"


def _taken(holder: str | None) -> Refusal:
    return Refusal(CONFLICT, "already_enrolled",
                   "The student already holds an active enrollment in this offering.",
                   enrollment_id=holder)


def _seated(ports: Ports, offering: OfferingView, drafts: list[Enrollment]) -> set[str]:
    if offering.is_lottery or not drafts:
        return set()
    if offering.waitlist and ports.waitlist.anyone_waiting(offering.id):
        return set()  # first come, first served: free seats belong to whoever waits
    return ports.seats.reserve_many(offering, [d.id for d in drafts])


def _one_by_one(ports: Ports, offering: OfferingView, draft: Enrollment) -> Outcome:
    try:
        return place_draft(ports, offering, draft)
    except Refusal as refusal:
        undo_draft(ports, draft)
        return refusal


def enroll_batch(ports: Ports, offering: OfferingView, job_id: str, student_ids: list[str],
                 institution_id: str | None, enrolled_by: str) -> dict[str, Outcome]:
    """Enroll students who passed `check_admission`; each student's outcome."""
    ids = {s: enrollment_id_for(job_id, s) for s in student_ids}
    held = ports.places.take_many(offering.id, list(ids.items()), institution_id)
    outcomes: dict[str, Outcome] = {s: _taken(h) for s, h in held.items() if h != ids[s]}
    ours = [s for s in student_ids if s not in outcomes]
    # Only a place this job claimed before (a crashed attempt) can have its enrollment stored.
    stored = ports.enrollments.many([ids[s] for s in held if s not in outcomes])
    outcomes.update((s, (stored[ids[s]], None)) for s in ours if ids[s] in stored)
    now = ports.clock.now()
    drafts = [lifecycle.new_enrollment(ids[s], offering.id, s, institution_id, enrolled_by, now)
              for s in ours if ids[s] not in stored]
    seated = _seated(ports, offering, drafts)
    action = "apply" if offering.is_lottery else "confirm"
    batch = [lifecycle.move(d, action, now) for d in drafts
             if offering.is_lottery or d.id in seated]
    ports.enrollments.add_many(batch)
    outcomes.update((e.student_id, (e, None)) for e, _events in batch)
    for draft in drafts:
        if draft.student_id not in outcomes:
            outcomes[draft.student_id] = _one_by_one(ports, offering, draft)
    if any(isinstance(o, tuple) and o[0].status == lifecycle.WAITLISTED
           for o in outcomes.values()):
        promoted = set(promote_waiters(ports, offering.id, offering))
        for student, outcome in list(outcomes.items()):
            if isinstance(outcome, tuple) and outcome[0].id in promoted:
                outcomes[student] = (ports.enrollments.get(outcome[0].id), None)
    return outcomes
