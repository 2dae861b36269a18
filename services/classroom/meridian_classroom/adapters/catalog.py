"""Offerings, courses (with their faculty) and institutions, as catalog events told us."""

from __future__ import annotations

from pymongo.errors import DuplicateKeyError

from meridian_common.persistence.readmodels import apply_newest
from meridian_common.persistence.server import find_in

from ..application.ports import OfferingView
from .documents import ClassroomCourse, ClassroomInstitution, ClassroomOffering


class MongoCatalog:
    """The `Catalog` port on the `offerings`, `courses` and `institutions` read models."""

    def __init__(self):
        self._offerings = ClassroomOffering._get_collection
        self._courses = ClassroomCourse._get_collection
        self._institutions = ClassroomInstitution._get_collection

    def offering(self, offering_id: str) -> OfferingView | None:
        """The offering with its course's faculty, code and title."""
        row = self._offerings().find_one({"_id": offering_id})
        if row is None:
            return None
        course = self._courses().find_one({"_id": row["course_id"]},
                                          {"faculty": 1, "code": 1, "title": 1}) or {}
        return OfferingView(id=offering_id, course_id=row["course_id"],
                            timezone=row["timezone"], status=row["status"],
                            faculty={m["user_id"]: m["role"] for m in course.get("faculty", [])},
                            course_code=course.get("code") or "",
                            course_title=course.get("title") or "")

    def taught_by(self, user_id: str) -> list[str]:
        """Offering ids of every course the user is on the faculty of."""
        courses = [row["_id"] for row in self._courses().find({"faculty_ids": user_id},
                                                               {"_id": 1})]
        if not courses:
            return []
        return sorted(row["_id"] for row in find_in(self._offerings(), "course_id", courses,
                                                    projection={"_id": 1}))

    def labels(self, offering_ids: list[str]) -> dict[str, tuple[str, str]]:
        """offering_id → (code, title) of its course, for calendar summaries."""
        course_of = {row["_id"]: row["course_id"] for row in find_in(
            self._offerings(), "_id", offering_ids, projection={"course_id": 1})}
        if not course_of:
            return {}
        courses = {row["_id"]: (row.get("code") or "", row.get("title") or "")
                   for row in find_in(self._courses(), "_id", course_of.values(),
                                      projection={"code": 1, "title": 1})}
        return {o: courses.get(c, ("", "")) for o, c in course_of.items()}

    def institution_zones(self, institution_ids: list[str]) -> dict[str, str]:
        """institution_id → time zone, for those we know."""
        if not institution_ids:
            return {}
        return {row["_id"]: row["timezone"] for row in find_in(
            self._institutions(), "_id", institution_ids, projection={"timezone": 1})}

    def record_institution(self, institution_id: str, version: int, timezone: str) -> None:
        """An institution's zone, newest version wins."""
        apply_newest(self._institutions(), institution_id, version, {"timezone": timezone})

    def record_course(self, course_id: str, version: int, fields: dict) -> None:
        """A course's code, title and faculty, newest version wins."""
        apply_newest(self._courses(), course_id, version, fields)

    def seed_course(self, course_id: str, faculty: list[dict]) -> None:
        """A course known only from an offering's snapshot (version 0: any real event wins)."""
        try:
            self._courses().insert_one({"_id": course_id, "code": "", "title": "", "version": 0,
                                        "faculty": faculty,
                                        "faculty_ids": sorted(m["user_id"] for m in faculty)})
        except DuplicateKeyError:
            pass

    def record_offering(self, offering_id: str, version: int, fields: dict) -> None:
        """An offering's course, zone, dates and status, newest version wins."""
        apply_newest(self._offerings(), offering_id, version, fields)
