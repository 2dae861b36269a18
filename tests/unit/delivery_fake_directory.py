"""An in-memory fake of the delivery pipeline's read models (the `Directory` port)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FakeDirectory:
    courses: dict = field(default_factory=dict)
    offerings: dict = field(default_factory=dict)
    roster: dict = field(default_factory=dict)
    sessions: dict = field(default_factory=dict)

    def record_course(self, course_id, version, code, title):
        self.courses[course_id] = {"code": code, "title": title}

    def record_offering(self, offering_id, version, course_id, status, faculty):
        self.offerings[offering_id] = {"course_id": course_id, "status": status,
                                       "faculty": list(faculty)}

    def record_enrollment(self, offering_id, student_id, version, status):
        key = (offering_id, student_id)
        if key in self.roster and self.roster[key][0] >= version:
            return False
        self.roster[key] = (version, status)
        return True

    def record_session(self, facts):
        known = self.sessions.get(facts.session_id)
        if known is not None and known.sequence >= facts.sequence:
            return False
        self.sessions[facts.session_id] = facts
        return True

    def course_of(self, offering_id):
        offering = self.offerings.get(offering_id)
        course = offering and self.courses.get(offering["course_id"])
        return {"course_code": course["code"], "course_title": course["title"]} if course else {}

    def faculty(self, offering_id):
        return list(self.offerings.get(offering_id, {}).get("faculty", []))

    def students(self, offering_id, statuses):
        return sorted(s for (o, s), (_v, status) in self.roster.items()
                      if o == offering_id and status in statuses)

    def status_of(self, offering_id, student_id):
        entry = self.roster.get((offering_id, student_id))
        return entry[1] if entry else None

    def session(self, session_id):
        return self.sessions.get(session_id)

    def upcoming_sessions(self, offering_id, after):
        return [s for s in self.sessions.values() if s.offering_id == offering_id
                and s.status == "scheduled" and s.start > after]

    def upcoming_sessions_of(self, user_id, after):
        offerings = {o for (o, s), (_v, status) in self.roster.items()
                     if s == user_id and status == "confirmed"}
        offerings |= {o for o, row in self.offerings.items() if user_id in row["faculty"]}
        return [s for s in self.sessions.values() if s.status == "scheduled"
                and s.start > after and (s.offering_id in offerings or user_id in s.instructors)]
