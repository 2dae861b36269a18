"""Live sessions scheduled through the classroom API by each course's own faculty.

The Oxford surgical course (three weeks, taught in Europe/London to students in Changchun)
gets lectures, seminars, workshops and office hours; each Changchun course a weekly lecture.
A series whose title already exists is not scheduled again.
"""

from __future__ import annotations

from datetime import date, timedelta

from . import courses
from .client import Gateway, eventually

# (day from Monday, local start, minutes, kind, title, who teaches: "<role>-<n>" of the team)
# 08:00 in London is 15:00 or 16:00 in Changchun: humane hours on both sides.
SURGERY_WEEK = [
    (0, "08:00", 90, "lecture", "Lecture: Principles of Surgical Practice",
     ["lead", "instructor-1"]),
    (1, "09:00", 60, "seminar", "Seminar: Surgical Case Discussions", ["ta-1", "ta-2"]),
    (2, "08:00", 90, "lecture", "Lecture: Perioperative Care", ["instructor-1", "instructor-2"]),
    (3, "08:00", 120, "workshop", "Workshop: Suturing and Knot Tying",
     ["instructor-3", "ta-3", "ta-4"]),
    (4, "09:00", 60, "office_hours", "Office Hours with the Teaching Assistants", ["ta-5"]),
]


def member(team: list[dict], who: str) -> str:
    """The user id of `lead`, `instructor-2`, `ta-5`, ... in a course's faculty list."""
    role, _, number = who.partition("-")
    people = [m["user_id"] for m in team if m["role"] == role]
    return people[int(number or 1) - 1]


def _series(api: Gateway, course: dict, offering: dict, plan: list[dict]) -> int:
    """Schedule the missing series of `plan`; returns how many sessions the offering has."""
    lead = next(m["user_id"] for m in course["faculty"] if m["role"] == "lead")
    token = api.token(lead, ("instructor",), course["provider_institution_id"])
    path = f"/api/v1/offerings/{offering['id']}/sessions"
    # 404 until the classroom saw the offering, 403 until it saw the course's faculty.
    existing = eventually(lambda: api.pages(path, token=token),
                          lambda exc: exc.status in (403, 404))
    titles = {s["title"] for s in existing}
    total = len(existing)
    for body in plan:
        if body["title"] not in titles:
            total += len(api.call("POST", path, body, token=token, once=True)["sessions"])
    return total


def surgery_plan(course: dict, starts_on: date) -> list[dict]:
    """Three weeks of the surgical course, each series repeating weekly."""
    return [{"kind": kind, "title": title, "timezone": "Europe/London",
             "start": f"{starts_on + timedelta(days=offset)}T{at}", "duration_minutes": minutes,
             "instructors": [member(course["faculty"], who) for who in roles],
             "repeat": {"frequency": "weekly", "count": 3}}
            for offset, at, minutes, kind, title, roles in SURGERY_WEEK]


def schedule(api: Gateway, catalog_courses: dict[str, dict],
             offerings: dict[str, dict]) -> dict[str, int]:
    """Schedule every planned series that does not exist yet; returns offering → sessions."""
    code = courses.SURGERY[0]
    surgery = offerings["surgery"]
    counts = {"surgery": _series(api, catalog_courses[code], surgery, surgery_plan(
        catalog_courses[code], date.fromisoformat(surgery["starts_on"])))}
    for code, title, *_ in courses.CHANGCHUN_COURSES:
        offering = offerings[f"changchun:{code}"]
        first = date.fromisoformat(offering["starts_on"])
        first += timedelta(days=(1 - first.weekday()) % 7)
        counts[f"changchun:{code}"] = _series(api, catalog_courses[code], offering, [{
            "kind": "lecture", "title": f"{title}: weekly lecture", "timezone": "Asia/Shanghai",
            "start": f"{first}T19:00", "duration_minutes": 90,
            "instructors": [member(catalog_courses[code]["faculty"], "lead")],
            "repeat": {"frequency": "weekly", "count": 12}}])
    return counts
