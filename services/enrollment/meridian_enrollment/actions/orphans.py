"""Claims of enrollments that were never created (the enroller died before its commit)."""

from __future__ import annotations

from datetime import datetime

from meridian_common.persistence import db

from ..ledger import waitlist
from ..ledger.store import existing_ledgers
from ..models import Enrollment

CLAIM_KINDS = ("students", "seats", "tickets")
FEW = 100


def _existing(enrollment_ids: list[str]) -> set[str]:
    if not enrollment_ids:
        return set()
    collection = Enrollment._get_collection()
    if len(enrollment_ids) <= FEW:
        return {row["_id"] for row in collection.find({"_id": {"$in": enrollment_ids}},
                                                      {"_id": 1})}
    # FerretDB answers every query by a full scan: one pass over all ids beats many $in ones.
    return set(enrollment_ids) & {row["_id"] for row in collection.find({}, {"_id": 1})}


def release_orphans(created: dict[str, datetime]) -> set[str]:
    """Release claims created in `created` (a `$gte`/`$lt` range) whose enrollment does not
    exist; returns the offerings concerned."""
    database = db.database()
    candidates = []
    for name in sorted(existing_ledgers()):
        if name.rsplit(".", 1)[-1] in CLAIM_KINDS:
            candidates.extend((name, row) for row in database[name].find(
                {"created_at": created}, {"enrollment_id": 1, "offering_id": 1}))
    existing = _existing(sorted({row["enrollment_id"] for _, row in candidates}))
    touched = set()
    for name, row in candidates:
        if row["enrollment_id"] in existing:
            continue
        if name.endswith(".tickets"):
            released = waitlist.depart(row["offering_id"], row["_id"], row["enrollment_id"])
        else:
            released = database[name].delete_one(
                {"_id": row["_id"], "enrollment_id": row["enrollment_id"]}).deleted_count > 0
        if released:
            touched.add(row["offering_id"])
    return touched
