"""Offering cohorts (confirmed students and their institutions), kept in fixed buckets.

The enrollment handler is each bucket's only writer: enrollment events are keyed by offering,
so one consumer owns an offering's partition. A student always lands in the same bucket.
"""

from __future__ import annotations

import zlib
from collections import defaultdict

from .events.writes import write_fields
from .models import ClassroomRosterEntry, CohortBucket

BUCKETS = 16
LEGACY_COLLECTION = "cohorts"


def bucket_id(offering_id: str, student_id: str) -> str:
    """The id of the bucket that holds `student_id` in the offering's cohort."""
    return f"{offering_id}:{zlib.crc32(student_id.encode()) % BUCKETS}"


def members_of(offering_id: str) -> list[dict]:
    """Every confirmed student of the offering, with their institution."""
    collection = CohortBucket._get_collection()
    members: list[dict] = []
    for bucket in range(BUCKETS):
        found = collection.find_one({"_id": f"{offering_id}:{bucket}"}, {"members": 1})
        members.extend((found or {}).get("members", []))
    return members


def sync_member(offering_id: str, student_id: str, entry: dict) -> None:
    """Put the student in their bucket if the roster entry is confirmed, else take them out."""
    collection = CohortBucket._get_collection()
    key = bucket_id(offering_id, student_id)
    found = collection.find_one({"_id": key})
    members = [m for m in (found or {}).get("members", []) if m["student_id"] != student_id]
    if entry.get("status") == "confirmed":
        members.append({"student_id": student_id, "institution_id": entry.get("institution_id")})
    if found is not None and sorted(members, key=lambda m: m["student_id"]) == sorted(
            found["members"], key=lambda m: m["student_id"]):
        return
    write_fields(collection, key, {"offering_id": offering_id, "members": members},
                 found is not None)


def backfill_cohorts() -> int:
    """Build the cohorts of offerings that have none yet from the roster (worker start).

    Returns how many offerings got one. Cohorts stored in one document per offering (the
    layout before buckets) are dropped: the buckets are rebuilt from the roster instead.
    """
    database = CohortBucket._get_db()
    if LEGACY_COLLECTION in database.list_collection_names():
        database.drop_collection(LEGACY_COLLECTION)
    buckets: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for row in ClassroomRosterEntry._get_collection().find(
            {"status": "confirmed"}, {"offering_id": 1, "student_id": 1, "institution_id": 1}):
        buckets[row["offering_id"]][bucket_id(row["offering_id"], row["student_id"])].append(
            {"student_id": row["student_id"], "institution_id": row.get("institution_id")})
    collection = CohortBucket._get_collection()
    known = {row["offering_id"] for row in collection.find({}, {"offering_id": 1})}
    missing = [offering_id for offering_id in buckets if offering_id not in known]
    for offering_id in missing:
        for key, members in buckets[offering_id].items():
            write_fields(collection, key, {"offering_id": offering_id, "members": members}, False)
    return len(missing)
