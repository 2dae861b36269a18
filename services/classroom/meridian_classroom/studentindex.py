"""A student's confirmed offerings without scanning the roster on every read.

The worker gives a student a fresh random stamp after every change to their roster entries.
A reader takes the stamp first, uses the cached list if it was computed under that stamp, and
otherwise scans the roster and stores the result with the stamp it read. Any roster change
after the stamp was read changes the stamp again, so a stale list is never used twice; cache
writes are blind overwrites, safe with any number of API processes.
"""

from __future__ import annotations

from .events.writes import write_fields
from .models import ClassroomRosterEntry, StudentOfferings, StudentStamp

# Students whose roster changed before stamps existed have none; "-" stands for that state.
NO_STAMP = "-"


def _scan(student_id: str) -> list[str]:
    rows = ClassroomRosterEntry._get_collection().find(
        {"student_id": student_id, "status": "confirmed"}, {"offering_id": 1})
    return sorted({row["offering_id"] for row in rows})


def confirmed_offerings(student_id: str) -> list[str]:
    """Offering ids where the student holds a confirmed seat."""
    stamp_row = StudentStamp._get_collection().find_one({"_id": student_id}, {"stamp": 1})
    stamp = stamp_row["stamp"] if stamp_row else NO_STAMP
    cached = StudentOfferings._get_collection().find_one({"_id": student_id})
    if cached is not None and cached["stamp"] == stamp:
        return list(cached["offerings"])
    offerings = _scan(student_id)
    write_fields(StudentOfferings._get_collection(), student_id,
                 {"stamp": stamp, "offerings": offerings}, cached is not None)
    return offerings
