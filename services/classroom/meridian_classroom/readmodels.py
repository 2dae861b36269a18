"""Queries over the read models that events keep: offerings, course faculty, rosters."""

from __future__ import annotations

from dataclasses import dataclass

from meridian_common.web.errors import ApiError

from .models import ClassroomCourse, ClassroomOffering, ClassroomRosterEntry
from .userindex import confirmed_offerings, faculty_offerings


@dataclass(frozen=True)
class OfferingContext:
    """An offering as the classroom knows it, with its course's faculty (user → role)."""

    offering: ClassroomOffering
    faculty: dict[str, str]
    course_code: str
    course_title: str


def roster_id(offering_id: str, student_id: str) -> str:
    """The roster entry of one student in one offering."""
    return f"{offering_id}:{student_id}"


def faculty_map(course: ClassroomCourse | None) -> dict[str, str]:
    """user_id → role for a course's faculty."""
    if course is None:
        return {}
    return {member["user_id"]: member["role"] for member in course.faculty}


def offering_context(offering_id: str) -> OfferingContext:
    """The offering and its faculty, or 404 when no catalog event named it yet."""
    offering = ClassroomOffering.objects(id=offering_id).first()
    if offering is None:
        raise ApiError(404, f"No offering with id '{offering_id}'.", code="not_found")
    course = ClassroomCourse.objects(id=offering.course_id).first()
    return OfferingContext(offering=offering, faculty=faculty_map(course),
                           course_code=course.code if course else "",
                           course_title=course.title if course else "")


def is_confirmed(offering_id: str, user_id: str) -> bool:
    """True when `user_id` holds a confirmed seat in the offering."""
    entry = ClassroomRosterEntry.objects(id=roster_id(offering_id, user_id)).only("status").first()
    return entry is not None and entry.status == "confirmed"


def offerings_of(user_id: str) -> tuple[list[str], list[str]]:
    """Offering ids where the user is a confirmed student, and where they are faculty."""
    return confirmed_offerings(user_id), faculty_offerings(user_id)


def course_labels(offering_ids: list[str]) -> dict[str, tuple[str, str]]:
    """offering_id → (code, title) of its course, for calendar summaries."""
    # One _id lookup each: FerretDB pushes `_id` equality down, but scans for `_id $in`.
    labels: dict[str, tuple[str, str]] = {}
    courses: dict[str, tuple[str, str]] = {}
    for offering_id in offering_ids:
        offering = ClassroomOffering._get_collection().find_one({"_id": offering_id},
                                                                 {"course_id": 1})
        if offering is None:
            continue
        course_id = offering["course_id"]
        if course_id not in courses:
            row = ClassroomCourse._get_collection().find_one({"_id": course_id},
                                                             {"code": 1, "title": 1}) or {}
            courses[course_id] = (row.get("code") or "", row.get("title") or "")
        labels[offering_id] = courses[course_id]
    return labels
