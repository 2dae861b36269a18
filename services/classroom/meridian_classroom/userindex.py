"""A user's offerings (as confirmed student, as faculty) without a scan on every read.

The worker gives a user a fresh random stamp after every change that can alter one of these
lists: a roster change for students, a course's faculty or a new offering for faculty. A
reader takes the stamp first, uses the cached list if it was computed under that stamp, and
otherwise scans and stores the result with the stamp it read. Any change after the stamp was
read changes the stamp again, so a stale list is never used twice; cache writes are blind
overwrites, safe with any number of API processes.
"""

from __future__ import annotations

from collections.abc import Callable

from .events.writes import write_fields
from .models import ClassroomCourse, ClassroomOffering, ClassroomRosterEntry
from .stamps import FacultyOfferings, FacultyStamp, StudentOfferings, StudentStamp

# Users whose lists changed before stamps existed have none; "-" stands for that state.
NO_STAMP = "-"


def _scan_roster(student_id: str) -> list[str]:
    rows = ClassroomRosterEntry._get_collection().find(
        {"student_id": student_id, "status": "confirmed"}, {"offering_id": 1})
    return sorted({row["offering_id"] for row in rows})


def _scan_courses(user_id: str) -> list[str]:
    courses = [row["_id"] for row in ClassroomCourse._get_collection().find(
        {"faculty_ids": user_id}, {"_id": 1})]
    if not courses:
        return []
    return sorted({row["_id"] for row in ClassroomOffering._get_collection().find(
        {"course_id": {"$in": courses}}, {"_id": 1})})


def _stamped(stamps, lists, user_id: str, scan: Callable[[str], list[str]]) -> list[str]:
    stamp_row = stamps.find_one({"_id": user_id}, {"stamp": 1})
    stamp = stamp_row["stamp"] if stamp_row else NO_STAMP
    cached = lists.find_one({"_id": user_id})
    if cached is not None and cached["stamp"] == stamp:
        return list(cached["offerings"])
    offerings = scan(user_id)
    write_fields(lists, user_id, {"stamp": stamp, "offerings": offerings}, cached is not None)
    return offerings


def confirmed_offerings(student_id: str) -> list[str]:
    """Offering ids where the student holds a confirmed seat."""
    return _stamped(StudentStamp._get_collection(), StudentOfferings._get_collection(),
                    student_id, _scan_roster)


def faculty_offerings(user_id: str) -> list[str]:
    """Offering ids of every course the user teaches."""
    return _stamped(FacultyStamp._get_collection(), FacultyOfferings._get_collection(),
                    user_id, _scan_courses)
