"""Bulk enrollment jobs on MongoDB: the request, its insert-only batch outcomes, a lease."""

from __future__ import annotations

from datetime import datetime, timedelta

from meridian_common.events.envelope import as_utc

from ..domain.jobs import BulkJob
from .claims import CollectionOf, insert_claim, storable
from .job_documents import BulkBatchDocument, BulkJobDocument, BulkJobLease


def _job(row: dict) -> BulkJob:
    return BulkJob(id=row["_id"], offering_id=row["offering_id"],
                   institution_id=row.get("institution_id"), requested_by=row["requested_by"],
                   student_ids=tuple(row["student_ids"]), created_at=as_utc(row["created_at"]),
                   finished_at=as_utc(row["finished_at"]) if row.get("finished_at") else None)


class MongoBulkJobs:
    """The `BulkJobs` port: `bulk_jobs`, `bulk_batches` and `bulk_job_leases`."""

    _jobs = CollectionOf(BulkJobDocument)
    _batches = CollectionOf(BulkBatchDocument)
    _leases = CollectionOf(BulkJobLease)

    def add(self, job: BulkJob) -> None:
        """Store a new job (the worker picks it up)."""
        self._jobs.insert_one({"_id": job.id, "offering_id": job.offering_id,
                               "institution_id": job.institution_id,
                               "requested_by": job.requested_by,
                               "student_ids": list(job.student_ids),
                               "created_at": job.created_at, "open": True, "finished_at": None})

    def get(self, job_id: str) -> BulkJob | None:
        """The job, if it exists."""
        row = self._jobs.find_one({"_id": job_id}) if storable(job_id) else None
        return _job(row) if row else None

    def open_jobs(self, limit: int) -> list[BulkJob]:
        """Unfinished jobs, oldest first."""
        return [_job(row) for row in self._jobs.find({"open": True})
                .sort([("created_at", 1), ("_id", 1)]).limit(limit)]

    def rows(self, job_id: str) -> dict[int, list[dict]]:
        """Each finished batch's rows, by batch number."""
        return {row["n"]: list(row["rows"]) for row in self._batches.find({"job_id": job_id})}

    def record_batch(self, job_id: str, n: int, rows: list[dict], at: datetime) -> None:
        """Store a batch's outcome once (a second worker's copy is dropped)."""
        insert_claim(self._batches, {"_id": f"{job_id}:{n}", "job_id": job_id, "n": n,
                                     "rows": rows, "created_at": at})

    def finish(self, job_id: str, at: datetime) -> None:
        """Mark the job done (the worker holding its lease is its only writer now)."""
        self._jobs.update_one({"_id": job_id}, {"$set": {"open": False, "finished_at": at}})

    def lease(self, job_id: str, owner: str, now: datetime, seconds: float) -> bool:
        """Hold the job for `seconds`; False while another owner's lease runs."""
        self._leases.delete_one({"_id": job_id, "expires_at": {"$lt": now}})
        self._leases.delete_one({"_id": job_id, "owner": owner})
        return insert_claim(self._leases, {"_id": job_id, "owner": owner,
                                           "expires_at": now + timedelta(seconds=seconds)})

    def release(self, job_id: str, owner: str) -> None:
        """Give the job's lease back."""
        self._leases.delete_one({"_id": job_id, "owner": owner})
