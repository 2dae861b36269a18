"""The `Directory` port on MongoDB: newest-version-wins rows written by the consumer."""

from __future__ import annotations

from datetime import datetime

from meridian_common.events.envelope import as_utc
from meridian_common.persistence.readmodels import apply_newest
from meridian_common.persistence.server import find_in

from ..application.delivery_ports import SessionFacts
from .delivery_documents import CourseView, OfferingView, RosterEntry, SessionView


def _facts(row: dict) -> SessionFacts:
    return SessionFacts(session_id=row["_id"], offering_id=row["offering_id"],
                        title=row.get("title") or "", kind=row.get("kind") or "lecture",
                        start=as_utc(row["start"]), end=as_utc(row["end"]),
                        timezone=row.get("timezone") or "UTC", sequence=row["version"] - 1,
                        status=row.get("status") or "scheduled",
                        uid=row.get("uid") or f"{row['_id']}@meridian",
                        instructors=tuple(row.get("instructors") or ()))


class MongoDirectory:
    """Courses, offerings, rosters and sessions as the events last described them."""

    def record_course(self, course_id: str, version: int, code: str, title: str) -> None:
        """Store the course's newest code and title."""
        apply_newest(CourseView._get_collection(), course_id, version,
                     {"code": code, "title": title})

    def record_offering(self, offering_id: str, version: int, course_id: str, status: str,
                        faculty: list[str]) -> None:
        """Store the offering's newest course, status and faculty."""
        apply_newest(OfferingView._get_collection(), offering_id, version,
                     {"course_id": course_id, "status": status, "faculty": list(faculty)})

    def record_enrollment(self, offering_id: str, student_id: str, version: int,
                          status: str) -> bool:
        """Store the student's newest status in the offering."""
        return apply_newest(RosterEntry._get_collection(), f"{offering_id}:{student_id}",
                            version, {"offering_id": offering_id, "student_id": student_id,
                                      "status": status})

    def record_session(self, facts: SessionFacts) -> bool:
        """Store the session's newest state (SEQUENCE orders its versions)."""
        # SEQUENCE starts at 0; the stored version is SEQUENCE + 1 so a first event always wins.
        return apply_newest(SessionView._get_collection(), facts.session_id, facts.sequence + 1,
                            {"offering_id": facts.offering_id, "title": facts.title,
                             "kind": facts.kind, "start": facts.start, "end": facts.end,
                             "timezone": facts.timezone, "status": facts.status,
                             "uid": facts.uid, "instructors": list(facts.instructors)})

    def course_of(self, offering_id: str) -> dict:
        """The offering's course code and title, as far as the events told them."""
        offering = OfferingView._get_collection().find_one({"_id": offering_id},
                                                           {"course_id": 1})
        if offering is None:
            return {}
        course = CourseView._get_collection().find_one({"_id": offering["course_id"]})
        return {"course_code": course.get("code"), "course_title": course.get("title")} \
            if course else {}

    def faculty(self, offering_id: str) -> list[str]:
        """The offering's faculty user ids."""
        row = OfferingView._get_collection().find_one({"_id": offering_id}, {"faculty": 1})
        return list(row.get("faculty") or []) if row else []

    def students(self, offering_id: str, statuses: tuple[str, ...]) -> list[str]:
        """Students of the offering whose newest status is one of `statuses`."""
        rows = RosterEntry._get_collection().find(
            {"offering_id": offering_id, "status": {"$in": list(statuses)}}, {"student_id": 1})
        return sorted(row["student_id"] for row in rows)

    def status_of(self, offering_id: str, student_id: str) -> str | None:
        """The student's newest status in the offering."""
        row = RosterEntry._get_collection().find_one({"_id": f"{offering_id}:{student_id}"},
                                                     {"status": 1})
        return row["status"] if row else None

    def session(self, session_id: str) -> SessionFacts | None:
        """The session's newest known state."""
        row = SessionView._get_collection().find_one({"_id": session_id})
        return _facts(row) if row else None

    def upcoming_sessions(self, offering_id: str, after: datetime) -> list[SessionFacts]:
        """The offering's scheduled sessions starting after `after`."""
        rows = SessionView._get_collection().find({"offering_id": offering_id,
                                                   "status": "scheduled",
                                                   "start": {"$gt": after}})
        return [_facts(row) for row in rows]

    def upcoming_sessions_of(self, user_id: str, after: datetime) -> list[SessionFacts]:
        """Scheduled sessions after `after` of the user's offerings (confirmed student or
        faculty) and those they teach."""
        offerings = {row["offering_id"] for row in RosterEntry._get_collection().find(
            {"student_id": user_id, "status": "confirmed"}, {"offering_id": 1})}
        offerings |= {row["_id"] for row in OfferingView._get_collection().find(
            {"faculty": user_id}, {"_id": 1})}
        coming = {"status": "scheduled", "start": {"$gt": after}}
        sessions = SessionView._get_collection()
        rows = {row["_id"]: row for row in sessions.find({**coming, "instructors": user_id})}
        rows.update((row["_id"], row)
                    for row in find_in(sessions, "offering_id", offerings, query=coming))
        return [_facts(row) for row in rows.values()]
