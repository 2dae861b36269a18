"""Bulk enrollment jobs: what was asked, how it is split into batches, and how far it got."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

MAX_JOB_STUDENTS = 1000
BATCH_SIZE = 100
QUEUED, RUNNING, DONE = "queued", "running", "done"


@dataclass(frozen=True)
class BulkJob:
    """A request to enroll many students of one institution in one offering."""

    id: str
    offering_id: str
    institution_id: str | None
    requested_by: str
    student_ids: tuple[str, ...]
    created_at: datetime
    finished_at: datetime | None = None


def batches(job: BulkJob, size: int = BATCH_SIZE) -> list[tuple[int, list[str]]]:
    """The job's students in numbered batches of at most `size`, in the order given."""
    ids = list(job.student_ids)
    return [(n, ids[start:start + size]) for n, start in enumerate(range(0, len(ids), size))]


def status_of(job: BulkJob, processed: int) -> str:
    """queued before any batch is done, running until the job is finished, then done."""
    # Done only once finished: between the last batch and `finish` a poller used to read
    # "done" with no finished_at. A worker that dies there leaves the job open, and the next
    # one finds every batch recorded and finishes it.
    if job.finished_at is not None:
        return DONE
    return RUNNING if processed else QUEUED


def may_read(job: BulkJob, user_id: str, roles: frozenset[str]) -> bool:
    """The admin who asked for the job, and platform admins."""
    return job.requested_by == user_id or "admin" in roles
