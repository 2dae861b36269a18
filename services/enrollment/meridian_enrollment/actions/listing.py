"""Reading an offering's active enrollments the cheapest way the database allows."""

from __future__ import annotations

from ..ledger import students
from ..models import ACTIVE_STATUSES, Enrollment, StudentEnrollment

# FerretDB 1.x serves a lookup by `_id` from the `_id` index (ADR 0007) but any other filter
# by decoding every enrollment on the platform; MongoDB serves the filter from an index in one
# round trip. Up to this many enrollments one lookup each is cheap on both.
LOOKUPS_BEAT_A_SCAN = 12


def active_enrollments(offering_id: str) -> list[Enrollment]:
    """The offering's confirmed, waitlisted and applied enrollments, oldest first."""
    ids = sorted({row["enrollment_id"] for row in students.active(offering_id)})
    if len(ids) <= LOOKUPS_BEAT_A_SCAN:
        found = [Enrollment.objects(id=enrollment_id).exclude("outbox").first()
                 for enrollment_id in ids]
        rows = [e for e in found if e is not None and e.status in ACTIVE_STATUSES]
    else:
        rows = list(Enrollment.objects(offering_id=offering_id,
                                       status__in=list(ACTIVE_STATUSES)).exclude("outbox"))
    return sorted(rows, key=lambda e: (e.created_at, e.id))


def student_enrollments(student_id: str, offering_id: str | None = None) -> list[Enrollment]:
    """A student's enrollments (any status), newest first."""
    query = {"student_id": student_id, **({"offering_id": offering_id} if offering_id else {})}
    ids = [row["_id"] for row in StudentEnrollment._get_collection().find(query, {"_id": 1})]
    if len(ids) <= LOOKUPS_BEAT_A_SCAN:
        found = [Enrollment.objects(id=enrollment_id).exclude("outbox").first()
                 for enrollment_id in ids]
        rows = [e for e in found if e is not None]
    else:
        rows = list(Enrollment.objects(**query).exclude("outbox"))
    return sorted(rows, key=lambda e: (-e.created_at.timestamp(), e.id))


def backfill_student_index() -> int:
    """Add index rows for enrollments made before the index existed; returns how many."""
    indexed = {row["_id"] for row in StudentEnrollment._get_collection().find({}, {"_id": 1})}
    missing = [{"_id": row["_id"], "student_id": row["student_id"],
                "offering_id": row["offering_id"], "created_at": row["created_at"]}
               for row in Enrollment._get_collection().find(
                   {}, {"student_id": 1, "offering_id": 1, "created_at": 1})
               if row["_id"] not in indexed]
    if missing:
        StudentEnrollment._get_collection().insert_many(missing, ordered=False)
    return len(missing)
