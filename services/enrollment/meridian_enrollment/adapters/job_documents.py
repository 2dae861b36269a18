"""Bulk enrollment jobs: the request, each batch's outcome, and the worker's lease."""

from __future__ import annotations

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    Document,
    IntField,
    ListField,
    StringField,
)


class BulkJobDocument(Document):
    """A bulk enrollment request (inserted by the API; only the worker marks it finished)."""

    id = StringField(primary_key=True)
    offering_id = StringField(required=True)
    institution_id = StringField(null=True)
    requested_by = StringField(required=True)
    student_ids = ListField(StringField())
    created_at = DateTimeField(required=True)
    open = BooleanField(required=True, default=True)
    finished_at = DateTimeField(null=True)
    meta = {"collection": "bulk_jobs", "indexes": [("open", "created_at")]}


class BulkBatchDocument(Document):
    """The outcome of one batch of a job (insert-only: `_id` is job id and batch number)."""

    id = StringField(primary_key=True)
    job_id = StringField(required=True)
    n = IntField(required=True)
    rows = ListField(DictField())
    created_at = DateTimeField(required=True)
    meta = {"collection": "bulk_batches", "indexes": [("job_id", "n")]}


class BulkJobLease(Document):
    """Which worker processes a job now, until when (so two never run one job at once)."""

    id = StringField(primary_key=True)
    owner = StringField(required=True)
    expires_at = DateTimeField(required=True)
    meta = {"collection": "bulk_job_leases"}
