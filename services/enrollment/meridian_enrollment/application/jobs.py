"""Bulk enrollment as a job: accepted at once, processed by the worker batch by batch.

The API stores the job and answers 202; the worker takes a lease on it, runs each batch not
yet recorded and stores its rows (insert-only), then marks the job finished. A crash leaves
a batch unrecorded; the next lease holder runs it again and `enroll_batch` resumes on the
claims the crashed attempt made.
"""

from __future__ import annotations

from dataclasses import dataclass

from meridian_common.ids import new_id

from ..domain.jobs import BulkJob, batches, may_read, status_of
from ..domain.offering import OfferingView
from ..domain.refusals import NOT_FOUND, Refusal
from .admission import check_admission, offering_or_refuse
from .batch import Outcome, enroll_batch
from .ports import Ports

# Longer than a batch takes even on a loaded machine; renewed after every batch.
LEASE_SECONDS = 120.0
JOBS_PER_ROUND = 20


# What a row keeps of the enrollment it made: the state it was left in by the job.
KEPT = ("id", "offering_id", "student_id", "institution_id", "status", "reason",
        "enrolled_by", "created_at", "updated_at")


@dataclass(frozen=True)
class JobView:
    """A job, its rows so far (in the order asked), and its status."""

    job: BulkJob
    rows: list[dict]
    status: str


def submit(ports: Ports, offering_id: str, student_ids: list[str],
           institution_id: str | None, requested_by: str) -> BulkJob:
    """Store a job; checks that hold for every student alike refuse the whole call now."""
    offering = offering_or_refuse(ports, offering_id)
    check_admission(ports, offering, institution_id)
    job = BulkJob(id=new_id("job"), offering_id=offering.id, institution_id=institution_id,
                  requested_by=requested_by, student_ids=tuple(student_ids),
                  created_at=ports.clock.now())
    ports.jobs.add(job)
    return job


def view(ports: Ports, job_id: str, user_id: str, roles: frozenset[str]) -> JobView:
    """The job for the admin who asked for it and platform admins (NotFound for others)."""
    job = ports.jobs.get(job_id)
    if job is None or not may_read(job, user_id, roles):
        raise Refusal(NOT_FOUND, "not_found", f"No enrollment job with id '{job_id}'.")
    recorded = ports.jobs.rows(job.id)
    rows = [row for n in sorted(recorded) for row in recorded[n]]
    return JobView(job, rows, status_of(job, len(rows)))


def row_of(student_id: str, outcome: Outcome) -> dict:
    """What a job keeps about one student's outcome."""
    if isinstance(outcome, Refusal):
        holder = outcome.extra.get("enrollment_id")
        return {"student_id": student_id, "kind": outcome.kind, "code": outcome.code,
                "detail": outcome.detail,
                "enrollment_id": holder if isinstance(holder, str) else None,
                "enrollment": None}
    enrollment, position = outcome
    kept = {name: getattr(enrollment, name) for name in KEPT}
    return {"student_id": student_id, "kind": None, "code": None, "detail": None,
            "enrollment_id": enrollment.id,
            "enrollment": {**kept, "waitlist_position": position}}


def _batch_rows(ports: Ports, offering: OfferingView | None, job: BulkJob,
                students: list[str]) -> list[dict]:
    try:
        if offering is None:
            raise Refusal(NOT_FOUND, "not_found", f"No offering with id '{job.offering_id}'.")
        # The window may close or the offering be cancelled while a job waits.
        check_admission(ports, offering, job.institution_id)
    except Refusal as refusal:
        return [row_of(s, refusal) for s in students]
    outcomes = enroll_batch(ports, offering, job.id, students, job.institution_id,
                            job.requested_by)
    return [row_of(s, outcomes[s]) for s in students]


def run_job(ports: Ports, job: BulkJob, owner: str) -> int:
    """Run the job's unrecorded batches under its lease; how many students they held."""
    if not ports.jobs.lease(job.id, owner, ports.clock.now(), LEASE_SECONDS):
        return 0
    processed = 0
    try:
        done = set(ports.jobs.rows(job.id))
        for n, students in batches(job):
            if n in done:
                continue
            offering = ports.offerings.get(job.offering_id)
            ports.jobs.record_batch(job.id, n, _batch_rows(ports, offering, job, students),
                                    ports.clock.now())
            processed += len(students)
            ports.jobs.lease(job.id, owner, ports.clock.now(), LEASE_SECONDS)
        ports.jobs.finish(job.id, ports.clock.now())
    finally:
        ports.jobs.release(job.id, owner)
    return processed


def run_pending(ports: Ports, owner: str) -> int:
    """Run every open job (the worker's task); how many students were processed."""
    return sum(run_job(ports, job, owner) for job in ports.jobs.open_jobs(JOBS_PER_ROUND))
